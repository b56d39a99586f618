//! Dialog states: round trip, replacement, expiry, clearing; read together with the profile.

use vitrina_cards::{Timestamp, UserId};

use crate::harness::{Fixture, Ports};
use crate::support::given::{Answer, at};

contract!(
    dialog_state_round_trips_until_it_expires,
    the_person_and_their_state_read_together_as_apart
);

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

async fn the_person_and_their_state_read_together_as_apart<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    let user = UserId(7);
    // First sight: the profile is created, with no state, and nobody is an admin.
    let first = db.person_and_dialog(user, at(0)).await.unwrap();
    assert_eq!(first.profile, db.user(user).await.unwrap());
    assert_eq!(first.profile.id, user);
    assert_eq!(first.state, None);
    assert!(!first.stored_admin);

    db.set_locale(user, "vi").await.unwrap();
    db.become_partner(user).await.unwrap();
    db.add_admin(user).await.unwrap();
    let expires = at(0).plus_millis(DAY_MILLIS);
    db.save_dialog(user, "catalog", expires).await.unwrap();
    let read = db.person_and_dialog(user, at(0)).await.unwrap();
    assert_eq!(read.profile, db.user(user).await.unwrap());
    assert_eq!(read.profile.locale.as_deref(), Some("vi"));
    assert!(read.profile.is_partner);
    assert!(read.stored_admin);
    assert_eq!(read.state.as_deref(), Some("catalog"));

    // An expired state reads as absent here too, and another person's state and admin
    // right are not theirs.
    assert_eq!(
        db.person_and_dialog(user, expires).await.unwrap().state,
        None
    );
    let other = db.person_and_dialog(UserId(8), at(0)).await.unwrap();
    assert_eq!(
        (
            other.profile.id,
            other.profile.is_partner,
            other.stored_admin,
            other.state
        ),
        (UserId(8), false, false, None)
    );
    db.remove_admin(user).await.unwrap();
    assert!(
        !db.person_and_dialog(user, at(0))
            .await
            .unwrap()
            .stored_admin
    );
}
