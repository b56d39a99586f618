//! [`CardRepository`] on the `cards` and `card_photos` tables, and the card queries the
//! moderation side shares.
//!
//! Every status change is a conditional update on the status that was read (`… WHERE status
//! = <expected>`), with the owner in the `WHERE` clause for partner actions: when it changes
//! no row, the card is read again to tell "not found" (absent, deleted, someone else's) from
//! "changed meanwhile".

use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
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

const PUBLISHED: &str = CardStatus::Published.as_str();
const APPROVED: &str = CardStatus::Approved.as_str();

/// A bound value written as `CAST(? AS <its type>)`. In a statement with `ORDER BY` or
/// `GROUP BY`, SQLite's planner compares the bound values of the `WHERE` clause with the terms
/// it orders or groups by, which marks the statement to be compiled again whenever a value is
/// bound — at every run (docs/PERFORMANCE.md). Behind the cast it sees an expression instead of
/// a value and the prepared statement is kept; the cast is still a constant, so an index serves
/// the comparison as before. PostgreSQL reads it as the plain value.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId, diesel::expression::ValidGrouping)]
pub(crate) struct Opaque<E>(E);

/// `value` bound behind a cast ([`Opaque`]), for the lists the catalog and the cabinet page.
pub(crate) fn opaque<T, ST>(value: T) -> Opaque<diesel::dsl::AsExprOf<T, ST>>
where
    T: diesel::expression::AsExpression<ST>,
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
{
    Opaque(value.as_expression())
}

impl<E: diesel::expression::Expression> diesel::expression::Expression for Opaque<E> {
    type SqlType = E::SqlType;
}

impl<E: diesel::expression::AppearsOnTable<QS>, QS> diesel::expression::AppearsOnTable<QS>
    for Opaque<E>
where
    Opaque<E>: diesel::expression::Expression,
{
}

impl<E: diesel::expression::SelectableExpression<QS>, QS>
    diesel::expression::SelectableExpression<QS> for Opaque<E>
where
    Opaque<E>: diesel::expression::AppearsOnTable<QS>,
{
}

impl<E, DB> diesel::query_builder::QueryFragment<DB> for Opaque<E>
where
    DB: diesel::backend::Backend,
    E: diesel::query_builder::QueryFragment<DB> + diesel::expression::Expression,
    E::SqlType: diesel::expression::KnownCastSqlTypeName<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" AS ");
        out.push_sql(<E::SqlType as diesel::expression::KnownCastSqlTypeName<DB>>::SQL_TYPE_NAME);
        out.push_sql(")");
        Ok(())
    }
}

type Status = Opaque<dsl::AsExprOf<&'static str, Text>>;
type Public = dsl::Or<dsl::Eq<cards::status, Status>, dsl::Eq<cards::status, Status>>;

/// The cards the catalog shows: `published` and the legacy `approved`. Two comparisons
/// rather than `IN (…)` of a list: diesel binds a list one value at a time and so never keeps
/// such a statement prepared on SQLite, where this one runs for most updates.
pub(crate) fn public() -> Public {
    cards::status
        .eq(opaque::<_, Text>(PUBLISHED))
        .or(cards::status.eq(opaque::<_, Text>(APPROVED)))
}

/// How many pages of a list keep their statement prepared ([`Paged`]); the pages beyond are
/// compiled at each run, so that the statement cache of a connection stays bounded.
const PREPARED_PAGES: u64 = 16;

/// `$query LIMIT n OFFSET m` with the numbers written into the SQL instead of bound. SQLite's
/// planner reads a bound `LIMIT`, so it compiles such a statement again at every run
/// (docs/PERFORMANCE.md); written in, the statement of each page stays prepared (by its SQL
/// text) for the first [`PREPARED_PAGES`] pages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paged<Q> {
    query: Q,
    limit: u64,
    offset: u64,
}

impl<Q> Paged<Q> {
    pub(crate) fn new(query: Q, page: Page) -> Paged<Q> {
        Paged {
            query,
            limit: u64::from(page.limit()),
            offset: page.offset(),
        }
    }
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for Paged<Q> {
    type SqlType = Q::SqlType;
}

// Runs like any query (`load`, `get_result`).
impl<Q> diesel::query_dsl::RunQueryDslSupport for Paged<Q> {}

impl<Q> diesel::query_builder::QueryId for Paged<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, DB> diesel::query_builder::QueryFragment<DB> for Paged<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        if self.offset >= self.limit.saturating_mul(PREPARED_PAGES) {
            out.unsafe_to_cache_prepared();
        }
        self.query.walk_ast(out.reborrow())?;
        // Numbers from integers: nothing else can reach the SQL text.
        out.push_sql(&format!(" LIMIT {} OFFSET {}", self.limit, self.offset));
        Ok(())
    }
}

pub(crate) type Live = dsl::And<dsl::Eq<cards::id, i64>, dsl::NotEq<cards::status, &'static str>>;
type Owned = dsl::And<Live, dsl::Eq<cards::owner_id, i64>>;
type OwnersList = dsl::And<
    dsl::Eq<cards::owner_id, Opaque<dsl::AsExprOf<i64, BigInt>>>,
    dsl::NotEq<cards::status, Status>,
>;

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
        .eq(opaque::<_, BigInt>(owner.get()))
        .and(cards::status.ne(opaque::<_, Text>(DELETED)))
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

fn listing(page: Page, rows: Vec<SummaryRow>) -> RepositoryResult<Listing<CardSummary>> {
    let items = rows.into_iter().map(summary).collect::<Result<_, _>>()?;
    Ok(Listing { page, items })
}

/// The page `$requested` of the cards `$matching()` selects (a closure, called once or three
/// times) in the order `$order`, with the length of the whole list: `(Page, Vec<SummaryRow>)`.
///
/// Each row of the page carries the count of the list (`COUNT(*) OVER ()`), so a page in range
/// is one statement instead of a count and then the rows, a round trip fewer on PostgreSQL. A
/// page past the end (an outdated button) finds no row, and so no count: the list is then
/// counted and its last page read, where [`Page::clamp`] lands such a button.
macro_rules! counted_page {
    ($conn:ident, $requested:expr, $matching:expr, $order:expr) => {{
        let requested: PageRequest = $requested;
        let matching = $matching;
        // The page asked for, as though the list had no end: its rows say how long it is.
        let hoped = Page::clamp(requested, u64::MAX);
        let rows: Vec<(SummaryRow, i64)> = Paged::new(
            matching().order($order).select((
                (cards::id, cards::title, cards::status, cards::featured),
                dsl::count(cards::id).over(),
            )),
            hoped,
        )
        .load(&mut *$conn)
        .await?;
        if let Some((_, total)) = rows.first() {
            let page = Page::clamp(requested, u64::try_from(*total).unwrap_or_default());
            (page, rows.into_iter().map(|(row, _)| row).collect())
        } else {
            let total: i64 = matching().count().get_result(&mut *$conn).await?;
            let page = Page::clamp(requested, u64::try_from(total).unwrap_or_default());
            let rows: Vec<SummaryRow> = if total == 0 || page.number == hoped.number {
                Vec::new()
            } else {
                Paged::new(
                    matching().order($order).select((
                        cards::id,
                        cards::title,
                        cards::status,
                        cards::featured,
                    )),
                    page,
                )
                .load(&mut *$conn)
                .await?
            };
            (page, rows)
        }
    }};
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
                // The card's id behind a cast: with the `ORDER BY`, a plain bound id would
                // have the statement compiled again at every run ([`Opaque`]).
                let photos: Vec<String> = $crate::schema::card_photos::table
                    .filter(
                        $crate::schema::card_photos::card_id
                            .eq($crate::cards::opaque::<_, diesel::sql_types::BigInt>(row.id)),
                    )
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
            let changed = kept_update!(
                cards::table,
                owned(id, owner).and(cards::status.eq(current.as_str())),
                (
                    cards::status.eq(target.as_str()),
                    cards::updated_at.eq(now.millis()),
                )
            )
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
            Ok(counted_page!(
                conn,
                page,
                || cards::table.filter(owners_list(owner)),
                (cards::updated_at.desc(), cards::id.desc())
            ))
        })?;
        listing(page, rows)
    }

    async fn catalog(
        &self,
        filter: &CatalogFilter,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let pattern = filter
            .title_contains
            .as_deref()
            .map(search_key)
            .filter(|key| !key.is_empty())
            .map(|key| contains_pattern(&key));
        let (page, rows) = reading!(self, |conn| {
            let matching = || {
                let mut query = cards::table
                    .filter(public())
                    .filter(cards::city_id.eq(opaque::<_, BigInt>(filter.city.get())))
                    .filter(cards::category_id.eq(opaque::<_, BigInt>(filter.category.get())))
                    .into_boxed();
                if let Some(subcategory) = filter.subcategory {
                    query = query.filter(
                        cards::subcategory_id.eq(opaque::<_, Nullable<BigInt>>(subcategory.get())),
                    );
                }
                if let Some(pattern) = &pattern {
                    query = query.filter(cards::title_search.like(pattern.clone()).escape('\\'));
                }
                query
            };
            Ok(counted_page!(
                conn,
                page,
                matching,
                (
                    cards::featured.desc(),
                    cards::created_at.desc(),
                    cards::id.desc(),
                )
            ))
        })?;
        listing(page, rows)
    }

    async fn search(
        &self,
        query: &SearchQuery,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let patterns: Vec<String> = query
            .words()
            .iter()
            .map(|word| contains_pattern(word))
            .collect();
        let (page, rows) = reading!(self, |conn| {
            let matching = || {
                let mut query = cards::table.filter(public()).into_boxed();
                for pattern in &patterns {
                    query = query.filter(cards::search_text.like(pattern.clone()).escape('\\'));
                }
                query
            };
            Ok(counted_page!(
                conn,
                page,
                matching,
                (
                    cards::featured.desc(),
                    cards::created_at.desc(),
                    cards::id.desc(),
                )
            ))
        })?;
        listing(page, rows)
    }

    async fn category_counts(&self, city: CityId) -> RepositoryResult<Vec<(CategoryId, u64)>> {
        let rows: Vec<(i64, i64)> = reading!(self, |conn| {
            Ok(cards::table
                .filter(public())
                .filter(cards::city_id.eq(opaque::<_, BigInt>(city.get())))
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
        // Every published place at once: the list is ordered by distance in the domain
        // (`vitrina_cards::nearest`), which is fine for a city catalog's few hundred places.
        let rows: Vec<PlaceRow> = reading!(self, |conn| {
            Ok(cards::table
                .filter(public())
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
    fn the_catalog_filter_names_exactly_the_public_statuses() {
        let mut public: Vec<&str> = CardStatus::ALL
            .into_iter()
            .filter(|status| status.is_public())
            .map(CardStatus::as_str)
            .collect();
        public.sort_unstable();
        let mut filtered = [super::PUBLISHED, super::APPROVED];
        filtered.sort_unstable();
        assert_eq!(public, filtered);
    }

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
