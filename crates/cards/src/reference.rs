//! The reference data of a catalog: cities with their areas, categories with their
//! subcategories.
//!
//! It is a value the application gives to whoever needs it (draft validation, its screens,
//! an in-memory store), not data compiled into this crate, so that another catalog can use
//! other places and kinds of business. Ids are the application's: they are stored with cards
//! and sent in callback data, so they must stay stable. Each item has a `key` naming it; what
//! people read is the application's business (Vitrina's keys are i18n keys).

use crate::draft::{CardContent, Field, Rule, ValidationError};
use crate::ids::{AreaId, CategoryId, CityId, SubcategoryId};

/// A city of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City {
    /// Its id.
    pub id: CityId,
    /// The key of its name.
    pub key: String,
    /// Its areas, in the order they are offered; may be empty.
    pub areas: Vec<Area>,
}

/// An area of a city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Its id.
    pub id: AreaId,
    /// The key of its name.
    pub key: String,
}

/// A category of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Its id.
    pub id: CategoryId,
    /// The key of its name.
    pub key: String,
    /// Its subcategories, in the order they are offered; may be empty.
    pub subcategories: Vec<Subcategory>,
}

/// A subcategory of a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    /// Its id.
    pub id: SubcategoryId,
    /// The key of its name.
    pub key: String,
}

impl City {
    /// A city with its areas, given as `(id, key)` pairs.
    pub fn new<'a>(id: i64, key: &str, areas: impl IntoIterator<Item = (i64, &'a str)>) -> City {
        City {
            id: CityId(id),
            key: key.to_owned(),
            areas: areas
                .into_iter()
                .map(|(id, key)| Area {
                    id: AreaId(id),
                    key: key.to_owned(),
                })
                .collect(),
        }
    }
}

impl Category {
    /// A category with its subcategories, given as `(id, key)` pairs.
    pub fn new<'a>(
        id: i64,
        key: &str,
        subcategories: impl IntoIterator<Item = (i64, &'a str)>,
    ) -> Category {
        Category {
            id: CategoryId(id),
            key: key.to_owned(),
            subcategories: subcategories
                .into_iter()
                .map(|(id, key)| Subcategory {
                    id: SubcategoryId(id),
                    key: key.to_owned(),
                })
                .collect(),
        }
    }
}

/// Reference data that cannot be used: an id given twice would make lookups ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {id} is given twice")]
pub struct ReferenceError {
    /// Which kind of item: `city`, `area`, `category` or `subcategory`.
    pub kind: &'static str,
    /// The id given twice.
    pub id: i64,
}

/// Every city and category of a catalog, each with its children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reference {
    cities: Vec<City>,
    categories: Vec<Category>,
}

/// The first id of `ids` given twice.
fn first_repeated(ids: impl IntoIterator<Item = i64>) -> Option<i64> {
    let mut seen = std::collections::BTreeSet::new();
    ids.into_iter().find(|id| !seen.insert(*id))
}

impl Reference {
    /// Reference data of these cities and categories, in the order they are offered.
    ///
    /// # Errors
    /// [`ReferenceError`] when two cities, two areas, two categories or two subcategories
    /// have the same id.
    pub fn new(cities: Vec<City>, categories: Vec<Category>) -> Result<Reference, ReferenceError> {
        let checks: [(&'static str, Vec<i64>); 4] = [
            ("city", cities.iter().map(|c| c.id.get()).collect()),
            (
                "area",
                cities
                    .iter()
                    .flat_map(|c| c.areas.iter().map(|a| a.id.get()))
                    .collect(),
            ),
            ("category", categories.iter().map(|c| c.id.get()).collect()),
            (
                "subcategory",
                categories
                    .iter()
                    .flat_map(|c| c.subcategories.iter().map(|s| s.id.get()))
                    .collect(),
            ),
        ];
        for (kind, ids) in checks {
            if let Some(id) = first_repeated(ids) {
                return Err(ReferenceError { kind, id });
            }
        }
        Ok(Reference { cities, categories })
    }

    /// Every city, in the order they are offered.
    pub fn cities(&self) -> &[City] {
        &self.cities
    }

    /// Every category, in the order they are offered.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The city with this id.
    pub fn city(&self, id: CityId) -> Option<&City> {
        self.cities.iter().find(|city| city.id == id)
    }

    /// The area with this id, with its city.
    pub fn area(&self, id: AreaId) -> Option<(&City, &Area)> {
        self.cities.iter().find_map(|city| {
            city.areas
                .iter()
                .find(|area| area.id == id)
                .map(|area| (city, area))
        })
    }

    /// The category with this id.
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }

    /// The subcategory with this id, with its category.
    pub fn subcategory(&self, id: SubcategoryId) -> Option<(&Category, &Subcategory)> {
        self.categories.iter().find_map(|category| {
            category
                .subcategories
                .iter()
                .find(|sub| sub.id == id)
                .map(|sub| (category, sub))
        })
    }

    /// Every key, cities with their areas first, then categories with their subcategories.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let cities = self.cities.iter().flat_map(|city| {
            std::iter::once(city.key.as_str()).chain(city.areas.iter().map(|a| a.key.as_str()))
        });
        let categories = self.categories.iter().flat_map(|category| {
            std::iter::once(category.key.as_str())
                .chain(category.subcategories.iter().map(|s| s.key.as_str()))
        });
        cities.chain(categories)
    }

    /// Whether `city` exists.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for the city field.
    pub fn check_city(&self, city: CityId) -> Result<(), ValidationError> {
        match self.city(city) {
            Some(_) => Ok(()),
            None => not_offered(Field::City),
        }
    }

    /// Whether `area` is one of `city`'s areas.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for the city field.
    pub fn check_area(&self, city: CityId, area: AreaId) -> Result<(), ValidationError> {
        match self.area(area) {
            Some((found, _)) if found.id == city => Ok(()),
            _ => not_offered(Field::City),
        }
    }

    /// Whether `category` exists.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for the category field.
    pub fn check_category(&self, category: CategoryId) -> Result<(), ValidationError> {
        match self.category(category) {
            Some(_) => Ok(()),
            None => not_offered(Field::Category),
        }
    }

    /// Whether `subcategory` is one of `category`'s subcategories.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for the category field.
    pub fn check_subcategory(
        &self,
        category: CategoryId,
        subcategory: SubcategoryId,
    ) -> Result<(), ValidationError> {
        match self.subcategory(subcategory) {
            Some((found, _)) if found.id == category => Ok(()),
            _ => not_offered(Field::Category),
        }
    }

    /// Whether `content` names only reference data that exists, its area within its city and
    /// its subcategory within its category.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] naming the first field that breaks it.
    pub fn check(&self, content: &CardContent) -> Result<(), ValidationError> {
        self.check_city(content.city)?;
        if let Some(area) = content.area {
            self.check_area(content.city, area)?;
        }
        self.check_category(content.category)?;
        if let Some(subcategory) = content.subcategory {
            self.check_subcategory(content.category, subcategory)?;
        }
        Ok(())
    }
}

fn not_offered(field: Field) -> Result<(), ValidationError> {
    Err(ValidationError {
        field,
        rule: Rule::NotInReferenceData,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Reference {
        Reference::new(
            vec![
                City::new(1, "north", [(11, "harbour"), (12, "old-town")]),
                City::new(2, "south", []),
            ],
            vec![
                Category::new(1, "food", [(101, "street-food")]),
                Category::new(2, "shops", []),
            ],
        )
        .expect("unique ids")
    }

    #[test]
    fn items_are_found_with_their_parents_and_offered_in_order() {
        let reference = sample();
        let names: Vec<_> = reference.keys().collect();
        assert_eq!(
            names,
            [
                "north",
                "harbour",
                "old-town",
                "south",
                "food",
                "street-food",
                "shops"
            ]
        );
        assert_eq!(
            reference
                .area(AreaId(12))
                .map(|(c, a)| (c.id, a.key.as_str())),
            Some((CityId(1), "old-town"))
        );
        assert_eq!(
            reference.subcategory(SubcategoryId(101)).map(|(c, _)| c.id),
            Some(CategoryId(1))
        );
        assert_eq!(reference.city(CityId(3)), None);
        assert_eq!(reference.category(CategoryId(0)), None);
    }

    #[test]
    fn an_id_given_twice_is_refused() {
        let twice = Reference::new(
            vec![City::new(1, "a", [(5, "x")]), City::new(2, "b", [(5, "y")])],
            Vec::new(),
        );
        assert_eq!(
            twice,
            Err(ReferenceError {
                kind: "area",
                id: 5
            })
        );
        let twice = Reference::new(
            Vec::new(),
            vec![Category::new(3, "a", []), Category::new(3, "b", [])],
        );
        assert_eq!(
            twice.map_err(|e| e.to_string()),
            Err("category id 3 is given twice".to_owned())
        );
    }

    #[test]
    fn content_must_name_existing_items_within_their_parents() {
        let reference = sample();
        let check = |city, area: Option<i64>, category, subcategory: Option<i64>| {
            let results = [
                reference.check_city(CityId(city)),
                area.map_or(Ok(()), |a| reference.check_area(CityId(city), AreaId(a))),
                reference.check_category(CategoryId(category)),
                subcategory.map_or(Ok(()), |s| {
                    reference.check_subcategory(CategoryId(category), SubcategoryId(s))
                }),
            ];
            results
                .into_iter()
                .find_map(Result::err)
                .map(|error| error.field)
        };
        assert_eq!(check(1, Some(11), 1, Some(101)), None);
        assert_eq!(check(2, None, 2, None), None);
        assert_eq!(check(3, None, 1, None), Some(Field::City));
        assert_eq!(
            check(2, Some(11), 1, None),
            Some(Field::City),
            "another city's area"
        );
        assert_eq!(check(1, None, 9, None), Some(Field::Category));
        assert_eq!(
            check(1, None, 2, Some(101)),
            Some(Field::Category),
            "another category's subcategory"
        );
    }
}
