ALTER TABLE users DROP COLUMN username;
ALTER TABLE users DROP COLUMN first_name;
