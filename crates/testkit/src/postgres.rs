//! A PostgreSQL schema of a test's own on the shared server of `TEST_DATABASE_URL`: tests run
//! in parallel, and each sees only its own tables. [`TestSchema`] is a guard: the schema goes
//! when it is dropped, also when the test panicked.

use std::sync::mpsc;
use std::time::Duration;

use crate::services;

/// How long a dropped guard waits for the schema to go before it gives up (with a message):
/// a drop blocked behind a lock must not hang the test.
const DROP_LIMIT: Duration = Duration::from_secs(10);

/// A schema created for one test; dropped (with everything in it) with the guard.
#[derive(Debug)]
pub struct TestSchema {
    base: String,
    name: String,
    url: String,
    dropped: bool,
}

impl TestSchema {
    /// A new, empty schema on the server of `TEST_DATABASE_URL`, named `label` followed by
    /// [`services::unique_name`]'s suffix; `None`, with the reason printed, when the variable
    /// is not set. `label` is lowercase ASCII letters, digits and `_`.
    ///
    /// # Panics
    /// When the server cannot be reached or refuses the schema.
    pub async fn create(label: &str) -> Option<TestSchema> {
        let base = services::database_url()?;
        let name = services::unique_name(label);
        let url = vitrina_storage::create_postgres_schema(&base, &name)
            .await
            .unwrap_or_else(|error| panic!("cannot create the schema {name}: {error}"));
        Some(TestSchema {
            base,
            name,
            url,
            dropped: false,
        })
    }

    /// The URL that reaches this schema: the server's, with `search_path` set to it on every
    /// connection. Give it to `DATABASE_URL` or `Db::connect`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the schema now, from the test's runtime.
    ///
    /// # Panics
    /// When the drop fails.
    pub async fn drop_now(mut self) {
        vitrina_storage::drop_postgres_schema(&self.base, &self.name)
            .await
            .unwrap_or_else(|error| panic!("cannot drop the schema {}: {error}", self.name));
        self.dropped = true;
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // Drop runs inside the test's runtime, which cannot block on a future: a thread with a
        // runtime of its own drops the schema.
        let (base, name) = (self.base.clone(), self.name.clone());
        let (done, outcome) = mpsc::channel();
        std::thread::spawn(move || {
            let result = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())
                .and_then(|runtime| {
                    runtime
                        .block_on(vitrina_storage::drop_postgres_schema(&base, &name))
                        .map_err(|error| error.to_string())
                });
            let _ = done.send(result);
        });
        match outcome.recv_timeout(DROP_LIMIT) {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not drop the test schema {}: {error}", self.name),
            Err(_) => eprintln!(
                "the test schema {} was not dropped within {DROP_LIMIT:?}",
                self.name
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::{BigInt, Text};
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

    use super::TestSchema;
    use crate::services;

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }

    /// The answer of a `count(*) AS count` query with `name` as its parameter.
    async fn count(base: &str, sql: &str, name: &str) -> i64 {
        let mut conn = AsyncPgConnection::establish(base)
            .await
            .expect("connect to TEST_DATABASE_URL");
        let found: Count = diesel::sql_query(sql)
            .bind::<Text, _>(name)
            .get_result(&mut conn)
            .await
            .expect(sql);
        found.count
    }

    async fn exists(base: &str, name: &str) -> bool {
        let sql =
            "SELECT count(*) AS count FROM information_schema.schemata WHERE schema_name = $1";
        count(base, sql, name).await == 1
    }

    async fn tables_in(base: &str, name: &str) -> i64 {
        let sql = "SELECT count(*) AS count FROM information_schema.tables WHERE table_schema = $1";
        count(base, sql, name).await
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_schema_is_the_tests_own_and_goes_with_the_guard_or_on_request() {
        let Some(base) = services::database_url() else {
            return;
        };
        let first = TestSchema::create("testkit").await.expect("configured");
        let second = TestSchema::create("testkit").await.expect("configured");
        assert_ne!(first.name(), second.name());
        assert!(
            first
                .url()
                .ends_with(&format!("search_path%3D{}", first.name()))
        );
        let db = vitrina_storage::Db::connect(first.url())
            .await
            .expect("connect");
        db.migrate().await.expect("migrate in the schema");
        drop(db);
        assert!(exists(&base, first.name()).await);
        assert!(
            tables_in(&base, first.name()).await > 0,
            "the migrations ran in the schema"
        );
        assert_eq!(
            tables_in(&base, second.name()).await,
            0,
            "and not in another"
        );

        let (first_name, second_name) = (first.name().to_owned(), second.name().to_owned());
        first.drop_now().await;
        assert!(!exists(&base, &first_name).await);
        // Dropped as in a failing test: while a panic unwinds, without drop_now.
        let failing = tokio::spawn(async move {
            let _guard = second;
            panic!("the test failed");
        });
        assert!(failing.await.is_err_and(|error| error.is_panic()));
        assert!(!exists(&base, &second_name).await);
    }
}
