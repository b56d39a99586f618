//! [`UserRepository`] on the `users` and `partners` tables.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{CityId, RepositoryResult, UserId};
use vitrina_dialog::{Forgotten, UserProfile, UserRepository};

use crate::models::UserRow;
use crate::pool::Db;
use crate::schema::{admins, card_photos, cards, dialogs, moderation_log, partners, users};

/// The moderator of the log entries of an admin who had their data deleted: the id the log
/// also gives an operator's command (`vitrina_moderation::AdminDecision::OPERATOR`).
const NOBODY: i64 = 0;

/// Sets one column of a user's row, creating the row first if needed; `$value` is owned, as
/// the write may wait for the next statement ([`write_behind!`]).
macro_rules! upsert_user {
    ($db:expr, $id:expr, $column:expr, $value:expr) => {{
        let (id, value) = ($id.get(), $value);
        write_behind!($db, |conn| {
            kept_upsert!(
                diesel::insert_into(users::table).values((users::id.eq(id), $column.eq(&value))),
                users::id,
                $column.eq(&value)
            )
            .execute(&mut *conn)
            .await
        })
    }};
}

/// Creates the row of `$id`, unless it exists: `QueryResult<usize>`.
macro_rules! create_user {
    ($conn:ident, $id:expr) => {
        diesel::insert_into(users::table)
            .values(users::id.eq($id))
            .on_conflict_do_nothing()
            .execute(&mut *$conn)
            .await
    };
}

/// The profile of `$id` with its partner flag, if the row exists: `Option<(UserRow, bool)>`.
///
/// The flag is an `EXISTS` subquery, not a `LEFT JOIN`: SQLite's planner reads the bound id
/// of such a join, so it compiled the statement again at every run (docs/PERFORMANCE.md).
macro_rules! find_user {
    ($conn:ident, $id:expr) => {{
        let found: Option<(UserRow, bool)> = users::table
            .filter(users::id.eq($id))
            .select((
                UserRow::as_select(),
                diesel::dsl::exists(partners::table.filter(partners::user_id.eq(users::id))),
            ))
            .get_result(&mut *$conn)
            .await
            .optional()?;
        found
    }};
}

/// The profile of `$id` with its partner flag, its stored admin flag and its dialog state
/// unexpired at `$now`, in one query (subqueries, as in `find_user!`), if the row exists:
/// `Option<(UserRow, bool, bool, Option<String>)>`.
#[cfg(all(feature = "dialog-store", feature = "moderation"))]
macro_rules! find_person {
    ($conn:ident, $id:expr, $now:expr) => {{
        let found: Option<(UserRow, bool, bool, Option<String>)> = users::table
            .filter(users::id.eq($id))
            .select((
                UserRow::as_select(),
                diesel::dsl::exists(partners::table.filter(partners::user_id.eq(users::id))),
                diesel::dsl::exists(admins::table.filter(admins::user_id.eq(users::id))),
                dialogs::table
                    .filter(dialogs::user_id.eq(users::id))
                    .filter(dialogs::expires_at.gt($now))
                    .select(dialogs::state)
                    .single_value(),
            ))
            .get_result(&mut *$conn)
            .await
            .optional()?;
        found
    }};
}

/// What [`find_person!`] finds of a person: their row, partner and admin flags and dialog.
#[cfg(person_ahead)]
type PersonFound = (UserRow, bool, bool, Option<String>);

/// A person read with the `BEGIN` of their update's handling on PostgreSQL, for the dialog's
/// first call ([`Db::find_person_and_dialog`]), which then makes no round trip of its own.
#[cfg(person_ahead)]
pub(crate) struct PersonAhead {
    user: i64,
    now: i64,
    found: Option<PersonFound>,
}

/// Reads `user`'s person at `now` on `conn`, as [`Db::find_person_and_dialog`] does first.
#[cfg(person_ahead)]
pub(crate) async fn read_person_ahead(
    conn: &diesel_async::AsyncPgConnection,
    user: i64,
    now: i64,
) -> QueryResult<PersonAhead> {
    let mut conn = conn;
    let conn = &mut conn;
    Ok(PersonAhead {
        user,
        now,
        found: find_person!(conn, user, now),
    })
}

impl Db {
    /// [`DialogStore::person_and_dialog`](vitrina_dialog::DialogStore::person_and_dialog):
    /// the person's row, partner and admin flags and dialog state in one query, and a second
    /// one only on first sight, after the row is created.
    #[cfg(all(feature = "dialog-store", feature = "moderation"))]
    pub(crate) async fn find_person_and_dialog(
        &self,
        id: UserId,
        now: vitrina_cards::Timestamp,
    ) -> RepositoryResult<vitrina_dialog::PersonAndDialog> {
        // Read with the `BEGIN` already, when this is an update's handling on PostgreSQL.
        #[cfg(person_ahead)]
        let ahead = self
            .postgres_riding()
            .and_then(crate::pool::Riding::take_person)
            .filter(|ahead| ahead.user == id.get() && ahead.now == now.millis());
        #[cfg(not(person_ahead))]
        let ahead: Option<()> = None;
        let (row, partner, stored_admin, state) = match ahead {
            #[cfg(person_ahead)]
            Some(PersonAhead {
                found: Some(found), ..
            }) => found,
            _ => {
                // Read first, as `user` does: on SQLite even an INSERT that does nothing
                // takes the write lock. Not again when the read ahead found no one.
                let found = match ahead {
                    None => reading!(self, |conn| Ok(find_person!(conn, id.get(), now.millis())))?,
                    Some(_) => None,
                };
                match found {
                    Some(found) => found,
                    None => {
                        // On first sight the row is created, then read: in one round trip
                        // inside an update's handling on PostgreSQL, where the insert waits
                        // for the read.
                        let user = id.get();
                        write_behind!(self, |conn| create_user!(conn, user))?;
                        reading!(self, |conn| {
                            find_person!(conn, user, now.millis())
                                .ok_or(diesel::result::Error::NotFound.into())
                        })?
                    }
                }
            }
        };
        Ok(vitrina_dialog::PersonAndDialog {
            profile: row.into_profile(partner)?,
            state,
            stored_admin,
        })
    }
}

impl UserRepository for Db {
    async fn user(&self, id: UserId) -> RepositoryResult<UserProfile> {
        let (row, partner) = with_connection!(self, |conn| {
            // Read first: on SQLite even an INSERT that does nothing takes the write lock, and
            // this runs for every update.
            if let Some(found) = find_user!(conn, id.get()) {
                return Ok(found);
            }
            create_user!(conn, id.get())?;
            find_user!(conn, id.get()).ok_or(diesel::result::Error::NotFound.into())
        })?;
        row.into_profile(partner)
    }

    async fn known_user(&self, id: UserId) -> RepositoryResult<Option<UserProfile>> {
        let found = reading!(self, |conn| Ok(find_user!(conn, id.get())))?;
        found
            .map(|(row, partner)| row.into_profile(partner))
            .transpose()
    }

    async fn set_locale(&self, id: UserId, locale: &str) -> RepositoryResult<()> {
        upsert_user!(self, id, users::locale, Some(locale.to_owned()))
    }

    async fn set_city(&self, id: UserId, city: CityId) -> RepositoryResult<()> {
        upsert_user!(self, id, users::city_id, Some(city.get()))
    }

    async fn accept_policy(&self, id: UserId, version: u32) -> RepositoryResult<()> {
        upsert_user!(self, id, users::accepted_policy, Some(i64::from(version)))
    }

    async fn set_blocked_bot(&self, id: UserId, blocked: bool) -> RepositoryResult<()> {
        upsert_user!(self, id, users::blocked_bot, blocked)
    }

    async fn set_banned(&self, id: UserId, banned: bool) -> RepositoryResult<()> {
        upsert_user!(self, id, users::banned, banned)
    }

    async fn set_name(
        &self,
        id: UserId,
        first_name: &str,
        username: Option<&str>,
    ) -> RepositoryResult<()> {
        let (id, first_name, username) = (
            id.get(),
            Some(first_name.to_owned()),
            username.map(str::to_owned),
        );
        write_behind!(self, |conn| {
            kept_upsert!(
                diesel::insert_into(users::table).values((
                    users::id.eq(id),
                    users::first_name.eq(&first_name),
                    users::username.eq(&username),
                )),
                users::id,
                (
                    users::first_name.eq(&first_name),
                    users::username.eq(&username),
                )
            )
            .execute(&mut *conn)
            .await
        })
    }

    async fn become_partner(&self, id: UserId) -> RepositoryResult<bool> {
        in_transaction!(self, |conn| {
            create_user!(conn, id.get())?;
            let created = diesel::insert_into(partners::table)
                .values(partners::user_id.eq(id.get()))
                .on_conflict_do_nothing()
                .execute(&mut *conn)
                .await?;
            Ok(created == 1)
        })
    }

    async fn forget(&self, id: UserId) -> RepositoryResult<Forgotten> {
        let person = id.get();
        in_transaction!(self, |conn| {
            let owned: Vec<i64> = cards::table
                .filter(cards::owner_id.eq(person))
                .select(cards::id)
                .load(&mut *conn)
                .await?;
            // The log keeps its entries: those about the removed cards lose the card and a
            // reason written in a moderator's own words (it may quote the card); a standard
            // reason's code stays. The person's own decisions as an admin name nobody.
            diesel::update(
                moderation_log::table
                    .filter(moderation_log::card_id.eq_any(owned.clone()))
                    .filter(moderation_log::reason.not_like("std:%")),
            )
            .set(moderation_log::reason.eq(None::<String>))
            .execute(&mut *conn)
            .await?;
            diesel::update(
                moderation_log::table.filter(moderation_log::card_id.eq_any(owned.clone())),
            )
            .set(moderation_log::card_id.eq(None::<i64>))
            .execute(&mut *conn)
            .await?;
            diesel::update(moderation_log::table.filter(moderation_log::moderator_id.eq(person)))
                .set(moderation_log::moderator_id.eq(NOBODY))
                .execute(&mut *conn)
                .await?;
            // Photos go first: ON DELETE CASCADE needs SQLite's foreign_keys on, this does not.
            diesel::delete(card_photos::table.filter(card_photos::card_id.eq_any(owned.clone())))
                .execute(&mut *conn)
                .await?;
            let removed = diesel::delete(cards::table.filter(cards::owner_id.eq(person)))
                .execute(&mut *conn)
                .await?;
            diesel::delete(partners::table.filter(partners::user_id.eq(person)))
                .execute(&mut *conn)
                .await?;
            diesel::delete(dialogs::table.filter(dialogs::user_id.eq(person)))
                .execute(&mut *conn)
                .await?;
            diesel::delete(admins::table.filter(admins::user_id.eq(person)))
                .execute(&mut *conn)
                .await?;
            let profile = diesel::delete(users::table.filter(users::id.eq(person)))
                .execute(&mut *conn)
                .await?;
            Ok(Forgotten {
                profile: profile == 1,
                cards: u64::try_from(removed).unwrap_or_default(),
            })
        })
    }
}
