//! The engine enum and the macros that expand one query body for each engine.
//!
//! [`Db`] holds either a PostgreSQL pool or a SQLite pool. A repository method is written
//! once, inside [`with_connection!`] or [`in_transaction!`]; the macro expands that body in
//! both arms of the match, where `conn` has each engine's concrete connection type, so diesel
//! checks the same query against both backends at compile time.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use diesel::SqliteConnection;
use diesel::result::ConnectionError;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use vitrina_cards::{RepositoryError, RepositoryResult};

use crate::error::{Failure, StorageError};

/// Runs `$body` with `$conn` bound to a pooled connection of whichever engine the [`Db`]
/// uses. The body is an expression of type `Result<T, Failure>` that may `.await` and `?`;
/// the macro evaluates to `RepositoryResult<T>`.
macro_rules! with_connection {
    ($db:expr, |$conn:ident| $body:expr) => {{
        let result: ::std::result::Result<_, $crate::error::Failure> = match $db.pools() {
            $crate::pool::Pools::Postgres(pool) => {
                async {
                    let mut object = $crate::pool::acquire(pool.get()).await?;
                    let $conn: &mut ::diesel_async::AsyncPgConnection = &mut object;
                    $body
                }
                .await
            }
            $crate::pool::Pools::Sqlite(pool) => {
                async {
                    let mut object = $crate::pool::acquire(pool.get()).await?;
                    let $conn: &mut $crate::pool::SqliteConn = &mut object;
                    $body
                }
                .await
            }
        };
        result.map_err(::vitrina_cards::RepositoryError::from)
    }};
}

/// Like [`with_connection!`], inside one transaction that commits when the body returns `Ok`
/// and rolls back otherwise.
///
/// SQLite opens it with `BEGIN IMMEDIATE`: the write lock is taken (waiting up to the busy
/// timeout) before the first read, so two writers never both read and then fail to upgrade
/// their locks with "database is locked". PostgreSQL uses READ COMMITTED, where the
/// conditional updates (`… WHERE status = <expected>`) decide races.
macro_rules! in_transaction {
    ($db:expr, |$conn:ident| $body:expr) => {{
        let result: ::std::result::Result<_, $crate::error::Failure> =
            match $db.pools() {
                $crate::pool::Pools::Postgres(pool) => async {
                    let mut object = $crate::pool::acquire(pool.get()).await?;
                    let conn: &mut ::diesel_async::AsyncPgConnection = &mut object;
                    ::diesel_async::AsyncConnection::transaction::<_, $crate::error::Failure, _>(
                        conn,
                        async |$conn: &mut ::diesel_async::AsyncPgConnection| $body,
                    )
                    .await
                }
                .await,
                $crate::pool::Pools::Sqlite(pool) => {
                    async {
                        let mut object = $crate::pool::acquire(pool.get()).await?;
                        let conn: &mut $crate::pool::SqliteConn = &mut object;
                        conn.immediate_transaction::<_, $crate::error::Failure, _>(
                            async |$conn: &mut $crate::pool::SqliteConn| $body,
                        )
                        .await
                    }
                    .await
                }
            };
        result.map_err(::vitrina_cards::RepositoryError::from)
    }};
}

/// SQLite behind diesel-async: a sync connection whose calls run on tokio's blocking pool.
pub(crate) type SqliteConn = SyncConnectionWrapper<SqliteConnection>;

/// How long a call waits for a pooled connection before it answers `Unavailable`, so that a
/// dead server turns into "retry later" instead of a hang.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long SQLite waits for another writer's lock before it gives up with "database is
/// locked".
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// The pool of one engine.
#[derive(Clone)]
pub(crate) enum Pools {
    Postgres(Pool<AsyncPgConnection>),
    Sqlite(Pool<SqliteConn>),
}

/// Vitrina's database: SQLite (a file) or PostgreSQL, chosen by the URL, behind a connection
/// pool. Cheap to clone; every clone shares the pool.
///
/// It implements every repository port of the domain crates:
/// [`CardRepository`](vitrina_cards::CardRepository),
/// [`UserRepository`](vitrina_cards::UserRepository),
/// [`ModerationRepository`](vitrina_moderation::ModerationRepository),
/// [`AdminRepository`](vitrina_moderation::AdminRepository) and
/// [`DialogStore`](vitrina_dialog::DialogStore) and
/// [`UpdateJournal`](vitrina_update_source::UpdateJournal) (also as inherent methods:
/// [`Db::claim_update`], [`Db::complete_update`], [`Db::sweep_handled_updates`]).
#[derive(Clone)]
pub struct Db {
    pools: Pools,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine())
            .finish_non_exhaustive()
    }
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
/// concurrent writers wait instead of failing), WAL (readers do not block the writer) and
/// foreign keys (off by default in SQLite).
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
             PRAGMA foreign_keys = ON;"
        );
        conn.batch_execute(&pragmas)
            .await
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    })
}

impl Db {
    /// Opens the database a `DATABASE_URL` names and checks that one connection works.
    ///
    /// `sqlite://PATH` opens (or creates) a SQLite file, relative to the working directory
    /// unless absolute (`sqlite:///var/lib/vitrina.db`); `postgres://…` and
    /// `postgresql://…` connect to PostgreSQL without TLS. Migrations are not applied: call
    /// [`Db::migrate`].
    ///
    /// # Errors
    /// [`StorageError::UnsupportedUrl`], [`StorageError::InMemory`] or
    /// [`StorageError::EmptyPath`] for a URL it cannot use; [`StorageError::Pool`] or
    /// [`StorageError::Unreachable`] when no connection can be made.
    pub async fn connect(url: &str) -> Result<Db, StorageError> {
        let pools = match parse_url(url)? {
            Target::Postgres(url) => {
                let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
                Pools::Postgres(
                    Pool::builder(manager)
                        .build()
                        .map_err(|error| StorageError::Pool(error.to_string()))?,
                )
            }
            Target::Sqlite(path) => {
                let mut config = ManagerConfig::<SqliteConn>::default();
                config.custom_setup = Box::new(sqlite_setup);
                // A file on this machine: no network to drop the connection under us.
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::new_with_config(path, config);
                Pools::Sqlite(
                    Pool::builder(manager)
                        .build()
                        .map_err(|error| StorageError::Pool(error.to_string()))?,
                )
            }
        };
        let db = Db { pools };
        db.ping()
            .await
            .map_err(|error| StorageError::Unreachable(error.to_string()))?;
        Ok(db)
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn engine(&self) -> &'static str {
        match self.pools {
            Pools::Postgres(_) => "postgres",
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
}

/// Takes a connection from a pool within [`ACQUIRE_TIMEOUT`].
pub(crate) async fn acquire<T, E: fmt::Display>(
    get: impl Future<Output = Result<T, E>>,
) -> Result<T, Failure> {
    match tokio::time::timeout(ACQUIRE_TIMEOUT, get).await {
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(error)) => {
            Err(RepositoryError::Unavailable(format!("no database connection: {error}")).into())
        }
        Err(_) => Err(RepositoryError::Unavailable(
            "timed out waiting for a database connection".to_owned(),
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

    #[test]
    fn an_unsupported_url_never_echoes_credentials() {
        let error = parse_url("mysql://root:secret@h/db").expect_err("unsupported");
        assert!(!error.to_string().contains("secret"));
    }
}
