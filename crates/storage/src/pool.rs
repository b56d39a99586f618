//! The engine enum and the macros that expand one query body for each engine.
//!
//! [`Db`] holds either a PostgreSQL pool or a SQLite pool. A repository method is written
//! once, inside [`with_connection!`] or [`in_transaction!`]; the macro expands that body in
//! both arms of the match, where `conn` has each engine's concrete connection type, so diesel
//! checks the same query against both backends at compile time.

use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use diesel::result::ConnectionError;
use diesel_async::AsyncConnection;
#[cfg(feature = "postgres")]
use diesel_async::AsyncPgConnection;
use diesel_async::SimpleAsyncConnection;
#[cfg(feature = "postgres")]
use diesel_async::TransactionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};
use vitrina_cards::{RepositoryError, RepositoryResult};

use crate::error::{Failure, NoConnection, StorageError};
#[cfg(feature = "sqlite")]
use crate::sqlite_writer::{Place, SqliteWriter, Turn, Writing};

/// Runs `$body` with `$conn` bound to a connection of whichever engine the [`Db`] uses: a
/// pooled one, or, for a [`Db`] bound to a transaction ([`Db::begin_transaction`]), that
/// transaction's. On PostgreSQL the body then runs in a savepoint, because a failed statement
/// aborts the whole transaction there; SQLite undoes only the failed statement by itself. In
/// an unguarded transaction ([`Db::begin`]) it runs without one, and a failure
/// [spoils](Db::is_spoiled) the transaction instead.
/// The body is an expression of type `Result<T, Failure>` that may `.await` and `?`; the
/// macro evaluates to `RepositoryResult<T>`.
macro_rules! with_connection {
    ($db:expr, |$conn:ident| $body:expr) => {
        on_connection!($db, true, |$conn| $body)
    };
}

/// [`with_connection!`] for a body that only reads: no savepoint (two round trips to
/// PostgreSQL fewer), since a read fails only when the connection does, which ends the
/// transaction anyway.
#[allow(
    unused_macros,
    reason = "which ports use it depends on the features built"
)]
macro_rules! reading {
    ($db:expr, |$conn:ident| $body:expr) => {
        on_connection!($db, false, |$conn| $body)
    };
}

/// [`with_connection!`] for a body inside a transaction whose every failure ends it: the
/// caller rolls the transaction back on any error (the first write of an update's handling,
/// and the last). No savepoint, two round trips to PostgreSQL fewer: a failed statement
/// aborts the transaction there, which the rollback ends anyway.
#[allow(
    unused_macros,
    reason = "which ports use it depends on the features built"
)]
macro_rules! without_savepoint {
    ($db:expr, |$conn:ident| $body:expr) => {
        on_connection!($db, false, |$conn| $body)
    };
}

/// What [`with_connection!`], [`reading!`] and [`without_savepoint!`] expand to;
/// `$savepoint`: whether a body inside a PostgreSQL transaction runs in a savepoint.
macro_rules! on_connection {
    ($db:expr, $savepoint:expr, |$conn:ident| $body:expr) => {{
        let db: &$crate::pool::Db = &$db;
        let result: ::std::result::Result<_, $crate::error::Failure> = match db.pools() {
            #[cfg(feature = "postgres")]
            $crate::pool::Pools::Postgres(pool) => {
                on_postgres_pool!(db, pool, $savepoint, |$conn| $body)
            }
            #[cfg(feature = "sqlite")]
            $crate::pool::Pools::Sqlite(pool) => {
                async {
                    let _turn = db.sqlite_turn().await?;
                    let mut lease = $crate::pool::lease(|| pool.get(), db.held_sqlite()).await?;
                    let $conn: &mut $crate::pool::SqliteConn = &mut lease;
                    $body
                }
                .await
            }
        };
        result.map_err(::vitrina_cards::RepositoryError::from)
    }};
}

/// The PostgreSQL arm of [`on_connection!`] and [`on_postgres!`]: `$body` on a connection of
/// `$pool`, or of the transaction `$db` is bound to, in a savepoint when `$savepoint` and the
/// transaction is guarded; evaluates to `Result<T, Failure>`.
#[cfg(feature = "postgres")]
macro_rules! on_postgres_pool {
    ($db:ident, $pool:ident, $savepoint:expr, |$conn:ident| $body:expr) => {
        async {
            let care = $db.postgres_care();
            if let Some(care) = care {
                care.check()?;
            }
            let mut lease = $crate::pool::lease(|| $pool.get(), $db.held_postgres()).await?;
            // On a shared connection, whose statements may share a round trip with others.
            let body = async |$conn: &mut &::diesel_async::AsyncPgConnection| $body;
            match care {
                Some(care) if $savepoint && care.guarded => {
                    ::diesel_async::AsyncConnection::transaction(
                        &mut *lease,
                        async |conn: &mut ::diesel_async::AsyncPgConnection| {
                            let mut shared: &::diesel_async::AsyncPgConnection = conn;
                            body(&mut shared).await
                        },
                    )
                    .await
                }
                Some(care) => {
                    let conn: &::diesel_async::AsyncPgConnection = &*lease;
                    let mut shared = conn;
                    let deferred = $db
                        .postgres_riding()
                        .map(|riding| riding.take_deferred(conn))
                        .unwrap_or_default();
                    care.watch($crate::pool::after_deferred(deferred, body(&mut shared)).await)
                }
                None => {
                    let mut shared: &::diesel_async::AsyncPgConnection = &*lease;
                    body(&mut shared).await
                }
            }
        }
        .await
    };
}

/// A write whose outcome its caller does not read (a choice of the person's, the dialog's
/// state): deferred to the next statement of an update's handling on PostgreSQL
/// ([`Db::deferring_postgres`]), which it then rides with in one round trip; run now
/// otherwise, as [`with_connection!`] runs it. `$deferred` (and `$now`, when given, for the
/// write made now) is an expression of type `QueryResult<usize>` that may `.await`, on
/// `$conn: &mut` a connection; the values it uses are moved into the deferred write.
#[allow(
    unused_macros,
    reason = "which ports use it depends on the features built"
)]
macro_rules! write_behind {
    ($db:expr, |$conn:ident| $write:expr) => {
        write_behind!($db, |$conn| $write, now: $write)
    };
    ($db:expr, |$conn:ident| $deferred:expr, now: $now:expr) => {{
        let db: &$crate::pool::Db = &$db;
        #[cfg(feature = "postgres")]
        let deferring = db.deferring_postgres();
        #[cfg(not(feature = "postgres"))]
        let deferring: Option<::std::convert::Infallible> = None;
        match deferring {
            #[cfg(feature = "postgres")]
            Some(riding) => {
                riding.defer(move |conn| {
                    Box::pin(async move {
                        let mut held = conn;
                        let $conn = &mut held;
                        $deferred.map(drop)
                    })
                });
                Ok(())
            }
            _ => with_connection!(db, |$conn| {
                $now?;
                Ok(())
            }),
        }
    }};
}

/// [`without_savepoint!`] for a body of PostgreSQL alone: `Some` of its result on
/// PostgreSQL, `None` on SQLite.
#[cfg(feature = "postgres")]
#[allow(
    unused_macros,
    reason = "which ports use it depends on the features built"
)]
macro_rules! on_postgres {
    ($db:expr, |$conn:ident| $body:expr) => {{
        let db: &$crate::pool::Db = &$db;
        #[allow(
            irrefutable_let_patterns,
            reason = "refutable once SQLite is built too"
        )]
        if let $crate::pool::Pools::Postgres(pool) = db.pools() {
            let result: ::std::result::Result<_, $crate::error::Failure> =
                on_postgres_pool!(db, pool, false, |$conn| $body);
            Some(result.map_err(::vitrina_cards::RepositoryError::from))
        } else {
            None
        }
    }};
}

/// Like [`with_connection!`], inside one transaction that commits when the body returns `Ok`
/// and rolls back otherwise (a savepoint, on a [`Db`] bound to a transaction; in an unguarded
/// PostgreSQL one, any failure of the body spoils the transaction instead).
///
/// SQLite opens it with `BEGIN IMMEDIATE` in the process's writer turn: the write lock is
/// taken before the first read, so two writers never both read and then fail to upgrade
/// their locks with "database is locked". PostgreSQL uses READ COMMITTED, where the
/// conditional updates (`… WHERE status = <expected>`) decide races.
#[allow(
    unused_macros,
    reason = "which ports use it depends on the features built"
)]
macro_rules! in_transaction {
    ($db:expr, |$conn:ident| $body:expr) => {{
        let db: &$crate::pool::Db = &$db;
        let result: ::std::result::Result<_, $crate::error::Failure> = match db.pools() {
            #[cfg(feature = "postgres")]
            $crate::pool::Pools::Postgres(pool) => {
                async {
                    let care = db.postgres_care();
                    if let Some(care) = care {
                        care.check()?;
                    }
                    let mut lease = $crate::pool::lease(|| pool.get(), db.held_postgres()).await?;
                    if let (Some(care), Some(riding)) = (care, db.postgres_riding()) {
                        care.watch(
                            riding
                                .flush(&*lease)
                                .await
                                .map_err($crate::error::Failure::from),
                        )?;
                    }
                    let body = async |$conn: &mut ::diesel_async::AsyncPgConnection| $body;
                    match care {
                        // The body may have written before it decided to fail, which nothing
                        // but a savepoint could undo: any failure spoils the transaction.
                        Some(care) if !care.guarded => care.watch_all(body(&mut *lease).await),
                        _ => {
                            ::diesel_async::AsyncConnection::transaction::<
                                _,
                                $crate::error::Failure,
                                _,
                            >(&mut *lease, body)
                            .await
                        }
                    }
                }
                .await
            }
            #[cfg(feature = "sqlite")]
            $crate::pool::Pools::Sqlite(pool) => async {
                if let Some(slot) = db.held_sqlite() {
                    let mut lease = $crate::pool::lease(|| pool.get(), Some(slot)).await?;
                    ::diesel_async::AsyncConnection::transaction::<_, $crate::error::Failure, _>(
                        &mut *lease,
                        async |$conn: &mut $crate::pool::SqliteConn| $body,
                    )
                    .await
                } else {
                    // A transaction of its own, which may share its commit with a group.
                    let mut writing = db.begin_sqlite_write(pool).await?;
                    let outcome: ::std::result::Result<_, $crate::error::Failure> = async {
                        let $conn: &mut $crate::pool::SqliteConn = writing.connection();
                        $body
                    }
                    .await;
                    db.end_sqlite_write(writing, outcome).await
                }
            }
            .await,
        };
        result.map_err(::vitrina_cards::RepositoryError::from)
    }};
}

/// SQLite behind diesel-async: diesel's connection, its calls run on the calling thread
/// ([`CallingThreadSqlite`](crate::calling_thread::CallingThreadSqlite) says why).
#[cfg(feature = "sqlite")]
pub(crate) type SqliteConn = crate::calling_thread::CallingThreadSqlite;

/// How long a call waits for a pooled connection before it answers `Unavailable`, so that a
/// dead server turns into "retry later" instead of a hang.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The log size, in pages, at which a committing writer copies SQLite's write-ahead log into
/// the database file itself: a bound for when [`Db::keep_wal_short`] is not running or falls
/// behind. SQLite's default, 1,000 pages, would put that copy and its `fsync` into an
/// update's commit every few hundred updates, where every other chat waits for it.
#[cfg(feature = "sqlite")]
const SQLITE_WAL_AUTOCHECKPOINT_PAGES: u32 = 20_000;

/// How often [`Db::keep_wal_short`] copies the write-ahead log into the database file.
#[cfg(feature = "sqlite")]
const SQLITE_CHECKPOINT_PERIOD: Duration = Duration::from_millis(250);

/// How long SQLite waits for another writer's lock before it gives up with "database is
/// locked".
#[cfg(feature = "sqlite")]
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// The pool of one engine.
#[derive(Clone)]
pub(crate) enum Pools {
    #[cfg(feature = "postgres")]
    Postgres(Pool<AsyncPgConnection>),
    #[cfg(feature = "sqlite")]
    Sqlite(Pool<SqliteConn>),
}

/// Vitrina's database: SQLite (a file) or PostgreSQL, chosen by the URL, behind a connection
/// pool. Cheap to clone; every clone shares the pool.
///
/// It implements every repository port of the domain crates:
/// [`CardRepository`](vitrina_cards::CardRepository),
/// [`UserRepository`](vitrina_dialog::UserRepository),
/// [`ModerationRepository`](vitrina_moderation::ModerationRepository),
/// [`AdminRepository`](vitrina_moderation::AdminRepository),
/// [`DialogStore`](vitrina_dialog::DialogStore), and the
/// [`UpdateJournal`](vitrina_update_source::UpdateJournal) and
/// [`Outbox`](vitrina_update_source::Outbox) of the delivery.
///
/// A `Db` returned by [`Db::begin_transaction`] is bound to one open transaction instead: every call on
/// it (and on its clones) runs there, until [`Db::commit_transaction`] or [`Db::rollback_transaction`].
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    held: Option<Arc<Held>>,
    /// SQLite's one writer at a time ([`SqliteWriter`]): held by a transaction from begin to
    /// end, and by each call outside one.
    #[cfg(feature = "sqlite")]
    sqlite_writer: Arc<SqliteWriter>,
}

/// A pooled connection, as deadpool hands it out.
type Pooled<C> = Object<C>;

/// The connection of an open transaction, shared by the clones of the [`Db`] bound to it;
/// `None` once the transaction ended.
// One per transaction, behind an `Arc`: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Held {
    #[cfg(feature = "postgres")]
    Postgres(Mutex<Option<Pooled<AsyncPgConnection>>>, Care, Riding),
    /// The connection, the writer's turn, and where the transaction is (its own, or a
    /// group's: [`SqliteWriter`]).
    #[cfg(feature = "sqlite")]
    Sqlite(
        Mutex<Option<Pooled<SqliteConn>>>,
        std::sync::Mutex<Option<Turn>>,
        Place,
    ),
}

impl Drop for Held {
    // A transaction dropped without commit or rollback (its task panicked or was cancelled)
    // must not go back to the pool still open, where an idle SQLite connection would keep
    // the write lock: the connection is detached and closed, which rolls it back.
    fn drop(&mut self) {
        match self {
            #[cfg(feature = "postgres")]
            Held::Postgres(slot, ..) => {
                if let Some(object) = slot.get_mut().take() {
                    drop(Object::take(object));
                }
            }
            // The connection is closed before the writer's turn passes on; the changes of
            // the group it carried are gone with it.
            #[cfg(feature = "sqlite")]
            Held::Sqlite(slot, turn, _) => {
                if let Some(object) = slot.get_mut().take() {
                    let group = turn.get_mut().ok().and_then(Option::as_deref_mut);
                    crate::sqlite_writer::lose(object, group, "its transaction was dropped");
                }
            }
        }
    }
}

/// How the calls of a PostgreSQL transaction are kept apart, and whether one failed.
///
/// PostgreSQL aborts a transaction at its first failed statement and refuses every later
/// one. A guarded transaction runs each writing call in a savepoint, which a failure rolls
/// back alone, at two round trips a call. An unguarded one runs them straight: a failure
/// spoils it, the later calls fail at once without a round trip, and the commit refuses. The
/// update journal opens unguarded transactions and, for the rare update whose handling was
/// spoiled, a guarded one after.
#[cfg(feature = "postgres")]
pub(crate) struct Care {
    pub(crate) guarded: bool,
    spoiled: std::sync::atomic::AtomicBool,
}

#[cfg(feature = "postgres")]
impl Care {
    fn new(guarded: bool) -> Care {
        Care {
            guarded,
            spoiled: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub(crate) fn is_spoiled(&self) -> bool {
        self.spoiled.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Refuses a call in a spoiled transaction, which the server would refuse too.
    pub(crate) fn check(&self) -> Result<(), Failure> {
        if self.is_spoiled() {
            return Err(RepositoryError::Unavailable(
                "an earlier call failed and aborted the transaction".into(),
            )
            .into());
        }
        Ok(())
    }

    /// Passes on the result of a call that must succeed or change nothing, noting any
    /// failure: the call may have written before it failed.
    #[cfg_attr(
        not(any_port),
        allow(dead_code, reason = "the ports' transactions use it")
    )]
    pub(crate) fn watch_all<T>(&self, result: Result<T, Failure>) -> Result<T, Failure> {
        if let Err(failure) = &result {
            self.spoil(failure);
        }
        result
    }

    fn spoil(&self, failure: &Failure) {
        // Not a warning: the update is handled again, guarded, where a lasting failure shows.
        tracing::info!(
            ?failure,
            "a call failed inside an unguarded transaction, which is spoiled"
        );
        self.spoiled
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// Passes on a call's result, noting a failure that may have aborted the transaction:
    /// any the server reported. A row not found or not decoded is the client's finding, and a
    /// domain answer was decided after statements that succeeded; neither aborts it.
    pub(crate) fn watch<T>(&self, result: Result<T, Failure>) -> Result<T, Failure> {
        if let Err(failure @ Failure::Query(error)) = &result
            && !matches!(
                error,
                diesel::result::Error::NotFound | diesel::result::Error::DeserializationError(_)
            )
        {
            self.spoil(failure);
        }
        result
    }
}

/// What rides on another round trip of a PostgreSQL transaction instead of making one of its
/// own: the answers struck during an update's handling wait for its last statement (the
/// insert of its own answers), the person read with its `BEGIN` waits for the dialog to
/// ask for them, and the writes whose outcome the dialog does not read (a choice of the
/// person's, the dialog's state) wait for the next statement, sent in the same round trip.
#[cfg(feature = "postgres")]
#[derive(Default)]
pub(crate) struct Riding {
    strikes: std::sync::Mutex<Vec<i64>>,
    #[cfg(person_ahead)]
    person: std::sync::Mutex<Option<crate::users::PersonAhead>>,
    deferred: std::sync::Mutex<Vec<DeferredWrite>>,
}

/// A statement of an update's handling on PostgreSQL that waits for the next one
/// ([`Riding::defer`]), ready to be sent on the connection.
#[cfg(feature = "postgres")]
pub(crate) type DeferredWrite =
    Box<dyn for<'c> FnOnce(&'c AsyncPgConnection) -> SentWrite<'c> + Send>;

/// A [`DeferredWrite`] on its way: its answer, once the server gives it.
#[cfg(feature = "postgres")]
pub(crate) type SentWrite<'c> =
    std::pin::Pin<Box<dyn Future<Output = diesel::QueryResult<()>> + Send + 'c>>;

/// Runs `call` on a connection behind the `deferred` writes of its transaction, its first
/// statement sent in their round trip ([`in_order`] says why in their order). A failed write
/// aborted the transaction, so the call failed too, for that reason alone: the write's
/// failure is the answer.
#[cfg(feature = "postgres")]
pub(crate) async fn after_deferred<T>(
    deferred: Vec<SentWrite<'_>>,
    call: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    if deferred.is_empty() {
        return call.await;
    }
    let (written, outcome) =
        tokio::task::unconstrained(async { tokio::join!(biased; in_order(deferred), call) }).await;
    written.map_err(Failure::from)?;
    outcome
}

/// Runs `writes` on one connection, sent in their order in one round trip: each is polled
/// first in its turn, and diesel-async sends a statement once it holds the connection's
/// statement cache, which its holders take first come first served ([`Db::commit_postgres_with`]
/// says why nothing can overtake). The first failure, in their order, is the answer; a
/// failure aborts the transaction, so the later ones fail too.
#[cfg(feature = "postgres")]
pub(crate) async fn in_order(mut writes: Vec<SentWrite<'_>>) -> diesel::QueryResult<()> {
    let mut answers: Vec<Option<diesel::QueryResult<()>>> = writes.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut waiting = false;
        for (write, answer) in writes.iter_mut().zip(answers.iter_mut()) {
            if answer.is_none() {
                match write.as_mut().poll(context) {
                    std::task::Poll::Ready(result) => *answer = Some(result),
                    std::task::Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    answers.into_iter().flatten().collect()
}

#[cfg(feature = "postgres")]
#[cfg_attr(
    not(feature = "journal"),
    allow(dead_code, reason = "the update journal's handlings use it")
)]
impl Riding {
    /// Strikes `ids` from the outbox with the transaction's last statement.
    pub(crate) fn strike(&self, ids: impl IntoIterator<Item = i64>) {
        self.strikes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(ids);
    }

    /// Whether ids wait to be struck.
    pub(crate) fn has_strikes(&self) -> bool {
        !self
            .strikes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_empty()
    }

    /// The ids waiting to be struck; none wait after this.
    pub(crate) fn take_strikes(&self) -> Vec<i64> {
        std::mem::take(
            &mut *self
                .strikes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// Defers `write` to the transaction's next statement: the next call's, or the last
    /// one's, sent with the `COMMIT` ([`Db::deferring_postgres`] says when).
    pub(crate) fn defer<F>(&self, write: F)
    where
        F: for<'c> FnOnce(&'c AsyncPgConnection) -> SentWrite<'c> + Send + 'static,
    {
        self.deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Box::new(write));
    }

    /// Whether writes wait for the next statement.
    pub(crate) fn has_deferred(&self) -> bool {
        !self
            .deferred
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_empty()
    }

    /// The writes waiting, sent on `conn`; none wait after this.
    pub(crate) fn take_deferred<'c>(&self, conn: &'c AsyncPgConnection) -> Vec<SentWrite<'c>> {
        std::mem::take(
            &mut *self
                .deferred
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_iter()
        .map(|write| write(conn))
        .collect()
    }

    /// Sends the writes waiting, before a call's own statements: in one round trip, which
    /// the call's first statement then waits behind.
    pub(crate) async fn flush(&self, conn: &AsyncPgConnection) -> diesel::QueryResult<()> {
        let writes = self.take_deferred(conn);
        if writes.is_empty() {
            return Ok(());
        }
        tokio::task::unconstrained(in_order(writes)).await
    }

    /// Keeps what was read of a person with the `BEGIN`, for the dialog's first call.
    #[cfg(person_ahead)]
    pub(crate) fn keep_person(&self, person: crate::users::PersonAhead) {
        *self
            .person
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(person);
    }

    /// What was read ahead of the person, taken: each is used once.
    #[cfg(person_ahead)]
    pub(crate) fn take_person(&self) -> Option<crate::users::PersonAhead> {
        self.person
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

/// A pooled PostgreSQL connection that is closed rather than given back to the pool when
/// dropped, unless taken out first: for one whose transaction state is changing.
#[cfg(feature = "postgres")]
#[cfg_attr(
    not(feature = "journal"),
    allow(dead_code, reason = "the update journal's handlings use it")
)]
struct ClosedUnlessKept(Option<Pooled<AsyncPgConnection>>);

#[cfg(feature = "postgres")]
#[cfg_attr(
    not(feature = "journal"),
    allow(dead_code, reason = "the update journal's handlings use it")
)]
impl ClosedUnlessKept {
    /// The connection, there until [`ClosedUnlessKept::keep`] takes it.
    fn connection(&mut self) -> &mut AsyncPgConnection {
        self.0.as_deref_mut().expect("held until kept")
    }

    /// The connection, no longer closed when this is dropped.
    fn keep(mut self) -> Pooled<AsyncPgConnection> {
        self.0.take().expect("held until kept")
    }
}

#[cfg(feature = "postgres")]
impl Drop for ClosedUnlessKept {
    fn drop(&mut self) {
        if let Some(object) = self.0.take() {
            drop(Object::take(object));
        }
    }
}

/// A connection lent to one call: from the pool, or the held connection of a transaction.
pub(crate) enum Lease<'a, O> {
    Pooled(O),
    Held(MappedMutexGuard<'a, O>),
}

impl<O> Lease<'_, O> {
    /// Whether this is a transaction's connection.
    #[allow(dead_code, reason = "which ports use it depends on the features built")]
    pub(crate) fn is_held(&self) -> bool {
        matches!(self, Lease::Held(_))
    }
}

impl<O: DerefMut> Deref for Lease<'_, O> {
    type Target = O::Target;
    fn deref(&self) -> &O::Target {
        match self {
            Lease::Pooled(object) => object,
            Lease::Held(guard) => guard,
        }
    }
}

impl<O: DerefMut> DerefMut for Lease<'_, O> {
    fn deref_mut(&mut self) -> &mut O::Target {
        match self {
            Lease::Pooled(object) => object,
            Lease::Held(guard) => guard,
        }
    }
}

/// The held connection when there is one, else one from the pool (`get`).
pub(crate) async fn lease<'a, O, E, F>(
    get: impl FnOnce() -> F,
    held: Option<&'a Mutex<Option<O>>>,
) -> Result<Lease<'a, O>, Failure>
where
    F: Future<Output = Result<O, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    match held {
        None => Ok(Lease::Pooled(acquire(get()).await?)),
        Some(slot) => MutexGuard::try_map(slot.lock().await, Option::as_mut)
            .map(Lease::Held)
            .map_err(|_| {
                RepositoryError::Unavailable("the transaction has already ended".into()).into()
            }),
    }
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine())
            .finish_non_exhaustive()
    }
}

/// How a connection is opened beyond what its URL says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// The PEM file of the CA that signed PostgreSQL's certificate; `sslrootcert` in the URL
    /// wins over it. Without either, `verify-full` trusts the system's roots.
    pub ca_file: Option<PathBuf>,
}

/// Where a `DATABASE_URL` points.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Sqlite(String),
    Postgres(String),
}

/// Reads a `DATABASE_URL`: `sqlite://PATH` (also `sqlite:PATH`), `postgres://…` or
/// `postgresql://…`.
fn parse_url(url: &str) -> Result<Target, StorageError> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url.to_owned()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        if path.is_empty() {
            return Err(StorageError::EmptyPath);
        }
        if path == ":memory:" || path.contains("mode=memory") {
            return Err(StorageError::InMemory);
        }
        return Ok(Target::Sqlite(path.to_owned()));
    }
    let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
    Err(StorageError::UnsupportedUrl {
        scheme: scheme.chars().take(20).collect(),
    })
}

/// Opens a SQLite connection and sets what SQLite keeps per connection: a busy timeout (so
/// concurrent writers wait instead of failing), WAL (readers do not block the writer),
/// foreign keys (off by default in SQLite), and temporary storage in memory: the journal of a
/// savepoint (every write of a handling in a group, [`SqliteWriter`]) otherwise goes to a
/// temporary file once it passes 64 KiB, and `RETURNING` buffers its rows in a temporary
/// table.
#[cfg(feature = "sqlite")]
fn sqlite_setup(
    path: &str,
) -> std::pin::Pin<Box<dyn Future<Output = diesel::ConnectionResult<SqliteConn>> + Send + '_>> {
    Box::pin(async move {
        let mut conn = SqliteConn::establish(path).await?;
        // busy_timeout first: switching to WAL itself may wait for a lock.
        let pragmas = format!(
            "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT_PAGES};
             PRAGMA foreign_keys = ON;"
        );
        conn.batch_execute(&pragmas)
            .await
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    })
}

/// One passive checkpoint on a pooled connection, on tokio's blocking pool: copying pages
/// and flushing the file take milliseconds, too long for a worker thread.
#[cfg(feature = "sqlite")]
async fn checkpoint(pool: &Pool<SqliteConn>) -> Result<(), Failure> {
    let mut object = acquire(pool.get()).await?;
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        // The connection runs its statement on the calling thread: this one.
        runtime.block_on(object.batch_execute("PRAGMA wal_checkpoint(PASSIVE)"))
    })
    .await
    .map_err(|error| Failure::from(RepositoryError::Unavailable(error.to_string().into())))?
    .map_err(Failure::from)
}

/// How long a statement waits for a row lock (another instance's transaction on the same
/// update or card) before it fails as `Unavailable`, so that a stuck instance delays others
/// instead of stopping them.
#[cfg(feature = "postgres")]
const POSTGRES_LOCK_TIMEOUT: &str = "10s";

/// How long a transaction may sit idle before the server ends it and frees its locks: a
/// process frozen in the middle of handling an update must not hold them for ever.
#[cfg(feature = "postgres")]
const POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

/// Opens a PostgreSQL connection, with TLS as `target` says, and sets the session limits
/// above.
#[cfg(feature = "postgres")]
fn postgres_setup(
    target: crate::tls::PostgresTarget,
) -> impl Fn(
    &str,
) -> std::pin::Pin<
    Box<dyn Future<Output = diesel::ConnectionResult<AsyncPgConnection>> + Send + '_>,
> + Send
+ Sync {
    move |_url| {
        let target = target.clone();
        Box::pin(async move {
            let mut conn = target.connect().await?;
            let settings = format!(
                "SET lock_timeout = '{POSTGRES_LOCK_TIMEOUT}';
                 SET idle_in_transaction_session_timeout = '{POSTGRES_IDLE_IN_TRANSACTION_TIMEOUT}';"
            );
            conn.batch_execute(&settings)
                .await
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    }
}

impl Db {
    /// Opens the database a `DATABASE_URL` names and checks that one connection works.
    ///
    /// `sqlite://PATH` opens (or creates) a SQLite file, relative to the working directory
    /// unless absolute (`sqlite:///var/lib/vitrina.db`); `postgres://…` and
    /// `postgresql://…` connect to PostgreSQL, over TLS as the URL's `sslmode` says.
    /// Migrations are not applied: call [`Db::migrate`].
    ///
    /// # Errors
    /// [`StorageError::UnsupportedUrl`], [`StorageError::InMemory`] or
    /// [`StorageError::EmptyPath`] for a URL it cannot use; [`StorageError::Pool`] or
    /// [`StorageError::Unreachable`] when no connection can be made.
    pub async fn connect(url: &str) -> Result<Db, StorageError> {
        Db::connect_with(url, &ConnectOptions::default()).await
    }

    /// [`Db::connect`] with `options`: the CA of PostgreSQL's certificate.
    ///
    /// A PostgreSQL URL's `sslmode` is read as libpq reads it: `disable`; `prefer` (the
    /// default) and `require`, which encrypt without checking the certificate unless a CA is
    /// given (`sslrootcert=PATH` in the URL, else [`ConnectOptions::ca_file`]), then check it
    /// like `verify-ca`; `verify-ca`, the certificate signed by that CA (or the system's
    /// roots); `verify-full`, signed and naming the host.
    ///
    /// # Errors
    /// As [`Db::connect`], and [`StorageError::Tls`] for an unknown `sslmode` or an
    /// unreadable CA file.
    pub async fn connect_with(url: &str, options: &ConnectOptions) -> Result<Db, StorageError> {
        #[cfg(not(feature = "postgres"))]
        let _ = options;
        let pools = match parse_url(url)? {
            #[cfg(feature = "postgres")]
            Target::Postgres(url) => {
                let target = crate::tls::PostgresTarget::new(&url, options)?;
                let mut config = ManagerConfig::<AsyncPgConnection>::default();
                config.custom_setup = Box::new(postgres_setup(target));
                // No `SELECT 1` at every checkout (the default): that was a round trip more
                // for each transaction and each strike. A connection whose server closed it
                // is still refused, as its client notices the closing; one that fails in
                // use is dropped, and its update is not confirmed, so it comes again.
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::new_with_config(url, config);
                Pools::Postgres(
                    Pool::builder(manager)
                        .build()
                        .map_err(|error| StorageError::Pool(error.to_string()))?,
                )
            }
            #[cfg(not(feature = "postgres"))]
            Target::Postgres(_) => return Err(StorageError::EngineNotBuilt("postgres")),
            #[cfg(feature = "sqlite")]
            Target::Sqlite(path) => {
                let mut config = ManagerConfig::<SqliteConn>::default();
                config.custom_setup = Box::new(sqlite_setup);
                // A file on this machine: no network to drop the connection under us.
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::new_with_config(path, config);
                Pools::Sqlite(
                    Pool::builder(manager)
                        // The connection used last is handed out first. The writes take turns,
                        // so one connection does most of them and keeps its page cache, which
                        // SQLite empties whenever another connection has written since; in
                        // turn order (FIFO) every update's transaction found a connection that
                        // had to read its pages again.
                        .queue_mode(deadpool::managed::QueueMode::Lifo)
                        .build()
                        .map_err(|error| StorageError::Pool(error.to_string()))?,
                )
            }
            #[cfg(not(feature = "sqlite"))]
            Target::Sqlite(_) => return Err(StorageError::EngineNotBuilt("sqlite")),
        };
        let db = Db {
            pools,
            held: None,
            #[cfg(feature = "sqlite")]
            sqlite_writer: SqliteWriter::new(),
        };
        if let Err(error) = db.ping().await {
            let cause = causes(&error);
            return Err(match parse_url(url)? {
                // Where a relative path landed is the first thing to know about a file that
                // cannot be opened.
                Target::Sqlite(path) => StorageError::SqliteOpen {
                    path: std::path::absolute(&path)
                        .unwrap_or_else(|_| path.into())
                        .display()
                        .to_string(),
                    cause,
                },
                Target::Postgres(_) => StorageError::Unreachable(cause),
            });
        }
        Ok(db)
    }

    /// Until `stop` resolves, copies SQLite's write-ahead log into the database file a few
    /// times a second, beside the writers rather than inside one of their commits (a passive
    /// checkpoint neither waits for the writer's lock nor holds it), so that no update's
    /// commit pays for it. Returns at once on PostgreSQL. Run one per process.
    pub async fn keep_wal_short(&self, stop: impl Future<Output = ()>) {
        #[cfg(feature = "sqlite")]
        #[allow(
            irrefutable_let_patterns,
            reason = "refutable once PostgreSQL is built too"
        )]
        if let Pools::Sqlite(pool) = &self.pools {
            let mut stop = std::pin::pin!(stop);
            let mut period = tokio::time::interval(SQLITE_CHECKPOINT_PERIOD);
            period.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = &mut stop => return,
                    _ = period.tick() => {}
                }
                if let Err(error) = checkpoint(pool).await.map_err(RepositoryError::from) {
                    tracing::debug!(%error, "a checkpoint of SQLite's write-ahead log failed; the next one will try again");
                }
            }
        }
        #[cfg(not(feature = "sqlite"))]
        drop(stop);
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn engine(&self) -> &'static str {
        match self.pools {
            #[cfg(feature = "postgres")]
            Pools::Postgres(_) => "postgres",
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(_) => "sqlite",
        }
    }

    /// Runs one trivial query: the readiness check.
    ///
    /// # Errors
    /// `Unavailable` when no connection can be had or the query fails.
    pub async fn ping(&self) -> RepositoryResult<()> {
        with_connection!(self, |conn| {
            diesel_async::RunQueryDsl::execute(diesel::sql_query("SELECT 1"), conn).await?;
            Ok(())
        })
    }

    pub(crate) fn pools(&self) -> &Pools {
        &self.pools
    }

    /// Waits for SQLite's writer turn (`sqlite_writer`) for one call: `None` on
    /// PostgreSQL and inside a transaction, which holds the turn already.
    #[cfg(feature = "sqlite")]
    pub(crate) async fn sqlite_turn(&self) -> Result<Option<Turn>, Failure> {
        match (&self.pools, &self.held) {
            (Pools::Sqlite(_), None) => Ok(Some(self.sqlite_writer.turn(ACQUIRE_TIMEOUT).await?)),
            _ => Ok(None),
        }
    }

    /// The queue for SQLite's writer turn.
    // For the group commit's tests, which need the update journal.
    #[cfg(all(test, feature = "sqlite", feature = "journal"))]
    pub(crate) fn sqlite_writer(&self) -> &SqliteWriter {
        &self.sqlite_writer
    }

    /// The pool of a SQLite database.
    // For the group commit's tests, which need the update journal.
    #[cfg(all(test, feature = "sqlite", feature = "journal"))]
    pub(crate) fn sqlite_pool(&self) -> &Pool<SqliteConn> {
        match &self.pools {
            Pools::Sqlite(pool) => pool,
            #[cfg(feature = "postgres")]
            Pools::Postgres(_) => panic!("a SQLite database was expected"),
        }
    }

    /// Whether this `Db` is bound to a transaction ([`Db::begin_transaction`]).
    #[allow(dead_code, reason = "which ports use it depends on the features built")]
    pub(crate) fn is_held(&self) -> bool {
        self.held.is_some()
    }

    /// How the calls of this `Db`'s PostgreSQL transaction are kept apart; `None` outside
    /// one.
    #[cfg(feature = "postgres")]
    pub(crate) fn postgres_care(&self) -> Option<&Care> {
        match self.held.as_deref() {
            Some(Held::Postgres(_, care, _)) => Some(care),
            _ => None,
        }
    }

    /// Whether a call failed inside this `Db`'s transaction and aborted it ([`Care`]); never
    /// on SQLite, which undoes only the failed statement, nor in a guarded transaction whose
    /// failed calls each rolled back their savepoint.
    #[cfg_attr(
        not(feature = "journal"),
        allow(dead_code, reason = "the update journal asks it")
    )]
    pub(crate) fn is_spoiled(&self) -> bool {
        match self.held.as_deref() {
            #[cfg(feature = "postgres")]
            Some(Held::Postgres(_, care, _)) => care.is_spoiled(),
            _ => false,
        }
    }

    /// Where a write whose outcome its caller does not read may wait for the transaction's
    /// next statement ([`Riding::defer`]): in an unguarded PostgreSQL transaction (an update's
    /// handling) not yet spoiled. Such a write fails with the next statement instead of
    /// alone, which spoils the whole transaction as its own failure would have; in a guarded
    /// one each call must fail alone, and outside one there is no next statement.
    #[cfg(feature = "postgres")]
    #[cfg_attr(
        not(feature = "journal"),
        allow(dead_code, reason = "the update journal's handlings use it")
    )]
    pub(crate) fn deferring_postgres(&self) -> Option<&Riding> {
        match self.held.as_deref() {
            Some(Held::Postgres(_, care, riding)) if !care.guarded && !care.is_spoiled() => {
                Some(riding)
            }
            _ => None,
        }
    }

    /// What rides on other round trips of this `Db`'s PostgreSQL transaction; `None` outside
    /// one.
    #[cfg(feature = "postgres")]
    #[cfg_attr(
        not(feature = "journal"),
        allow(dead_code, reason = "the update journal's handlings use it")
    )]
    pub(crate) fn postgres_riding(&self) -> Option<&Riding> {
        match self.held.as_deref() {
            Some(Held::Postgres(_, _, riding)) => Some(riding),
            _ => None,
        }
    }

    #[cfg(feature = "postgres")]
    pub(crate) fn held_postgres(&self) -> Option<&Mutex<Option<Pooled<AsyncPgConnection>>>> {
        match self.held.as_deref() {
            Some(Held::Postgres(slot, ..)) => Some(slot),
            _ => None,
        }
    }

    #[cfg(feature = "sqlite")]
    pub(crate) fn held_sqlite(&self) -> Option<&Mutex<Option<Pooled<SqliteConn>>>> {
        match self.held.as_deref() {
            Some(Held::Sqlite(slot, ..)) => Some(slot),
            _ => None,
        }
    }

    /// Opens a transaction and returns a `Db` bound to it: every call on it runs there, each
    /// in a savepoint of its own. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// transactions on one SQLite file run one after another; one begun while others wait may
    /// share their commit, and its commit answers once that commit is made.
    ///
    /// # Errors
    /// `Unavailable` when no connection can be had or the transaction cannot begin.
    pub async fn begin_transaction(&self) -> RepositoryResult<Db> {
        self.begin(true).await
    }

    /// Opens a PostgreSQL transaction and, in the same round trip, runs `first`, its first
    /// statement, on the connection: the `BEGIN` and the statement are sent together
    /// (tokio-postgres pipelines requests made before their answers are read), and the server
    /// runs them in order. `None` on SQLite, whose transactions begin in-process.
    ///
    /// `first` must be one statement whose plan is cached or that diesel sends unprepared, so
    /// that nothing it awaits lets another request of this connection go between.
    #[cfg(feature = "postgres")]
    #[cfg_attr(
        not(feature = "journal"),
        allow(dead_code, reason = "the update journal's handlings use it")
    )]
    pub(crate) async fn begin_postgres_with<T, F>(
        &self,
        guarded: bool,
        first: F,
    ) -> Option<Result<(Db, Result<T, Failure>), Failure>>
    where
        F: for<'c> FnOnce(
            &'c AsyncPgConnection,
        ) -> std::pin::Pin<
            Box<dyn Future<Output = diesel::QueryResult<T>> + Send + 'c>,
        >,
    {
        #[allow(
            irrefutable_let_patterns,
            reason = "refutable once SQLite is built too"
        )]
        let Pools::Postgres(pool) = &self.pools else {
            return None;
        };
        Some(
            async {
                let object = acquire(pool.get()).await?;
                // Were this future dropped between the `BEGIN` and its record below, the
                // connection would go back to the pool inside a transaction diesel knows
                // nothing of: it is closed instead, which rolls it back.
                let mut closing = ClosedUnlessKept(Some(object));
                let (begun, outcome) = {
                    let conn: &AsyncPgConnection = closing.connection();
                    let mut for_begin = conn;
                    // `BEGIN` is polled first, so it is sent first.
                    tokio::join!(
                        biased;
                        SimpleAsyncConnection::batch_execute(&mut for_begin, "BEGIN"),
                        first(conn),
                    )
                };
                // What diesel's transaction manager would have recorded, had it sent the
                // `BEGIN` itself: the savepoints, the commit and the rollback depend on it.
                let recorded = begun.and_then(|()| {
                    <<AsyncPgConnection as AsyncConnection>::TransactionManager as TransactionManager<
                        AsyncPgConnection,
                    >>::transaction_manager_status_mut(closing.connection())
                    .transaction_state()?
                    .change_transaction_depth(diesel::connection::TransactionDepthChange::IncreaseDepth)
                });
                // In an unknown state on failure: closed (by `closing`), which rolls back
                // whatever began.
                recorded.map_err(Failure::from)?;
                let object = closing.keep();
                let db = Db {
                    pools: self.pools.clone(),
                    held: Some(Arc::new(Held::Postgres(
                        Mutex::new(Some(object)),
                        Care::new(guarded),
                        Riding::default(),
                    ))),
                    #[cfg(feature = "sqlite")]
                    sqlite_writer: Arc::clone(&self.sqlite_writer),
                };
                Ok((db, outcome.map_err(Failure::from)))
            }
            .await,
        )
    }

    /// [`Db::begin_transaction`], or, unless `guarded`, without a savepoint around each call
    /// on PostgreSQL (two round trips fewer per writing call): a call that fails there aborts
    /// the transaction, which is then [spoiled](Db::is_spoiled) and commits nothing. Unguarded
    /// for a caller that can start again guarded: the update journal.
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    pub(crate) async fn begin(&self, guarded: bool) -> RepositoryResult<Db> {
        let held = match &self.pools {
            #[cfg(feature = "postgres")]
            Pools::Postgres(pool) => {
                let mut object = acquire(pool.get()).await?;
                <AsyncPgConnection as AsyncConnection>::TransactionManager::begin_transaction(
                    &mut *object,
                )
                .await
                .map_err(Failure::from)?;
                Held::Postgres(
                    Mutex::new(Some(object)),
                    Care::new(guarded),
                    Riding::default(),
                )
            }
            // It may share its transaction and its commit with the writes waiting behind it.
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(pool) => {
                let (turn, object, place) = self.begin_sqlite_write(pool).await?.into_parts();
                Held::Sqlite(
                    Mutex::new(Some(object)),
                    std::sync::Mutex::new(Some(turn)),
                    place,
                )
            }
        };
        Ok(self.bound_to(held))
    }

    /// Begins a SQLite write in the writer's turn, in the open group or a new transaction.
    #[cfg(feature = "sqlite")]
    pub(crate) async fn begin_sqlite_write(
        &self,
        pool: &Pool<SqliteConn>,
    ) -> Result<Writing, Failure> {
        self.sqlite_writer.begin_write(ACQUIRE_TIMEOUT, pool).await
    }

    /// Ends a write [`Db::begin_sqlite_write`] began, with the outcome of its body.
    #[cfg(feature = "sqlite")]
    #[cfg_attr(
        not(any_port),
        allow(dead_code, reason = "the ports' transactions use it")
    )]
    pub(crate) async fn end_sqlite_write<T>(
        &self,
        writing: Writing,
        outcome: Result<T, Failure>,
    ) -> Result<T, Failure> {
        self.sqlite_writer.end_write(writing, outcome).await
    }

    /// A `Db` bound to the transaction `held`.
    fn bound_to(&self, held: Held) -> Db {
        Db {
            pools: self.pools.clone(),
            held: Some(Arc::new(held)),
            #[cfg(feature = "sqlite")]
            sqlite_writer: Arc::clone(&self.sqlite_writer),
        }
    }

    /// Commits this `Db`'s PostgreSQL transaction with `last` as its last statement, given
    /// `data` and the ids [waiting to be struck](Riding::strike): `last` and the `COMMIT` go out in one
    /// round trip, the `COMMIT` behind it without waiting for its answer. `None` unless
    /// bound to a PostgreSQL transaction.
    ///
    /// Why the `COMMIT` cannot overtake `last`, nor commit without it: both are kept prepared
    /// statements, and diesel-async sends such a statement once it holds the connection's
    /// statement cache, which it takes in turn, first come first served, and keeps while a
    /// statement it lacks is prepared; `last` is polled first, outside tokio's cooperative
    /// budget (which could make it wait once while the `COMMIT` did not). Between taking the
    /// cache and sending, nothing of `last` can fail on this side (its binds are numbers and
    /// text): any failure is the server's, which aborts the transaction, and the `COMMIT` then
    /// rolls it back. The test `the_last_statement_rides_with_the_commit` shows both on
    /// connections that had and had not prepared them.
    ///
    /// # Errors
    /// `Unavailable` when the transaction was [spoiled](Db::is_spoiled) (it is rolled back)
    /// or either statement failed (nothing of it was kept); the connection is then closed.
    #[cfg(feature = "postgres")]
    #[cfg_attr(
        not(feature = "journal"),
        allow(dead_code, reason = "the update journal's handlings use it")
    )]
    pub(crate) async fn commit_postgres_with<D: Sync, T, F>(
        &self,
        data: &D,
        last: F,
    ) -> Option<RepositoryResult<T>>
    where
        F: for<'c> FnOnce(
            &'c AsyncPgConnection,
            &'c D,
            Vec<i64>,
        ) -> std::pin::Pin<
            Box<dyn Future<Output = diesel::QueryResult<T>> + Send + 'c>,
        >,
    {
        let Some(Held::Postgres(slot, care, riding)) = self.held.as_deref() else {
            return None;
        };
        Some(
            async {
                let object = slot.lock().await.take().ok_or_else(no_open_transaction)?;
                if care.is_spoiled() {
                    riding.take_strikes();
                    drop(riding.take_deferred(&object));
                    let closed = close_postgres(object, true, true).await;
                    return Err(closed.err().unwrap_or_else(spoiled));
                }
                // Closed, which rolls back, unless every statement succeeds.
                let mut closing = ClosedUnlessKept(Some(object));
                let strikes = riding.take_strikes();
                let (deferred, outcome, committed) = {
                    let conn: &AsyncPgConnection = closing.connection();
                    let mut for_commit = conn;
                    // The writes deferred to this last round trip go first, in their order.
                    let deferred = riding.take_deferred(conn);
                    tokio::task::unconstrained(async {
                        tokio::join!(
                            biased;
                            in_order(deferred),
                            last(conn, data, strikes),
                            diesel_async::RunQueryDsl::execute(Commit, &mut for_commit),
                        )
                    })
                    .await
                };
                // A failed statement aborts the transaction, whose `COMMIT` the server then
                // answers by rolling it back, without an error: each answer is looked at. A
                // write that waited for the commit and failed spoils the handling, as it
                // would have spoiled it had it gone out at once.
                care.watch(deferred.map_err(Failure::from))?;
                let outcome = outcome.map_err(Failure::from)?;
                committed.map_err(Failure::from)?;
                // What diesel's transaction manager would have recorded, had it sent the
                // `COMMIT` itself.
                <<AsyncPgConnection as AsyncConnection>::TransactionManager as TransactionManager<
                    AsyncPgConnection,
                >>::transaction_manager_status_mut(closing.connection())
                .transaction_state()
                .and_then(|state| {
                    state.change_transaction_depth(
                        diesel::connection::TransactionDepthChange::DecreaseDepth,
                    )
                })
                .map_err(Failure::from)?;
                drop(closing.keep());
                Ok(outcome)
            }
            .await,
        )
    }

    /// Commits the transaction this `Db` is bound to ([`Db::begin_transaction`]). Its clones can no
    /// longer be used.
    ///
    /// # Errors
    /// `Unavailable` when the commit failed (the transaction is rolled back), or when this
    /// `Db` is bound to no open transaction.
    pub async fn commit_transaction(&self) -> RepositoryResult<()> {
        self.end(true).await
    }

    /// Rolls back the transaction this `Db` is bound to ([`Db::begin_transaction`]).
    ///
    /// # Errors
    /// `Unavailable` when this `Db` is bound to no open transaction; a failed rollback closes
    /// the connection, which rolls back too.
    pub async fn rollback_transaction(&self) -> RepositoryResult<()> {
        self.end(false).await
    }

    async fn end(&self, commit: bool) -> RepositoryResult<()> {
        let ended = no_open_transaction;
        match self.held.as_deref().ok_or_else(ended)? {
            #[cfg(feature = "postgres")]
            Held::Postgres(slot, care, riding) => {
                // Strikes still waiting for a last statement (the transaction ended without
                // one) go with the `COMMIT`.
                #[cfg(feature = "journal")]
                if commit && !care.is_spoiled() && (riding.has_strikes() || riding.has_deferred()) {
                    return self
                        .commit_postgres_with(&(), crate::updates::strike_postgres)
                        .await
                        .unwrap_or_else(|| Err(ended()));
                }
                #[cfg(not(feature = "journal"))]
                let _ = riding;
                let object = slot.lock().await.take().ok_or_else(ended)?;
                close_postgres(object, commit, care.is_spoiled()).await
            }
            #[cfg(feature = "sqlite")]
            Held::Sqlite(slot, turn, place) => {
                let object = slot.lock().await.take().ok_or_else(ended)?;
                let Some(turn) = turn.lock().ok().and_then(|mut turn| turn.take()) else {
                    crate::sqlite_writer::lose(object, None, "the writer's turn was lost");
                    return Err(ended());
                };
                self.sqlite_writer
                    .end_handling(turn, object, *place, commit)
                    .await
                    .map_err(RepositoryError::from)
            }
        }
    }
}

/// What a call on a [`Db`] bound to a transaction that has ended answers.
pub(crate) fn no_open_transaction() -> RepositoryError {
    RepositoryError::Unavailable("no open transaction".into())
}

/// What the commit of a [spoiled](Db::is_spoiled) transaction answers.
#[cfg(feature = "postgres")]
fn spoiled() -> RepositoryError {
    RepositoryError::Unavailable(
        "a call failed and aborted the transaction: nothing of it was kept".into(),
    )
}

/// Ends the PostgreSQL transaction of `object`: commits it when `commit`, unless `spoiled`,
/// where it is rolled back and the commit answers [`spoiled`] (the server would answer the
/// `COMMIT` of an aborted transaction by rolling it back, without an error). A connection
/// whose `COMMIT` or `ROLLBACK` failed is in an unknown state: it is closed (which rolls
/// back) instead of going back to the pool.
#[cfg(feature = "postgres")]
async fn close_postgres(
    mut object: Object<AsyncPgConnection>,
    commit: bool,
    spoiled_before: bool,
) -> RepositoryResult<()> {
    let spoiled_commit = commit && spoiled_before;
    let result = end_transaction(&mut *object, commit && !spoiled_commit).await;
    if result.is_err() {
        drop(Object::take(object));
    }
    if spoiled_commit && result.is_ok() {
        return Err(spoiled());
    }
    result.map_err(|error| RepositoryError::from(Failure::from(error)))
}

/// Opens a SQLite transaction that takes the write lock at once (what diesel-async's
/// `immediate_transaction` does, which it offers only for connections on tokio's blocking
/// pool).
#[cfg(feature = "sqlite")]
pub(crate) async fn begin_immediate(conn: &mut SqliteConn) -> Result<(), Failure> {
    conn.run(|conn| {
        diesel::connection::AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE")
    })
    .map_err(Failure::from)
}

/// `COMMIT` as a statement kept prepared, which [`Db::commit_postgres_with`] sends behind
/// another in one round trip (diesel's transaction manager sends it as a simple query, which
/// could go out first).
#[cfg(feature = "postgres")]
#[derive(Clone, Copy)]
struct Commit;

#[cfg(feature = "postgres")]
impl diesel::query_builder::QueryId for Commit {
    type QueryId = Commit;
    const HAS_STATIC_QUERY_ID: bool = true;
}

#[cfg(feature = "postgres")]
impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Commit {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> diesel::QueryResult<()> {
        out.push_sql("COMMIT");
        Ok(())
    }
}

#[cfg(feature = "postgres")]
impl diesel::query_dsl::RunQueryDslSupport for Commit {}

/// Commits or rolls back the outermost transaction of `conn`.
#[cfg(feature = "postgres")]
async fn end_transaction<C: AsyncConnection>(
    conn: &mut C,
    commit: bool,
) -> diesel::QueryResult<()> {
    if commit {
        C::TransactionManager::commit_transaction(conn).await
    } else {
        C::TransactionManager::rollback_transaction(conn).await
    }
}

/// What went wrong under `error`, each cause once, on one line: `Unavailable` and "no
/// database connection" say nothing a failed connect does not, so the chain starts below them
/// (`error connecting to server: Connection refused (os error 111)`, `unable to open database
/// file`, a TLS or DNS error).
fn causes(error: &RepositoryError) -> String {
    use std::error::Error as _;
    let mut text = String::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = match error {
        RepositoryError::Unavailable(_) => error.source(),
        other => Some(other),
    };
    while let Some(cause) = source {
        source = cause.source();
        // A wrapper that repeats its source after a generic prefix (the pool's "Error occurred
        // while creating a new object: …") is left for its source.
        let repeats_source =
            source.is_some_and(|inner| cause.to_string().ends_with(&inner.to_string()));
        if cause.is::<NoConnection>() || repeats_source {
            continue;
        }
        let cause_text = cause.to_string();
        // Some errors repeat their source in their own message.
        if !text.contains(&cause_text) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&cause_text);
        }
    }
    if text.is_empty() {
        error.to_string()
    } else {
        text
    }
}

/// Takes a connection from a pool within [`ACQUIRE_TIMEOUT`].
pub(crate) async fn acquire<T, E: std::error::Error + Send + Sync + 'static>(
    get: impl Future<Output = Result<T, E>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(ACQUIRE_TIMEOUT, get).await {
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(error)) => {
            let error = NoConnection(Box::new(error));
            Err(RepositoryError::Unavailable(Box::new(error)).into())
        }
        Err(_) => Err(RepositoryError::Unavailable(
            "timed out waiting for a database connection".into(),
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: Result<Target, &str>) {
        let got = parse_url(url).map_err(|error| error.to_string());
        match (&got, &expected) {
            (Ok(got), Ok(expected)) => assert_eq!(got, expected, "{url}"),
            (Err(got), Err(fragment)) => assert!(got.contains(fragment), "{url}: {got}"),
            _ => panic!("{url}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn urls_choose_the_engine() {
        check(
            "sqlite://vitrina.db",
            Ok(Target::Sqlite("vitrina.db".into())),
        );
        check(
            "sqlite:///var/lib/v.db",
            Ok(Target::Sqlite("/var/lib/v.db".into())),
        );
        check("sqlite:data/v.db", Ok(Target::Sqlite("data/v.db".into())));
        check(
            " postgres://u@h/db ",
            Ok(Target::Postgres("postgres://u@h/db".into())),
        );
        check(
            "postgresql://u@h/db",
            Ok(Target::Postgres("postgresql://u@h/db".into())),
        );
        check("sqlite::memory:", Err("in-memory"));
        check("sqlite://file:x?mode=memory", Err("in-memory"));
        check("sqlite://", Err("names no file"));
        check("mysql://root:secret@h/db", Err("\"mysql\""));
        check("vitrina.db", Err("unsupported"));
    }

    #[cfg(not(feature = "postgres"))]
    #[tokio::test]
    async fn a_build_without_postgres_says_so_for_a_postgres_url() {
        let error = Db::connect("postgres://u@h/db")
            .await
            .expect_err("not built");
        assert!(
            matches!(error, StorageError::EngineNotBuilt("postgres")),
            "{error}"
        );
    }

    #[cfg(not(feature = "sqlite"))]
    #[tokio::test]
    async fn a_build_without_sqlite_says_so_for_a_sqlite_url() {
        let error = Db::connect("sqlite://v.db").await.expect_err("not built");
        assert!(
            matches!(error, StorageError::EngineNotBuilt("sqlite")),
            "{error}"
        );
    }

    #[test]
    fn an_unsupported_url_never_echoes_credentials() {
        let error = parse_url("mysql://root:secret@h/db").expect_err("unsupported");
        assert!(!error.to_string().contains("secret"));
    }
}
