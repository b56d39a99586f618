//! Cities with their areas, categories with their subcategories.
//!
//! Ids are stable: they are stored with cards, seeded into the database by a migration and
//! sent in callback data. An area's id is its city's id × 100 + n, a subcategory's likewise.
//! Names are i18n keys.

use crate::ids::{AreaId, CategoryId, CityId, SubcategoryId};

/// A city of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct City {
    /// Its id.
    pub id: CityId,
    /// The i18n key of its name (`city-nha-trang`).
    pub key: &'static str,
    /// Its areas.
    pub areas: &'static [Area],
}

/// An area of a city.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// Its id.
    pub id: AreaId,
    /// The i18n key of its name (`area-nha-trang-centre`).
    pub key: &'static str,
}

/// A category of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Its id.
    pub id: CategoryId,
    /// The i18n key of its name (`category-restaurants`).
    pub key: &'static str,
    /// Its subcategories; may be empty.
    pub subcategories: &'static [Subcategory],
}

/// A subcategory of a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subcategory {
    /// Its id.
    pub id: SubcategoryId,
    /// The i18n key of its name (`subcategory-restaurants-asian`).
    pub key: &'static str,
}

const fn area_of(id: i64, key: &'static str) -> Area {
    Area {
        id: AreaId(id),
        key,
    }
}

const fn sub(id: i64, key: &'static str) -> Subcategory {
    Subcategory {
        id: SubcategoryId(id),
        key,
    }
}

/// Every city, in the order they are offered.
pub const CITIES: &[City] = &[
    City {
        id: CityId(1),
        key: "city-nha-trang",
        areas: &[
            area_of(101, "area-nha-trang-centre"),
            area_of(102, "area-nha-trang-north"),
            area_of(103, "area-nha-trang-south"),
        ],
    },
    City {
        id: CityId(2),
        key: "city-da-nang",
        areas: &[
            area_of(201, "area-da-nang-centre"),
            area_of(202, "area-da-nang-coast"),
            area_of(203, "area-da-nang-outskirts"),
        ],
    },
    City {
        id: CityId(3),
        key: "city-ho-chi-minh-city",
        areas: &[
            area_of(301, "area-ho-chi-minh-city-centre"),
            area_of(302, "area-ho-chi-minh-city-district-1"),
            area_of(303, "area-ho-chi-minh-city-district-2"),
        ],
    },
    City {
        id: CityId(4),
        key: "city-phu-quoc",
        areas: &[
            area_of(401, "area-phu-quoc-duong-dong"),
            area_of(402, "area-phu-quoc-bai-sao"),
            area_of(403, "area-phu-quoc-ong-lang"),
        ],
    },
];

/// Every category, in the order they are offered.
pub const CATEGORIES: &[Category] = &[
    Category {
        id: CategoryId(1),
        key: "category-restaurants",
        subcategories: &[
            sub(101, "subcategory-restaurants-asian"),
            sub(102, "subcategory-restaurants-european"),
            sub(103, "subcategory-restaurants-street-food"),
            sub(104, "subcategory-restaurants-vegetarian"),
        ],
    },
    Category {
        id: CategoryId(2),
        key: "category-spa",
        subcategories: &[
            sub(201, "subcategory-spa-massage"),
            sub(202, "subcategory-spa-complex"),
        ],
    },
    Category {
        id: CategoryId(3),
        key: "category-transport",
        subcategories: &[
            sub(301, "subcategory-transport-motorbike"),
            sub(302, "subcategory-transport-car"),
            sub(303, "subcategory-transport-bicycle"),
        ],
    },
    Category {
        id: CategoryId(4),
        key: "category-hotels",
        subcategories: &[
            sub(401, "subcategory-hotels-hotel"),
            sub(402, "subcategory-hotels-guesthouse"),
            sub(403, "subcategory-hotels-apartments"),
        ],
    },
    Category {
        id: CategoryId(5),
        key: "category-shops",
        subcategories: &[],
    },
    Category {
        id: CategoryId(6),
        key: "category-tours",
        subcategories: &[
            sub(601, "subcategory-tours-snorkel"),
            sub(602, "subcategory-tours-sea"),
            sub(603, "subcategory-tours-land"),
        ],
    },
];

/// The city with this id.
pub fn city(id: CityId) -> Option<&'static City> {
    CITIES.iter().find(|city| city.id == id)
}

/// The area with this id, with its city.
pub fn area(id: AreaId) -> Option<(&'static City, &'static Area)> {
    CITIES.iter().find_map(|city| {
        city.areas
            .iter()
            .find(|area| area.id == id)
            .map(|area| (city, area))
    })
}

/// The category with this id.
pub fn category(id: CategoryId) -> Option<&'static Category> {
    CATEGORIES.iter().find(|category| category.id == id)
}

/// The subcategory with this id, with its category.
pub fn subcategory(id: SubcategoryId) -> Option<(&'static Category, &'static Subcategory)> {
    CATEGORIES.iter().find_map(|category| {
        category
            .subcategories
            .iter()
            .find(|sub| sub.id == id)
            .map(|sub| (category, sub))
    })
}

/// Every i18n key the reference data uses, for the locale parity test of the i18n crate.
pub fn i18n_keys() -> impl Iterator<Item = &'static str> {
    let cities = CITIES
        .iter()
        .flat_map(|city| std::iter::once(city.key).chain(city.areas.iter().map(|a| a.key)));
    let categories = CATEGORIES.iter().flat_map(|category| {
        std::iter::once(category.key).chain(category.subcategories.iter().map(|s| s.key))
    });
    cities.chain(categories)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_and_keys_are_unique_and_children_follow_the_id_scheme() {
        let keys: Vec<_> = i18n_keys().collect();
        assert_eq!(keys.len(), keys.iter().collect::<HashSet<_>>().len());
        assert_eq!(keys.len(), 4 + 12 + 6 + 15);
        for city in CITIES {
            for a in city.areas {
                assert_eq!(a.id.0 / 100, city.id.0, "{}", a.key);
                assert_eq!(area(a.id).map(|(c, _)| c.id), Some(city.id));
            }
        }
        for category in CATEGORIES {
            for s in category.subcategories {
                assert_eq!(s.id.0 / 100, category.id.0, "{}", s.key);
                assert_eq!(subcategory(s.id).map(|(c, _)| c.id), Some(category.id));
            }
        }
    }

    #[test]
    fn the_product_lists_are_all_here() {
        let names: Vec<_> = CITIES.iter().map(|c| c.key).collect();
        assert_eq!(
            names,
            [
                "city-nha-trang",
                "city-da-nang",
                "city-ho-chi-minh-city",
                "city-phu-quoc"
            ]
        );
        assert!(CITIES.iter().all(|c| c.areas.len() == 3));
        let subs: Vec<_> = CATEGORIES.iter().map(|c| c.subcategories.len()).collect();
        assert_eq!(subs, [4, 2, 3, 3, 0, 3]);
        assert_eq!(city(CityId(9)), None);
        assert_eq!(category(CategoryId(0)), None);
    }
}
