ALTER TABLE cards DROP COLUMN longitude;
ALTER TABLE cards DROP COLUMN latitude;
