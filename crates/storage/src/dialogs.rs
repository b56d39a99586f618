//! [`DialogStore`] on the `dialogs` table: one serialized state per person, with its expiry.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryResult, Timestamp, UserId};
use vitrina_dialog::DialogStore;

use crate::pool::Db;
use crate::schema::dialogs;

impl DialogStore for Db {
    async fn load_dialog(&self, user: UserId, now: Timestamp) -> RepositoryResult<Option<String>> {
        reading!(self, |conn| {
            Ok(dialogs::table
                .filter(dialogs::user_id.eq(user.get()))
                .filter(dialogs::expires_at.gt(now.millis()))
                .select(dialogs::state)
                .get_result(&mut *conn)
                .await
                .optional()?)
        })
    }

    async fn save_dialog(
        &self,
        user: UserId,
        state: &str,
        expires_at: Timestamp,
    ) -> RepositoryResult<()> {
        let (user, state, expires_at) = (user.get(), state.to_owned(), expires_at.millis());
        /// The dialog's row, inserted or replaced: `QueryResult<usize>`.
        macro_rules! upsert_dialog {
            ($conn:ident, $saved:expr) => {
                kept_upsert!(
                    diesel::insert_into(dialogs::table).values((dialogs::user_id.eq(user), $saved)),
                    dialogs::user_id,
                    $saved
                )
                .execute(&mut *$conn)
                .await
            };
        }
        write_behind!(self, |conn| {
            // Deferred, it cannot look at an `UPDATE`'s count first: the upsert alone.
            upsert_dialog!(conn, (dialogs::state.eq(&state), dialogs::expires_at.eq(expires_at)))
        }, now: {
            // Most saves change a dialog that exists: an `UPDATE` finds its row by key, where
            // the upsert would first try an insert. The upsert is for the first save.
            let saved = (dialogs::state.eq(&state), dialogs::expires_at.eq(expires_at));
            let updated = kept_update!(dialogs::table, dialogs::user_id.eq(user), saved)
                .execute(&mut *conn)
                .await?;
            if updated == 0 {
                upsert_dialog!(conn, saved)
            } else {
                Ok(updated)
            }
        })
    }

    #[cfg(all(feature = "users", feature = "moderation"))]
    async fn person_and_dialog(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> RepositoryResult<vitrina_dialog::PersonAndDialog> {
        self.find_person_and_dialog(user, now).await
    }

    async fn clear_dialog(&self, user: UserId) -> RepositoryResult<()> {
        with_connection!(self, |conn| {
            diesel::delete(dialogs::table.filter(dialogs::user_id.eq(user.get())))
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
    }
}

impl Db {
    /// Deletes the dialog states that expired at or before `now` (they already read as
    /// absent) and returns how many.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn sweep_expired_dialogs(&self, now: Timestamp) -> RepositoryResult<u64> {
        let removed = with_connection!(self, |conn| {
            Ok(
                diesel::delete(dialogs::table.filter(dialogs::expires_at.le(now.millis())))
                    .execute(&mut *conn)
                    .await?,
            )
        })?;
        Ok(u64::try_from(removed).unwrap_or_default())
    }
}
