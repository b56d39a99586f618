-- The name and @username a person had in Telegram when they last submitted a card, so that
-- the moderation card can say who sent it.
ALTER TABLE users ADD COLUMN first_name TEXT;
ALTER TABLE users ADD COLUMN username TEXT;
