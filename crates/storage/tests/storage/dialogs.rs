//! Dialog states: sweeping the expired ones.

use vitrina_cards::UserId;
use vitrina_dialog::DialogStore;

use crate::support::database::Fixture;
use crate::support::given::at;

on_both_engines!(expired_states_are_swept);

async fn expired_states_are_swept(f: &Fixture) {
    let db = &f.db;
    db.save_dialog(UserId(1), "old", at(10)).await.unwrap();
    db.save_dialog(UserId(2), "fresh", at(30)).await.unwrap();
    assert_eq!(db.sweep_expired_dialogs(at(20)).await.unwrap(), 1);
    assert_eq!(db.sweep_expired_dialogs(at(20)).await.unwrap(), 0);
    assert_eq!(
        db.load_dialog(UserId(2), at(20)).await.unwrap().as_deref(),
        Some("fresh")
    );
    // What was swept does not come back even with an earlier clock.
    assert_eq!(db.load_dialog(UserId(1), at(0)).await.unwrap(), None);
}
