//! Cards as the database keeps them.

use vitrina_cards::{CardRepository, CardStatus, RepositoryError};
use vitrina_moderation::ModerationRepository;

use crate::support::database::Fixture;
use crate::support::given::{PARTNER, approve, at, content};

on_both_engines!(a_stored_row_that_breaks_a_rule_reads_as_invalid);

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
