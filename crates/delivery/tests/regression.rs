//! The partner-cabinet regression checklist of the old runbook (§5), automated end to end in
//! each of the four languages: policy; cabinet; become partner; the whole wizard with photos;
//! submit; an admin approves with /moderate; My cards shows the card published; with 7 cards
//! Back / Forward / Refresh; view; Hide → archived and still listed → Show → published;
//! Delete with confirmation.
#![allow(clippy::unwrap_used)]

mod support;

use support::{Engine, World};
use vitrina_cards::{CardRepository, Timestamp, UserId};
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

async fn checklist(world: &World, locale: Locale, partner: i64) {
    let t = |key: &str| world.t(locale, key);
    let title = format!("Sea Breeze {}", locale.code());

    // Policy: the welcome offers to read and accept it; reading shows it in the chat.
    let _ = world.api().user(partner).with_language(locale.code());
    world.command(partner, "start").await;
    assert_eq!(world.last(partner).body(), t("language-picker"));
    world.inline(partner, &locale.picker_label()).await;
    assert_eq!(world.last(partner).body(), t("welcome"));
    world.inline_key(partner, locale, "btn-read-policy").await;
    assert_eq!(world.last(partner).body(), t("policy-text"));
    world.inline_key(partner, locale, "btn-accept-policy").await;
    let keyboard = world.chat(partner).reply_keyboard.unwrap();
    assert!(keyboard.contains(&t("btn-catalog")) && keyboard.contains(&t("btn-cabinet")));

    // Cabinet of a visitor, then Become partner starts the wizard at the city.
    world.reply_key(partner, locale, "btn-cabinet").await;
    assert_eq!(world.last(partner).body(), t("cabinet-not-partner"));
    world.reply_key(partner, locale, "btn-become-partner").await;
    assert_eq!(world.last(partner).body(), t("wizard-city"));

    // The whole wizard, with two photos.
    world.inline(partner, &t("city-da-nang")).await;
    world.inline(partner, &t("area-da-nang-coast")).await;
    world.inline(partner, &t("category-restaurants")).await;
    world
        .inline(partner, &t("subcategory-restaurants-street-food"))
        .await;
    assert_eq!(world.last(partner).body(), t("wizard-title"));
    world.text(partner, &title).await;
    world.text(partner, "Noodles and sea view").await;
    world.text(partner, "@sea_breeze").await;
    world.text(partner, "12 Vo Nguyen Giap").await;
    world
        .text(partner, "https://maps.example.com/sea-breeze")
        .await;
    world.photo(partner).await;
    world.photo(partner).await;
    let done = world.tw(locale, "btn-photos-done", &[("count", Arg::Number(2))]);
    world.reply(partner, &done).await;
    world.text(partner, "10% with this bot").await;
    let preview = world.last(partner);
    assert!(preview.body().contains(&title), "{}", world.chat(partner));
    world.inline_key(partner, locale, "btn-submit").await;
    let chat = world.chat(partner);
    assert!(
        chat.bot_messages()
            .any(|m| m.body() == t("wizard-submitted")),
        "{chat}"
    );

    // The admin approves it with /moderate; the partner is told in the partner's language.
    world.command(ADMIN, "moderate").await;
    let review = world.last(ADMIN);
    assert!(review.body().contains(&title), "{}", world.chat(ADMIN));
    world.inline_key(ADMIN, Locale::En, "btn-approve").await;
    let told = world.tw(
        locale,
        "notify-card-published",
        &[("title", Arg::from(title.as_str()))],
    );
    let chat = world.chat(partner);
    assert!(chat.bot_messages().any(|m| m.body() == told), "{chat}");

    // My cards shows it published.
    world.reply_key(partner, locale, "btn-my-cards").await;
    let list = world.last(partner);
    assert!(list.body().contains(&title), "{list:?}");
    assert!(list.body().contains(&t("status-published")), "{list:?}");

    // With 7 cards: two pages, Forward / Back / Refresh edit the list in place.
    let extra = fixtures::shop_card("Extra shop");
    for n in 0..6 {
        let id = world
            .db
            .submit_new(UserId(partner), &extra, Timestamp(n))
            .await
            .unwrap();
        let approve = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(n));
        world.db.decide(&approve).await.unwrap();
    }
    world.reply_key(partner, locale, "btn-my-cards").await;
    let list = world.last(partner);
    assert!(list.button_labels().contains(&"1/2"), "{list:?}");
    let message = list.message_id;
    world.inline_key(partner, locale, "btn-page-forward").await;
    let page = world.chat(partner).message(message).cloned().unwrap();
    assert!(
        page.edited && page.button_labels().contains(&"2/2"),
        "{page:?}"
    );
    world.inline_key(partner, locale, "btn-page-back").await;
    let page = world.chat(partner).message(message).cloned().unwrap();
    assert!(page.button_labels().contains(&"1/2"), "{page:?}");
    world.inline_key(partner, locale, "btn-refresh").await;
    assert!(
        world
            .chat(partner)
            .message(message)
            .unwrap()
            .button_labels()
            .contains(&"1/2")
    );

    // View, Hide → archived and still listed, Show → published.
    let view_label = world.tw(
        locale,
        "btn-view-card",
        &[("title", Arg::from(title.as_str()))],
    );
    world.inline(partner, &view_label).await;
    let view = world.last(partner);
    assert!(view.body().contains(&t("status-published")), "{view:?}");
    world.inline_key(partner, locale, "btn-hide").await;
    let view = world
        .chat(partner)
        .message(view.message_id)
        .cloned()
        .unwrap();
    assert!(view.body().contains(&t("status-archived")), "{view:?}");
    world.reply_key(partner, locale, "btn-my-cards").await;
    assert!(world.last(partner).body().contains(&title));
    world.inline(partner, &view_label).await;
    world.inline_key(partner, locale, "btn-show").await;
    assert!(world.last(partner).body().contains(&t("status-published")));

    // Delete with confirmation: gone from the list.
    world.inline_key(partner, locale, "btn-delete").await;
    assert!(
        world
            .last(partner)
            .body()
            .contains(&t("card-delete-confirm"))
    );
    world
        .inline_key(partner, locale, "btn-delete-confirm")
        .await;
    assert!(world.last(partner).body().contains(&t("card-deleted")));
    world.reply_key(partner, locale, "btn-my-cards").await;
    assert!(
        !world.last(partner).body().contains(&title),
        "{}",
        world.chat(partner)
    );
}

async fn run_checklist(engine: Engine) {
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    world.onboard(ADMIN, Locale::En).await;
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let partner = 1000 + i64::try_from(n).unwrap();
        checklist(&world, locale, partner).await;
    }
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn partner_cabinet_regression_checklist_in_every_locale_on_sqlite() {
    run_checklist(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn partner_cabinet_regression_checklist_in_every_locale_on_postgres() {
    run_checklist(Engine::Postgres).await;
}
