//! The embedded migrations of both engines (`migrations/sqlite`, `migrations/postgres` at the
//! workspace root) and their runner.

use diesel::backend::Backend;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, AsyncMigrationHarness};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::StorageError;
use crate::pool::{Db, Pools, acquire};

// `migrations` in this crate is a link to the workspace's `migrations/`, the one source, so
// that a packaged crate carries them too.
#[cfg(feature = "sqlite")]
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Apply the pending migrations, or only list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Apply,
    List,
}

impl Db {
    /// Applies the pending embedded migrations, in order, and returns their names (empty
    /// when the schema is current). Each migration runs in its own transaction.
    ///
    /// Runs on tokio's blocking pool, so it works on either runtime flavour.
    ///
    /// # Errors
    /// [`StorageError::Unreachable`] without a connection; [`StorageError::Migration`] naming
    /// the migration that failed (the ones before it stay applied).
    ///
    /// Then fills what a migration cannot compute: the search text of cards written before
    /// it existed ([`Db::fill_search_text`]).
    pub async fn migrate(&self) -> Result<Vec<String>, StorageError> {
        let applied = self.run_migrations(Mode::Apply).await?;
        #[cfg(feature = "cards")]
        self.fill_search_text()
            .await
            .map_err(|error| StorageError::Unreachable(error.with_causes()))?;
        Ok(applied)
    }

    /// The names of the embedded migrations not yet applied, for a status report.
    ///
    /// # Errors
    /// As [`Db::migrate`].
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StorageError> {
        self.run_migrations(Mode::List).await
    }

    /// Several instances may start at once on an empty database, each applying the
    /// migrations: they take turns, so that the first applies them and the others find
    /// nothing pending. On PostgreSQL the turn is an advisory lock held by the migrating
    /// session (released by the server should the process die); on SQLite it is the
    /// database's own write lock, taken by an immediate transaction around the whole run
    /// (each migration in a savepoint of it).
    async fn run_migrations(&self, mode: Mode) -> Result<Vec<String>, StorageError> {
        let unreachable =
            |error: vitrina_cards::RepositoryError| StorageError::Unreachable(error.with_causes());
        let locking = |error: diesel::result::Error| {
            StorageError::Unreachable(format!("cannot take the migration lock: {error}"))
        };
        match self.pools() {
            #[cfg(feature = "postgres")]
            Pools::Postgres(pool) => {
                use diesel_async::SimpleAsyncConnection;

                let object = acquire(pool.get())
                    .await
                    .map_err(|f| unreachable(f.into()))?;
                let mut conn = Object::take(object);
                conn.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                    .await
                    .map_err(locking)?;
                let (conn, applied) = in_blocking_pool(conn, POSTGRES, mode).await;
                if let Some(mut conn) = conn {
                    // Were the unlock lost, closing the connection (dropped here) releases it.
                    let _ = conn
                        .batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                        .await;
                }
                applied
            }
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(pool) => {
                use diesel::connection::AnsiTransactionManager;
                use diesel_async::TransactionManager;

                let object = acquire(pool.get())
                    .await
                    .map_err(|f| unreachable(f.into()))?;
                let mut conn = Object::take(object);
                conn.run(|conn| {
                    AnsiTransactionManager::begin_transaction_sql(conn, "BEGIN IMMEDIATE")
                })
                .map_err(locking)?;
                let (conn, applied) = in_blocking_pool(conn, SQLITE, mode).await;
                let Some(mut conn) = conn else {
                    // The connection was dropped with the harness, which rolled it back.
                    return applied;
                };
                type Manager = <crate::pool::SqliteConn as AsyncConnection>::TransactionManager;
                let ended = if applied.is_ok() {
                    Manager::commit_transaction(&mut conn).await
                } else {
                    Manager::rollback_transaction(&mut conn).await
                };
                ended.map_err(|error| StorageError::Migration(error.to_string()))?;
                applied
            }
        }
    }
}

/// The key of PostgreSQL's advisory lock around migrations: any number, the same in every
/// instance ("vitrina" in ASCII).
#[cfg(feature = "postgres")]
const MIGRATION_LOCK: i64 = 0x0076_6974_7269_6e61;

/// diesel's migration harness is synchronous and blocks on the async connection
/// (`block_in_place`), which panics on a current-thread runtime; a blocking-pool thread is
/// safe on both flavours. The connection, taken out of the pool, is given back (`None` when
/// the run panicked) for the caller to release its lock.
async fn in_blocking_pool<C>(
    conn: C,
    source: EmbeddedMigrations,
    mode: Mode,
) -> (Option<C>, Result<Vec<String>, StorageError>)
where
    C: AsyncConnection + Send + 'static,
    C::Backend: Backend,
    AsyncMigrationHarness<C>: MigrationHarness<C::Backend>,
    EmbeddedMigrations: diesel::migration::MigrationSource<C::Backend>,
{
    let run = tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let applied = apply(&mut harness, source, mode);
        (harness.into_inner(), applied)
    })
    .await;
    match run {
        Ok((conn, applied)) => (Some(conn), applied),
        Err(error) => (None, Err(StorageError::Migration(error.to_string()))),
    }
}

/// Lists the pending migrations and, in [`Mode::Apply`], applies them in order.
fn apply<H, B>(
    harness: &mut H,
    source: EmbeddedMigrations,
    mode: Mode,
) -> Result<Vec<String>, StorageError>
where
    H: MigrationHarness<B>,
    B: Backend,
    EmbeddedMigrations: diesel::migration::MigrationSource<B>,
{
    let pending = harness
        .pending_migrations(source)
        .map_err(|error| StorageError::Migration(error.to_string()))?;
    let mut names = Vec::with_capacity(pending.len());
    for migration in pending {
        let name = migration.name().to_string();
        if mode == Mode::Apply {
            harness
                .run_migration(&*migration)
                .map_err(|error| StorageError::Migration(format!("{name}: {error}")))?;
            tracing::info!(migration = %name, "applied migration");
        }
        names.push(name);
    }
    Ok(names)
}
