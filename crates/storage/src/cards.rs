//! [`CardRepository`] on the `cards` and `card_photos` tables, and the card queries the
//! moderation side shares.
//!
//! Every status change is a conditional update on the status that was read (`… WHERE status
//! = <expected>`), with the owner in the `WHERE` clause for partner actions: when it changes
//! no row, the card is read again to tell "not found" (absent, deleted, someone else's) from
//! "changed meanwhile".

use diesel::dsl;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{
    CardAction, CardContent, CardId, CardRepository, CardStatus, CardSummary, CatalogFilter,
    CategoryId, CityId, Listing, MAX_PHOTOS, Page, PageRequest, Place, RepositoryError,
    RepositoryResult, SearchQuery, Timestamp, TransitionError, UserId, search_key, search_text,
};

use crate::models::{ContentColumns, SummaryRow, location, summary};
use crate::pool::Db;
use crate::schema::{cards, users};

pub(crate) const PENDING: &str = CardStatus::Pending.as_str();
const DELETED: &str = CardStatus::Deleted.as_str();

/// The stored names of the statuses the catalog shows: `published` and the legacy `approved`.
pub(crate) fn public_statuses() -> Vec<&'static str> {
    CardStatus::ALL
        .into_iter()
        .filter(|status| status.is_public())
        .map(CardStatus::as_str)
        .collect()
}

pub(crate) type Live = dsl::And<dsl::Eq<cards::id, i64>, dsl::NotEq<cards::status, &'static str>>;
type Owned = dsl::And<Live, dsl::Eq<cards::owner_id, i64>>;
type OwnersList = dsl::And<dsl::Eq<cards::owner_id, i64>, dsl::NotEq<cards::status, &'static str>>;

/// The card `id` unless deleted.
pub(crate) fn live(id: CardId) -> Live {
    cards::id.eq(id.get()).and(cards::status.ne(DELETED))
}

/// The card `id` of `owner` unless deleted: ownership is part of every partner query.
fn owned(id: CardId, owner: UserId) -> Owned {
    live(id).and(cards::owner_id.eq(owner.get()))
}

/// Every card of `owner` but the deleted ones.
fn owners_list(owner: UserId) -> OwnersList {
    cards::owner_id
        .eq(owner.get())
        .and(cards::status.ne(DELETED))
}

/// Why a conditional update changed nothing, given the status read again after it.
pub(crate) fn changed_meanwhile(now: Option<CardStatus>) -> RepositoryError {
    match now {
        None => RepositoryError::NotFound,
        Some(current) => RepositoryError::StatusChanged { current },
    }
}

/// `LIKE` pattern matching `needle` anywhere, with `\` escaping the wildcards.
fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Cards whose search text is computed in each round of [`Db::fill_search_text`].
const SEARCH_TEXT_BATCH: i64 = 200;

impl Db {
    /// Computes the search text of every card that has none yet — those written before the
    /// column existed (the migration cannot fold text: the folding is the application's) —
    /// and returns how many it filled. Run at start, after the migrations; a second run finds
    /// nothing to do.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn fill_search_text(&self) -> RepositoryResult<u64> {
        let mut filled = 0_u64;
        loop {
            let rows: Vec<(i64, String, Option<String>)> = reading!(self, |conn| {
                Ok(cards::table
                    .filter(cards::search_text.is_null())
                    .order(cards::id.asc())
                    .limit(SEARCH_TEXT_BATCH)
                    .select((cards::id, cards::title, cards::description))
                    .load(&mut *conn)
                    .await?)
            })?;
            if rows.is_empty() {
                return Ok(filled);
            }
            for (id, title, description) in rows {
                let text = search_text(&title, description.as_deref());
                with_connection!(self, |conn| {
                    Ok(diesel::update(cards::table.filter(cards::id.eq(id)))
                        .set(cards::search_text.eq(Some(text.clone())))
                        .execute(&mut *conn)
                        .await?)
                })?;
                filled += 1;
            }
        }
    }
}
/// The columns of a *Nearby* line: id, title, featured, latitude, longitude.
type PlaceRow = (i64, String, bool, Option<f64>, Option<f64>);

/// The move a partner's action makes from `current`.
///
/// The transition table alone is not enough: it allows `pending → published`, which is a
/// moderator's approval, so *Show* would publish an unmoderated card. A partner shows only an
/// archived card and hides only a public one.
fn partner_move(action: CardAction, current: CardStatus) -> Result<CardStatus, TransitionError> {
    let target = action.apply(current)?;
    let from_allowed = match action {
        CardAction::Show => current == CardStatus::Archived,
        CardAction::Hide => current.is_public(),
        CardAction::Delete => true,
        CardAction::Submit
        | CardAction::Approve
        | CardAction::Reject
        | CardAction::Edit
        | CardAction::TakeDown => false,
    };
    if from_allowed {
        Ok(target)
    } else {
        Err(TransitionError {
            from: current,
            to: target,
        })
    }
}

fn too_many_photos(content: &CardContent) -> Option<RepositoryError> {
    (content.photos.len() > MAX_PHOTOS).then(|| {
        RepositoryError::Invalid(format!(
            "{} photos, at most {MAX_PHOTOS} allowed",
            content.photos.len()
        ))
    })
}

fn offset(page: Page) -> Result<i64, RepositoryError> {
    i64::try_from(page.offset()).map_err(|_| RepositoryError::Invalid("page out of range".into()))
}

fn listing(page: Page, rows: Vec<SummaryRow>) -> RepositoryResult<Listing<CardSummary>> {
    let items = rows.into_iter().map(summary).collect::<Result<_, _>>()?;
    Ok(Listing { page, items })
}

/// Loads the card `$query` (`cards::table` filtered by its key) selects, with its photos in
/// order: `Option<Card>`. `first` before the connection loads the first card of a query that
/// may select several (ordered): the only form with a `LIMIT`, which SQLite compiles again at
/// every run because it is bound (docs/PERFORMANCE.md), so a lookup by key goes without it.
macro_rules! load_card {
    ($conn:ident, $query:expr) => {{
        let row: Option<$crate::models::CardRow> = $query
            .select($crate::models::CardRow::as_select())
            .get_result(&mut *$conn)
            .await
            .optional()?;
        load_card!(@photos $conn, row)
    }};
    (first $conn:ident, $query:expr) => {{
        let row: Option<$crate::models::CardRow> = $query
            .select($crate::models::CardRow::as_select())
            .first(&mut *$conn)
            .await
            .optional()?;
        load_card!(@photos $conn, row)
    }};
    (@photos $conn:ident, $row:expr) => {{
        let row: Option<$crate::models::CardRow> = $row;
        match row {
            None => None,
            Some(row) => {
                let photos: Vec<String> = $crate::schema::card_photos::table
                    .filter($crate::schema::card_photos::card_id.eq(row.id))
                    .order($crate::schema::card_photos::position.asc())
                    .select($crate::schema::card_photos::file_id)
                    .load(&mut *$conn)
                    .await?;
                Some(row.into_card(photos)?)
            }
        }
    }};
}

/// The status of the card `$filter` selects: `Option<CardStatus>`.
macro_rules! status_where {
    ($conn:ident, $id:expr, $filter:expr) => {{
        let stored: Option<String> = $crate::schema::cards::table
            .filter($filter)
            .select($crate::schema::cards::status)
            .get_result(&mut *$conn)
            .await
            .optional()?;
        match stored {
            None => None,
            Some(stored) => Some($crate::models::status_of($id.get(), &stored)?),
        }
    }};
}

/// Replaces the photos of card `$card` (an `i64`) with `$photos`, positions from 0.
macro_rules! replace_photos {
    ($conn:ident, $card:expr, $photos:expr) => {{
        use $crate::schema::card_photos;
        diesel::delete(card_photos::table.filter(card_photos::card_id.eq($card)))
            .execute(&mut *$conn)
            .await?;
        // One row at a time: at most six, and SQLite has no multi-row insert in diesel.
        for (position, photo) in (0_i32..).zip($photos) {
            diesel::insert_into(card_photos::table)
                .values((
                    card_photos::card_id.eq($card),
                    card_photos::position.eq(position),
                    card_photos::file_id.eq(photo.0.as_str()),
                ))
                .execute(&mut *$conn)
                .await?;
        }
    }};
}

impl CardRepository for Db {
    async fn submit_new(
        &self,
        owner: UserId,
        content: &CardContent,
        now: Timestamp,
    ) -> RepositoryResult<CardId> {
        if let Some(error) = too_many_photos(content) {
            return Err(error);
        }
        in_transaction!(self, |conn| {
            // The owner is a user even if nothing asked for the profile yet.
            diesel::insert_into(users::table)
                .values(users::id.eq(owner.get()))
                .on_conflict_do_nothing()
                .execute(&mut *conn)
                .await?;
            let id: i64 = diesel::insert_into(cards::table)
                .values((
                    ContentColumns::of(content),
                    cards::owner_id.eq(owner.get()),
                    cards::status.eq(PENDING),
                    cards::created_at.eq(now.millis()),
                    cards::updated_at.eq(now.millis()),
                ))
                .returning(cards::id)
                .get_result(&mut *conn)
                .await?;
            replace_photos!(conn, id, &content.photos);
            Ok(CardId(id))
        })
    }

    async fn resubmit(
        &self,
        owner: UserId,
        id: CardId,
        content: &CardContent,
        now: Timestamp,
    ) -> RepositoryResult<()> {
        if let Some(error) = too_many_photos(content) {
            return Err(error);
        }
        in_transaction!(self, |conn| {
            let current =
                status_where!(conn, id, owned(id, owner)).ok_or(RepositoryError::NotFound)?;
            // A rejected card is resubmitted; a published or hidden one is edited.
            let target = CardAction::Submit
                .apply(current)
                .or_else(|_| CardAction::Edit.apply(current))
                .map_err(RepositoryError::Refused)?;
            let changed = diesel::update(
                cards::table
                    .filter(owned(id, owner))
                    .filter(cards::status.eq(current.as_str())),
            )
            .set((
                ContentColumns::of(content),
                cards::status.eq(target.as_str()),
                cards::rejection_reason.eq(None::<String>),
                cards::updated_at.eq(now.millis()),
            ))
            .execute(&mut *conn)
            .await?;
            if changed == 0 {
                return Err(changed_meanwhile(status_where!(conn, id, owned(id, owner))).into());
            }
            replace_photos!(conn, id.get(), &content.photos);
            Ok(())
        })
    }

    async fn card(&self, id: CardId) -> RepositoryResult<Option<vitrina_cards::Card>> {
        reading!(self, |conn| Ok(load_card!(
            conn,
            cards::table.filter(live(id))
        )))
    }

    async fn owned_card(&self, owner: UserId, id: CardId) -> RepositoryResult<vitrina_cards::Card> {
        reading!(self, |conn| {
            load_card!(conn, cards::table.filter(owned(id, owner)))
                .ok_or(RepositoryError::NotFound.into())
        })
    }

    async fn apply_partner_action(
        &self,
        owner: UserId,
        id: CardId,
        action: CardAction,
        now: Timestamp,
    ) -> RepositoryResult<CardStatus> {
        if !matches!(
            action,
            CardAction::Hide | CardAction::Show | CardAction::Delete
        ) {
            // Submitting has its own method; approving and rejecting are moderators' moves.
            return Err(RepositoryError::Invalid(format!(
                "{action:?} is not a partner action"
            )));
        }
        in_transaction!(self, |conn| {
            let current =
                status_where!(conn, id, owned(id, owner)).ok_or(RepositoryError::NotFound)?;
            let target = partner_move(action, current).map_err(RepositoryError::Refused)?;
            let changed = diesel::update(
                cards::table
                    .filter(owned(id, owner))
                    .filter(cards::status.eq(current.as_str())),
            )
            .set((
                cards::status.eq(target.as_str()),
                cards::updated_at.eq(now.millis()),
            ))
            .execute(&mut *conn)
            .await?;
            if changed == 0 {
                return Err(changed_meanwhile(status_where!(conn, id, owned(id, owner))).into());
            }
            Ok(target)
        })
    }

    async fn partner_cards(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let (page, rows) = reading!(self, |conn| {
            let total: i64 = cards::table
                .filter(owners_list(owner))
                .count()
                .get_result(&mut *conn)
                .await?;
            let page = Page::clamp(page, u64::try_from(total).unwrap_or_default());
            let rows: Vec<SummaryRow> = cards::table
                .filter(owners_list(owner))
                .order((cards::updated_at.desc(), cards::id.desc()))
                .limit(i64::from(page.limit()))
                .offset(offset(page)?)
                .select((cards::id, cards::title, cards::status, cards::featured))
                .load(&mut *conn)
                .await?;
            Ok((page, rows))
        })?;
        listing(page, rows)
    }

    async fn catalog(
        &self,
        filter: &CatalogFilter,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let public = public_statuses();
        let pattern = filter
            .title_contains
            .as_deref()
            .map(search_key)
            .filter(|key| !key.is_empty())
            .map(|key| contains_pattern(&key));
        let (page, rows) = reading!(self, |conn| {
            let matching = || {
                let mut query = cards::table
                    .filter(cards::status.eq_any(public.clone()))
                    .filter(cards::city_id.eq(filter.city.get()))
                    .filter(cards::category_id.eq(filter.category.get()))
                    .into_boxed();
                if let Some(subcategory) = filter.subcategory {
                    query = query.filter(cards::subcategory_id.eq(subcategory.get()));
                }
                if let Some(pattern) = &pattern {
                    query = query.filter(cards::title_search.like(pattern.clone()).escape('\\'));
                }
                query
            };
            let total: i64 = matching().count().get_result(&mut *conn).await?;
            let page = Page::clamp(page, u64::try_from(total).unwrap_or_default());
            let rows: Vec<SummaryRow> = matching()
                .order((
                    cards::featured.desc(),
                    cards::created_at.desc(),
                    cards::id.desc(),
                ))
                .limit(i64::from(page.limit()))
                .offset(offset(page)?)
                .select((cards::id, cards::title, cards::status, cards::featured))
                .load(&mut *conn)
                .await?;
            Ok((page, rows))
        })?;
        listing(page, rows)
    }

    async fn search(
        &self,
        query: &SearchQuery,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let public = public_statuses();
        let patterns: Vec<String> = query
            .words()
            .iter()
            .map(|word| contains_pattern(word))
            .collect();
        let (page, rows) = reading!(self, |conn| {
            let matching = || {
                let mut query = cards::table
                    .filter(cards::status.eq_any(public.clone()))
                    .into_boxed();
                for pattern in &patterns {
                    query = query.filter(cards::search_text.like(pattern.clone()).escape('\\'));
                }
                query
            };
            let total: i64 = matching().count().get_result(&mut *conn).await?;
            let page = Page::clamp(page, u64::try_from(total).unwrap_or_default());
            let rows: Vec<SummaryRow> = matching()
                .order((
                    cards::featured.desc(),
                    cards::created_at.desc(),
                    cards::id.desc(),
                ))
                .limit(i64::from(page.limit()))
                .offset(offset(page)?)
                .select((cards::id, cards::title, cards::status, cards::featured))
                .load(&mut *conn)
                .await?;
            Ok((page, rows))
        })?;
        listing(page, rows)
    }

    async fn category_counts(&self, city: CityId) -> RepositoryResult<Vec<(CategoryId, u64)>> {
        let public = public_statuses();
        let rows: Vec<(i64, i64)> = reading!(self, |conn| {
            Ok(cards::table
                .filter(cards::status.eq_any(public.clone()))
                .filter(cards::city_id.eq(city.get()))
                .group_by(cards::category_id)
                .select((cards::category_id, dsl::count_star()))
                .order(cards::category_id.asc())
                .load(&mut *conn)
                .await?)
        })?;
        Ok(rows
            .into_iter()
            .map(|(category, count)| {
                (
                    CategoryId(category),
                    u64::try_from(count).unwrap_or_default(),
                )
            })
            .collect())
    }

    async fn published_places(&self) -> RepositoryResult<Vec<Place>> {
        let public = public_statuses();
        // Every published place at once: the list is ordered by distance in the domain
        // (`vitrina_cards::nearest`), which is fine for a city catalog's few hundred places.
        let rows: Vec<PlaceRow> = reading!(self, |conn| {
            Ok(cards::table
                .filter(cards::status.eq_any(public.clone()))
                .filter(cards::latitude.is_not_null())
                .filter(cards::longitude.is_not_null())
                .select((
                    cards::id,
                    cards::title,
                    cards::featured,
                    cards::latitude,
                    cards::longitude,
                ))
                .order(cards::id.asc())
                .load(&mut *conn)
                .await?)
        })?;
        rows.into_iter()
            .filter_map(|(id, title, featured, latitude, longitude)| {
                location(id, latitude, longitude)
                    .map(|found| {
                        found.map(|location| Place {
                            id: CardId(id),
                            title,
                            featured,
                            location,
                        })
                    })
                    .transpose()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use vitrina_cards::{CardAction, CardStatus};

    #[test]
    fn a_partner_shows_only_archived_cards_and_hides_only_public_ones() {
        use CardAction::{Delete, Hide, Show};
        use CardStatus::*;
        // Every (action, from) a partner may make; everything else is refused.
        let allowed = [
            (Show, Archived),
            (Hide, Published),
            (Hide, Approved),
            (Delete, Draft),
            (Delete, Pending),
            (Delete, Published),
            (Delete, Rejected),
            (Delete, Archived),
            (Delete, Approved),
        ];
        let actions = [
            Show,
            Hide,
            Delete,
            CardAction::Submit,
            CardAction::Approve,
            CardAction::Reject,
            CardAction::Edit,
            CardAction::TakeDown,
        ];
        for action in actions {
            for from in CardStatus::ALL {
                let got = super::partner_move(action, from);
                if allowed.contains(&(action, from)) {
                    assert_eq!(got, Ok(action.target()), "{action:?} from {from}");
                } else {
                    assert!(got.is_err(), "{action:?} from {from} must be refused");
                }
            }
        }
    }

    #[test]
    fn like_wildcards_in_the_query_are_taken_literally() {
        let cases = [
            ("кофе", "%кофе%"),
            ("50%", "%50\\%%"),
            ("a_b", "%a\\_b%"),
            ("\\", "%\\\\%"),
        ];
        for (needle, expected) in cases {
            assert_eq!(super::contains_pattern(needle), expected);
        }
    }
}
