//! Dialog state: round trip, replacement, expiry, clearing.

use vitrina_cards::{Timestamp, UserId};
use vitrina_dialog::DialogStore;

use crate::given::at;
use crate::harness::Fixture;

on_both_engines!(
    dialog_state_round_trips_until_it_expires,
    expired_states_are_swept
);

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

async fn dialog_state_round_trips_until_it_expires(f: &Fixture) {
    let db = &f.db;
    let user = UserId(5);
    assert_eq!(db.load_dialog(user, at(0)).await, Ok(None));
    let state = r#"{"wizard":{"step":"title","draft":{"title":"Кофейня «Утро»"}}}"#;
    let expires = at(0).plus_millis(DAY_MILLIS);
    db.save_dialog(user, state, expires).await.unwrap();
    // (moment, what reads back)
    let cases = [
        (at(0), Some(state)),
        (Timestamp(expires.millis() - 1), Some(state)),
        (expires, None),
        (expires.plus_millis(1), None),
    ];
    for (now, expected) in cases {
        assert_eq!(
            db.load_dialog(user, now).await.unwrap().as_deref(),
            expected,
            "at {now:?}"
        );
    }
    assert_eq!(db.load_dialog(UserId(6), at(0)).await, Ok(None), "per user");

    db.save_dialog(user, "second", expires.plus_millis(DAY_MILLIS))
        .await
        .unwrap();
    assert_eq!(
        db.load_dialog(user, expires).await.unwrap().as_deref(),
        Some("second")
    );
    db.clear_dialog(user).await.unwrap();
    assert_eq!(db.load_dialog(user, at(0)).await, Ok(None));
    db.clear_dialog(user).await.unwrap();
}

async fn expired_states_are_swept(f: &Fixture) {
    let db = &f.db;
    db.save_dialog(UserId(1), "old", at(10)).await.unwrap();
    db.save_dialog(UserId(2), "fresh", at(30)).await.unwrap();
    assert_eq!(db.sweep_expired_dialogs(at(20)).await, Ok(1));
    assert_eq!(db.sweep_expired_dialogs(at(20)).await, Ok(0));
    assert_eq!(
        db.load_dialog(UserId(2), at(20)).await.unwrap().as_deref(),
        Some("fresh")
    );
    // What was swept does not come back even with an earlier clock.
    assert_eq!(db.load_dialog(UserId(1), at(0)).await, Ok(None));
}
