-- The reference data of vitrina_cards::reference, with its stable ids and i18n keys.
-- Names live in the locale files; a test checks these rows against the Rust constants.

INSERT INTO cities (id, i18n_key, position) VALUES
    (1, 'city-nha-trang', 1),
    (2, 'city-da-nang', 2),
    (3, 'city-ho-chi-minh-city', 3),
    (4, 'city-phu-quoc', 4);

INSERT INTO areas (id, city_id, i18n_key, position) VALUES
    (101, 1, 'area-nha-trang-centre', 1),
    (102, 1, 'area-nha-trang-north', 2),
    (103, 1, 'area-nha-trang-south', 3),
    (201, 2, 'area-da-nang-centre', 1),
    (202, 2, 'area-da-nang-coast', 2),
    (203, 2, 'area-da-nang-outskirts', 3),
    (301, 3, 'area-ho-chi-minh-city-centre', 1),
    (302, 3, 'area-ho-chi-minh-city-district-1', 2),
    (303, 3, 'area-ho-chi-minh-city-district-2', 3),
    (401, 4, 'area-phu-quoc-duong-dong', 1),
    (402, 4, 'area-phu-quoc-bai-sao', 2),
    (403, 4, 'area-phu-quoc-ong-lang', 3);

INSERT INTO categories (id, i18n_key, position) VALUES
    (1, 'category-restaurants', 1),
    (2, 'category-spa', 2),
    (3, 'category-transport', 3),
    (4, 'category-hotels', 4),
    (5, 'category-shops', 5),
    (6, 'category-tours', 6);

INSERT INTO subcategories (id, category_id, i18n_key, position) VALUES
    (101, 1, 'subcategory-restaurants-asian', 1),
    (102, 1, 'subcategory-restaurants-european', 2),
    (103, 1, 'subcategory-restaurants-street-food', 3),
    (104, 1, 'subcategory-restaurants-vegetarian', 4),
    (201, 2, 'subcategory-spa-massage', 1),
    (202, 2, 'subcategory-spa-complex', 2),
    (301, 3, 'subcategory-transport-motorbike', 1),
    (302, 3, 'subcategory-transport-car', 2),
    (303, 3, 'subcategory-transport-bicycle', 3),
    (401, 4, 'subcategory-hotels-hotel', 1),
    (402, 4, 'subcategory-hotels-guesthouse', 2),
    (403, 4, 'subcategory-hotels-apartments', 3),
    (601, 6, 'subcategory-tours-snorkel', 1),
    (602, 6, 'subcategory-tours-sea', 2),
    (603, 6, 'subcategory-tours-land', 3);
