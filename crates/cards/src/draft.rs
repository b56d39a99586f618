//! A card being written, field by field, and the rule of each field.
//!
//! Each field has a `parse` constructor that trims the text, counts characters (not bytes:
//! Cyrillic, Vietnamese and Korean text is as long as it looks) and names the broken rule and
//! its bound in its error.

use std::fmt;

use crate::ids::{AreaId, CategoryId, CityId, PhotoId, SubcategoryId};
use crate::place::Coordinates;
use crate::reference::Reference;
use crate::visible;

/// The most photos a card may have.
pub const MAX_PHOTOS: usize = 6;

/// The field of a card a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The city (and its area).
    City,
    /// The category (and its subcategory).
    Category,
    /// The title.
    Title,
    /// The description.
    Description,
    /// The contact.
    Contact,
    /// The address.
    Address,
    /// The map link.
    MapLink,
    /// The photos.
    Photos,
    /// The discount.
    Discount,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::City => "city",
            Field::Category => "category",
            Field::Title => "title",
            Field::Description => "description",
            Field::Contact => "contact",
            Field::Address => "address",
            Field::MapLink => "map link",
            Field::Photos => "photos",
            Field::Discount => "discount",
        })
    }
}

/// The rule an answer broke, with its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// The field must be given.
    Required,
    /// At least `min` characters after trimming.
    TooShort {
        /// The least number of characters.
        min: usize,
    },
    /// At most `max` characters after trimming.
    TooLong {
        /// The greatest number of characters.
        max: usize,
    },
    /// A phone of 7–15 digits, an `@username` or an http(s) link.
    ContactFormat,
    /// An `http://` or `https://` URL with a host.
    UrlFormat,
    /// At most `max` photos.
    TooManyPhotos {
        /// The greatest number of photos.
        max: usize,
    },
    /// The area is not one of the city's, or the subcategory not one of the category's.
    NotInReferenceData,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::TooShort { min } => write!(f, "needs at least {min} characters"),
            Rule::TooLong { max } => write!(f, "allows at most {max} characters"),
            Rule::ContactFormat => {
                f.write_str("must be a phone of 7 to 15 digits, an @username or an http(s) link")
            }
            Rule::UrlFormat => f.write_str("must be an http(s) link"),
            Rule::TooManyPhotos { max } => write!(f, "allows at most {max} photos"),
            Rule::NotInReferenceData => f.write_str("is not one of the offered choices"),
        }
    }
}

/// An answer that breaks the rule of its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field} {rule}")]
pub struct ValidationError {
    /// Whose rule.
    pub field: Field,
    /// Which rule, with its bound.
    pub rule: Rule,
}

fn invalid<T>(field: Field, rule: Rule) -> Result<T, ValidationError> {
    Err(ValidationError { field, rule })
}

/// Trims `text`, balances its bidi controls and checks its length: the least in characters a
/// person sees (a text of only invisible ones is empty), the most in all characters.
fn bounded(field: Field, text: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let text = visible::balanced(text.trim());
    let seen = visible::count(&text);
    let length = text.chars().count();
    if seen == 0 && min > 0 {
        invalid(field, Rule::Required)
    } else if seen < min {
        invalid(field, Rule::TooShort { min })
    } else if length > max {
        invalid(field, Rule::TooLong { max })
    } else {
        Ok(text)
    }
}

fn is_http_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let named = host.contains('.') || host.starts_with("localhost");
            named && !host.starts_with('.') && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

macro_rules! text_field {
    ($(#[$doc:meta])* $name:ident, $field:expr, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The least number of characters.
            pub const MIN: usize = $min;
            /// The greatest number of characters.
            pub const MAX: usize = $max;

            /// Trims and checks an answer.
            ///
            /// # Errors
            /// [`ValidationError`] naming the field and the rule it breaks.
            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                bounded($field, text, $min, $max).map(Self)
            }

            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_field!(
    /// A card's title: required, 3–100 characters after trimming.
    Title, Field::Title, 3, 100
);
text_field!(
    /// A card's description: at most 1000 characters.
    Description, Field::Description, 1, 1000
);
text_field!(
    /// A card's address: 5–300 characters.
    Address, Field::Address, 5, 300
);
text_field!(
    /// A card's discount, free text: at most 100 characters.
    Discount, Field::Discount, 1, 100
);

/// How to reach a partner: a phone (7–15 digits), an `@username`, or an http(s) link; at
/// most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Contact(String);

impl Contact {
    /// The greatest number of characters.
    pub const MAX: usize = 200;

    /// Trims and checks an answer.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty or too long text, or one of no accepted form.
    pub fn parse(text: &str) -> Result<Contact, ValidationError> {
        let text = bounded(Field::Contact, text, 1, Self::MAX)?;
        if is_phone(&text) || is_username(&text) || is_http_url(&text) {
            Ok(Contact(text))
        } else {
            invalid(Field::Contact, Rule::ContactFormat)
        }
    }

    /// The checked text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    (7..=15).contains(&digits) && text.chars().all(allowed)
}

/// Telegram usernames: 5–32 of `A-Za-z0-9_`, after the `@`.
fn is_username(text: &str) -> bool {
    text.strip_prefix('@').is_some_and(|name| {
        (5..=32).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// A link to a map: an http(s) URL of at most 300 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapLink(String);

impl MapLink {
    /// The greatest number of characters.
    pub const MAX: usize = 300;

    /// Trims and checks an answer.
    ///
    /// # Errors
    /// [`ValidationError`] for a too long text or one that is not an http(s) URL.
    pub fn parse(text: &str) -> Result<MapLink, ValidationError> {
        let text = bounded(Field::MapLink, text, 1, Self::MAX)?;
        if is_http_url(&text) {
            Ok(MapLink(text))
        } else {
            invalid(Field::MapLink, Rule::UrlFormat)
        }
    }

    /// The checked URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MapLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A card's content, complete and valid: what a partner submits and the storage keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardContent {
    /// The city.
    pub city: CityId,
    /// An area of that city.
    pub area: Option<AreaId>,
    /// The category.
    pub category: CategoryId,
    /// A subcategory of that category.
    pub subcategory: Option<SubcategoryId>,
    /// The title.
    pub title: Title,
    /// The description.
    pub description: Option<Description>,
    /// The contact.
    pub contact: Contact,
    /// The address.
    pub address: Option<Address>,
    /// The map link.
    pub map_link: Option<MapLink>,
    /// Photos, in the partner's order, at most [`MAX_PHOTOS`].
    pub photos: Vec<PhotoId>,
    /// The discount.
    pub discount: Option<Discount>,
    /// Where it is on the map (a location pin or a venue given at the map step).
    pub location: Option<Coordinates>,
}

/// A card being written in the wizard: every answer so far, each already valid.
///
/// The draft is the wizard's memory: going back a step or editing from the preview keeps the
/// other answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardDraft {
    /// The city.
    pub city: Option<CityId>,
    /// An area of the city.
    pub area: Option<AreaId>,
    /// The category.
    pub category: Option<CategoryId>,
    /// A subcategory of the category.
    pub subcategory: Option<SubcategoryId>,
    /// The title.
    pub title: Option<Title>,
    /// The description.
    pub description: Option<Description>,
    /// The contact.
    pub contact: Option<Contact>,
    /// The address.
    pub address: Option<Address>,
    /// The map link.
    pub map_link: Option<MapLink>,
    /// Photos so far.
    pub photos: Vec<PhotoId>,
    /// The discount.
    pub discount: Option<Discount>,
    /// Where it is on the map.
    pub location: Option<Coordinates>,
}

impl CardDraft {
    /// A draft holding a card's content, for *Edit and resubmit*.
    pub fn from_content(content: &CardContent) -> CardDraft {
        CardDraft {
            city: Some(content.city),
            area: content.area,
            category: Some(content.category),
            subcategory: content.subcategory,
            title: Some(content.title.clone()),
            description: content.description.clone(),
            contact: Some(content.contact.clone()),
            address: content.address.clone(),
            map_link: content.map_link.clone(),
            photos: content.photos.clone(),
            discount: content.discount.clone(),
            location: content.location,
        }
    }

    /// Sets the city; an area of another city is dropped.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for a city not in `reference`.
    pub fn set_city(&mut self, reference: &Reference, city: CityId) -> Result<(), ValidationError> {
        reference.check_city(city)?;
        if self.city != Some(city) {
            self.area = None;
        }
        self.city = Some(city);
        Ok(())
    }

    /// Sets (or with `None` skips) the area, which must belong to the chosen city.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for an area of another city or no city chosen yet.
    pub fn set_area(
        &mut self,
        reference: &Reference,
        area: Option<AreaId>,
    ) -> Result<(), ValidationError> {
        if let Some(area) = area {
            let Some(city) = self.city else {
                return invalid(Field::City, Rule::NotInReferenceData);
            };
            reference.check_area(city, area)?;
        }
        self.area = area;
        Ok(())
    }

    /// Sets the category; a subcategory of another category is dropped.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for a category not in `reference`.
    pub fn set_category(
        &mut self,
        reference: &Reference,
        category: CategoryId,
    ) -> Result<(), ValidationError> {
        reference.check_category(category)?;
        if self.category != Some(category) {
            self.subcategory = None;
        }
        self.category = Some(category);
        Ok(())
    }

    /// Sets (or with `None` skips) the subcategory, which must belong to the category.
    ///
    /// # Errors
    /// [`Rule::NotInReferenceData`] for a subcategory of another category.
    pub fn set_subcategory(
        &mut self,
        reference: &Reference,
        subcategory: Option<SubcategoryId>,
    ) -> Result<(), ValidationError> {
        if let Some(subcategory) = subcategory {
            let Some(category) = self.category else {
                return invalid(Field::Category, Rule::NotInReferenceData);
            };
            reference.check_subcategory(category, subcategory)?;
        }
        self.subcategory = subcategory;
        Ok(())
    }

    /// Adds a photo.
    ///
    /// # Errors
    /// [`Rule::TooManyPhotos`] when the draft has [`MAX_PHOTOS`] already.
    pub fn add_photo(&mut self, photo: PhotoId) -> Result<usize, ValidationError> {
        if self.photos.len() >= MAX_PHOTOS {
            return invalid(Field::Photos, Rule::TooManyPhotos { max: MAX_PHOTOS });
        }
        self.photos.push(photo);
        Ok(self.photos.len())
    }

    /// Removes the last photo, if any, and returns how many are left.
    pub fn remove_last_photo(&mut self) -> usize {
        self.photos.pop();
        self.photos.len()
    }

    /// The finished content.
    ///
    /// # Errors
    /// [`Rule::Required`] naming the first required field still missing (city, category,
    /// title, contact).
    pub fn complete(&self) -> Result<CardContent, ValidationError> {
        let required = |field| ValidationError {
            field,
            rule: Rule::Required,
        };
        Ok(CardContent {
            city: self.city.ok_or(required(Field::City))?,
            area: self.area,
            category: self.category.ok_or(required(Field::Category))?,
            subcategory: self.subcategory,
            title: self.title.clone().ok_or(required(Field::Title))?,
            description: self.description.clone(),
            contact: self.contact.clone().ok_or(required(Field::Contact))?,
            address: self.address.clone(),
            map_link: self.map_link.clone(),
            photos: self.photos.clone(),
            discount: self.discount.clone(),
            location: self.location,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{Category, City};

    /// Two cities with areas numbered city × 100 + n, categories likewise; category 5 has
    /// no subcategories.
    fn reference() -> Reference {
        Reference::new(
            vec![
                City::new(1, "city-1", [(101, "area-101"), (102, "area-102")]),
                City::new(2, "city-2", [(201, "area-201")]),
                City::new(4, "city-4", []),
            ],
            vec![
                Category::new(1, "category-1", [(101, "sub-101"), (102, "sub-102")]),
                Category::new(2, "category-2", [(201, "sub-201")]),
                Category::new(5, "category-5", []),
                Category::new(6, "category-6", [(601, "sub-601")]),
            ],
        )
        .expect("unique ids")
    }

    fn rule<T>(result: Result<T, ValidationError>) -> Option<Rule> {
        result.err().map(|error| error.rule)
    }

    /// Text of `n` characters of `unit`, which is several bytes long in UTF-8 for ru/vi/ko.
    fn text(unit: char, n: usize) -> String {
        std::iter::repeat_n(unit, n).collect()
    }

    #[test]
    fn length_bounds_count_characters_in_every_script() {
        // (parse, min, max): at and past each bound, for Latin, Cyrillic, Vietnamese, Korean.
        type Parse = fn(&str) -> Option<Rule>;
        let fields: [(&str, Parse, usize, usize); 4] = [
            ("title", |t| rule(Title::parse(t)), 3, 100),
            ("description", |t| rule(Description::parse(t)), 1, 1000),
            ("address", |t| rule(Address::parse(t)), 5, 300),
            ("discount", |t| rule(Discount::parse(t)), 1, 100),
        ];
        for (name, parse, min, max) in fields {
            for unit in ['a', 'ж', 'ệ', '한'] {
                assert_eq!(parse(&text(unit, min)), None, "{name}: {min} × {unit}");
                assert_eq!(parse(&text(unit, max)), None, "{name}: {max} × {unit}");
                assert_eq!(
                    parse(&text(unit, max + 1)),
                    Some(Rule::TooLong { max }),
                    "{name}: {} × {unit}",
                    max + 1
                );
                if min > 1 {
                    assert_eq!(
                        parse(&text(unit, min - 1)),
                        Some(Rule::TooShort { min }),
                        "{name}: {} × {unit}",
                        min - 1
                    );
                }
            }
            assert_eq!(parse("   "), Some(Rule::Required), "{name}: blank");
        }
    }

    #[test]
    fn title_is_trimmed_before_counting() {
        assert_eq!(
            rule(Title::parse("  ab  ")),
            Some(Rule::TooShort { min: 3 })
        );
        assert_eq!(
            Title::parse("  abc \n").map(|t| t.as_str().to_owned()),
            Ok("abc".into())
        );
    }

    #[test]
    fn contact_accepts_a_phone_a_username_or_a_link_and_nothing_else() {
        let accepted = [
            "+84 905 123 456",
            "0905123456",
            "(090) 512-3456",
            "1234567",
            "123456789012345",
            "@hotel_sea",
            "@abcde",
            "https://example.com/contact",
            "http://t.me/hotel",
        ];
        for contact in accepted {
            assert!(Contact::parse(contact).is_ok(), "{contact}");
        }
        let refused = [
            "123456",
            "1234567890123456",
            "+84 905 abc",
            "@abcd",
            "@has space",
            "call me",
            "ftp://example.com",
            "https://",
            "https://exa mple.com",
        ];
        for contact in refused {
            assert_eq!(
                rule(Contact::parse(contact)),
                Some(Rule::ContactFormat),
                "{contact}"
            );
        }
        let long = format!("https://example.com/{}", text('x', 200));
        assert_eq!(
            rule(Contact::parse(&long)),
            Some(Rule::TooLong { max: 200 })
        );
        assert_eq!(rule(Contact::parse(" ")), Some(Rule::Required));
    }

    #[test]
    fn map_link_is_an_http_url_of_at_most_300_characters() {
        assert!(MapLink::parse("https://maps.app.goo.gl/abc").is_ok());
        assert_eq!(
            rule(MapLink::parse("maps.google.com")),
            Some(Rule::UrlFormat)
        );
        let at_bound = format!("https://maps.example.com/{}", text('q', 300 - 25));
        assert_eq!(at_bound.chars().count(), 300);
        assert!(MapLink::parse(&at_bound).is_ok());
        let past = format!("{at_bound}q");
        assert_eq!(
            rule(MapLink::parse(&past)),
            Some(Rule::TooLong { max: 300 })
        );
    }

    #[test]
    fn errors_name_the_field_the_rule_and_its_bound() {
        let error = Title::parse("ab").expect_err("too short");
        assert_eq!(error.to_string(), "title needs at least 3 characters");
        assert_eq!(error.rule, Rule::TooShort { min: 3 });
        let error = Address::parse(&text('ж', 301)).expect_err("too long");
        assert_eq!(error.to_string(), "address allows at most 300 characters");
    }

    #[test]
    fn photos_stop_at_six_and_remove_last_takes_the_newest() {
        let mut draft = CardDraft::default();
        for n in 1..=MAX_PHOTOS {
            assert_eq!(draft.add_photo(PhotoId(format!("p{n}"))), Ok(n));
        }
        assert_eq!(
            rule(draft.add_photo(PhotoId("p7".into()))),
            Some(Rule::TooManyPhotos { max: 6 })
        );
        assert_eq!(draft.remove_last_photo(), 5);
        assert_eq!(draft.photos.last(), Some(&PhotoId("p5".into())));
        draft.photos.clear();
        assert_eq!(draft.remove_last_photo(), 0);
    }

    #[test]
    fn area_and_subcategory_must_belong_to_the_chosen_city_and_category() {
        let r = &reference();
        let mut draft = CardDraft::default();
        assert!(draft.set_area(r, Some(AreaId(101))).is_err(), "no city yet");
        assert!(
            draft.set_subcategory(r, Some(SubcategoryId(101))).is_err(),
            "no category yet"
        );
        draft.set_city(r, CityId(1)).expect("city 1");
        draft
            .set_area(r, Some(AreaId(101)))
            .expect("an area of city 1");
        assert!(
            draft.set_area(r, Some(AreaId(201))).is_err(),
            "an area of city 2"
        );
        draft.set_city(r, CityId(2)).expect("city 2");
        assert_eq!(draft.area, None, "changing the city drops its area");
        assert!(draft.set_city(r, CityId(99)).is_err());

        draft.set_category(r, CategoryId(1)).expect("category 1");
        draft
            .set_subcategory(r, Some(SubcategoryId(101)))
            .expect("a subcategory of category 1");
        assert!(
            draft.set_subcategory(r, Some(SubcategoryId(201))).is_err(),
            "a subcategory of category 2"
        );
        draft.set_category(r, CategoryId(1)).expect("same category");
        assert_eq!(
            draft.subcategory,
            Some(SubcategoryId(101)),
            "same category keeps it"
        );
        draft.set_category(r, CategoryId(5)).expect("category 5");
        assert_eq!(draft.subcategory, None);
    }

    #[test]
    fn complete_names_the_first_missing_required_field_and_round_trips() {
        let mut draft = CardDraft::default();
        let missing = |draft: &CardDraft| draft.complete().err().map(|e| e.field);
        assert_eq!(missing(&draft), Some(Field::City));
        draft.set_city(&reference(), CityId(4)).expect("city");
        assert_eq!(missing(&draft), Some(Field::Category));
        draft
            .set_category(&reference(), CategoryId(6))
            .expect("category");
        assert_eq!(missing(&draft), Some(Field::Title));
        draft.title = Title::parse("Snorkel tour").ok();
        assert_eq!(missing(&draft), Some(Field::Contact));
        draft.contact = Contact::parse("+84 123 4567").ok();
        let content = draft.complete().expect("complete");
        assert_eq!(CardDraft::from_content(&content), draft);
    }
}
