//! Dialog states: round trip, replacement, expiry, clearing.

use vitrina_cards::{Timestamp, UserId};

use crate::harness::{Fixture, Ports};
use crate::support::given::{Answer, at};

contract!(dialog_state_round_trips_until_it_expires);

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;

async fn dialog_state_round_trips_until_it_expires<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    let user = UserId(5);
    assert_eq!(db.load_dialog(user, at(0)).await.answer(), Ok(None));
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
    assert_eq!(
        db.load_dialog(UserId(6), at(0)).await.answer(),
        Ok(None),
        "per user"
    );

    db.save_dialog(user, "second", expires.plus_millis(DAY_MILLIS))
        .await
        .unwrap();
    assert_eq!(
        db.load_dialog(user, expires).await.unwrap().as_deref(),
        Some("second")
    );
    db.clear_dialog(user).await.unwrap();
    assert_eq!(db.load_dialog(user, at(0)).await.answer(), Ok(None));
    db.clear_dialog(user).await.unwrap();
}
