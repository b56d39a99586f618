DELETE FROM subcategories;
DELETE FROM categories;
DELETE FROM areas;
DELETE FROM cities;
