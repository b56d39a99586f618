//! Rows as diesel reads and writes them, and their conversion to and from the domain types.
//!
//! Stored text is parsed back through the domain's own `parse` constructors, so a row that no
//! longer obeys a rule reads as `Invalid` instead of becoming a card that breaks it.
//!
//! With both engines built, each row is checked against both backends where it is defined,
//! for clearer errors; with one, the queries that use the rows are checked against it anyway.

use diesel::prelude::*;
use vitrina_cards::{
    Address, AreaId, Card, CardContent, CardId, CardStatus, CardSummary, CategoryId, CityId,
    Contact, Coordinates, Description, Discount, MapLink, PhotoId, RepositoryError, SubcategoryId,
    Timestamp, Title, UserId, ValidationError, search_key, search_text,
};
#[cfg(feature = "users")]
use vitrina_dialog::UserProfile;
#[cfg(feature = "moderation")]
use vitrina_moderation::LogEntry;

use crate::schema::cards;
#[cfg(feature = "moderation")]
use crate::schema::moderation_log;
#[cfg(feature = "users")]
use crate::schema::users;

/// A card's row, without its photos and its search key.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = cards)]
#[cfg_attr(
    all(feature = "postgres", feature = "sqlite"),
    diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))
)]
pub(crate) struct CardRow {
    pub id: i64,
    pub owner_id: i64,
    pub status: String,
    pub city_id: i64,
    pub area_id: Option<i64>,
    pub category_id: i64,
    pub subcategory_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub contact: String,
    pub address: Option<String>,
    pub map_link: Option<String>,
    pub discount: Option<String>,
    pub featured: bool,
    pub rejection_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The content columns of a card, written on submit and replaced on resubmit.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = cards)]
#[cfg_attr(
    all(feature = "postgres", feature = "sqlite"),
    diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))
)]
// An emptied optional field must become NULL, not keep its old value.
#[diesel(treat_none_as_null = true)]
pub(crate) struct ContentColumns<'a> {
    pub city_id: i64,
    pub area_id: Option<i64>,
    pub category_id: i64,
    pub subcategory_id: Option<i64>,
    pub title: &'a str,
    pub title_search: String,
    pub description: Option<&'a str>,
    pub contact: &'a str,
    pub address: Option<&'a str>,
    pub map_link: Option<&'a str>,
    pub discount: Option<&'a str>,
    pub search_text: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl<'a> ContentColumns<'a> {
    pub fn of(content: &'a CardContent) -> Self {
        ContentColumns {
            city_id: content.city.get(),
            area_id: content.area.map(AreaId::get),
            category_id: content.category.get(),
            subcategory_id: content.subcategory.map(SubcategoryId::get),
            title: content.title.as_str(),
            title_search: search_key(content.title.as_str()),
            description: content.description.as_ref().map(Description::as_str),
            contact: content.contact.as_str(),
            address: content.address.as_ref().map(Address::as_str),
            map_link: content.map_link.as_ref().map(MapLink::as_str),
            discount: content.discount.as_ref().map(Discount::as_str),
            search_text: Some(search_text(
                content.title.as_str(),
                content.description.as_ref().map(Description::as_str),
            )),
            latitude: content.location.map(Coordinates::latitude),
            longitude: content.location.map(Coordinates::longitude),
        }
    }
}

fn unreadable(what: &str, id: i64, error: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Invalid(format!("stored {what} {id}: {error}"))
}

/// Reads an optional stored field through its `parse`.
fn optional<T>(
    id: i64,
    text: Option<String>,
    parse: fn(&str) -> Result<T, ValidationError>,
) -> Result<Option<T>, RepositoryError> {
    text.map(|text| parse(&text))
        .transpose()
        .map_err(|error| unreadable("card", id, error))
}

/// Reads a stored coordinate pair: both or neither, in range.
pub(crate) fn location(
    id: i64,
    latitude: Option<f64>,
    longitude: Option<f64>,
) -> Result<Option<Coordinates>, RepositoryError> {
    match (latitude, longitude) {
        (None, None) => Ok(None),
        (Some(latitude), Some(longitude)) => Coordinates::new(latitude, longitude)
            .map(Some)
            .map_err(|error| unreadable("card", id, error)),
        _ => Err(unreadable("card", id, "only one of latitude and longitude")),
    }
}

/// Reads a stored status name.
pub(crate) fn status_of(id: i64, stored: &str) -> Result<CardStatus, RepositoryError> {
    CardStatus::parse(stored).map_err(|error| unreadable("card", id, error))
}

impl CardRow {
    /// The card, with its photos in their stored order.
    pub fn into_card(self, photos: Vec<String>) -> Result<Card, RepositoryError> {
        let id = self.id;
        let bad = |error: ValidationError| unreadable("card", id, error);
        let content = CardContent {
            city: CityId(self.city_id),
            area: self.area_id.map(AreaId),
            category: CategoryId(self.category_id),
            subcategory: self.subcategory_id.map(SubcategoryId),
            title: Title::parse(&self.title).map_err(bad)?,
            description: optional(id, self.description, Description::parse)?,
            contact: Contact::parse(&self.contact).map_err(bad)?,
            address: optional(id, self.address, Address::parse)?,
            map_link: optional(id, self.map_link, MapLink::parse)?,
            photos: photos.into_iter().map(PhotoId).collect(),
            discount: optional(id, self.discount, Discount::parse)?,
            location: location(id, self.latitude, self.longitude)?,
        };
        Ok(Card {
            id: CardId(id),
            owner: UserId(self.owner_id),
            status: status_of(id, &self.status)?,
            content,
            featured: self.featured,
            rejection_reason: self.rejection_reason,
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

/// The columns of a list line: id, title, status, featured.
pub(crate) type SummaryRow = (i64, String, String, bool);

pub(crate) fn summary(
    (id, title, status, featured): SummaryRow,
) -> Result<CardSummary, RepositoryError> {
    Ok(CardSummary {
        id: CardId(id),
        title,
        status: status_of(id, &status)?,
        featured,
    })
}

/// A user's row.
#[cfg(feature = "users")]
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
#[cfg_attr(
    all(feature = "postgres", feature = "sqlite"),
    diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))
)]
pub(crate) struct UserRow {
    pub id: i64,
    pub locale: Option<String>,
    pub city_id: Option<i64>,
    pub accepted_policy: Option<i64>,
    pub blocked_bot: bool,
    pub banned: bool,
    pub first_name: Option<String>,
    pub username: Option<String>,
}

#[cfg(feature = "users")]
impl UserRow {
    pub fn into_profile(self, is_partner: bool) -> Result<UserProfile, RepositoryError> {
        let accepted_policy = self
            .accepted_policy
            .map(u32::try_from)
            .transpose()
            .map_err(|error| unreadable("user", self.id, error))?;
        Ok(UserProfile {
            id: UserId(self.id),
            locale: self.locale,
            city: self.city_id.map(CityId),
            accepted_policy,
            blocked_bot: self.blocked_bot,
            banned: self.banned,
            is_partner,
            first_name: self.first_name,
            username: self.username,
        })
    }
}

/// A line of the moderation log.
#[cfg(feature = "moderation")]
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = moderation_log)]
#[cfg_attr(
    all(feature = "postgres", feature = "sqlite"),
    diesel(check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))
)]
pub(crate) struct LogRow {
    /// `None` once the card was removed with its partner's data.
    pub card_id: Option<i64>,
    pub moderator_id: i64,
    pub action: String,
    pub reason: Option<String>,
    pub at: i64,
}

#[cfg(feature = "moderation")]
impl From<LogEntry> for LogRow {
    fn from(entry: LogEntry) -> Self {
        LogRow {
            card_id: Some(entry.card.get()),
            moderator_id: entry.moderator.get(),
            action: entry.action,
            reason: entry.reason,
            at: entry.at.millis(),
        }
    }
}

#[cfg(feature = "moderation")]
impl From<LogRow> for LogEntry {
    fn from(row: LogRow) -> Self {
        LogEntry {
            // Only read back by card, so a row without one is never read.
            card: CardId(row.card_id.unwrap_or_default()),
            moderator: UserId(row.moderator_id),
            action: row.action,
            reason: row.reason,
            at: Timestamp(row.at),
        }
    }
}
