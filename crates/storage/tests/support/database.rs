//! A fresh, migrated database per test: a temporary SQLite file, or a PostgreSQL schema of
//! its own (created under `TEST_DATABASE_URL`, dropped afterwards), and raw SQL for setting up
//! what no repository method writes (featured cards, legacy statuses, broken rows).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::SqliteConnection;
use diesel::sql_types::{BigInt, Text};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use vitrina_storage::Db;

enum Raw {
    Sqlite {
        path: String,
    },
    Postgres {
        base: String,
        url: String,
        schema: String,
    },
}

/// One test's database.
pub struct Fixture {
    pub db: Db,
    raw: Raw,
    _dir: Option<tempfile::TempDir>,
}

/// A reference row: id, parent id (0 for none), i18n key.
#[derive(Debug, PartialEq, Eq, diesel::QueryableByName)]
pub struct ReferenceRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub parent: i64,
    #[diesel(sql_type = Text)]
    pub key: String,
}

fn unique_schema() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// `base` with `search_path` set to `schema` for every connection, through libpq's
/// `options` parameter.
fn with_search_path(base: &str, schema: &str) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

impl Fixture {
    pub async fn sqlite() -> Fixture {
        let fixture = Fixture::empty_sqlite().await;
        fixture.db.migrate().await.expect("migrate SQLite");
        fixture
    }

    /// A SQLite file not migrated yet.
    pub async fn empty_sqlite() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("vitrina.db").display().to_string();
        let db = Db::connect(&format!("sqlite://{path}"))
            .await
            .expect("open SQLite");
        Fixture {
            db,
            raw: Raw::Sqlite { path },
            _dir: Some(dir),
        }
    }

    pub async fn postgres() -> Option<Fixture> {
        let fixture = Fixture::empty_postgres().await?;
        fixture.db.migrate().await.expect("migrate PostgreSQL");
        Some(fixture)
    }

    /// The `DATABASE_URL` of this fixture's database, for opening more pools on it.
    pub fn url(&self) -> String {
        match &self.raw {
            Raw::Sqlite { path } => format!("sqlite://{path}"),
            Raw::Postgres { url, .. } => url.clone(),
        }
    }

    /// A PostgreSQL schema of its own, not migrated yet.
    pub async fn empty_postgres() -> Option<Fixture> {
        let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!(
                "skipped: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"
            );
            return None;
        };
        let schema = unique_schema();
        let mut admin = AsyncPgConnection::establish(&base)
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .await
            .expect("create the test schema");
        let url = with_search_path(&base, &schema);
        let db = Db::connect(&url).await.expect("open PostgreSQL");
        Some(Fixture {
            db,
            raw: Raw::Postgres { base, url, schema },
            _dir: None,
        })
    }

    /// Runs SQL outside the repositories.
    pub async fn exec(&self, sql: &str) {
        match &self.raw {
            Raw::Sqlite { path } => {
                let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish(path)
                    .await
                    .expect("raw SQLite connection");
                conn.batch_execute("PRAGMA busy_timeout = 5000")
                    .await
                    .expect("busy timeout");
                conn.batch_execute(sql).await.expect(sql);
            }
            Raw::Postgres { url, .. } => {
                let mut conn = AsyncPgConnection::establish(url)
                    .await
                    .expect("raw connection");
                conn.batch_execute(sql).await.expect(sql);
            }
        }
    }

    /// The number a query selects as `n` (a `BIGINT`), read outside the repositories.
    pub async fn number(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Number {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let row: Number = match &self.raw {
            Raw::Sqlite { path } => {
                let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish(path)
                    .await
                    .expect("raw SQLite connection");
                diesel::sql_query(sql)
                    .get_result(&mut conn)
                    .await
                    .expect(sql)
            }
            Raw::Postgres { url, .. } => {
                let mut conn = AsyncPgConnection::establish(url)
                    .await
                    .expect("raw connection");
                diesel::sql_query(sql)
                    .get_result(&mut conn)
                    .await
                    .expect(sql)
            }
        };
        row.n
    }

    /// Reads reference rows with a query selecting `id`, `parent` and `key`.
    pub async fn reference_rows(&self, sql: &str) -> Vec<ReferenceRow> {
        match &self.raw {
            Raw::Sqlite { path } => {
                let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish(path)
                    .await
                    .expect("raw SQLite connection");
                diesel::sql_query(sql).load(&mut conn).await.expect(sql)
            }
            Raw::Postgres { url, .. } => {
                let mut conn = AsyncPgConnection::establish(url)
                    .await
                    .expect("raw connection");
                diesel::sql_query(sql).load(&mut conn).await.expect(sql)
            }
        }
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let Raw::Postgres { base, schema, .. } = &self.raw else {
            return;
        };
        let (base, schema) = (base.clone(), schema.clone());
        // Drop runs inside the test's runtime, which cannot block on a future: use a thread
        // with a runtime of its own. It runs even when the test panicked.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = AsyncPgConnection::establish(&base).await?;
                conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the test schema");
        }
    }
}
