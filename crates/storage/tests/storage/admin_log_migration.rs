//! Migration 2026-12-05-000007 (admin actions in the moderation log): on SQLite it rebuilds
//! the table, so the rows written before it must come through, on both engines; and going
//! down keeps the queue's decisions on existing cards only.

use vitrina_cards::{CardId, CardRepository, Timestamp, UserId};
use vitrina_moderation::{
    AdminAction, AdminDecision, Decision, ModerationRepository, RejectionReason, StandardReason,
    Verdict,
};

use crate::support::database::Fixture;
use crate::support::given::content;

on_both_engines!(the_log_written_before_the_migration_comes_through_it_and_back);

fn migration(engine: &str, direction: &str) -> String {
    let path = format!(
        "{}/../../migrations/{engine}/2026-12-05-000007_admin_actions/{direction}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

async fn the_log_written_before_the_migration_comes_through_it_and_back(f: &Fixture) {
    let engine = f.db.engine();
    let owner = UserId(1001);
    let id =
        f.db.submit_new(owner, &content("Кофейня «Утро»"), Timestamp(1))
            .await
            .unwrap();
    let reason = RejectionReason::Standard(StandardReason::Incomplete);
    let rejection = Decision::new(id, UserId(9), Verdict::Reject(reason), Timestamp(2));
    f.db.decide(&rejection).await.unwrap();

    // Back to the schema before the migration, with its row, then up again.
    f.exec(&migration(engine, "down")).await;
    f.exec(&migration(engine, "up")).await;
    let log = f.db.log(id).await.unwrap();
    assert_eq!(log, [vitrina_moderation::LogEntry::from(&rejection)]);

    // What only the new schema holds: an admin action, and a row whose card is gone.
    f.db.resubmit(owner, id, &content("Кофейня «Утро»"), Timestamp(3))
        .await
        .unwrap();
    let approval = Decision::new(id, UserId(9), Verdict::Approve, Timestamp(4));
    f.db.decide(&approval).await.unwrap();
    let feature = AdminDecision::new(id, UserId(9), AdminAction::Feature, Timestamp(5));
    f.db.act(&feature).await.unwrap();
    f.exec("UPDATE moderation_log SET card_id = NULL WHERE action = 'approve'")
        .await;
    f.exec(&migration(engine, "down")).await;
    let actions: Vec<_> =
        f.db.log(id)
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.action)
            .collect();
    assert_eq!(
        actions,
        ["reject"],
        "only the queue's decisions on existing cards"
    );
    assert_eq!(f.db.log(CardId(0)).await.unwrap(), []);
}
