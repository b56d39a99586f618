-- Where a card is on the map, given at the wizard's map step as a location pin or a venue:
-- both or neither (the domain's Coordinates checks the range). The Nearby list loads the
-- published cards that have them and orders them by distance in Rust.
ALTER TABLE cards ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE cards ADD COLUMN longitude DOUBLE PRECISION;
