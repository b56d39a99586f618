-- vitrina_cards::search_text(title, description): the card's words folded by the application
-- (lowercase, no diacritics, in every script), so that /search and inline mode are a plain
-- LIKE on either engine. NULL until the application has computed it: rows written before this
-- column existed are filled at start, right after the migrations.
ALTER TABLE cards ADD COLUMN search_text TEXT;
