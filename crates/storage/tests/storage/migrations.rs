//! Migrations: applied once, and the reference data seeded exactly as the domain defines it.

use std::collections::BTreeSet;

use vitrina_storage::Db;

use crate::support::database::{Fixture, ReferenceRow};

on_both_engines!(
    migrations_apply_once,
    the_seeded_reference_data_is_the_domains
);

/// Three instances starting at once on an empty database: every one migrates without an
/// error, and each migration is applied by exactly one of them.
mod three_instances_migrate_at_once {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        for _ in 0..3 {
            super::three_at_once(&Fixture::empty_sqlite().await, "sqlite").await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        for _ in 0..3 {
            let Some(fixture) = Fixture::empty_postgres().await else {
                return;
            };
            super::three_at_once(&fixture, "postgres").await;
        }
    }
}

async fn three_at_once(f: &Fixture, engine: &str) {
    let url = f.url();
    let mut instances = Vec::new();
    for _ in 0..3 {
        instances.push(Db::connect(&url).await.unwrap());
    }
    let runs: Vec<_> = instances
        .into_iter()
        .map(|db| tokio::spawn(async move { db.migrate().await }))
        .collect();
    let mut applied = Vec::new();
    for run in runs {
        let names = run.await.unwrap().unwrap_or_else(|error| {
            panic!("an instance failed to migrate: {error}");
        });
        applied.extend(names);
    }
    let embedded = std::fs::read_dir(format!(
        "{}/../../migrations/{engine}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().is_dir()))
    .count();
    let distinct: BTreeSet<&String> = applied.iter().collect();
    assert_eq!(distinct.len(), applied.len(), "applied twice: {applied:?}");
    assert_eq!(applied.len(), embedded, "{applied:?}");
    assert_eq!(
        f.db.pending_migrations().await.unwrap(),
        Vec::<String>::new()
    );
    f.db.ping().await.unwrap();
}

async fn migrations_apply_once(f: &Fixture) {
    assert_eq!(f.db.migrate().await.unwrap(), Vec::<String>::new());
    assert_eq!(
        f.db.pending_migrations().await.unwrap(),
        Vec::<String>::new()
    );
    f.db.ping().await.unwrap();
}

fn row(id: i64, parent: i64, key: &str) -> ReferenceRow {
    ReferenceRow {
        id,
        parent,
        key: key.to_owned(),
    }
}

async fn the_seeded_reference_data_is_the_domains(f: &Fixture) {
    let reference = vitrina_dialog::reference::vitrina();
    let root = "CAST(0 AS BIGINT) AS parent";
    let cities = f
        .reference_rows(&format!(
            "SELECT id, {root}, i18n_key AS key FROM cities ORDER BY position"
        ))
        .await;
    let expected: Vec<_> = reference
        .cities()
        .iter()
        .map(|c| row(c.id.get(), 0, &c.key))
        .collect();
    assert_eq!(cities, expected);

    let areas = f
        .reference_rows(
            "SELECT id, city_id AS parent, i18n_key AS key FROM areas ORDER BY city_id, position",
        )
        .await;
    let expected: Vec<_> = reference
        .cities()
        .iter()
        .flat_map(|c| c.areas.iter().map(|a| row(a.id.get(), c.id.get(), &a.key)))
        .collect();
    assert_eq!(areas, expected);

    let categories = f
        .reference_rows(&format!(
            "SELECT id, {root}, i18n_key AS key FROM categories ORDER BY position"
        ))
        .await;
    let expected: Vec<_> = reference
        .categories()
        .iter()
        .map(|c| row(c.id.get(), 0, &c.key))
        .collect();
    assert_eq!(categories, expected);

    let subcategories = f
        .reference_rows(
            "SELECT id, category_id AS parent, i18n_key AS key FROM subcategories \
             ORDER BY category_id, position",
        )
        .await;
    let expected: Vec<_> = reference
        .categories()
        .iter()
        .flat_map(|c| {
            c.subcategories
                .iter()
                .map(|s| row(s.id.get(), c.id.get(), &s.key))
        })
        .collect();
    assert_eq!(subcategories, expected);
}
