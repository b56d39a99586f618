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
    pub async fn migrate(&self) -> Result<Vec<String>, StorageError> {
        self.run_migrations(Mode::Apply).await
    }

    /// The names of the embedded migrations not yet applied, for a status report.
    ///
    /// # Errors
    /// As [`Db::migrate`].
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StorageError> {
        self.run_migrations(Mode::List).await
    }

    async fn run_migrations(&self, mode: Mode) -> Result<Vec<String>, StorageError> {
        let unreachable =
            |error: vitrina_cards::RepositoryError| StorageError::Unreachable(error.with_causes());
        match self.pools() {
            #[cfg(feature = "postgres")]
            Pools::Postgres(pool) => {
                let object = acquire(pool.get())
                    .await
                    .map_err(|f| unreachable(f.into()))?;
                in_blocking_pool(Object::take(object), POSTGRES, mode).await
            }
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(pool) => {
                let object = acquire(pool.get())
                    .await
                    .map_err(|f| unreachable(f.into()))?;
                in_blocking_pool(Object::take(object), SQLITE, mode).await
            }
        }
    }
}

/// diesel's migration harness is synchronous and blocks on the async connection
/// (`block_in_place`), which panics on a current-thread runtime; a blocking-pool thread is
/// safe on both flavours. The connection is taken out of the pool and dropped afterwards.
async fn in_blocking_pool<C>(
    conn: C,
    source: EmbeddedMigrations,
    mode: Mode,
) -> Result<Vec<String>, StorageError>
where
    C: AsyncConnection + Send + 'static,
    C::Backend: Backend,
    AsyncMigrationHarness<C>: MigrationHarness<C::Backend>,
    EmbeddedMigrations: diesel::migration::MigrationSource<C::Backend>,
{
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
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
    })
    .await
    .map_err(|error| StorageError::Migration(error.to_string()))?
}
