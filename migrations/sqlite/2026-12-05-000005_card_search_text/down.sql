ALTER TABLE cards DROP COLUMN search_text;
