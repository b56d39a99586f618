//! Users and partners.

use vitrina_cards::{CityId, RepositoryError, UserId};
use vitrina_dialog::UserProfile;

use crate::harness::{Fixture, Ports};
use crate::support::given::Answer;

contract!(
    a_user_is_created_empty_on_first_sight,
    settings_are_remembered_and_can_be_changed_back,
    setters_create_an_unseen_user,
    an_unknown_city_is_invalid,
    becoming_a_partner_is_created_once,
    a_known_user_is_read_without_creating_anyone,
);

async fn a_user_is_created_empty_on_first_sight<P: Ports>(f: &Fixture<P>) {
    let user = f.db.user(UserId(7)).await.unwrap();
    assert_eq!(
        user,
        UserProfile {
            id: UserId(7),
            ..UserProfile::default()
        }
    );
    assert_eq!(
        f.db.user(UserId(7)).await.unwrap(),
        user,
        "a second read finds the same row"
    );
    let big = UserId(7_000_000_000_123);
    assert_eq!(
        f.db.user(big).await.unwrap().id,
        big,
        "Telegram ids beyond 32 bits"
    );
}

async fn settings_are_remembered_and_can_be_changed_back<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    let id = UserId(8);
    db.user(id).await.unwrap();
    db.set_locale(id, "vi").await.unwrap();
    db.set_city(id, CityId(4)).await.unwrap();
    db.accept_policy(id, 3).await.unwrap();
    db.set_blocked_bot(id, true).await.unwrap();
    db.set_banned(id, true).await.unwrap();
    db.set_name(id, "Anh", Some("anh_pho")).await.unwrap();
    let expected = UserProfile {
        id,
        locale: Some("vi".into()),
        city: Some(CityId(4)),
        accepted_policy: Some(3),
        blocked_bot: true,
        banned: true,
        is_partner: false,
        first_name: Some("Anh".into()),
        username: Some("anh_pho".into()),
    };
    assert_eq!(db.user(id).await.unwrap(), expected);

    db.set_locale(id, "ko").await.unwrap();
    db.set_city(id, CityId(1)).await.unwrap();
    db.accept_policy(id, u32::MAX).await.unwrap();
    db.set_blocked_bot(id, false).await.unwrap();
    db.set_banned(id, false).await.unwrap();
    db.set_name(id, "Anh Nguyễn", None).await.unwrap();
    let expected = UserProfile {
        first_name: Some("Anh Nguyễn".into()),
        username: None,
        locale: Some("ko".into()),
        city: Some(CityId(1)),
        accepted_policy: Some(u32::MAX),
        blocked_bot: false,
        banned: false,
        ..expected
    };
    assert_eq!(db.user(id).await.unwrap(), expected);
    assert_eq!(
        db.user(UserId(9)).await.unwrap().locale,
        None,
        "others are untouched"
    );
}

async fn setters_create_an_unseen_user<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    db.set_locale(UserId(20), "en").await.unwrap();
    db.set_city(UserId(21), CityId(2)).await.unwrap();
    db.accept_policy(UserId(22), 1).await.unwrap();
    db.set_blocked_bot(UserId(23), true).await.unwrap();
    db.set_banned(UserId(24), true).await.unwrap();
    assert_eq!(
        db.user(UserId(20)).await.unwrap().locale.as_deref(),
        Some("en")
    );
    assert_eq!(db.user(UserId(21)).await.unwrap().city, Some(CityId(2)));
    assert_eq!(db.user(UserId(22)).await.unwrap().accepted_policy, Some(1));
    assert!(db.user(UserId(23)).await.unwrap().blocked_bot);
    assert!(db.user(UserId(24)).await.unwrap().banned);
}

async fn an_unknown_city_is_invalid<P: Ports>(f: &Fixture<P>) {
    let result = f.db.set_city(UserId(30), CityId(99)).await;
    assert!(
        matches!(result, Err(RepositoryError::Invalid(_))),
        "{result:?}"
    );
    assert_eq!(f.db.user(UserId(30)).await.unwrap().city, None);
}

async fn becoming_a_partner_is_created_once<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    assert!(!db.user(UserId(40)).await.unwrap().is_partner);
    assert_eq!(db.become_partner(UserId(40)).await.answer(), Ok(true));
    assert_eq!(db.become_partner(UserId(40)).await.answer(), Ok(false));
    assert!(db.user(UserId(40)).await.unwrap().is_partner);
    assert_eq!(
        db.become_partner(UserId(41)).await.answer(),
        Ok(true),
        "without a user row first"
    );
    assert!(db.user(UserId(41)).await.unwrap().is_partner);
    assert!(!db.user(UserId(42)).await.unwrap().is_partner);
}

async fn a_known_user_is_read_without_creating_anyone<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    let stranger = UserId(30);
    assert_eq!(db.known_user(stranger).await.unwrap(), None);
    assert_eq!(
        db.known_user(stranger).await.unwrap(),
        None,
        "the first look left no row behind"
    );
    db.set_locale(stranger, "vi").await.unwrap();
    db.become_partner(stranger).await.unwrap();
    let known = db.known_user(stranger).await.unwrap().expect("seen now");
    assert_eq!(known, db.user(stranger).await.unwrap());
    assert_eq!(known.locale.as_deref(), Some("vi"));
    assert!(known.is_partner);
}
