//! Cards as the database keeps them.

use vitrina_cards::{CardRepository, CardStatus, PageRequest, RepositoryError, SearchQuery};
use vitrina_moderation::ModerationRepository;

use crate::support::database::Fixture;
use crate::support::given::{PARTNER, approve, at, content};

on_both_engines!(
    a_stored_row_that_breaks_a_rule_reads_as_invalid,
    cards_written_before_the_search_text_get_it_at_migration,
);

async fn a_stored_row_that_breaks_a_rule_reads_as_invalid(f: &Fixture) {
    let id =
        f.db.submit_new(PARTNER, &content("Кофейня «Утро»"), at(1))
            .await
            .unwrap();
    f.db.decide(&approve(id, at(1))).await.unwrap();
    assert_eq!(
        f.db.card(id).await.unwrap().map(|card| card.status),
        Some(CardStatus::Published)
    );
    f.exec(&format!("UPDATE cards SET title = 'ab' WHERE id = {id}"))
        .await;
    let result = f.db.card(id).await;
    assert!(
        matches!(result, Err(RepositoryError::Invalid(_))),
        "{result:?}"
    );
    assert!(
        !result.unwrap_err().is_retryable(),
        "bad data is not a reason to retry"
    );
}

/// Rows from before the `search_text` column have none; the migration run folds them, once.
async fn cards_written_before_the_search_text_get_it_at_migration(f: &Fixture) {
    let mut ids = Vec::new();
    for (n, title) in ["Phở Hà Nội", "Ёлка у моря"].into_iter().enumerate() {
        let id =
            f.db.submit_new(PARTNER, &content(title), at(n as i64 + 1))
                .await
                .unwrap();
        f.db.decide(&approve(id, at(10))).await.unwrap();
        ids.push(id);
    }
    f.exec("UPDATE cards SET search_text = NULL").await;
    let search = |typed: &str| {
        let query = SearchQuery::parse(typed).unwrap();
        let db = f.db.clone();
        async move {
            db.search(&query, PageRequest::new(1, 5))
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|card| card.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("pho").await, []);
    assert_eq!(f.db.fill_search_text().await.unwrap(), 2);
    assert_eq!(search("pho").await, [ids[0]]);
    assert_eq!(search("елка").await, [ids[1]]);
    // A second run finds nothing to do.
    assert_eq!(f.db.fill_search_text().await.unwrap(), 0);
    // The migration run at every start does it too.
    f.exec("UPDATE cards SET search_text = NULL").await;
    f.db.migrate().await.unwrap();
    assert_eq!(search("ha noi").await, [ids[0]]);
}
