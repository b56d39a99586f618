//! De-duplication of Telegram updates by `update_id`: polling is at-least-once and a webhook
//! may be delivered twice, so an update is handled only by whoever marks it first.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryResult, Timestamp};

use crate::pool::Db;
use crate::schema::handled_updates;

impl Db {
    /// Marks update `update_id` as handled at `now`; `true` when this call marked it first,
    /// `false` when it was marked already (a redelivery: skip it). Concurrent calls with the
    /// same id get exactly one `true`.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn mark_update_handled(
        &self,
        update_id: i64,
        now: Timestamp,
    ) -> RepositoryResult<bool> {
        let inserted = with_connection!(self, |conn| {
            Ok(diesel::insert_into(handled_updates::table)
                .values((
                    handled_updates::update_id.eq(update_id),
                    handled_updates::handled_at.eq(now.millis()),
                ))
                .on_conflict_do_nothing()
                .execute(&mut *conn)
                .await?)
        })?;
        Ok(inserted == 1)
    }

    /// Forgets the updates handled before `older_than` and returns how many. Telegram keeps an
    /// unconfirmed update for 24 hours, so a retention of a few days is enough.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn sweep_handled_updates(&self, older_than: Timestamp) -> RepositoryResult<u64> {
        let removed = with_connection!(self, |conn| {
            Ok(diesel::delete(
                handled_updates::table.filter(handled_updates::handled_at.lt(older_than.millis())),
            )
            .execute(&mut *conn)
            .await?)
        })?;
        Ok(u64::try_from(removed).unwrap_or_default())
    }
}
