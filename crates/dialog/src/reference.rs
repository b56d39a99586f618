//! Vitrina's own reference data: its cities with their areas, its categories with their
//! subcategories. Defined here once; the dialog, the binaries and the storage's seeding
//! migration (`migrations/*/…_reference_data`, checked against this by a storage test) use it.
//!
//! Ids are stable: they are stored with cards, seeded into the database and sent in callback
//! data. An area's id is its city's id × 100 + n, a subcategory's likewise. Keys are i18n keys
//! of the names.

use vitrina_cards::{Category, City, Reference};

/// Vitrina's cities and categories, in the order they are offered.
pub fn vitrina() -> Reference {
    let cities = vec![
        City::new(
            1,
            "city-nha-trang",
            [
                (101, "area-nha-trang-centre"),
                (102, "area-nha-trang-north"),
                (103, "area-nha-trang-south"),
            ],
        ),
        City::new(
            2,
            "city-da-nang",
            [
                (201, "area-da-nang-centre"),
                (202, "area-da-nang-coast"),
                (203, "area-da-nang-outskirts"),
            ],
        ),
        City::new(
            3,
            "city-ho-chi-minh-city",
            [
                (301, "area-ho-chi-minh-city-centre"),
                (302, "area-ho-chi-minh-city-district-1"),
                (303, "area-ho-chi-minh-city-district-2"),
            ],
        ),
        City::new(
            4,
            "city-phu-quoc",
            [
                (401, "area-phu-quoc-duong-dong"),
                (402, "area-phu-quoc-bai-sao"),
                (403, "area-phu-quoc-ong-lang"),
            ],
        ),
    ];
    let categories = vec![
        Category::new(
            1,
            "category-restaurants",
            [
                (101, "subcategory-restaurants-asian"),
                (102, "subcategory-restaurants-european"),
                (103, "subcategory-restaurants-street-food"),
                (104, "subcategory-restaurants-vegetarian"),
            ],
        ),
        Category::new(
            2,
            "category-spa",
            [
                (201, "subcategory-spa-massage"),
                (202, "subcategory-spa-complex"),
            ],
        ),
        Category::new(
            3,
            "category-transport",
            [
                (301, "subcategory-transport-motorbike"),
                (302, "subcategory-transport-car"),
                (303, "subcategory-transport-bicycle"),
            ],
        ),
        Category::new(
            4,
            "category-hotels",
            [
                (401, "subcategory-hotels-hotel"),
                (402, "subcategory-hotels-guesthouse"),
                (403, "subcategory-hotels-apartments"),
            ],
        ),
        Category::new(5, "category-shops", []),
        Category::new(
            6,
            "category-tours",
            [
                (601, "subcategory-tours-snorkel"),
                (602, "subcategory-tours-sea"),
                (603, "subcategory-tours-land"),
            ],
        ),
    ];
    Reference::new(cities, categories).unwrap_or_else(|error| {
        // The data above is a constant: a repeated id is a mistake of this file, which the
        // tests below catch before any build ships.
        unreachable!("Vitrina's reference data repeats an id: {error}")
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use vitrina_cards::{CategoryId, CityId};
    use vitrina_i18n::{Catalog, Locale};

    use super::*;

    #[test]
    fn keys_are_unique_and_children_follow_the_id_scheme() {
        let reference = vitrina();
        let keys: Vec<_> = reference.keys().collect();
        assert_eq!(keys.len(), keys.iter().collect::<HashSet<_>>().len());
        assert_eq!(keys.len(), 4 + 12 + 6 + 15);
        for city in reference.cities() {
            for area in &city.areas {
                assert_eq!(area.id.get() / 100, city.id.get(), "{}", area.key);
            }
        }
        for category in reference.categories() {
            for sub in &category.subcategories {
                assert_eq!(sub.id.get() / 100, category.id.get(), "{}", sub.key);
            }
        }
    }

    #[test]
    fn the_product_lists_are_all_here() {
        let reference = vitrina();
        let names: Vec<_> = reference.cities().iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            names,
            [
                "city-nha-trang",
                "city-da-nang",
                "city-ho-chi-minh-city",
                "city-phu-quoc"
            ]
        );
        assert!(reference.cities().iter().all(|c| c.areas.len() == 3));
        let subs: Vec<_> = reference
            .categories()
            .iter()
            .map(|c| c.subcategories.len())
            .collect();
        assert_eq!(subs, [4, 2, 3, 3, 0, 3]);
        assert_eq!(reference.city(CityId(9)), None);
        assert_eq!(reference.category(CategoryId(0)), None);
    }

    #[test]
    fn every_name_is_in_every_locale() {
        let catalog = Catalog::load().expect("the embedded locales");
        for locale in Locale::ALL {
            for key in vitrina().keys() {
                assert!(catalog.has(locale, key), "{key} in {}", locale.code());
            }
        }
    }
}
