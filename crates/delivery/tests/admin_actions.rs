//! An admin's actions outside the queue and a person deleting their data, end to end: an
//! admin opens a card in the catalog, features it and takes it down with a reason (the
//! partner told in their language, through the outbox); `/forget_me` with its yes/no question
//! deletes the partner's profile, state and cards and keeps the moderation log anonymised.
//! Every scenario runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_cards::{CardId, CardRepository, CardStatus, Timestamp, UserId};
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

const ADMIN: i64 = 900;
/// The partner who owns the cards, who speaks Korean.
const PARTNER: i64 = 500;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

on_both_engines!(
    an_admin_features_and_takes_down_a_card_from_the_catalog_and_the_partner_is_told,
    forget_me_deletes_a_partner_s_data_after_the_yes,
);

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    world.onboard(ADMIN, Locale::En).await;
    world.onboard(PARTNER, Locale::Ko).await;
    scenario(&world).await;
    world.stop().await;
}

/// A published card of the partner in Nha Trang's shops.
async fn published(world: &World, title: &str, at: i64) -> CardId {
    let content = vitrina_testkit::fixtures::shop_card(title);
    let id = world
        .db
        .submit_new(UserId(PARTNER), &content, Timestamp(at))
        .await
        .unwrap();
    let approval = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(at + 1));
    world.db.decide(&approval).await.unwrap();
    id
}

/// The admin opens `title` from the catalog: city, category, then the card. Returns the
/// message of the card's view.
async fn open_from_catalog(world: &World, title: &str, shops: i64) -> i32 {
    let t = |key: &str| world.t(Locale::En, key);
    world.reply_key(ADMIN, Locale::En, "btn-catalog").await;
    world.inline(ADMIN, &t("city-nha-trang")).await;
    let category = world.tw(
        Locale::En,
        "catalog-category-count",
        &[
            ("name", Arg::from(t("category-shops"))),
            ("count", Arg::Number(shops)),
        ],
    );
    world.inline(ADMIN, &category).await;
    let view = world.tw(Locale::En, "btn-view-card", &[("title", Arg::from(title))]);
    world.inline(ADMIN, &view).await;
    let card = world.last(ADMIN);
    assert!(card.body().contains(title), "{card}");
    card.message_id
}

async fn an_admin_features_and_takes_down_a_card_from_the_catalog_and_the_partner_is_told(
    world: &World,
) {
    let t = |key: &str| world.t(Locale::En, key);
    let id = published(world, "Night Market Stall", 1_000).await;
    let view = open_from_catalog(world, "Night Market Stall", 1).await;

    world
        .api()
        .press_inline_button_in(ADMIN, view, &t("btn-admin-feature"))
        .await
        .unwrap();
    world.settle().await;
    assert!(world.db.card(id).await.unwrap().unwrap().featured);
    let card = world.chat(ADMIN).message(view).cloned().unwrap();
    assert!(card.button(&t("btn-admin-unfeature")).is_some(), "{card}");

    let partner_before = world.chat(PARTNER).bot_messages().count();
    world
        .api()
        .press_inline_button_in(ADMIN, view, &t("btn-admin-take-down"))
        .await
        .unwrap();
    world.settle().await;
    world
        .api()
        .press_inline_button_in(ADMIN, view, &t("btn-reason-wrong-category"))
        .await
        .unwrap();
    world.settle().await;

    let card = world.db.card(id).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Rejected);
    assert_eq!(card.rejection_reason.as_deref(), Some("std:wrong_category"));
    let done = world.chat(ADMIN).message(view).cloned().unwrap();
    assert!(done.body().contains(&t("admin-card-taken-down")), "{done}");
    assert!(done.inline_keyboard.is_empty(), "{done}");
    let expected = world.tw(
        Locale::Ko,
        "notify-card-taken-down",
        &[
            ("title", Arg::from("Night Market Stall")),
            (
                "reason",
                Arg::from(world.t(Locale::Ko, "reject-reason-wrong-category")),
            ),
        ],
    );
    let partner = world
        .api()
        .wait_for_bot_messages(PARTNER, partner_before + 1, support::WAIT)
        .await
        .unwrap();
    assert_eq!(partner.last_bot_message().unwrap().body(), expected);
    let actions: Vec<_> = world
        .db
        .log(id)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| (entry.action, entry.moderator, entry.reason))
        .collect();
    assert_eq!(
        actions,
        [
            ("approve".to_owned(), UserId(ADMIN), None),
            ("feature".to_owned(), UserId(ADMIN), None),
            (
                "unpublish".to_owned(),
                UserId(ADMIN),
                Some("std:wrong_category".to_owned())
            ),
        ]
    );
}

async fn forget_me_deletes_a_partner_s_data_after_the_yes(world: &World) {
    let first = published(world, "Lantern Shop", 1_000).await;
    let second = published(world, "Silk Shop", 2_000).await;
    use vitrina_dialog::UserRepository as _;
    world
        .db
        .set_name(UserId(PARTNER), "Min", Some("min_silk"))
        .await
        .unwrap();

    world.command(PARTNER, "forget_me").await;
    let question = world.last(PARTNER);
    assert_eq!(question.body(), world.t(Locale::Ko, "forget-me-ask"));
    // Nothing is deleted before the answer.
    assert!(world.db.card(first).await.unwrap().is_some());

    world
        .api()
        .press_inline_button_in(
            PARTNER,
            question.message_id,
            &world.t(Locale::Ko, "btn-forget-me-yes"),
        )
        .await
        .unwrap();
    world.settle().await;

    let done = world
        .chat(PARTNER)
        .message(question.message_id)
        .cloned()
        .unwrap();
    assert_eq!(
        done.body(),
        world.tw(Locale::Ko, "forget-me-done", &[("cards", Arg::Number(2))])
    );
    assert_eq!(
        world.last(PARTNER).body(),
        world.t(Locale::Ko, "forget-me-goodbye")
    );
    assert!(
        world.chat(PARTNER).reply_keyboard.is_none(),
        "the menu's keyboard is gone"
    );
    for id in [first, second] {
        assert_eq!(world.db.card(id).await.unwrap(), None);
        assert_eq!(
            world.db.log(id).await.unwrap(),
            [],
            "no log entry names the card"
        );
    }

    // Seen again, the person starts from the language choice: nothing of them was kept.
    world.command(PARTNER, "start").await;
    let picker = world.last(PARTNER);
    assert!(
        picker.button(&Locale::Ko.picker_label()).is_some(),
        "{picker}"
    );
    let profile = world.db.user(UserId(PARTNER)).await.unwrap();
    assert_eq!(
        (profile.locale, profile.first_name, profile.is_partner),
        (None, None, false)
    );
}
