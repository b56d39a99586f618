//! SQLite's statements run on the thread that asks for them, straight through diesel.
//!
//! diesel-async's own SQLite connection (`SyncConnectionWrapper`) sends every statement to
//! tokio's blocking pool and waits for it there. For an embedded database whose statements
//! take microseconds, those two thread hand-offs per statement (ten or so per update) cost
//! more than the statements: the profile in `docs/PERFORMANCE.md` put them at a third of the
//! bot's CPU, and while a transaction holds SQLite's write lock they are also what every
//! other chat waits for. Even run in place, that wrapper still prepares each call for the
//! trip: it writes the statement's SQL out as text and copies its bound values, and diesel
//! then finds the prepared statement by hashing that text — about 5 % of the bot's CPU,
//! spent on every statement.
//!
//! [`CallingThreadSqlite`] is the diesel-async connection the storage uses instead: each call
//! runs at once, on the calling task's thread, on diesel's synchronous `SqliteConnection`,
//! which finds a statement it prepared before by the query's type, binds the values in place
//! and reads the rows once. What the thread can be kept waiting for is bounded: the
//! process's writers already queue on an async lock before they touch SQLite
//! (`Db::sqlite_turn`), WAL with `synchronous = NORMAL` writes a commit without flushing it to
//! disk, and only another *process* holding the write lock (an operator's `sqlite3` shell, a
//! backup) makes a statement wait, for at most the busy timeout. The runtime has other worker
//! threads for everything else meanwhile.
//!
//! A call has finished by the time its future is built, so a future dropped unpolled leaves
//! nothing half-done (the group commit relies on it: `sqlite_writer`). A panic inside diesel
//! or SQLite comes back as the call's error instead of unwinding through the caller.

use std::future::{Ready, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};

use diesel::connection::{
    AnsiTransactionManager, CacheSize, Connection, Instrumentation, LoadConnection,
    SimpleConnection, TransactionManager as _, TransactionManagerStatus,
};
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::row::IntoOwnedRow;
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{ConnectionResult, QueryResult};
use diesel_async::{AsyncConnection, AsyncConnectionCore, SimpleAsyncConnection};

/// A row read whole from SQLite, owning its values (diesel does not name the type).
type OwnedRow = <<SqliteConnection as LoadConnection>::Row<'static, 'static> as IntoOwnedRow<
    'static,
    Sqlite,
>>::OwnedRow;

/// The rows of one query, read before the caller sees the first.
type Rows = futures_util::stream::Iter<std::vec::IntoIter<QueryResult<OwnedRow>>>;

/// A SQLite connection for diesel-async whose every call runs at once on the calling thread
/// (the module's documentation says why).
pub(crate) struct CallingThreadSqlite {
    inner: SqliteConnection,
}

impl CallingThreadSqlite {
    /// Runs `task` on the connection now, a panic in it becoming its error.
    pub(crate) fn run<R>(
        &mut self,
        task: impl FnOnce(&mut SqliteConnection) -> QueryResult<R>,
    ) -> QueryResult<R> {
        let inner = &mut self.inner;
        catch_unwind(AssertUnwindSafe(move || task(inner))).unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|message| (*message).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a SQLite call panicked".to_owned());
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UnableToSendCommand,
                Box::new(what),
            ))
        })
    }
}

/// A query read as rows of any type: diesel's synchronous `load` asks the backend to
/// describe the rows by their SQL types beforehand, which diesel-async's does not (nor does
/// SQLite need it); the types are checked where the rows are read.
struct AnyRows<Q>(Q);

impl<Q: Query> Query for AnyRows<Q> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Q: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AnyRows<Q> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }
}

impl<Q: QueryId> QueryId for AnyRows<Q> {
    type QueryId = Q::QueryId;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl SimpleAsyncConnection for CallingThreadSqlite {
    fn batch_execute(&mut self, query: &str) -> impl Future<Output = QueryResult<()>> + Send {
        ready(self.run(|conn| conn.batch_execute(query)))
    }
}

impl AsyncConnectionCore for CallingThreadSqlite {
    type ExecuteFuture<'conn, 'query> = Ready<QueryResult<usize>>;
    type LoadFuture<'conn, 'query> = Ready<QueryResult<Rows>>;
    type Stream<'conn, 'query> = Rows;
    type Row<'conn, 'query> = OwnedRow;
    type Backend = Sqlite;

    fn load<'conn, 'query, T>(&'conn mut self, source: T) -> Self::LoadFuture<'conn, 'query>
    where
        T: AsQuery + 'query,
        T::Query: QueryFragment<Sqlite> + QueryId + 'query,
    {
        let rows = self.run(|conn| {
            let mut cache = Default::default();
            let cursor = LoadConnection::load(conn, AnyRows(source.as_query()))?;
            let mut rows = Vec::with_capacity(cursor.size_hint().0);
            for row in cursor {
                rows.push(Ok(IntoOwnedRow::into_owned(row?, &mut cache)));
            }
            Ok(rows)
        });
        ready(rows.map(futures_util::stream::iter))
    }

    fn execute_returning_count<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> Self::ExecuteFuture<'conn, 'query>
    where
        T: QueryFragment<Sqlite> + QueryId + 'query,
    {
        ready(self.run(|conn| conn.execute_returning_count(&source)))
    }
}

impl AsyncConnection for CallingThreadSqlite {
    type TransactionManager = CallingThreadTransactions;

    async fn establish(database_url: &str) -> ConnectionResult<Self> {
        SqliteConnection::establish(database_url).map(|inner| CallingThreadSqlite { inner })
    }

    fn transaction_state(&mut self) -> &mut AnsiTransactionManager {
        self.inner.transaction_state()
    }

    fn instrumentation(&mut self) -> &mut dyn Instrumentation {
        self.inner.instrumentation()
    }

    fn set_instrumentation(&mut self, instrumentation: impl Instrumentation) {
        self.inner.set_instrumentation(instrumentation);
    }

    fn set_prepared_statement_cache_size(&mut self, size: CacheSize) {
        self.inner.set_prepared_statement_cache_size(size);
    }
}

impl diesel_async::pooled_connection::PoolableConnection for CallingThreadSqlite {}

/// diesel's transaction manager for SQLite, run as [`CallingThreadSqlite`] runs its calls.
pub(crate) struct CallingThreadTransactions;

impl diesel_async::TransactionManager<CallingThreadSqlite> for CallingThreadTransactions {
    type TransactionStateData = AnsiTransactionManager;

    fn begin_transaction(
        conn: &mut CallingThreadSqlite,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        ready(conn.run(AnsiTransactionManager::begin_transaction))
    }

    fn rollback_transaction(
        conn: &mut CallingThreadSqlite,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        ready(conn.run(AnsiTransactionManager::rollback_transaction))
    }

    fn commit_transaction(
        conn: &mut CallingThreadSqlite,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        ready(conn.run(AnsiTransactionManager::commit_transaction))
    }

    fn transaction_manager_status_mut(
        conn: &mut CallingThreadSqlite,
    ) -> &mut TransactionManagerStatus {
        AnsiTransactionManager::transaction_manager_status_mut(&mut conn.inner)
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::RunQueryDsl;

    use super::*;

    /// An in-memory database with one empty table `t`.
    async fn connection() -> CallingThreadSqlite {
        let mut conn = CallingThreadSqlite::establish(":memory:")
            .await
            .expect("an in-memory database opens");
        conn.batch_execute("CREATE TABLE t (n INTEGER)")
            .await
            .expect("created");
        conn
    }

    async fn rows_in_t(conn: &mut CallingThreadSqlite) -> i64 {
        diesel::dsl::sql::<BigInt>("SELECT count(*) FROM t")
            .get_result(conn)
            .await
            .expect("counted")
    }

    #[tokio::test]
    async fn a_call_has_run_before_its_future_is_polled() {
        let mut conn = connection().await;
        let insert = diesel::sql_query("INSERT INTO t (n) VALUES (7)").execute(&mut conn);
        // Dropped unpolled, yet done: nothing is left half-way by a dropped future.
        drop(insert);
        assert_eq!(rows_in_t(&mut conn).await, 1);
    }

    #[tokio::test]
    async fn rows_come_back_in_order_with_their_values() {
        let mut conn = connection().await;
        let rows: Vec<(i64, String)> = diesel::dsl::sql::<(BigInt, Text)>(
            "SELECT 1, 'one' UNION ALL SELECT 2, 'two' ORDER BY 1",
        )
        .load(&mut conn)
        .await
        .expect("read");
        assert_eq!(rows, [(1, "one".to_owned()), (2, "two".to_owned())]);
    }

    #[tokio::test]
    async fn a_rolled_back_transaction_leaves_nothing() {
        use diesel_async::TransactionManager as _;
        let mut conn = connection().await;
        CallingThreadTransactions::begin_transaction(&mut conn)
            .await
            .expect("begun");
        diesel::sql_query("INSERT INTO t (n) VALUES (1)")
            .execute(&mut conn)
            .await
            .expect("inserted");
        CallingThreadTransactions::rollback_transaction(&mut conn)
            .await
            .expect("rolled back");
        assert_eq!(rows_in_t(&mut conn).await, 0);
    }

    #[tokio::test]
    async fn a_panicking_call_is_an_error_not_an_unwind() {
        let mut conn = connection().await;
        let outcome: QueryResult<()> = conn.run(|_| panic!("disk on fire"));
        let error = outcome.expect_err("the panic is reported");
        assert!(error.to_string().contains("disk on fire"), "{error}");
    }
}
