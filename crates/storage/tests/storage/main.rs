//! The storage suite: what only the SQL storage has — opening and migrating a database, the
//! update journal and outbox, sweeping expired states, rows broken outside the application.
//! Each test is written once as `async fn(&Fixture)` and runs on SQLite always and on
//! PostgreSQL when `TEST_DATABASE_URL` is set. The behaviour of the ports themselves is the
//! contract suite's (`tests/contract`), which runs on the in-memory ports too.
#![allow(clippy::unwrap_used)]

/// Generates, for each listed `async fn name(&Fixture)` of the calling module, a test
/// `sqlite::name` that always runs and a test `postgres::name` that runs when
/// `TEST_DATABASE_URL` is set and otherwise prints why it skipped.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    let fixture = $crate::support::database::Fixture::sqlite().await;
                    super::$name(&fixture).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    let Some(fixture) = $crate::support::database::Fixture::postgres().await else {
                        return;
                    };
                    super::$name(&fixture).await;
                }
            )*
        }
    };
}

#[path = "../support/mod.rs"]
mod support;

mod admin_log_migration;
mod cards;
mod connect;
mod dialogs;
mod migrations;
mod updates;
