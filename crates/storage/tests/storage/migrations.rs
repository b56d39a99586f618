//! Migrations: applied once, and the reference data seeded exactly as the domain defines it.

use crate::support::database::{Fixture, ReferenceRow};

on_both_engines!(
    migrations_apply_once,
    the_seeded_reference_data_is_the_domains
);

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
