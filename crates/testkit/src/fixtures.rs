//! Card contents for setting a test up through the storage (rather than through the wizard),
//! naming reference data every database has after its migrations.

use vitrina_cards::{CardContent, CategoryId, CityId, Contact, SubcategoryId, Title};

/// Nha Trang, the first city of the reference data.
pub const NHA_TRANG: CityId = CityId(1);

/// Shops: a category without subcategories.
pub const SHOPS: CategoryId = CategoryId(5);

/// The contact of every fixture card: a phone number.
pub const CONTACT: &str = "+84 905 123 456";

/// A card with the required fields only — `title` and [`CONTACT`] — placed in `city` under
/// `category` and, where the category has them, `subcategory`.
///
/// # Panics
/// When `title` is not a valid title (empty, or longer than a title may be).
pub fn card(
    city: CityId,
    category: CategoryId,
    subcategory: Option<SubcategoryId>,
    title: &str,
) -> CardContent {
    CardContent {
        city,
        area: None,
        category,
        subcategory,
        title: Title::parse(title)
            .unwrap_or_else(|error| panic!("{title:?} is no title: {error:?}")),
        description: None,
        contact: Contact::parse(CONTACT).expect("the fixture contact is valid"),
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    }
}

/// A card in Nha Trang's shops with the required fields only: the simplest card there is.
/// Change a field with struct update syntax: `CardContent { area: …, ..shop_card("Corner") }`.
///
/// # Panics
/// As [`card`].
pub fn shop_card(title: &str) -> CardContent {
    card(NHA_TRANG, SHOPS, None, title)
}

#[cfg(test)]
mod tests {
    use vitrina_cards::{CardRepository, Timestamp, UserId};
    use vitrina_storage::Db;

    use super::{CONTACT, card, shop_card};
    use vitrina_cards::{CategoryId, CityId, SubcategoryId};

    #[tokio::test(flavor = "multi_thread")]
    async fn the_fixtures_name_reference_data_the_storage_has() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
        let db = Db::connect(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate");
        // Da Nang's street food: a city, category and subcategory of the reference data.
        let street_food = card(CityId(2), CategoryId(1), Some(SubcategoryId(103)), "Stall");
        for content in [shop_card("Corner Shop"), street_food] {
            let id = db
                .submit_new(UserId(7), &content, Timestamp(1))
                .await
                .unwrap_or_else(|error| panic!("{content:?}: {error}"));
            let stored = db.card(id).await.expect("read back").expect("stored");
            assert_eq!(stored.content, content);
            assert_eq!(stored.content.contact.as_str(), CONTACT);
        }
    }
}
