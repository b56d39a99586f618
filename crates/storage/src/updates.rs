//! The journal of handled Telegram updates and the outbox of their answers
//! ([`UpdateJournal`], [`Outbox`]).
//!
//! An update is handled on a [`Db`] bound to a transaction: its id is inserted first (a
//! redelivery finds it and stops; on PostgreSQL a concurrent insert of the same id waits for
//! the first transaction to end), the dialog works on the same transaction, and the commit
//! queues the answers with everything else. Nothing is ever half-recorded: a crash before the
//! commit leaves no trace, so there are no stale claims to take over.

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use vitrina_cards::{RepositoryError, RepositoryResult, Timestamp};
use vitrina_update_source::{
    JournalError, Opened, Outbox, Outgoing, Queued, QueuedId, UpdateId, UpdateJournal,
};

use crate::pool::Db;
use crate::schema::{handled_updates, outbox};

impl Db {
    /// Records update `update_id` as handled at `now` in the transaction of this `Db`;
    /// `false` when it had been recorded before.
    ///
    /// The transaction's first statement: on any failure [`UpdateJournal::open`] rolls it
    /// back, so it needs no savepoint.
    async fn record_update(&self, update_id: i64, now: Timestamp) -> RepositoryResult<bool> {
        let inserted = without_savepoint!(self, |conn| {
            // Kept by its type, not found by its SQL text built anew at every update.
            Ok(kept_prepared!(
                diesel::insert_into(handled_updates::table)
                    .values((
                        handled_updates::update_id.eq(update_id),
                        handled_updates::handled_at.eq(now.millis()),
                    ))
                    .on_conflict_do_nothing()
            )
            .execute(&mut *conn)
            .await?)
        })?;
        Ok(inserted == 1)
    }

    /// Queues `messages` of update `update_id`, locked until `locked_until`, and returns
    /// their ids in order.
    ///
    /// The transaction's last statements: on any failure [`UpdateJournal::commit`] rolls it
    /// back, so they need no savepoint.
    async fn enqueue(
        &self,
        update_id: i64,
        messages: &[Outgoing],
        locked_until: Timestamp,
    ) -> RepositoryResult<Vec<QueuedId>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = without_savepoint!(self, |conn| {
            let mut ids = Vec::with_capacity(messages.len());
            // One statement each: SQLite has no multi-row INSERT … RETURNING in diesel.
            for message in messages {
                ids.push(
                    diesel::insert_into(outbox::table)
                        .values((
                            outbox::update_id.eq(update_id),
                            outbox::chat_id.eq(message.chat),
                            outbox::payload.eq(message.payload.as_str()),
                            outbox::locked_until.eq(locked_until.millis()),
                        ))
                        .returning(outbox::id)
                        .get_result(&mut *conn)
                        .await?,
                );
            }
            Ok(ids)
        })?;
        Ok(ids.into_iter().map(QueuedId).collect())
    }

    /// Forgets the updates handled before `older_than` and returns how many. Telegram keeps
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

    /// How many queued messages no instance is sending: their lock lapsed before `now`, so
    /// the instance that queued them stopped; a running courier takes them within seconds.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn unsent_messages(&self, now: Timestamp) -> RepositoryResult<u64> {
        let count: i64 = reading!(self, |conn| {
            Ok(outbox::table
                .filter(outbox::locked_until.lt(now.millis()))
                .count()
                .get_result(&mut *conn)
                .await?)
        })?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// How many messages are queued, sent or not: for `bot check` and tests.
    ///
    /// # Errors
    /// `Unavailable`.
    pub async fn queued_messages(&self) -> RepositoryResult<u64> {
        let count: i64 = reading!(self, |conn| {
            Ok(outbox::table.count().get_result(&mut *conn).await?)
        })?;
        Ok(u64::try_from(count).unwrap_or_default())
    }
}

/// What the `BEGIN` of a handling reads ahead of the dialog, in a build with the ports that
/// read it.
#[cfg(all(feature = "postgres", person_ahead))]
type Ahead = crate::users::PersonAhead;
#[cfg(all(feature = "postgres", not(person_ahead)))]
type Ahead = ();

/// The journal has one error: every failure means "do not confirm this update yet".
fn unavailable(error: RepositoryError) -> JournalError {
    JournalError::Unavailable(error.with_causes())
}

impl Db {
    /// Opens the handling of `update`: a transaction, guarded or not, whose first statement
    /// records the update's id. On PostgreSQL the `BEGIN` goes out with that statement and
    /// with the read of the `sender`'s profile and dialog, which the dialog asks for first:
    /// one round trip for the three.
    #[cfg_attr(not(person_ahead), allow(unused_variables))]
    async fn open_handling(
        &self,
        update: UpdateId,
        sender: Option<i64>,
        now_millis: i64,
        guarded: bool,
    ) -> Result<Opened<Db>, JournalError> {
        let id = i64::from(update.get());
        #[cfg(feature = "postgres")]
        if let Some(begun) = self
            .begin_postgres_with(guarded, |conn| {
                Box::pin(async move {
                    let mut for_record = conn;
                    let record = kept_prepared!(
                        diesel::insert_into(handled_updates::table)
                            .values((
                                handled_updates::update_id.eq(id),
                                handled_updates::handled_at.eq(now_millis),
                            ))
                            .on_conflict_do_nothing()
                    )
                    .execute(&mut for_record);
                    #[cfg(person_ahead)]
                    if let Some(sender) = sender {
                        let (recorded, person) = tokio::join!(
                            biased;
                            record,
                            crate::users::read_person_ahead(conn, sender, now_millis),
                        );
                        return Ok((recorded?, Some(person?)));
                    }
                    Ok((record.await?, None::<Ahead>))
                })
            })
            .await
        {
            let (handling, opened) = begun.map_err(|failure| unavailable(failure.into()))?;
            let recorded = opened
                .map(|(inserted, person)| {
                    #[cfg(person_ahead)]
                    if let (Some(person), Some(riding)) = (person, handling.postgres_riding()) {
                        riding.keep_person(person);
                    }
                    #[cfg(not(person_ahead))]
                    let _ = person;
                    inserted == 1
                })
                .map_err(RepositoryError::from);
            return handling.opened(recorded).await;
        }
        let handling = self.begin(guarded).await.map_err(unavailable)?;
        let recorded = handling.record_update(id, Timestamp(now_millis)).await;
        handling.opened(recorded).await
    }

    /// [`Opened::New`] with this `Db`'s fresh transaction once the update is `recorded` in
    /// it; else the transaction rolled back: the update was handled before, or could not be
    /// recorded.
    async fn opened(self, recorded: RepositoryResult<bool>) -> Result<Opened<Db>, JournalError> {
        match recorded {
            Ok(true) => Ok(Opened::New(self)),
            // Handled before, unless what recorded it is not kept after all: on SQLite the
            // record may be another handling's in the transaction they share, which the
            // rollback waits for.
            Ok(false) => match self.rollback_transaction().await {
                Ok(()) => Ok(Opened::Handled),
                Err(error) => Err(unavailable(error)),
            },
            Err(error) => {
                let _ = self.rollback_transaction().await;
                Err(unavailable(error))
            }
        }
    }
}

impl UpdateJournal for Db {
    type Handling = Db;

    fn commits_are_shared(&self) -> bool {
        self.engine() == "sqlite"
    }

    async fn open(
        &self,
        update: UpdateId,
        sender: Option<i64>,
        now_millis: i64,
    ) -> Result<Opened<Db>, JournalError> {
        self.open_handling(update, sender, now_millis, false).await
    }

    async fn open_guarded(
        &self,
        update: UpdateId,
        sender: Option<i64>,
        now_millis: i64,
    ) -> Result<Opened<Db>, JournalError> {
        self.open_handling(update, sender, now_millis, true).await
    }

    fn spoiled(&self, handling: &Db) -> bool {
        handling.is_spoiled()
    }

    async fn commit(
        &self,
        handling: Db,
        update: UpdateId,
        outgoing: &[Outgoing],
        locked_until_millis: i64,
    ) -> Result<Vec<QueuedId>, JournalError> {
        // On PostgreSQL the strikes waiting and the answers go in one statement, sent with
        // the `COMMIT`; with nothing to write, the `COMMIT` goes alone.
        #[cfg(feature = "postgres")]
        if let Some(riding) = handling.postgres_riding()
            && (!outgoing.is_empty() || riding.has_strikes() || riding.has_deferred())
        {
            let chats: Vec<Option<i64>> = outgoing.iter().map(|message| message.chat).collect();
            let payloads: Vec<&str> = outgoing
                .iter()
                .map(|message| message.payload.as_str())
                .collect();
            let update_id = i64::from(update.get());
            let committed = handling
                .commit_postgres_with(&(chats, payloads), |conn, (chats, payloads), strikes| {
                    Box::pin(async move {
                        let mut conn = conn;
                        let finish = postgres::Finish {
                            strikes: &strikes,
                            update_id,
                            locked_until: locked_until_millis,
                            chats,
                            payloads,
                        };
                        finish.load::<i64>(&mut conn).await
                    })
                })
                .await
                .unwrap_or_else(|| Err(crate::pool::no_open_transaction()));
            let mut ids = committed.map_err(|error| {
                // A write that waited for the commit was refused: as a failed call would
                // have, it spoiled the handling.
                if handling.is_spoiled() {
                    JournalError::Spoiled(error.with_causes())
                } else {
                    unavailable(error)
                }
            })?;
            // In the order of `outgoing`: the ids were drawn in that order.
            ids.sort_unstable();
            return Ok(ids.into_iter().map(QueuedId).collect());
        }
        let queued = match handling
            .enqueue(
                i64::from(update.get()),
                outgoing,
                Timestamp(locked_until_millis),
            )
            .await
        {
            Ok(queued) => queued,
            Err(error) => {
                let _ = handling.rollback_transaction().await;
                return Err(unavailable(error));
            }
        };
        handling.commit_transaction().await.map_err(unavailable)?;
        Ok(queued)
    }

    async fn abandon(&self, handling: Db) {
        if let Err(error) = handling.rollback_transaction().await {
            tracing::warn!(%error, "could not roll back an unfinished update; its connection is closed");
        }
    }

    async fn sweep(&self, before_millis: i64) -> Result<u64, JournalError> {
        self.sweep_handled_updates(Timestamp(before_millis))
            .await
            .map_err(unavailable)
    }
}

impl Outbox for Db {
    async fn sent(&self, ids: &[QueuedId]) -> Result<(), JournalError> {
        if ids.is_empty() {
            return Ok(());
        }
        #[cfg(feature = "postgres")]
        {
            // Inside an update's transaction the strikes wait for its last statement, which
            // carries them without a round trip of their own.
            if let Some(riding) = self.postgres_riding() {
                riding.strike(ids.iter().map(|id| id.0));
                return Ok(());
            }
            // Else one statement for them all: `= ANY` of one array, kept prepared whatever
            // its length.
            if self.engine() == "postgres" {
                let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
                if let Some(struck) = on_postgres!(self, |conn| {
                    postgres::Strike { ids: &ids }.execute(&mut *conn).await?;
                    Ok(())
                }) {
                    return struck.map_err(unavailable);
                }
            }
        }
        // SQLite: one keyed delete each, kept prepared, in one transaction: one commit for
        // them all, where an `IN` list of varying length would be compiled anew at every call.
        let result = match ids {
            // Inside an update's transaction, which strikes the answers sent meanwhile, no
            // transaction of its own is needed, nor a savepoint: a delete by key fails only
            // with its connection, which ends the transaction anyway. Outside one, even one
            // delete goes in a transaction, which shares the commit of the handlings writing
            // meanwhile.
            _ if self.is_held() => {
                without_savepoint!(self, |conn| {
                    for id in ids {
                        diesel::delete(outbox::table.find(id.0))
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            }
            _ => in_transaction!(self, |conn| {
                for id in ids {
                    diesel::delete(outbox::table.find(id.0))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }),
        };
        result.map_err(unavailable)
    }

    async fn renew(&self, ids: &[QueuedId], until_millis: i64) -> Result<(), JournalError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        with_connection!(self, |conn| {
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set(outbox::locked_until.eq(until_millis))
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
        .map_err(unavailable)
    }

    async fn take_unsent(
        &self,
        now_millis: i64,
        until_millis: i64,
        limit: u32,
    ) -> Result<Vec<Queued>, JournalError> {
        let mut rows: Vec<(i64, Option<i64>, String)> = with_connection!(self, |conn| {
            let oldest: Vec<i64> = outbox::table
                .filter(outbox::locked_until.lt(now_millis))
                .order(outbox::id)
                .limit(i64::from(limit))
                .select(outbox::id)
                .load(&mut *conn)
                .await?;
            if oldest.is_empty() {
                return Ok(Vec::new());
            }
            // The lock is tested again here: a concurrent taker that read the same ids gets
            // only those still unlocked (on PostgreSQL it waits for the first to commit and
            // re-evaluates the condition), so no message is taken twice.
            Ok(diesel::update(
                outbox::table
                    .filter(outbox::locked_until.lt(now_millis))
                    .filter(outbox::id.eq_any(&oldest)),
            )
            .set(outbox::locked_until.eq(until_millis))
            .returning((outbox::id, outbox::chat_id, outbox::payload))
            .get_results(&mut *conn)
            .await?)
        })
        .map_err(unavailable)?;
        rows.sort_unstable_by_key(|(id, _, _)| *id);
        Ok(rows
            .into_iter()
            .map(|(id, chat, payload)| Queued {
                id: QueuedId(id),
                message: Outgoing { chat, payload },
            })
            .collect())
    }

    async fn reachable(&self) -> Result<(), JournalError> {
        // A write that matches nothing: on SQLite a read would pass while another holds the
        // write lock, which is what keeps the outbox from being changed.
        with_connection!(self, |conn| {
            diesel::update(outbox::table.filter(outbox::id.lt(0)))
                .set(outbox::locked_until.eq(0))
                .execute(&mut *conn)
                .await?;
            Ok(())
        })
        .map_err(unavailable)
    }

    async fn unlock_all(&self) -> Result<u64, JournalError> {
        let unlocked = with_connection!(self, |conn| {
            Ok(
                diesel::update(outbox::table.filter(outbox::locked_until.gt(0)))
                    .set(outbox::locked_until.eq(0))
                    .execute(&mut *conn)
                    .await?,
            )
        })
        .map_err(unavailable)?;
        Ok(u64::try_from(unlocked).unwrap_or_default())
    }
}

/// Strikes `strikes` from the outbox on `conn`: the last statement of a PostgreSQL transaction
/// that ends with strikes waiting and no statement of its own to carry them
/// ([`Db::commit_postgres_with`]).
#[cfg(feature = "postgres")]
pub(crate) fn strike_postgres<'c>(
    conn: &'c diesel_async::AsyncPgConnection,
    _: &'c (),
    strikes: Vec<i64>,
) -> std::pin::Pin<Box<dyn Future<Output = diesel::QueryResult<()>> + Send + 'c>> {
    Box::pin(async move {
        // Only writes deferred to the `COMMIT` (`Riding::defer`) rode on it.
        if strikes.is_empty() {
            return Ok(());
        }
        let mut conn = conn;
        postgres::Strike { ids: &strikes }
            .execute(&mut conn)
            .await
            .map(drop)
    })
}

/// The outbox's statements of PostgreSQL alone: each takes its lists as arrays, so one
/// prepared statement serves every length.
#[cfg(feature = "postgres")]
mod postgres {
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
    use diesel::sql_types::{Array, BigInt, Nullable, Text};

    /// An update's last statement on PostgreSQL: strikes the answers of other updates sent
    /// meanwhile and queues this one's, returning their ids, in one round trip whatever their
    /// numbers. The ids come from the sequence in the order of the lists (`ORDER BY` the
    /// position), so sorted they are in that order.
    pub(super) struct Finish<'a> {
        pub(super) strikes: &'a [i64],
        pub(super) update_id: i64,
        pub(super) locked_until: i64,
        pub(super) chats: &'a [Option<i64>],
        pub(super) payloads: &'a [&'a str],
    }

    /// The name [`Finish`] is kept prepared by.
    pub(super) struct FinishStatement;

    impl QueryId for Finish<'_> {
        type QueryId = FinishStatement;
        const HAS_STATIC_QUERY_ID: bool = true;
    }

    impl Query for Finish<'_> {
        type SqlType = BigInt;
    }

    impl QueryFragment<Pg> for Finish<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
            out.push_sql("WITH struck AS (DELETE FROM outbox WHERE id = ANY(");
            out.push_bind_param::<Array<BigInt>, _>(self.strikes)?;
            out.push_sql(
                ")) INSERT INTO outbox (update_id, chat_id, payload, locked_until) SELECT ",
            );
            out.push_bind_param::<BigInt, _>(&self.update_id)?;
            out.push_sql(", queued.chat_id, queued.payload, ");
            out.push_bind_param::<BigInt, _>(&self.locked_until)?;
            out.push_sql(" FROM unnest(");
            out.push_bind_param::<Array<Nullable<BigInt>>, _>(self.chats)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(self.payloads)?;
            out.push_sql(
                ") WITH ORDINALITY AS queued (chat_id, payload, position) \
                 ORDER BY queued.position RETURNING id",
            );
            Ok(())
        }
    }

    impl diesel::query_dsl::RunQueryDslSupport for Finish<'_> {}

    /// Strikes sent answers from the outbox: `DELETE … WHERE id = ANY($1)`.
    pub(super) struct Strike<'a> {
        pub(super) ids: &'a [i64],
    }

    /// The name [`Strike`] is kept prepared by.
    pub(super) struct StrikeStatement;

    impl QueryId for Strike<'_> {
        type QueryId = StrikeStatement;
        const HAS_STATIC_QUERY_ID: bool = true;
    }

    impl QueryFragment<Pg> for Strike<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> diesel::QueryResult<()> {
            out.push_sql("DELETE FROM outbox WHERE id = ANY(");
            out.push_bind_param::<Array<BigInt>, _>(self.ids)?;
            out.push_sql(")");
            Ok(())
        }
    }

    impl diesel::query_dsl::RunQueryDslSupport for Strike<'_> {}
}
