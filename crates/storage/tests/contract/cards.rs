//! Cards: submit, read, ownership, partner actions, resubmit, the partner list and its pages.

use vitrina_cards::{
    AreaId, CardAction, CardContent, CardStatus, CategoryId, CityId, PhotoId, RepositoryError,
    SubcategoryId, TransitionError,
};

use crate::given::card_in;
use crate::harness::{Fixture, Ports};
use crate::support::given::{
    Answer, OTHER_PARTNER, PARTNER, Refusal, at, content, full_content, page, reject,
};

contract!(
    a_submitted_card_reads_back_whole_with_its_photos_in_order,
    content_naming_missing_reference_data_is_invalid_and_stores_nothing,
    someone_elses_card_is_not_found_and_stays_unchanged,
    partner_actions_follow_the_transition_table,
    a_partner_cannot_approve_or_reject,
    a_deleted_card_is_never_shown_again,
    resubmit_replaces_the_content_of_a_rejected_card_and_makes_it_pending,
    resubmit_refuses_a_pending_card,
    an_edited_published_or_hidden_card_goes_back_to_moderation_out_of_the_catalog,
    resubmit_naming_missing_reference_data_is_invalid_and_changes_nothing,
    concurrent_partner_actions_apply_once,
    the_partner_list_shows_every_status_but_deleted_newest_change_first,
    the_partner_list_pages_by_five,
);

async fn a_submitted_card_reads_back_whole_with_its_photos_in_order<P: Ports>(f: &Fixture<P>) {
    let content = full_content();
    let id = f.db.submit_new(PARTNER, &content, at(1)).await.unwrap();
    let card = f.db.card(id).await.unwrap().expect("the card");
    assert_eq!(card.id, id);
    assert_eq!(card.owner, PARTNER);
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(card.content, content, "every field and the photo order");
    assert!(!card.featured);
    assert_eq!(card.rejection_reason, None);
    assert_eq!((card.created_at, card.updated_at), (at(1), at(1)));
    assert_eq!(f.db.owned_card(PARTNER, id).await.unwrap(), card);

    let second = f.db.submit_new(PARTNER, &content, at(2)).await.unwrap();
    assert_ne!(second, id, "ids are assigned by the storage");
    assert_eq!(
        f.db.card(vitrina_cards::CardId(id.get() + 1000))
            .await
            .unwrap(),
        None
    );
}

async fn content_naming_missing_reference_data_is_invalid_and_stores_nothing<P: Ports>(
    f: &Fixture<P>,
) {
    let base = content("Кофейня «Утро»");
    let cases: [(&str, CardContent); 6] = [
        (
            "unknown city",
            CardContent {
                city: CityId(99),
                ..base.clone()
            },
        ),
        (
            "unknown category",
            CardContent {
                category: CategoryId(99),
                ..base.clone()
            },
        ),
        (
            "area of another city",
            CardContent {
                area: Some(AreaId(201)),
                ..base.clone()
            },
        ),
        (
            "unknown area",
            CardContent {
                area: Some(AreaId(199)),
                ..base.clone()
            },
        ),
        (
            "subcategory of another category",
            CardContent {
                subcategory: Some(SubcategoryId(201)),
                ..base.clone()
            },
        ),
        (
            "seven photos",
            CardContent {
                photos: (0..7).map(|n| PhotoId(format!("p{n}"))).collect(),
                ..base.clone()
            },
        ),
    ];
    for (name, content) in cases {
        let result = f.db.submit_new(PARTNER, &content, at(1)).await;
        assert!(
            matches!(result, Err(RepositoryError::Invalid(_))),
            "{name}: {result:?}"
        );
    }
    let listing = f.db.partner_cards(PARTNER, page(1)).await.unwrap();
    assert_eq!(
        listing.page.total, 0,
        "nothing of a refused card was stored"
    );
}

async fn someone_elses_card_is_not_found_and_stays_unchanged<P: Ports>(f: &Fixture<P>) {
    let id = card_in(f, CardStatus::Published, at(1)).await;
    let db = &f.db;
    assert_eq!(
        db.owned_card(OTHER_PARTNER, id).await.answer(),
        Err(Refusal::NotFound)
    );
    for action in [CardAction::Hide, CardAction::Delete] {
        assert_eq!(
            db.apply_partner_action(OTHER_PARTNER, id, action, at(2))
                .await
                .answer(),
            Err(Refusal::NotFound),
            "{action:?}"
        );
    }
    assert_eq!(
        db.resubmit(OTHER_PARTNER, id, &content("Чужая карточка"), at(2))
            .await
            .answer(),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        db.partner_cards(OTHER_PARTNER, page(1))
            .await
            .unwrap()
            .page
            .total,
        0
    );
    let card = db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(
        (card.status, card.updated_at),
        (CardStatus::Published, at(1))
    );
}

async fn partner_actions_follow_the_transition_table<P: Ports>(f: &Fixture<P>) {
    use CardAction::{Delete, Hide, Show};
    use CardStatus::*;
    // (status before, action, expected result)
    let cases: [(CardStatus, CardAction, Result<CardStatus, Refusal>); 14] = [
        (Published, Hide, Ok(Archived)),
        (Archived, Show, Ok(Published)),
        (Approved, Hide, Ok(Archived)),
        (Pending, Delete, Ok(Deleted)),
        (Published, Delete, Ok(Deleted)),
        (Rejected, Delete, Ok(Deleted)),
        (Archived, Delete, Ok(Deleted)),
        (Approved, Delete, Ok(Deleted)),
        (
            Pending,
            Hide,
            Err(TransitionError {
                from: Pending,
                to: Archived,
            }
            .into()),
        ),
        (
            Rejected,
            Hide,
            Err(TransitionError {
                from: Rejected,
                to: Archived,
            }
            .into()),
        ),
        (
            Published,
            Show,
            Err(TransitionError {
                from: Published,
                to: Published,
            }
            .into()),
        ),
        (
            Archived,
            Hide,
            Err(TransitionError {
                from: Archived,
                to: Archived,
            }
            .into()),
        ),
        (
            Pending,
            Show,
            Err(TransitionError {
                from: Pending,
                to: Published,
            }
            .into()),
        ),
        (Deleted, Show, Err(Refusal::NotFound)),
    ];
    for (n, (before, action, expected)) in (0_i64..).zip(cases) {
        let id = card_in(f, before, at(n)).await;
        let result =
            f.db.apply_partner_action(PARTNER, id, action, at(100 + n))
                .await;
        assert_eq!(result.answer(), expected, "{action:?} on {before}");
        let now = f.db.card(id).await.unwrap();
        match expected {
            Ok(Deleted) => assert_eq!(now, None, "{action:?} on {before}"),
            Ok(status) => {
                let now = now.expect("still there");
                assert_eq!((now.status, now.updated_at), (status, at(100 + n)));
            }
            Err(_) => {
                let stored = now.map(|card| (card.status, card.updated_at));
                let unchanged = (before != Deleted).then_some((before, at(n)));
                assert_eq!(stored, unchanged, "a refused {action:?} changes nothing");
            }
        }
    }
}

async fn a_partner_cannot_approve_or_reject<P: Ports>(f: &Fixture<P>) {
    let id = card_in(f, CardStatus::Pending, at(1)).await;
    for action in [CardAction::Approve, CardAction::Reject, CardAction::Submit] {
        let result = f.db.apply_partner_action(PARTNER, id, action, at(2)).await;
        assert!(
            matches!(result, Err(RepositoryError::Invalid(_))),
            "{action:?}: {result:?}"
        );
    }
    assert_eq!(
        f.db.card(id).await.unwrap().unwrap().status,
        CardStatus::Pending
    );
}

async fn a_deleted_card_is_never_shown_again<P: Ports>(f: &Fixture<P>) {
    let id = card_in(f, CardStatus::Published, at(1)).await;
    let deleted =
        f.db.apply_partner_action(PARTNER, id, CardAction::Delete, at(2))
            .await;
    assert_eq!(deleted.answer(), Ok(CardStatus::Deleted));
    assert_eq!(f.db.card(id).await.answer(), Ok(None));
    assert_eq!(
        f.db.owned_card(PARTNER, id).await.answer(),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        f.db.partner_cards(PARTNER, page(1))
            .await
            .unwrap()
            .page
            .total,
        0
    );
    let filter = vitrina_cards::CatalogFilter {
        city: CityId(1),
        category: CategoryId(1),
        subcategory: None,
        title_contains: None,
    };
    assert_eq!(f.db.catalog(&filter, page(1)).await.unwrap().page.total, 0);
    assert_eq!(
        f.db.apply_partner_action(PARTNER, id, CardAction::Delete, at(3))
            .await
            .answer(),
        Err(Refusal::NotFound),
        "deleted is final"
    );
}

async fn resubmit_replaces_the_content_of_a_rejected_card_and_makes_it_pending<P: Ports>(
    f: &Fixture<P>,
) {
    let id =
        f.db.submit_new(PARTNER, &full_content(), at(1))
            .await
            .unwrap();
    crate::given::decided(f, reject(id, at(2))).await;
    let rejected = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(rejected.status, CardStatus::Rejected);
    assert_eq!(rejected.rejection_reason.as_deref(), Some("std:incomplete"));

    let mut edited = content("Гостевой дом «Берег»");
    edited.photos = vec![PhotoId("new-1".into()), PhotoId("new-2".into())];
    f.db.resubmit(PARTNER, id, &edited, at(3)).await.unwrap();

    let card = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(
        card.content, edited,
        "emptied fields are cleared, photos replaced"
    );
    assert_eq!(card.rejection_reason, None);
    assert_eq!((card.created_at, card.updated_at), (at(1), at(3)));
    assert_eq!(f.db.pending_count().await.answer(), Ok(1));
}

async fn resubmit_naming_missing_reference_data_is_invalid_and_changes_nothing<P: Ports>(
    f: &Fixture<P>,
) {
    let id = card_in(f, CardStatus::Rejected, at(1)).await;
    let wrong = CardContent {
        area: Some(AreaId(201)),
        ..content("Другое название")
    };
    let result = f.db.resubmit(PARTNER, id, &wrong, at(2)).await;
    assert!(
        matches!(result, Err(RepositoryError::Invalid(_))),
        "an area of another city: {result:?}"
    );
    let card = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(
        (card.status, card.content.title.as_str(), card.updated_at),
        (CardStatus::Rejected, "Кофейня «Утро»", at(1))
    );
}

async fn resubmit_refuses_a_pending_card<P: Ports>(f: &Fixture<P>) {
    use CardStatus::*;
    // Published, hidden and legacy approved cards may be edited (the next test); a pending
    // one is being moderated and waits for the decision.
    for (n, status) in (0_i64..).zip([Pending]) {
        let id = card_in(f, status, at(n)).await;
        let result =
            f.db.resubmit(PARTNER, id, &content("Другое название"), at(50))
                .await;
        assert_eq!(
            result.answer(),
            Err(TransitionError {
                from: status,
                to: Pending
            }
            .into()),
            "resubmit of a {status} card"
        );
        let card = f.db.owned_card(PARTNER, id).await.unwrap();
        assert_eq!(card.content.title.as_str(), "Кофейня «Утро»", "unchanged");
    }
    let deleted = card_in(f, Deleted, at(9)).await;
    assert_eq!(
        f.db.resubmit(PARTNER, deleted, &content("Другое название"), at(50))
            .await
            .answer(),
        Err(Refusal::NotFound)
    );
}

async fn an_edited_published_or_hidden_card_goes_back_to_moderation_out_of_the_catalog<P: Ports>(
    f: &Fixture<P>,
) {
    use CardStatus::*;
    for (n, status) in (0_i64..).zip([Published, Archived, Approved]) {
        let id = card_in(f, status, at(n)).await;
        let edited = content("Кофейня «Вечер»");
        f.db.resubmit(PARTNER, id, &edited, at(50)).await.unwrap();
        let card = f.db.owned_card(PARTNER, id).await.unwrap();
        assert_eq!(card.status, Pending, "an edited {status} card is pending");
        assert_eq!(card.content, edited);
        assert_eq!(card.updated_at, at(50));
        assert!(
            !card.status.is_public(),
            "out of the catalog until approved"
        );
        // Someone else cannot edit it.
        assert_eq!(
            f.db.resubmit(OTHER_PARTNER, id, &content("Чужое"), at(60))
                .await
                .answer(),
            Err(Refusal::NotFound)
        );
    }
}

async fn concurrent_partner_actions_apply_once<P: Ports>(f: &Fixture<P>) {
    for round in 0..10 {
        let id = card_in(f, CardStatus::Published, at(round)).await;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let tasks: Vec<_> = (0..2)
            .map(|_| {
                let (db, barrier) = (f.db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    db.apply_partner_action(PARTNER, id, CardAction::Hide, at(100))
                        .await
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap().answer());
        }
        let won = results
            .iter()
            .filter(|r| **r == Ok(CardStatus::Archived))
            .count();
        assert_eq!(won, 1, "round {round}: {results:?}");
        let lost = results.iter().find(|r| r.is_err()).unwrap();
        let refused = Refusal::Refused(TransitionError {
            from: CardStatus::Archived,
            to: CardStatus::Archived,
        });
        let changed = Refusal::StatusChanged(CardStatus::Archived);
        assert!(
            *lost == Err(refused) || *lost == Err(changed),
            "round {round}: the loser sees the winner's status: {lost:?}"
        );
    }
}

async fn the_partner_list_shows_every_status_but_deleted_newest_change_first<P: Ports>(
    f: &Fixture<P>,
) {
    use CardStatus::*;
    let mut expected = Vec::new();
    for (n, status) in (0_i64..).zip([Pending, Published, Rejected, Archived, Deleted, Approved]) {
        let id = card_in(f, status, at(n)).await;
        if status != Deleted {
            expected.push((id, status));
        }
    }
    // Someone else's cards stay out.
    crate::given::card_with(f, OTHER_PARTNER, &content("Чужая"), Published, at(99)).await;
    expected.reverse();
    let listing = f.db.partner_cards(PARTNER, page(1)).await.unwrap();
    let got: Vec<_> = listing
        .items
        .iter()
        .map(|card| (card.id, card.status))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        (listing.page.number, listing.page.count, listing.page.total),
        (1, 1, 5)
    );
    assert!(
        listing
            .items
            .iter()
            .all(|card| card.title == "Кофейня «Утро»")
    );
}

/// Checks page `requested` of a list of `total` cards: (number, count, items on it).
pub fn check(
    total: usize,
    requested: u32,
    listing: &vitrina_cards::Listing<vitrina_cards::CardSummary>,
    expected: (u32, u32, usize),
) {
    let got = (listing.page.number, listing.page.count, listing.items.len());
    assert_eq!(got, expected, "page {requested} of {total} cards");
    assert_eq!(listing.page.total, total as u64);
}

async fn the_partner_list_pages_by_five<P: Ports>(f: &Fixture<P>) {
    // (cards in all, page asked, (page given, pages, items on it))
    let cases = [
        (0, vec![(1, (1, 1, 0)), (0, (1, 1, 0)), (2, (1, 1, 0))]),
        (5, vec![(1, (1, 1, 5)), (2, (1, 1, 5))]),
        (6, vec![(1, (1, 2, 5)), (2, (2, 2, 1)), (3, (2, 2, 1))]),
        (
            11,
            vec![
                (0, (1, 3, 5)),
                (2, (2, 3, 5)),
                (3, (3, 3, 1)),
                (u32::MAX, (3, 3, 1)),
            ],
        ),
    ];
    let mut made = 0;
    let mut ids = Vec::new();
    for (total, pages) in cases {
        while made < total {
            ids.push(card_in(f, CardStatus::Pending, at(made as i64)).await);
            made += 1;
        }
        for (requested, expected) in pages {
            let listing = f.db.partner_cards(PARTNER, page(requested)).await.unwrap();
            check(total, requested, &listing, expected);
        }
        if let Some(newest) = ids.last() {
            let first = f.db.partner_cards(PARTNER, page(1)).await.unwrap();
            assert_eq!(first.items[0].id, *newest, "newest change first");
        }
    }
    // Walking every page of 11 visits each card once.
    let mut walked = Vec::new();
    for number in 1..=3 {
        walked.extend(
            f.db.partner_cards(PARTNER, page(number))
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|c| c.id),
        );
    }
    ids.reverse();
    assert_eq!(walked, ids);
}
