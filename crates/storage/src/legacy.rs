//! Moving in from the old system: its SQLite database (`partners_v2`, `cards_v2`,
//! `card_photos`, `categories_v2`, `moderation_log`) read and written into Vitrina's, on
//! either engine, in one transaction.
//!
//! What is carried over: partners (as users and partners), cards with their ids, statuses,
//! photos' `file_id`s, discount, map link, featured mark and times, and the approvals and
//! rejections of the moderation log. Cards keep their old ids and log entries theirs, so a
//! second run finds everything there and changes nothing. Nothing is dropped silently: a card
//! that cannot be a Vitrina card (an unknown category or city, no owner, a title or contact
//! that today's rules refuse) is skipped with its reason; one with an optional field today's
//! rules refuse is imported without that field, as a draft, with the reason.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::{
    Connection as _, ExpressionMethods as _, QueryDsl as _, QueryResult, QueryableByName,
};
use diesel_async::RunQueryDsl as _;
use vitrina_cards::{
    Address, Contact, Description, Discount, MapLink, Title, search_key, search_text,
};

use crate::error::StorageError;
use crate::pool::Db;
use crate::schema::{
    areas, card_photos, cards, categories, cities, moderation_log, partners, subcategories, users,
};

/// The most photos a Vitrina card has.
const MAX_PHOTOS: usize = 6;

/// What the old database holds, as read.
#[derive(Debug, Clone, Default)]
pub struct LegacyData {
    categories: Vec<LegacyCategory>,
    partners: Vec<LegacyPartner>,
    cards: Vec<LegacyCard>,
    photos: Vec<LegacyPhoto>,
    log: Vec<LegacyLog>,
}

#[derive(Debug, Clone, QueryableByName)]
struct LegacyCategory {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    slug: String,
}

#[derive(Debug, Clone, QueryableByName)]
struct LegacyPartner {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    tg_user_id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    created_at: Option<String>,
}

#[derive(Debug, Clone, QueryableByName)]
struct LegacyCard {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    partner_id: i64,
    #[diesel(sql_type = BigInt)]
    category_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    subcategory_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    city_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    area_id: Option<i64>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Nullable<Text>)]
    description: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    contact: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    address: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    google_maps_url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    photo_file_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    discount_text: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Integer>)]
    is_featured: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    created_at: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    updated_at: Option<String>,
}

#[derive(Debug, Clone, QueryableByName)]
struct LegacyPhoto {
    #[diesel(sql_type = BigInt)]
    card_id: i64,
    #[diesel(sql_type = Text)]
    file_id: String,
}

#[derive(Debug, Clone, QueryableByName)]
struct LegacyLog {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    card_id: i64,
    #[diesel(sql_type = BigInt)]
    moderator_id: i64,
    #[diesel(sql_type = Text)]
    action: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    created_at: Option<String>,
}

impl LegacyData {
    /// Reads the old system's SQLite file at `path`, which must exist.
    ///
    /// # Errors
    /// [`StorageError::Legacy`] when the file is missing or is not the old system's database.
    pub async fn read(path: &Path) -> Result<LegacyData, StorageError> {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        if !absolute.is_file() {
            return Err(StorageError::Legacy(format!(
                "{} does not exist",
                absolute.display()
            )));
        }
        let shown = absolute.display().to_string();
        tokio::task::spawn_blocking(move || {
            let failed = |error: &dyn fmt::Display| StorageError::Legacy(format!("{shown}: {error}"));
            // Read-only: the old database is left exactly as it was.
            let url = format!("file:{}?mode=ro", absolute.display());
            let mut conn = diesel::SqliteConnection::establish(&url).map_err(|error| failed(&error))?;
            fn load<T>(conn: &mut diesel::SqliteConnection, sql: &str) -> QueryResult<Vec<T>>
            where
                T: QueryableByName<diesel::sqlite::Sqlite> + 'static,
            {
                diesel::RunQueryDsl::load(diesel::sql_query(sql), conn)
            }
            let read = |conn: &mut diesel::SqliteConnection| -> QueryResult<LegacyData> {
                Ok(LegacyData {
                    categories: load(conn, "SELECT id, slug FROM categories_v2 ORDER BY id")?,
                    partners: load(
                        conn,
                        "SELECT id, tg_user_id, created_at FROM partners_v2 ORDER BY id",
                    )?,
                    cards: load(
                        conn,
                        "SELECT id, partner_id, category_id, subcategory_id, city_id, area_id, title, \
                         description, contact, address, google_maps_url, photo_file_id, discount_text, \
                         status, CAST(is_featured AS INTEGER) AS is_featured, created_at, updated_at \
                         FROM cards_v2 ORDER BY id",
                    )?,
                    photos: load(
                        conn,
                        "SELECT card_id, file_id FROM card_photos ORDER BY card_id, position, id",
                    )?,
                    log: load(
                        conn,
                        "SELECT id, card_id, moderator_id, action, comment, created_at \
                         FROM moderation_log ORDER BY id",
                    )?,
                })
            };
            read(&mut conn).map_err(|error| failed(&error))
        })
        .await
        .map_err(|error| StorageError::Legacy(error.to_string()))?
    }
}

/// What an import did, or would do (`--dry-run`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Partners written now.
    pub partners_imported: usize,
    /// Cards written now.
    pub cards_imported: usize,
    /// Photos written now.
    pub photos_imported: usize,
    /// Moderation log entries written now.
    pub log_imported: usize,
    /// Rows found already imported (a second run).
    pub already_there: usize,
    /// Cards imported as drafts, with why.
    pub drafted: Vec<(i64, String)>,
    /// What was not imported, with why: `card 7`, `log entry 3`, …
    pub skipped: Vec<(String, String)>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "partners imported: {}", self.partners_imported)?;
        writeln!(f, "cards imported: {}", self.cards_imported)?;
        writeln!(f, "photos imported: {}", self.photos_imported)?;
        writeln!(f, "moderation log entries imported: {}", self.log_imported)?;
        writeln!(f, "already imported before: {}", self.already_there)?;
        writeln!(f, "imported as drafts: {}", self.drafted.len())?;
        for (card, reason) in &self.drafted {
            writeln!(f, "  card {card}: {reason}")?;
        }
        writeln!(f, "skipped: {}", self.skipped.len())?;
        for (what, reason) in &self.skipped {
            writeln!(f, "  {what}: {reason}")?;
        }
        Ok(())
    }
}

/// Vitrina's reference data as the target database holds it.
#[derive(Debug, Clone, Default)]
struct Reference {
    /// Category id by slug (`restaurants` for `category-restaurants`).
    categories: BTreeMap<String, i64>,
    cities: BTreeSet<i64>,
    /// Area → its city.
    areas: BTreeMap<i64, i64>,
    /// Subcategory → its category.
    subcategories: BTreeMap<i64, i64>,
}

/// A card ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedCard {
    id: i64,
    owner: i64,
    status: String,
    city: i64,
    area: Option<i64>,
    category: i64,
    subcategory: Option<i64>,
    title: String,
    description: Option<String>,
    contact: String,
    address: Option<String>,
    map_link: Option<String>,
    discount: Option<String>,
    featured: bool,
    rejection_reason: Option<String>,
    created_at: i64,
    updated_at: i64,
    photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedLog {
    id: i64,
    card: i64,
    moderator: i64,
    action: &'static str,
    reason: Option<String>,
    at: i64,
}

#[derive(Debug, Clone, Default)]
struct Plan {
    /// Partners' Telegram ids, with when they joined.
    partners: Vec<(i64, i64)>,
    cards: Vec<PlannedCard>,
    log: Vec<PlannedLog>,
    report: ImportReport,
}

/// `YYYY-MM-DD HH:MM:SS` (SQLite's CURRENT_TIMESTAMP, UTC) in milliseconds; `fallback` for
/// anything else.
fn millis(text: Option<&str>, fallback: i64) -> i64 {
    let parse = |text: &str| -> Option<i64> {
        let (date, time) = text.trim().split_once([' ', 'T'])?;
        let mut date = date.split('-').map(str::parse::<i64>);
        let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
        let mut time = time.trim_end_matches('Z').split(':');
        let hour: i64 = time.next()?.parse().ok()?;
        let minute: i64 = time.next()?.parse().ok()?;
        let second: f64 = time.next().unwrap_or("0").parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        let days = era * 146_097 + day_of_era - 719_468;
        #[allow(
            clippy::cast_possible_truncation,
            reason = "milliseconds of a minute fit"
        )]
        let second_millis = (second * 1000.0).round() as i64;
        Some(((days * 24 + hour) * 60 + minute) * 60_000 + second_millis)
    };
    text.and_then(parse).unwrap_or(fallback)
}

/// Decides what becomes of every old row, against `reference`.
fn plan(data: &LegacyData, reference: &Reference, now: i64) -> Plan {
    let mut plan = Plan::default();
    let slugs: BTreeMap<i64, &str> = data
        .categories
        .iter()
        .map(|category| (category.id, category.slug.as_str()))
        .collect();
    let owners: BTreeMap<i64, i64> = data
        .partners
        .iter()
        .map(|partner| (partner.id, partner.tg_user_id))
        .collect();
    for partner in &data.partners {
        if partner.tg_user_id > 0 {
            plan.partners.push((
                partner.tg_user_id,
                millis(partner.created_at.as_deref(), now),
            ));
        } else {
            plan.report.skipped.push((
                format!("partner {}", partner.id),
                format!("Telegram id {} is not a user's", partner.tg_user_id),
            ));
        }
    }
    let mut photos: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for photo in &data.photos {
        photos
            .entry(photo.card_id)
            .or_default()
            .push(photo.file_id.trim().to_owned());
    }
    let mut planned_cards = BTreeSet::new();
    for card in &data.cards {
        let skip = |reason: String| (format!("card {}", card.id), reason);
        let Some(&owner) = owners.get(&card.partner_id).filter(|owner| **owner > 0) else {
            plan.report
                .skipped
                .push(skip(format!("no partner {}", card.partner_id)));
            continue;
        };
        let slug = slugs.get(&card.category_id).copied().unwrap_or("");
        let Some(&category) = reference.categories.get(slug) else {
            plan.report.skipped.push(skip(format!(
                "unknown category {:?} (id {})",
                slug, card.category_id
            )));
            continue;
        };
        let Some(city) = card.city_id.filter(|city| reference.cities.contains(city)) else {
            plan.report.skipped.push(skip(format!(
                "no city of the catalog (city_id {:?})",
                card.city_id
            )));
            continue;
        };
        let title = match Title::parse(&card.title) {
            Ok(title) => title.as_str().to_owned(),
            Err(error) => {
                plan.report.skipped.push(skip(format!("title: {error}")));
                continue;
            }
        };
        let contact = match Contact::parse(card.contact.as_deref().unwrap_or("")) {
            Ok(contact) => contact.as_str().to_owned(),
            Err(error) => {
                plan.report.skipped.push(skip(format!("contact: {error}")));
                continue;
            }
        };
        let Ok(status) = vitrina_cards::CardStatus::parse(&card.status) else {
            plan.report
                .skipped
                .push(skip(format!("unknown status {:?}", card.status)));
            continue;
        };
        // Optional fields today's rules refuse are left out, and the card waits as a draft.
        let mut problems = Vec::new();
        let mut optional =
            |name: &str, text: &Option<String>, check: &dyn Fn(&str) -> Result<String, String>| {
                let text = text
                    .as_deref()
                    .map(str::trim)
                    .filter(|text| !text.is_empty())?;
                match check(text) {
                    Ok(valid) => Some(valid),
                    Err(error) => {
                        problems.push(format!("{name} left out: {error}"));
                        None
                    }
                }
            };
        let description = optional("description", &card.description, &|text| {
            Description::parse(text)
                .map(|v| v.as_str().to_owned())
                .map_err(|e| e.to_string())
        });
        let address = optional("address", &card.address, &|text| {
            Address::parse(text)
                .map(|v| v.as_str().to_owned())
                .map_err(|e| e.to_string())
        });
        let map_link = optional("map link", &card.google_maps_url, &|text| {
            MapLink::parse(text)
                .map(|v| v.as_str().to_owned())
                .map_err(|e| e.to_string())
        });
        let discount = optional("discount", &card.discount_text, &|text| {
            Discount::parse(text)
                .map(|v| v.as_str().to_owned())
                .map_err(|e| e.to_string())
        });
        let area = match card.area_id {
            Some(area) if reference.areas.get(&area) == Some(&city) => Some(area),
            Some(area) => {
                problems.push(format!("area {area} left out: not an area of city {city}"));
                None
            }
            None => None,
        };
        let subcategory = match card.subcategory_id {
            Some(sub) if reference.subcategories.get(&sub) == Some(&category) => Some(sub),
            Some(sub) => {
                problems.push(format!(
                    "subcategory {sub} left out: not one of category {slug:?}"
                ));
                None
            }
            None => None,
        };
        let mut card_photos: Vec<String> = Vec::new();
        let listed = photos.get(&card.id).cloned().unwrap_or_default();
        for photo in card
            .photo_file_id
            .iter()
            .map(|id| id.trim().to_owned())
            .chain(listed)
        {
            if !photo.is_empty() && !card_photos.contains(&photo) {
                card_photos.push(photo);
            }
        }
        if card_photos.len() > MAX_PHOTOS {
            problems.push(format!(
                "{} photos left out: a card has at most {MAX_PHOTOS}",
                card_photos.len() - MAX_PHOTOS
            ));
            card_photos.truncate(MAX_PHOTOS);
        }
        let status = if problems.is_empty() {
            status.as_str().to_owned()
        } else {
            plan.report.drafted.push((card.id, problems.join("; ")));
            "draft".to_owned()
        };
        let created_at = millis(card.created_at.as_deref(), now);
        plan.cards.push(PlannedCard {
            id: card.id,
            owner,
            status,
            city,
            area,
            category,
            subcategory,
            title,
            description,
            contact,
            address,
            map_link,
            discount,
            featured: card.is_featured.unwrap_or(0) != 0,
            rejection_reason: None,
            created_at,
            updated_at: millis(card.updated_at.as_deref(), created_at),
            photos: card_photos,
        });
        planned_cards.insert(card.id);
    }
    for entry in &data.log {
        let skip = |reason: String| (format!("log entry {}", entry.id), reason);
        let action = match entry.action.as_str() {
            "approve" => "approve",
            "reject" => "reject",
            other => {
                plan.report.skipped.push(skip(format!(
                    "action {other:?}: Vitrina logs approvals and rejections only"
                )));
                continue;
            }
        };
        if !planned_cards.contains(&entry.card_id) {
            plan.report
                .skipped
                .push(skip(format!("card {} is not imported", entry.card_id)));
            continue;
        }
        if action == "reject"
            && let Some(card) = plan
                .cards
                .iter_mut()
                .find(|card| card.id == entry.card_id && card.status == "rejected")
        {
            // The partner sees why, as after a rejection in Vitrina; the latest one wins.
            card.rejection_reason = entry.comment.clone();
        }
        plan.log.push(PlannedLog {
            id: entry.id,
            card: entry.card_id,
            moderator: entry.moderator_id,
            action,
            reason: entry
                .comment
                .clone()
                .filter(|comment| !comment.trim().is_empty()),
            at: millis(entry.created_at.as_deref(), now),
        });
    }
    plan
}

impl Db {
    /// Writes what the old system's database `data` holds into this one, in one transaction
    /// that is rolled back when `dry_run`; `now` (milliseconds) stands in for missing times.
    ///
    /// # Errors
    /// [`StorageError::Unreachable`] when the database fails; nothing is written then.
    pub async fn import_legacy(
        &self,
        data: &LegacyData,
        now: i64,
        dry_run: bool,
    ) -> Result<ImportReport, StorageError> {
        let failed =
            |error: vitrina_cards::RepositoryError| StorageError::Unreachable(error.with_causes());
        let reference = self.reference().await.map_err(failed)?;
        let plan = plan(data, &reference, now);
        let tx = self.begin_transaction().await.map_err(failed)?;
        let written = tx.write_plan(&plan).await;
        let report = match written {
            Ok(report) => report,
            Err(error) => {
                let _ = tx.rollback_transaction().await;
                return Err(failed(error));
            }
        };
        if dry_run {
            tx.rollback_transaction().await.map_err(failed)?;
        } else {
            tx.commit_transaction().await.map_err(failed)?;
        }
        Ok(report)
    }

    async fn reference(&self) -> vitrina_cards::RepositoryResult<Reference> {
        reading!(self, |conn| {
            let categories: Vec<(i64, String)> = categories::table
                .select((categories::id, categories::i18n_key))
                .load(&mut *conn)
                .await?;
            let cities: Vec<i64> = cities::table.select(cities::id).load(&mut *conn).await?;
            let areas: Vec<(i64, i64)> = areas::table
                .select((areas::id, areas::city_id))
                .load(&mut *conn)
                .await?;
            let subcategories: Vec<(i64, i64)> = subcategories::table
                .select((subcategories::id, subcategories::category_id))
                .load(&mut *conn)
                .await?;
            Ok(Reference {
                categories: categories
                    .into_iter()
                    .filter_map(|(id, key)| Some((key.strip_prefix("category-")?.to_owned(), id)))
                    .collect(),
                cities: cities.into_iter().collect(),
                areas: areas.into_iter().collect(),
                subcategories: subcategories.into_iter().collect(),
            })
        })
    }

    /// Writes `plan` on this `Db`'s transaction; what was written and what was there.
    async fn write_plan(&self, plan: &Plan) -> vitrina_cards::RepositoryResult<ImportReport> {
        let postgres = self.engine() == "postgres";
        with_connection!(self, |conn| {
            let mut report = plan.report.clone();
            for &(user, joined) in &plan.partners {
                diesel::insert_into(users::table)
                    .values((users::id.eq(user), users::created_at.eq(joined)))
                    .on_conflict_do_nothing()
                    .execute(&mut *conn)
                    .await?;
                let added = diesel::insert_into(partners::table)
                    .values((partners::user_id.eq(user), partners::created_at.eq(joined)))
                    .on_conflict_do_nothing()
                    .execute(&mut *conn)
                    .await?;
                if added == 1 {
                    report.partners_imported += 1;
                } else {
                    report.already_there += 1;
                }
            }
            for card in &plan.cards {
                let added = diesel::insert_into(cards::table)
                    .values((
                        cards::id.eq(card.id),
                        cards::owner_id.eq(card.owner),
                        cards::status.eq(card.status.as_str()),
                        cards::city_id.eq(card.city),
                        cards::area_id.eq(card.area),
                        cards::category_id.eq(card.category),
                        cards::subcategory_id.eq(card.subcategory),
                        cards::title.eq(card.title.as_str()),
                        cards::title_search.eq(search_key(&card.title)),
                        cards::search_text
                            .eq(search_text(&card.title, card.description.as_deref())),
                        cards::description.eq(card.description.as_deref()),
                        cards::contact.eq(card.contact.as_str()),
                        cards::address.eq(card.address.as_deref()),
                        cards::map_link.eq(card.map_link.as_deref()),
                        cards::discount.eq(card.discount.as_deref()),
                        cards::featured.eq(card.featured),
                        cards::rejection_reason.eq(card.rejection_reason.as_deref()),
                        cards::created_at.eq(card.created_at),
                        cards::updated_at.eq(card.updated_at),
                    ))
                    .on_conflict_do_nothing()
                    .execute(&mut *conn)
                    .await?;
                if added == 0 {
                    report.already_there += 1;
                    continue;
                }
                report.cards_imported += 1;
                for (position, photo) in (0_i32..).zip(&card.photos) {
                    report.photos_imported += diesel::insert_into(card_photos::table)
                        .values((
                            card_photos::card_id.eq(card.id),
                            card_photos::position.eq(position),
                            card_photos::file_id.eq(photo.as_str()),
                        ))
                        .on_conflict_do_nothing()
                        .execute(&mut *conn)
                        .await?;
                }
            }
            for entry in &plan.log {
                let added = diesel::insert_into(moderation_log::table)
                    .values((
                        moderation_log::id.eq(entry.id),
                        moderation_log::card_id.eq(entry.card),
                        moderation_log::moderator_id.eq(entry.moderator),
                        moderation_log::action.eq(entry.action),
                        moderation_log::reason.eq(entry.reason.as_deref()),
                        moderation_log::at.eq(entry.at),
                    ))
                    .on_conflict_do_nothing()
                    .execute(&mut *conn)
                    .await?;
                if added == 1 {
                    report.log_imported += 1;
                } else {
                    report.already_there += 1;
                }
            }
            if postgres {
                // Explicit ids leave PostgreSQL's identity sequences behind: the next card
                // made in the bot must not take an imported one's id.
                for table in ["cards", "moderation_log"] {
                    diesel::sql_query(format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         GREATEST((SELECT MAX(id) FROM {table}), 1))"
                    ))
                    .execute(&mut *conn)
                    .await?;
                }
            }
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_timestamps_become_milliseconds() {
        assert_eq!(millis(Some("1970-01-01 00:00:00"), 7), 0);
        assert_eq!(millis(Some("2024-02-29 12:34:56"), 7), 1_709_210_096_000);
        assert_eq!(millis(Some("2024-02-29T12:34:56.5Z"), 7), 1_709_210_096_500);
        assert_eq!(millis(Some("yesterday"), 7), 7);
        assert_eq!(millis(None, 7), 7);
    }
}
