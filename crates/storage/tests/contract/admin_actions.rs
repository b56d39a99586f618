//! What an admin does to a card outside the queue (takedown, featuring), and deleting a
//! person's data with the moderation log anonymised.

use vitrina_cards::{CardId, CardStatus, UserId};
use vitrina_dialog::Forgotten;
use vitrina_moderation::{
    AdminAction, AdminDecision, AdminOutcome, LogEntry, RejectionReason, StandardReason,
};

use crate::given::{card_in, card_with};
use crate::harness::{Fixture, Ports};
use crate::support::given::{
    Answer, MODERATOR, OTHER_PARTNER, PARTNER, Refusal, at, content, full_content, page,
};

contract!(
    a_takedown_makes_a_published_card_rejected_with_its_reason_and_logs_it,
    a_takedown_of_a_card_that_is_not_published_changes_nothing,
    featuring_changes_the_flag_once_and_logs_each_change,
    an_admin_action_on_a_missing_or_deleted_card_is_not_found,
    forgetting_a_partner_deletes_their_profile_state_and_cards_and_anonymises_the_log,
    forgetting_an_admin_keeps_their_decisions_without_their_id,
    forgetting_someone_never_seen_deletes_nothing,
);

fn take_down(card: CardId, reason: StandardReason, n: i64) -> AdminDecision {
    let reason = RejectionReason::Standard(reason);
    AdminDecision::new(card, MODERATOR, AdminAction::Unpublish(reason), at(n))
}

async fn a_takedown_makes_a_published_card_rejected_with_its_reason_and_logs_it<P: Ports>(
    f: &Fixture<P>,
) {
    for (n, status) in (0..).zip([CardStatus::Published, CardStatus::Approved]) {
        let id = card_in(f, status, at(n)).await;
        let decision = take_down(id, StandardReason::Inappropriate, 100 + n);
        let AdminOutcome::Applied(card) = f.db.act(&decision).await.unwrap() else {
            panic!("a takedown of a {status} card must apply");
        };
        assert_eq!(card.status, CardStatus::Rejected);
        assert_eq!(card.rejection_reason.as_deref(), Some("std:inappropriate"));
        assert_eq!(card.updated_at, at(100 + n));
        assert_eq!(f.db.owned_card(PARTNER, id).await.unwrap(), *card);
        let log = f.db.log(id).await.unwrap();
        assert_eq!(log.last(), Some(&LogEntry::from(&decision)));
        assert_eq!(
            log.last().map(|entry| entry.action.as_str()),
            Some("unpublish")
        );
    }
}

async fn a_takedown_of_a_card_that_is_not_published_changes_nothing<P: Ports>(f: &Fixture<P>) {
    use CardStatus::*;
    for (n, status) in (0..).zip([Pending, Rejected, Archived]) {
        let id = card_in(f, status, at(n)).await;
        let before = f.db.card(id).await.unwrap().unwrap();
        let log_before = f.db.log(id).await.unwrap();
        let outcome = f.db.act(&take_down(id, StandardReason::BadPhoto, 50)).await;
        assert_eq!(
            outcome.answer(),
            Ok(AdminOutcome::Unchanged(Box::new(before.clone())))
        );
        assert_eq!(
            f.db.card(id).await.unwrap(),
            Some(before),
            "{status}: unchanged"
        );
        assert_eq!(
            f.db.log(id).await.unwrap(),
            log_before,
            "{status}: nothing logged"
        );
    }
}

async fn featuring_changes_the_flag_once_and_logs_each_change<P: Ports>(f: &Fixture<P>) {
    let id = card_in(f, CardStatus::Published, at(1)).await;
    let act = |action: AdminAction, n: i64| AdminDecision::new(id, MODERATOR, action, at(n));
    let feature = act(AdminAction::Feature, 10);
    let AdminOutcome::Applied(card) = f.db.act(&feature).await.unwrap() else {
        panic!("featuring a card that is not featured must apply");
    };
    assert!(card.featured);
    assert_eq!(
        card.updated_at,
        at(1),
        "featuring is not a change of the partner's card"
    );
    assert!(matches!(
        f.db.act(&act(AdminAction::Feature, 11)).await.unwrap(),
        AdminOutcome::Unchanged(card) if card.featured
    ));
    let unfeature = act(AdminAction::Unfeature, 12);
    assert!(matches!(
        f.db.act(&unfeature).await.unwrap(),
        AdminOutcome::Applied(card) if !card.featured
    ));
    let actions: Vec<_> =
        f.db.log(id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
    assert_eq!(actions, ["approve", "feature", "unfeature"]);
    assert!(!f.db.card(id).await.unwrap().unwrap().featured);
}

async fn an_admin_action_on_a_missing_or_deleted_card_is_not_found<P: Ports>(f: &Fixture<P>) {
    let deleted = card_in(f, CardStatus::Deleted, at(1)).await;
    for id in [deleted, CardId(deleted.get() + 100)] {
        for action in [AdminAction::Feature, AdminAction::Unfeature] {
            let decision = AdminDecision::new(id, MODERATOR, action, at(2));
            assert_eq!(f.db.act(&decision).await.answer(), Err(Refusal::NotFound));
        }
        let decision = take_down(id, StandardReason::Incomplete, 3);
        assert_eq!(f.db.act(&decision).await.answer(), Err(Refusal::NotFound));
        assert_eq!(f.db.log(id).await.answer(), Ok(vec![]));
    }
}

async fn forgetting_a_partner_deletes_their_profile_state_and_cards_and_anonymises_the_log<
    P: Ports,
>(
    f: &Fixture<P>,
) {
    let db = &f.db;
    db.set_locale(PARTNER, "vi").await.unwrap();
    db.accept_policy(PARTNER, 1).await.unwrap();
    db.set_name(PARTNER, "Lan", Some("lan_spa")).await.unwrap();
    db.become_partner(PARTNER).await.unwrap();
    db.save_dialog(PARTNER, "{}", at(1000)).await.unwrap();
    let published = card_with(f, PARTNER, &full_content(), CardStatus::Published, at(1)).await;
    let pending = card_in(f, CardStatus::Pending, at(2)).await;
    let rejected = card_in(f, CardStatus::Pending, at(3)).await;
    let custom = RejectionReason::custom("Фото другого места, пожалуйста замените").unwrap();
    let decision = vitrina_moderation::Decision::new(
        rejected,
        MODERATOR,
        vitrina_moderation::Verdict::Reject(custom),
        at(4),
    );
    db.decide(&decision).await.unwrap();
    db.act(&take_down(published, StandardReason::Inappropriate, 5))
        .await
        .unwrap();
    // Someone else's card and its log stay as they are.
    let other = card_with(
        f,
        OTHER_PARTNER,
        &content("Чужая"),
        CardStatus::Published,
        at(6),
    )
    .await;
    let other_log = db.log(other).await.unwrap();
    let log_before = f.whole_log().await;

    let forgotten = db.forget(PARTNER).await.unwrap();

    assert_eq!(
        forgotten,
        Forgotten {
            profile: true,
            cards: 3
        }
    );
    for id in [published, pending, rejected] {
        assert_eq!(db.card(id).await.answer(), Ok(None), "card {id} is gone");
    }
    assert_eq!(f.photo_count().await, 0, "the photos went with the cards");
    assert_eq!(db.partner_cards(PARTNER, page(1)).await.unwrap().items, []);
    assert_eq!(db.load_dialog(PARTNER, at(0)).await.answer(), Ok(None));
    assert_eq!(db.log(other).await.unwrap(), other_log);
    assert!(db.card(other).await.unwrap().is_some());
    // The log has as many entries as before; those of the removed cards name no card, and
    // keep a standard reason's code but not a typed reason.
    let log_after = f.whole_log().await;
    assert_eq!(log_after.len(), log_before.len());
    let anonymised: Vec<_> = log_after
        .iter()
        .filter(|entry| entry.0.is_none())
        .map(|entry| (entry.2.as_str(), entry.3.as_deref()))
        .collect();
    assert_eq!(
        anonymised,
        [
            ("approve", None),
            ("reject", None),
            ("unpublish", Some("std:inappropriate")),
        ]
    );
    // Seen again, the person is a newcomer: nothing of the old profile is left.
    let again = db.user(PARTNER).await.unwrap();
    assert_eq!(
        again,
        vitrina_dialog::UserProfile {
            id: PARTNER,
            ..vitrina_dialog::UserProfile::default()
        }
    );
}

async fn forgetting_an_admin_keeps_their_decisions_without_their_id<P: Ports>(f: &Fixture<P>) {
    let admin = UserId(77);
    f.db.add_admin(admin).await.unwrap();
    let id = card_in(f, CardStatus::Pending, at(1)).await;
    let approval =
        vitrina_moderation::Decision::new(id, admin, vitrina_moderation::Verdict::Approve, at(2));
    f.db.decide(&approval).await.unwrap();

    assert_eq!(
        f.db.forget(admin).await.unwrap(),
        Forgotten {
            profile: false,
            cards: 0
        }
    );

    let log = f.db.log(id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].moderator, log[0].action.as_str()),
        (AdminDecision::OPERATOR, "approve")
    );
    assert!(
        !f.db.admins().await.unwrap().contains(&admin),
        "no longer a stored admin"
    );
    assert_eq!(
        f.db.card(id).await.unwrap().map(|card| card.status),
        Some(CardStatus::Published)
    );
}

async fn forgetting_someone_never_seen_deletes_nothing<P: Ports>(f: &Fixture<P>) {
    let id = card_in(f, CardStatus::Published, at(1)).await;
    assert_eq!(
        f.db.forget(UserId(5555)).await.unwrap(),
        Forgotten::default()
    );
    assert!(f.db.card(id).await.unwrap().is_some());
    assert_eq!(f.db.log(id).await.unwrap().len(), 1);
}
