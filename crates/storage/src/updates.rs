//! De-duplication of Telegram updates by `update_id` ([`UpdateJournal`]): polling is
//! at-least-once and a webhook may be delivered twice, so an update is handled only by
//! whoever claims it first.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryResult, Timestamp};
use vitrina_update_source::{JournalError, UpdateId, UpdateJournal};

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

    /// Forgets the mark of `update_id`, after its handling failed, so that a redelivery is
    /// handled; `true` when there was a mark.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn unmark_update(&self, update_id: i64) -> RepositoryResult<bool> {
        let removed = with_connection!(self, |conn| {
            Ok(diesel::delete(
                handled_updates::table.filter(handled_updates::update_id.eq(update_id)),
            )
            .execute(&mut *conn)
            .await?)
        })?;
        Ok(removed == 1)
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

/// The journal has one error: every failure means "do not confirm this update yet".
fn unavailable(error: vitrina_cards::RepositoryError) -> JournalError {
    JournalError::Unavailable(error.to_string())
}

impl UpdateJournal for Db {
    async fn claim(&self, update: UpdateId, now_millis: i64) -> Result<bool, JournalError> {
        self.mark_update_handled(i64::from(update.get()), Timestamp(now_millis))
            .await
            .map_err(unavailable)
    }

    async fn release(&self, update: UpdateId) -> Result<(), JournalError> {
        self.unmark_update(i64::from(update.get()))
            .await
            .map(drop)
            .map_err(unavailable)
    }

    async fn sweep(&self, before_millis: i64) -> Result<u64, JournalError> {
        self.sweep_handled_updates(Timestamp(before_millis))
            .await
            .map_err(unavailable)
    }
}
