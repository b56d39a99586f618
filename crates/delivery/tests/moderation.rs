//! Moderation end to end: rejection with each reason and a custom one, the partner told in
//! the partner's language, resubmission, two admins deciding one card at once, Skip and
//! Finish over a queue walked oldest first, the "Moderation (N)" count on an admin's menu,
//! and every admin told of a new submission with a *Review* button. Every scenario runs on
//! SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_cards::{CardId, CardRepository, CardStatus, UserId};
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{AdminRepository, ModerationRepository};

/// An admin of `ADMIN_IDS` who speaks English.
const ADMIN_EN: i64 = 900;
/// An admin of `ADMIN_IDS` who speaks Korean.
const ADMIN_KO: i64 = 901;
/// An admin added at run time (`bot admin add`), who speaks Vietnamese.
const ADMIN_VI: i64 = 902;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN_EN), UserId(ADMIN_KO)],
        ..Settings::default()
    }
}

on_both_engines!(
    two_admins_deciding_one_card_at_once_exactly_one_decision_counts,
    a_new_submission_notifies_every_admin_in_their_language_with_a_review_button,
);

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    world.onboard(ADMIN_EN, Locale::En).await;
    world.onboard(ADMIN_KO, Locale::Ko).await;
    scenario(&world).await;
    world.stop().await;
}

// ---------------------------------------------------------------------------------------------
// Acting as a partner

/// Presses the inline button of the newest bot message that is `name`, or `✓ name` where the
/// wizard marks the answer already chosen.
async fn choose(world: &World, user: i64, name: &str) {
    let chosen = format!("✓ {name}");
    let label = if world
        .chat(user)
        .bot_messages()
        .filter(|m| m.button(name).is_some() || m.button(&chosen).is_some())
        .last()
        .is_some_and(|m| m.button(name).is_none())
    {
        chosen
    } else {
        name.to_owned()
    };
    world.inline(user, &label).await;
}

/// Opens the add-card wizard from wherever the partner is (becoming a partner the first
/// time).
async fn open_wizard(world: &World, partner: i64, locale: Locale) {
    let offers = |key: &str| {
        let label = world.t(locale, key);
        world
            .chat(partner)
            .reply_keyboard
            .is_some_and(|keyboard| keyboard.contains(&label))
    };
    if !offers("btn-add-card") {
        world.reply_key(partner, locale, "btn-cabinet").await;
    }
    if offers("btn-become-partner") {
        world.reply_key(partner, locale, "btn-become-partner").await;
    } else {
        world.reply_key(partner, locale, "btn-add-card").await;
    }
}

/// Answers every step of an open wizard: Nha Trang, a shop, `title`, a contact, the rest
/// skipped; then submits from the preview.
async fn answer_wizard_and_submit(world: &World, partner: i64, locale: Locale, title: &str) {
    let t = |key: &str| world.t(locale, key);
    assert_eq!(world.last(partner).body(), t("wizard-city"));
    choose(world, partner, &t("city-nha-trang")).await;
    world.inline_key(partner, locale, "btn-skip").await;
    choose(world, partner, &t("category-shops")).await;
    assert_eq!(
        world.last(partner).body().lines().next(),
        Some(&*t("wizard-title"))
    );
    world.text(partner, title).await;
    world.reply_key(partner, locale, "btn-skip").await;
    world.text(partner, "@vitrina_partner").await;
    for _ in ["address", "map link", "photos", "discount"] {
        world.reply_key(partner, locale, "btn-skip").await;
    }
    assert!(
        world.last(partner).body().contains(title),
        "{}",
        world.chat(partner)
    );
    world.inline_key(partner, locale, "btn-submit").await;
    assert!(
        world
            .chat(partner)
            .bot_messages()
            .any(|m| m.body() == t("wizard-submitted")),
        "{}",
        world.chat(partner)
    );
}

/// A partner writes a card through the wizard; returns its id.
async fn submit(world: &World, partner: i64, locale: Locale, title: &str) -> CardId {
    open_wizard(world, partner, locale).await;
    answer_wizard_and_submit(world, partner, locale, title).await;
    card_titled(world, partner, title).await
}

async fn card_titled(world: &World, partner: i64, title: &str) -> CardId {
    let first_page = vitrina_cards::PageRequest::new(1, 5);
    let cards = world
        .db
        .partner_cards(UserId(partner), first_page)
        .await
        .unwrap();
    cards
        .items
        .into_iter()
        .find(|card| card.title == title)
        .unwrap()
        .id
}

// ---------------------------------------------------------------------------------------------
// What is stored and what people read

async fn status(world: &World, card: CardId) -> (CardStatus, Option<String>) {
    let card = world.db.card(card).await.unwrap().unwrap();
    (card.status, card.rejection_reason)
}

/// The moderation log of a card as (moderator, action, reason).
async fn log(world: &World, card: CardId) -> Vec<(i64, String, Option<String>)> {
    let entries = world.db.log(card).await.unwrap();
    for entry in &entries {
        assert_eq!(entry.card, card);
        assert!(entry.at.millis() > 0, "{entry:?}");
    }
    entries
        .into_iter()
        .map(|entry| (entry.moderator.get(), entry.action, entry.reason))
        .collect()
}

fn said(world: &World, user: i64, text: &str) -> usize {
    world
        .chat(user)
        .bot_messages()
        .filter(|m| m.body() == text)
        .count()
}

fn rejected_notice(world: &World, locale: Locale, title: &str, reason: &str) -> String {
    world.tw(
        locale,
        "notify-card-rejected",
        &[("title", Arg::from(title)), ("reason", Arg::from(reason))],
    )
}

fn published_notice(world: &World, locale: Locale, title: &str) -> String {
    world.tw(
        locale,
        "notify-card-published",
        &[("title", Arg::from(title))],
    )
}

fn queue_line(world: &World, locale: Locale, left: i64) -> String {
    world.tw(locale, "moderation-queue", &[("left", Arg::Number(left))])
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async fn two_admins_deciding_one_card_at_once_exactly_one_decision_counts(world: &World) {
    let partner = 1301;
    world.onboard(partner, Locale::En).await;
    let title = "Contested Spa";
    let card = submit(world, partner, Locale::En, title).await;
    world.command(ADMIN_EN, "moderate").await;
    world.command(ADMIN_KO, "moderate").await;
    assert!(world.last(ADMIN_EN).body().contains(title));
    assert!(world.last(ADMIN_KO).body().contains(title));
    world.inline_key(ADMIN_KO, Locale::Ko, "btn-reject").await;

    // Both press at once; only then does the bot catch up.
    let approve = world.t(Locale::En, "btn-approve");
    let bad_photo = world.t(Locale::Ko, "btn-reason-bad-photo");
    world
        .api()
        .press_inline_button(ADMIN_EN, &approve)
        .await
        .unwrap();
    world
        .api()
        .press_inline_button(ADMIN_KO, &bad_photo)
        .await
        .unwrap();
    world.settle().await;

    let entries = log(world, card).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let ((winner, winner_locale), (loser, loser_locale)) = if entries[0].0 == ADMIN_EN {
        assert_eq!(status(world, card).await, (CardStatus::Published, None));
        ((ADMIN_EN, Locale::En), (ADMIN_KO, Locale::Ko))
    } else {
        assert_eq!(
            status(world, card).await,
            (CardStatus::Rejected, Some("std:bad_photo".to_owned()))
        );
        ((ADMIN_KO, Locale::Ko), (ADMIN_EN, Locale::En))
    };
    let already = world.t(loser_locale, "moderation-already-decided");
    let chat = world.chat(loser);
    assert_eq!(said(world, loser, &already), 1, "{chat}");
    let answer = chat.callbacks.last().unwrap().answer.clone().unwrap();
    assert_eq!(
        (answer.text.as_deref(), answer.show_alert),
        (Some(&*already), true)
    );
    let not_told = world.t(winner_locale, "moderation-already-decided");
    assert_eq!(said(world, winner, &not_told), 0, "{}", world.chat(winner));

    // The partner hears of one decision only.
    let published = published_notice(world, Locale::En, title);
    let rejected = rejected_notice(
        world,
        Locale::En,
        title,
        &world.t(Locale::En, "reject-reason-bad-photo"),
    );
    assert_eq!(
        said(world, partner, &published) + said(world, partner, &rejected),
        1,
        "{}",
        world.chat(partner)
    );
}

async fn a_new_submission_notifies_every_admin_in_their_language_with_a_review_button(
    world: &World,
) {
    world.db.add_admin(UserId(ADMIN_VI)).await.unwrap();
    world.onboard(ADMIN_VI, Locale::Vi).await;
    let partner = 1701;
    world.onboard(partner, Locale::Ru).await;
    let title = "Баня у моря";
    let card = submit(world, partner, Locale::Ru, title).await;

    let admins = [
        (ADMIN_EN, Locale::En),
        (ADMIN_KO, Locale::Ko),
        (ADMIN_VI, Locale::Vi),
    ];
    for (admin, locale) in admins {
        let notice = world.tw(
            locale,
            "notify-new-submission",
            &[
                ("title", Arg::from(title)),
                ("partner", Arg::from(format!("User{partner}"))),
            ],
        );
        let chat = world.chat(admin);
        let message = chat.bot_messages().find(|m| m.body() == notice);
        let message = message.unwrap_or_else(|| panic!("{chat}"));
        assert_eq!(
            message.button_labels(),
            vec![world.t(locale, "btn-review").as_str()]
        );
    }
    // The partner is not told as if they were an admin.
    assert!(
        !world
            .chat(partner)
            .bot_messages()
            .any(|m| m.button(&world.t(Locale::Ru, "btn-review")).is_some())
    );

    // Review opens the card for moderation.
    world.inline_key(ADMIN_VI, Locale::Vi, "btn-review").await;
    let review = world.last(ADMIN_VI);
    assert!(review.body().starts_with(title), "{review}");
    assert!(review.body().ends_with(&queue_line(world, Locale::Vi, 1)));
    assert!(
        review
            .button_labels()
            .contains(&&*world.t(Locale::Vi, "btn-approve"))
    );
    world.inline_key(ADMIN_VI, Locale::Vi, "btn-approve").await;
    assert_eq!(status(world, card).await, (CardStatus::Published, None));

    // Another admin's Review of the decided card says so.
    world.inline_key(ADMIN_KO, Locale::Ko, "btn-review").await;
    let chat = world.chat(ADMIN_KO);
    assert_eq!(
        said(
            world,
            ADMIN_KO,
            &world.t(Locale::Ko, "moderation-already-decided")
        ),
        1,
        "{chat}"
    );
    assert_eq!(
        chat.last_bot_message().unwrap().body(),
        world.t(Locale::Ko, "moderation-empty")
    );
}
