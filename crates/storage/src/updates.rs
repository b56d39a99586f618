//! De-duplication of Telegram updates by `update_id` ([`UpdateJournal`]): polling is
//! at-least-once and a webhook may be delivered twice, so an update is handled only by
//! whoever claims it; a claim never completed (its instance died) goes stale and can be taken
//! over, so a crash delays an update instead of losing it.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryResult, Timestamp};
use vitrina_update_source::{Claim, JournalError, UpdateId, UpdateJournal};

use crate::pool::Db;
use crate::schema::handled_updates;

impl Db {
    /// Claims update `update_id` at `now`, taking over an unfinished claim made before
    /// `stale_before`. Concurrent claims of one id get exactly one [`Claim::Taken`].
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn claim_update(
        &self,
        update_id: i64,
        now: Timestamp,
        stale_before: Timestamp,
    ) -> RepositoryResult<Claim> {
        with_connection!(self, |conn| {
            let inserted = diesel::insert_into(handled_updates::table)
                .values((
                    handled_updates::update_id.eq(update_id),
                    handled_updates::handled_at.eq(now.millis()),
                    handled_updates::done.eq(false),
                ))
                .on_conflict_do_nothing()
                .execute(&mut *conn)
                .await?;
            if inserted == 1 {
                return Ok(Claim::Taken);
            }
            // The row is there: take it over only if its claim is stale — one conditional
            // update, so two instances cannot both take over.
            let taken_over = diesel::update(
                handled_updates::table
                    .filter(handled_updates::update_id.eq(update_id))
                    .filter(handled_updates::done.eq(false))
                    .filter(handled_updates::handled_at.lt(stale_before.millis())),
            )
            .set(handled_updates::handled_at.eq(now.millis()))
            .execute(&mut *conn)
            .await?;
            if taken_over == 1 {
                return Ok(Claim::Taken);
            }
            let done: Option<bool> = handled_updates::table
                .filter(handled_updates::update_id.eq(update_id))
                .select(handled_updates::done)
                .first(&mut *conn)
                .await
                .optional()?;
            Ok(match done {
                Some(true) => Claim::Handled,
                Some(false) => Claim::InProgress,
                // Swept between the statements: nobody holds it.
                None => Claim::InProgress,
            })
        })
    }

    /// Marks update `update_id` as handled to the end.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn complete_update(&self, update_id: i64) -> RepositoryResult<()> {
        with_connection!(self, |conn| {
            diesel::update(handled_updates::table.filter(handled_updates::update_id.eq(update_id)))
                .set(handled_updates::done.eq(true))
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
    }

    /// Gives back the unfinished claim of `update_id`; `true` when there was one.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn release_update(&self, update_id: i64) -> RepositoryResult<bool> {
        let removed = with_connection!(self, |conn| {
            Ok(diesel::delete(
                handled_updates::table
                    .filter(handled_updates::update_id.eq(update_id))
                    .filter(handled_updates::done.eq(false)),
            )
            .execute(&mut *conn)
            .await?)
        })?;
        Ok(removed == 1)
    }

    /// Gives back every unfinished claim and returns how many.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn release_unfinished_updates(&self) -> RepositoryResult<u64> {
        let removed = with_connection!(self, |conn| {
            Ok(
                diesel::delete(handled_updates::table.filter(handled_updates::done.eq(false)))
                    .execute(&mut *conn)
                    .await?,
            )
        })?;
        Ok(u64::try_from(removed).unwrap_or_default())
    }

    /// Forgets the updates claimed before `older_than` and returns how many. Telegram keeps
    /// an unconfirmed update for 24 hours, so a retention of a few days is enough.
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
    async fn claim(
        &self,
        update: UpdateId,
        now_millis: i64,
        stale_before_millis: i64,
    ) -> Result<Claim, JournalError> {
        self.claim_update(
            i64::from(update.get()),
            Timestamp(now_millis),
            Timestamp(stale_before_millis),
        )
        .await
        .map_err(unavailable)
    }

    async fn complete(&self, update: UpdateId) -> Result<(), JournalError> {
        self.complete_update(i64::from(update.get()))
            .await
            .map_err(unavailable)
    }

    async fn release(&self, update: UpdateId) -> Result<(), JournalError> {
        self.release_update(i64::from(update.get()))
            .await
            .map(drop)
            .map_err(unavailable)
    }

    async fn release_unfinished(&self) -> Result<u64, JournalError> {
        self.release_unfinished_updates().await.map_err(unavailable)
    }

    async fn sweep(&self, before_millis: i64) -> Result<u64, JournalError> {
        self.sweep_handled_updates(Timestamp(before_millis))
            .await
            .map_err(unavailable)
    }
}
