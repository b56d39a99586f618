//! The moderation queue, decisions, the log, and the race of two admins.

use std::sync::Arc;

use vitrina_cards::{CardAction, CardId, CardStatus, UserId};
use vitrina_moderation::{Decision, DecisionOutcome, RejectionReason, StandardReason, Verdict};

use crate::given::card_in;
use crate::harness::{Fixture, Ports};
use crate::support::given::{Answer, MODERATOR, PARTNER, Refusal, approve, at, reject};

contract!(
    the_queue_gives_the_oldest_pending_card_not_skipped,
    a_decision_applies_to_a_pending_card_once_and_is_logged,
    a_decision_on_a_card_that_is_not_pending_changes_nothing,
    a_decision_on_a_missing_or_deleted_card_is_not_found,
    of_two_concurrent_decisions_exactly_one_wins,
);

async fn the_queue_gives_the_oldest_pending_card_not_skipped<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    assert_eq!(db.next_pending(&[]).await.answer(), Ok(None));
    assert_eq!(db.pending_count().await.answer(), Ok(0));
    let newest = card_in(f, CardStatus::Pending, at(30)).await;
    let oldest = card_in(f, CardStatus::Pending, at(10)).await;
    let middle = card_in(f, CardStatus::Pending, at(20)).await;
    card_in(f, CardStatus::Published, at(1)).await;
    card_in(f, CardStatus::Rejected, at(2)).await;
    // A resubmitted card queues by the time it became pending again.
    let resubmitted = card_in(f, CardStatus::Rejected, at(3)).await;
    db.resubmit(
        PARTNER,
        resubmitted,
        &crate::support::given::content("Снова на проверку"),
        at(40),
    )
    .await
    .unwrap();

    let next = |skipped: Vec<CardId>| async move {
        db.next_pending(&skipped).await.unwrap().map(|card| card.id)
    };
    assert_eq!(next(vec![]).await, Some(oldest));
    assert_eq!(next(vec![oldest]).await, Some(middle));
    assert_eq!(next(vec![oldest, middle]).await, Some(newest));
    assert_eq!(next(vec![oldest, middle, newest]).await, Some(resubmitted));
    assert_eq!(next(vec![oldest, middle, newest, resubmitted]).await, None);
    assert_eq!(db.pending_count().await.answer(), Ok(4));

    let card = db.next_pending(&[]).await.unwrap().unwrap();
    assert_eq!((card.status, card.owner), (CardStatus::Pending, PARTNER));
}

async fn a_decision_applies_to_a_pending_card_once_and_is_logged<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    let approved = card_in(f, CardStatus::Pending, at(1)).await;
    let rejected = card_in(f, CardStatus::Pending, at(2)).await;
    let custom = card_in(f, CardStatus::Pending, at(3)).await;
    let reason = RejectionReason::custom("Фото другого места, пожалуйста замените").unwrap();
    // (card, verdict, status after, stored reason)
    let cases = [
        (approved, Verdict::Approve, CardStatus::Published, None),
        (
            rejected,
            Verdict::Reject(RejectionReason::Standard(StandardReason::BadPhoto)),
            CardStatus::Rejected,
            Some("std:bad_photo".to_owned()),
        ),
        (
            custom,
            Verdict::Reject(reason.clone()),
            CardStatus::Rejected,
            Some(reason.to_stored()),
        ),
    ];
    for (n, (id, verdict, status, stored)) in (10..).zip(cases) {
        let decision = Decision::new(id, MODERATOR, verdict.clone(), at(n));
        let DecisionOutcome::Applied(card) = db.decide(&decision).await.unwrap() else {
            panic!("{verdict:?} on a pending card must apply");
        };
        assert_eq!((card.id, card.status, card.updated_at), (id, status, at(n)));
        assert_eq!(card.rejection_reason, stored);
        assert_eq!(
            db.owned_card(PARTNER, id).await.unwrap(),
            *card,
            "the stored card"
        );
        let log = db.log(id).await.unwrap();
        assert_eq!(log, [vitrina_moderation::LogEntry::from(&decision)]);
        assert_eq!(log[0].reason, stored);
    }
    assert_eq!(db.pending_count().await.answer(), Ok(0));

    // A rejected card resubmitted and approved: the log keeps both decisions, oldest first.
    db.resubmit(
        PARTNER,
        rejected,
        &crate::support::given::content("Исправленная карточка"),
        at(20),
    )
    .await
    .unwrap();
    let second = Decision::new(rejected, UserId(10), Verdict::Approve, at(21));
    let outcome = db.decide(&second).await.unwrap();
    assert!(
        matches!(outcome, DecisionOutcome::Applied(ref card) if card.rejection_reason.is_none())
    );
    let actions: Vec<_> = db
        .log(rejected)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.moderator))
        .collect();
    assert_eq!(
        actions,
        [
            ("reject".to_owned(), MODERATOR),
            ("approve".to_owned(), UserId(10))
        ]
    );
}

async fn a_decision_on_a_card_that_is_not_pending_changes_nothing<P: Ports>(f: &Fixture<P>) {
    use CardStatus::*;
    for (n, status) in (0..).zip([Published, Rejected, Archived, Approved]) {
        let id = card_in(f, status, at(n)).await;
        let before = f.db.card(id).await.unwrap();
        let log_before = f.db.log(id).await.unwrap();
        for decision in [approve(id, at(50)), reject(id, at(50))] {
            assert_eq!(
                f.db.decide(&decision).await.answer(),
                Ok(DecisionOutcome::AlreadyDecided { current: status }),
                "{decision:?} on {status}"
            );
        }
        assert_eq!(f.db.card(id).await.unwrap(), before, "unchanged");
        assert_eq!(f.db.log(id).await.unwrap(), log_before, "nothing logged");
    }
}

async fn a_decision_on_a_missing_or_deleted_card_is_not_found<P: Ports>(f: &Fixture<P>) {
    let deleted = card_in(f, CardStatus::Pending, at(1)).await;
    f.db.apply_partner_action(PARTNER, deleted, CardAction::Delete, at(2))
        .await
        .unwrap();
    for id in [deleted, CardId(deleted.get() + 100)] {
        assert_eq!(
            f.db.decide(&approve(id, at(3))).await.answer(),
            Err(Refusal::NotFound)
        );
        assert_eq!(f.db.log(id).await.answer(), Ok(vec![]));
    }
    assert_eq!(f.db.pending_count().await.answer(), Ok(0));
}

async fn of_two_concurrent_decisions_exactly_one_wins<P: Ports>(f: &Fixture<P>) {
    for round in 0..50 {
        let id = card_in(f, CardStatus::Pending, at(round)).await;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let decisions = [approve(id, at(1000 + round)), reject(id, at(1000 + round))];
        let tasks: Vec<_> = decisions
            .into_iter()
            .map(|decision| {
                let (db, barrier) = (f.db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let outcome = db.decide(&decision).await;
                    (decision.verdict.target(), outcome)
                })
            })
            .collect();
        let mut winners = Vec::new();
        let mut losers = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                (target, Ok(DecisionOutcome::Applied(card))) => {
                    assert_eq!(card.status, target);
                    winners.push(target);
                }
                (_, Ok(DecisionOutcome::AlreadyDecided { current })) => losers.push(current),
                (_, Err(error)) => panic!("round {round}: a decision failed: {error}"),
            }
        }
        assert_eq!((winners.len(), losers.len()), (1, 1), "round {round}");
        assert_eq!(
            losers[0], winners[0],
            "round {round}: the loser sees the winner's status"
        );
        let card = f.db.card(id).await.unwrap().unwrap();
        assert_eq!(card.status, winners[0]);
        assert_eq!(
            f.db.log(id).await.unwrap().len(),
            1,
            "round {round}: one log entry"
        );
    }
}
