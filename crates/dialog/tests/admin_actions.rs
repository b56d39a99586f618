//! An admin's actions on a published card outside the queue, from the card as they see it in
//! the catalog: featuring it (it comes first in its lists) or not, and taking it down with a
//! reason, the partner told in their own language; every action in the moderation log. And
//! `/forget_me`: a yes/no question, then the person's profile, dialog state and cards deleted
//! and the log kept anonymised. The dialog runs on its in-memory ports.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::World;
use vitrina_cards::{
    CardAction, CardId, CardRepository, CardStatus, CatalogFilter, CategoryId, CityId, PageRequest,
    UserId,
};
use vitrina_dialog::{Callback, DialogStore, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, StandardReason, Verdict};

const ADMIN: i64 = 900;
/// The partner who owns the cards, who speaks Vietnamese.
const PARTNER: i64 = 500;
const VISITOR: i64 = 600;
const SHOPS: CategoryId = CategoryId(5);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

scenarios!(
    an_admin_features_a_card_from_the_catalog_and_it_comes_first,
    nobody_but_an_admin_sees_or_may_press_the_admin_buttons,
    an_admin_takes_a_card_down_and_the_partner_is_told_in_their_language,
    back_from_the_takedown_reasons_brings_the_card_back_and_changes_nothing,
    a_card_the_partner_hid_meanwhile_is_not_taken_down,
    forget_me_asks_first_and_no_keeps_everything,
    forget_me_deletes_the_profile_state_and_cards_and_keeps_the_log_anonymised,
    forget_me_speaks_every_locale,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    world.onboard(ADMIN, Locale::En).await;
    world.onboard(PARTNER, Locale::Vi).await;
    scenario(&world).await;
    world.stop().await;
}

/// A published shop card of the partner.
async fn published(world: &World, title: &str) -> CardId {
    let content = support::shop_card(title, "+84 905 123 456");
    let id = world
        .ports
        .submit_new(UserId(PARTNER), &content, world.now())
        .await
        .unwrap();
    let approval = Decision::new(id, UserId(ADMIN), Verdict::Approve, world.now());
    world.ports.decide(&approval).await.unwrap();
    world.advance(1000);
    id
}

/// `user` opens the card from the catalog's list, as its button would.
async fn open_card(world: &World, user: i64, card: CardId) -> i32 {
    let list = world.chat(user).last_bot_message().unwrap().message_id;
    let view = Callback::CatalogCard {
        card,
        category: SHOPS,
        subcategory: None,
        page: 1,
    };
    world.send_callback(user, list, &view.encode()).await;
    world.chat(user).last_bot_message().unwrap().message_id
}

async fn catalog_titles(world: &World) -> Vec<String> {
    let filter = CatalogFilter {
        city: CityId(1),
        category: SHOPS,
        subcategory: None,
        title_contains: None,
    };
    let listing = world
        .ports
        .catalog(&filter, PageRequest::new(1, 5))
        .await
        .unwrap();
    listing
        .items
        .into_iter()
        .map(|card| card.title.to_string())
        .collect()
}

async fn actions(world: &World, card: CardId) -> Vec<(String, UserId)> {
    let log = world.ports.log(card).await.unwrap();
    log.into_iter()
        .map(|entry| (entry.action, entry.moderator))
        .collect()
}

async fn an_admin_features_a_card_from_the_catalog_and_it_comes_first(world: &World) {
    let t = |key: &str| world.t(Locale::En, key);
    let older = published(world, "Old Shop").await;
    published(world, "New Shop").await;
    assert_eq!(catalog_titles(world).await, ["New Shop", "Old Shop"]);

    let view = open_card(world, ADMIN, older).await;
    let card = world.chat(ADMIN).message(view).cloned().unwrap();
    assert!(card.body().contains("Old Shop"), "{card}");
    assert!(card.button(&t("btn-admin-feature")).is_some(), "{card}");
    assert!(card.button(&t("btn-admin-take-down")).is_some(), "{card}");

    world.inline_in(ADMIN, view, &t("btn-admin-feature")).await;
    assert_eq!(
        world.last_answer(ADMIN).unwrap().text.as_deref(),
        Some(t("admin-card-featured").as_str())
    );
    assert!(world.ports.cards().stored_card(older).unwrap().featured);
    assert_eq!(catalog_titles(world).await, ["Old Shop", "New Shop"]);
    // The card's view is edited in place: the button now takes the mark off.
    let card = world.chat(ADMIN).message(view).cloned().unwrap();
    assert!(card.edited && card.body().contains("Old Shop"), "{card}");
    assert!(card.button(&t("btn-admin-unfeature")).is_some(), "{card}");

    world
        .inline_in(ADMIN, view, &t("btn-admin-unfeature"))
        .await;
    assert!(!world.ports.cards().stored_card(older).unwrap().featured);
    assert_eq!(catalog_titles(world).await, ["New Shop", "Old Shop"]);
    assert_eq!(
        actions(world, older).await,
        [
            ("approve".to_owned(), UserId(ADMIN)),
            ("feature".to_owned(), UserId(ADMIN)),
            ("unfeature".to_owned(), UserId(ADMIN)),
        ]
    );
    // The partner is not told of featuring.
    let partner = world.chat(PARTNER);
    assert!(!partner.transcript().contains("Old Shop"), "{partner}");
}

async fn nobody_but_an_admin_sees_or_may_press_the_admin_buttons(world: &World) {
    let id = published(world, "Quiet Shop").await;
    world.onboard(VISITOR, Locale::En).await;
    let view = open_card(world, VISITOR, id).await;
    let card = world.chat(VISITOR).message(view).cloned().unwrap();
    assert!(card.body().contains("Quiet Shop"), "{card}");
    for key in ["btn-admin-feature", "btn-admin-take-down"] {
        assert!(card.button(&world.t(Locale::En, key)).is_none(), "{card}");
    }
    // Forged presses are refused with an alert and change nothing.
    let forged = [
        Callback::AdminFeature(id),
        Callback::AdminTakeDown(id),
        Callback::AdminTakeDownWith(id, StandardReason::Inappropriate),
    ];
    for callback in forged {
        world.send_callback(VISITOR, view, &callback.encode()).await;
        let answer = world.last_answer(VISITOR).unwrap();
        assert!(answer.show_alert, "{callback:?}");
        assert_eq!(
            answer.text.as_deref(),
            Some(world.t(Locale::En, "not-allowed").as_str())
        );
    }
    let card = world.ports.cards().stored_card(id).unwrap();
    assert_eq!((card.status, card.featured), (CardStatus::Published, false));
    assert_eq!(actions(world, id).await.len(), 1, "only the approval");
}

async fn an_admin_takes_a_card_down_and_the_partner_is_told_in_their_language(world: &World) {
    let t = |key: &str| world.t(Locale::En, key);
    let id = published(world, "Loud Shop").await;
    let view = open_card(world, ADMIN, id).await;
    world
        .inline_in(ADMIN, view, &t("btn-admin-take-down"))
        .await;
    // The reasons take the place of the card.
    let reasons = world.chat(ADMIN).message(view).cloned().unwrap();
    assert_eq!(
        reasons.body(),
        world.tw(
            Locale::En,
            "admin-take-down-choose-reason",
            &[("title", Arg::from("Loud Shop"))]
        )
    );
    assert!(reasons.button(&t("btn-back")).is_some(), "{reasons}");
    assert_eq!(
        world.ports.cards().stored_card(id).unwrap().status,
        CardStatus::Published
    );

    world
        .inline_in(ADMIN, view, &t("btn-reason-inappropriate"))
        .await;

    let card = world.ports.cards().stored_card(id).unwrap();
    assert_eq!(card.status, CardStatus::Rejected);
    assert_eq!(card.rejection_reason.as_deref(), Some("std:inappropriate"));
    assert!(catalog_titles(world).await.is_empty());
    let done = world.chat(ADMIN).message(view).cloned().unwrap();
    assert!(done.body().contains(&t("admin-card-taken-down")), "{done}");
    assert!(done.inline_keyboard.is_empty(), "{done}");
    assert_eq!(
        actions(world, id).await.last(),
        Some(&("unpublish".to_owned(), UserId(ADMIN)))
    );
    let log = world.ports.log(id).await.unwrap();
    assert_eq!(
        log.last().unwrap().reason.as_deref(),
        Some("std:inappropriate")
    );
    // The partner reads it in Vietnamese, with the reason as the partner reads reasons.
    let told = world.last(PARTNER);
    let expected = world.tw(
        Locale::Vi,
        "notify-card-taken-down",
        &[
            ("title", Arg::from("Loud Shop")),
            (
                "reason",
                Arg::from(world.t(Locale::Vi, "reject-reason-inappropriate")),
            ),
        ],
    );
    assert_eq!(told.body(), expected);
    // As after a rejection, the partner may fix the card and submit it again.
    let resubmitted = world
        .ports
        .resubmit(
            UserId(PARTNER),
            id,
            &support::shop_card("Quiet Shop Now", "+84 905 123 456"),
            world.now(),
        )
        .await;
    assert_eq!(resubmitted.map_err(|error| error.to_string()), Ok(()));
}

async fn back_from_the_takedown_reasons_brings_the_card_back_and_changes_nothing(world: &World) {
    let t = |key: &str| world.t(Locale::En, key);
    let id = published(world, "Calm Shop").await;
    let view = open_card(world, ADMIN, id).await;
    let before = world.chat(ADMIN).message(view).cloned().unwrap();
    let partner_before = world.chat(PARTNER).messages.len();
    world
        .inline_in(ADMIN, view, &t("btn-admin-take-down"))
        .await;
    world.inline_in(ADMIN, view, &t("btn-back")).await;
    let after = world.chat(ADMIN).message(view).cloned().unwrap();
    assert_eq!(after.body(), before.body());
    assert!(after.button(&t("btn-admin-take-down")).is_some(), "{after}");
    assert!(after.button(&t("btn-back-to-list")).is_some(), "{after}");
    assert_eq!(
        world.ports.cards().stored_card(id).unwrap().status,
        CardStatus::Published
    );
    assert_eq!(actions(world, id).await.len(), 1);
    assert_eq!(
        world.chat(PARTNER).messages.len(),
        partner_before,
        "nobody told"
    );
}

async fn a_card_the_partner_hid_meanwhile_is_not_taken_down(world: &World) {
    let t = |key: &str| world.t(Locale::En, key);
    let id = published(world, "Hidden Shop").await;
    let view = open_card(world, ADMIN, id).await;
    world
        .inline_in(ADMIN, view, &t("btn-admin-take-down"))
        .await;
    world
        .ports
        .apply_partner_action(UserId(PARTNER), id, CardAction::Hide, world.now())
        .await
        .unwrap();
    let partner_before = world.chat(PARTNER).messages.len();

    world
        .inline_in(ADMIN, view, &t("btn-reason-incomplete"))
        .await;

    let answer = world.last_answer(ADMIN).unwrap();
    assert!(answer.show_alert);
    assert_eq!(
        answer.text.as_deref(),
        Some(t("admin-card-not-public").as_str())
    );
    assert_eq!(
        world.ports.cards().stored_card(id).unwrap().status,
        CardStatus::Archived
    );
    assert_eq!(actions(world, id).await.len(), 1, "nothing logged");
    assert_eq!(
        world.chat(PARTNER).messages.len(),
        partner_before,
        "nobody told"
    );
}

async fn forget_me_asks_first_and_no_keeps_everything(world: &World) {
    let id = published(world, "Kept Shop").await;
    world.command(PARTNER, "forget_me").await;
    let question = world.last(PARTNER);
    assert_eq!(question.body(), world.t(Locale::Vi, "forget-me-ask"));
    assert_eq!(
        question.button_labels(),
        [
            world.t(Locale::Vi, "btn-forget-me-yes"),
            world.t(Locale::Vi, "btn-forget-me-no")
        ]
    );
    assert!(
        world.ports.profile(UserId(PARTNER)).is_some(),
        "nothing before the answer"
    );

    world
        .inline_in(
            PARTNER,
            question.message_id,
            &world.t(Locale::Vi, "btn-forget-me-no"),
        )
        .await;

    let answered = world
        .chat(PARTNER)
        .message(question.message_id)
        .cloned()
        .unwrap();
    assert_eq!(answered.body(), world.t(Locale::Vi, "forget-me-kept"));
    assert!(answered.inline_keyboard.is_empty());
    let profile = world.ports.profile(UserId(PARTNER)).unwrap();
    assert_eq!(profile.locale.as_deref(), Some("vi"));
    assert!(world.ports.cards().stored_card(id).is_some());
}

async fn forget_me_deletes_the_profile_state_and_cards_and_keeps_the_log_anonymised(world: &World) {
    let live = published(world, "Gone Shop").await;
    let pending = world
        .ports
        .submit_new(
            UserId(PARTNER),
            &support::shop_card("Waiting Shop", "+84 905 123 456"),
            world.now(),
        )
        .await
        .unwrap();
    // Another partner's card stays.
    let other = world
        .ports
        .submit_new(
            UserId(VISITOR),
            &support::shop_card("Other Shop", "+84 905 123 456"),
            world.now(),
        )
        .await
        .unwrap();
    // A moderation walk or a wizard left behind is dialog state.
    world
        .ports
        .save_dialog(UserId(PARTNER), "{}", world.now().plus_millis(60_000))
        .await
        .unwrap();
    assert!(world.ports.dialogs().stored(UserId(PARTNER)).is_some());
    let log_before = world.ports.moderation_log().len();

    world.command(PARTNER, "forget_me").await;
    let question = world.last(PARTNER).message_id;
    world
        .inline_in(PARTNER, question, &world.t(Locale::Vi, "btn-forget-me-yes"))
        .await;

    let done = world.chat(PARTNER).message(question).cloned().unwrap();
    assert_eq!(
        done.body(),
        world.tw(Locale::Vi, "forget-me-done", &[("cards", Arg::Number(2))])
    );
    assert_eq!(
        world.last(PARTNER).body(),
        world.t(Locale::Vi, "forget-me-goodbye")
    );
    assert!(
        world.chat(PARTNER).reply_keyboard.is_none(),
        "the menu's keyboard is taken away"
    );
    assert_eq!(world.ports.profile(UserId(PARTNER)), None);
    assert_eq!(world.ports.dialogs().stored(UserId(PARTNER)), None);
    for id in [live, pending] {
        assert!(world.ports.cards().stored_card(id).is_none(), "{id}");
    }
    assert!(world.ports.cards().stored_card(other).is_some());
    let log = world.ports.moderation_log();
    assert_eq!(log.len(), log_before, "the log keeps its entries");
    assert!(
        log.iter().all(|entry| entry.card != live),
        "without the card"
    );

    // The next message starts afresh, from the language choice.
    world.command(PARTNER, "start").await;
    let picker = world.last(PARTNER);
    assert!(
        picker.button(&Locale::Vi.picker_label()).is_some(),
        "{picker}"
    );
}

async fn forget_me_speaks_every_locale(world: &World) {
    for (n, locale) in (0..).zip(Locale::ALL) {
        let user = 700 + n;
        world.onboard(user, locale).await;
        world.command(user, "forget_me").await;
        let question = world.last(user);
        assert_eq!(question.body(), world.t(locale, "forget-me-ask"));
        world
            .inline_in(
                user,
                question.message_id,
                &world.t(locale, "btn-forget-me-yes"),
            )
            .await;
        let done = world
            .chat(user)
            .message(question.message_id)
            .cloned()
            .unwrap();
        assert_eq!(
            done.body(),
            world.tw(locale, "forget-me-done", &[("cards", Arg::Number(0))]),
            "{locale}"
        );
        assert_eq!(world.ports.profile(UserId(user)), None, "{locale}");
    }
}
