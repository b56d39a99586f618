//! Routing end to end, in every language: each main-menu and cabinet button and each command
//! reaches its own screen and never the "didn't understand" fallback — also in the middle of
//! the wizard and from a keyboard of another language; unknown input gets the fallback and
//! the menu; the language picker; a raised policy version; the feature flags turned off.
//!
//! Each scenario is written once and runs on SQLite and on PostgreSQL (skipped without
//! `TEST_DATABASE_URL`).
#![allow(clippy::unwrap_used)]

mod support;

use support::{Engine, World};
use vitrina_cards::{CardId, CardRepository, CardStatus, PageRequest, Timestamp, UserId};
use vitrina_dialog::{Settings, UserRepository};
use vitrina_fake_bot_api::ChatMessage;
use vitrina_i18n::{Arg, Locale};
use vitrina_testkit::fixtures;

/// The admins of every world here: one per locale, in the order of [`Locale::ALL`].
const ADMINS: [i64; 4] = [900, 901, 902, 903];

fn settings() -> Settings {
    Settings {
        admins: ADMINS.map(UserId).to_vec(),
        ..Settings::default()
    }
}

/// Something a person does.
#[derive(Debug, Clone)]
enum Act {
    /// Presses this button of the reply keyboard they have now (fails if it is not there).
    Press(String),
    /// Presses this inline button of the newest bot message that has it.
    Tap(String),
    /// Sends this command.
    Command(&'static str),
    /// Types this text; also what a reply keyboard no longer on screen sends.
    Type(String),
    /// Sends a sticker.
    Sticker,
    /// Sends a photo.
    Photo,
    /// Presses a button of the bot's newest message that carries this callback data.
    Callback(String),
}

/// Does `act` as `user` and returns the bot messages sent, or edited in place, in answer.
async fn act(world: &World, user: i64, act: &Act) -> Vec<ChatMessage> {
    let before = world.chat(user).messages;
    let seen = before.last().map_or(0, |message| message.message_id);
    match act {
        Act::Press(label) => world.reply(user, label).await,
        Act::Tap(label) => world.inline(user, label).await,
        Act::Command(name) => world.command(user, name).await,
        Act::Type(text) => world.text(user, text).await,
        Act::Sticker => {
            world.api().send_sticker(user).await;
            world.settle().await;
        }
        Act::Photo => world.photo(user).await,
        Act::Callback(data) => {
            let message = world.last(user).message_id;
            world
                .api()
                .send_callback(user, message, data)
                .await
                .unwrap();
            world.settle().await;
        }
    }
    world
        .chat(user)
        .messages
        .into_iter()
        .filter(|message| {
            message.from_bot
                && (message.message_id > seen
                    || !before.iter().any(|old| {
                        old.message_id == message.message_id && old.body() == message.body()
                    }))
        })
        .collect()
}

/// Does `step` and asserts that the answer shows `screen` (some new message contains it)
/// and that no message of the answer is the "didn't understand" fallback.
async fn check(world: &World, user: i64, locale: Locale, step: &Act, screen: &str) {
    let answer = act(world, user, step).await;
    let fallback = world.t(locale, "unknown-input");
    assert!(
        answer.iter().any(|message| message.body().contains(screen)),
        "{step:?} must show {screen:?}\n{}",
        world.chat(user)
    );
    assert!(
        answer.iter().all(|message| message.body() != fallback),
        "{step:?} fell through to the fallback\n{}",
        world.chat(user)
    );
}

/// The labels of the user's reply keyboard now.
fn keyboard(world: &World, user: i64) -> Vec<String> {
    world
        .chat(user)
        .reply_keyboard
        .map(|keyboard| keyboard.labels().into_iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn main_menu(world: &World, locale: Locale) -> Vec<String> {
    ["btn-catalog", "btn-cabinet", "btn-language", "btn-help"]
        .map(|key| world.t(locale, key))
        .to_vec()
}

fn moderation_label(world: &World, locale: Locale, waiting: i64) -> String {
    world.tw(locale, "btn-moderation", &[("count", Arg::Number(waiting))])
}

async fn status(world: &World, id: CardId) -> Option<CardStatus> {
    world.db.card(id).await.unwrap().map(|card| card.status)
}

fn user_of(base: i64, index: usize) -> i64 {
    base + i64::try_from(index).unwrap()
}

// ---------------------------------------------------------------------------------------
// Every button and every command reaches its screen.

/// A visitor presses every main-menu and cabinet button, becomes a partner, presses the
/// partner's cabinet buttons, then sends every command: each shows its own screen.
async fn buttons_and_commands(world: &World, locale: Locale, user: i64) {
    let t = |key: &str| world.t(locale, key);
    let press = |key: &str| Act::Press(world.t(locale, key));
    world.onboard(user, locale).await;
    assert_eq!(keyboard(world, user), main_menu(world, locale));

    let steps = [
        (press("btn-catalog"), "catalog-choose-city"),
        (press("btn-language"), "language-picker"),
        (press("btn-help"), "help"),
        (press("btn-cabinet"), "cabinet-not-partner"),
        (press("btn-main-menu"), "main-menu"),
        (press("btn-cabinet"), "cabinet-not-partner"),
        (press("btn-become-partner"), "wizard-city"),
        (Act::Command("cancel"), "wizard-cancelled"),
        (press("btn-add-card"), "wizard-city"),
        (press("btn-my-cards"), "my-cards-empty"),
        // A draft with no answer yet is not offered back: the wizard starts again.
        (press("btn-add-card"), "wizard-city"),
        (press("btn-main-menu"), "main-menu"),
        (Act::Command("start"), "main-menu"),
        (Act::Command("menu"), "main-menu"),
        (Act::Command("catalog"), "catalog-choose-city"),
        (Act::Command("cabinet"), "cabinet-partner"),
        (Act::Command("language"), "language-picker"),
        (Act::Command("help"), "help"),
        (Act::Command("policy"), "policy-text"),
        (Act::Command("cancel"), "cancel-nothing"),
    ];
    for (step, screen) in &steps {
        check(world, user, locale, step, &t(screen)).await;
    }
    assert!(world.db.user(UserId(user)).await.unwrap().is_partner);

    // /moderate from someone who is not an admin: exactly the unknown-command answer.
    let unknown = act(world, user, &Act::Command("weather")).await;
    let unknown_keyboard = keyboard(world, user);
    let moderate = act(world, user, &Act::Command("moderate")).await;
    let bodies = |messages: &[ChatMessage]| -> Vec<String> {
        messages.iter().map(|m| m.body().to_owned()).collect()
    };
    assert_eq!(
        bodies(&unknown),
        [t("unknown-input")],
        "{}",
        world.chat(user)
    );
    assert_eq!(bodies(&moderate), bodies(&unknown), "{}", world.chat(user));
    assert_eq!(keyboard(world, user), unknown_keyboard);
}

/// The wizard waits for a title: every command and every menu label still reaches its
/// screen instead of being taken as the title.
async fn in_the_middle_of_the_wizard(world: &World, locale: Locale, user: i64) {
    let t = |key: &str| world.t(locale, key);
    let typed = |key: &str| Act::Type(world.t(locale, key));
    // The partner's draft has no answer yet: Add card starts it; walk to the title.
    world.text(user, &t("btn-add-card")).await;
    assert_eq!(world.last(user).body(), t("wizard-city"));
    world.inline(user, &t("city-nha-trang")).await;
    world.inline_key(user, locale, "btn-skip").await;
    world.inline(user, &t("category-shops")).await;
    assert_eq!(world.last(user).body(), t("wizard-title"));

    // An unknown command is no answer to the step either: the fallback and the main menu.
    let answer = act(world, user, &Act::Command("titel")).await;
    assert_eq!(answer.len(), 1, "{}", world.chat(user));
    assert_eq!(answer[0].body(), t("unknown-input"));
    assert_eq!(keyboard(world, user), main_menu(world, locale));
    left_the_wizard(world, locale, user).await;

    let steps = [
        (Act::Command("start"), "main-menu"),
        (Act::Command("start ref-42"), "main-menu"),
        (Act::Type("/HELP".into()), "help"),
        (Act::Type("/help@vitrina_bot".into()), "help"),
        (Act::Command("menu"), "main-menu"),
        (Act::Command("catalog"), "catalog-choose-city"),
        (Act::Command("cabinet"), "cabinet-partner"),
        (Act::Command("language"), "language-picker"),
        (Act::Command("help"), "help"),
        (Act::Command("policy"), "policy-text"),
        (typed("btn-catalog"), "catalog-choose-city"),
        (typed("btn-cabinet"), "cabinet-partner"),
        (typed("btn-language"), "language-picker"),
        (typed("btn-help"), "help"),
        (typed("btn-main-menu"), "main-menu"),
        (typed("btn-my-cards"), "my-cards-empty"),
        // Already a partner: the old Become partner button opens the cabinet and keeps the
        // draft, instead of starting another card over it.
        (typed("btn-become-partner"), "cabinet-partner"),
        // Buttons of earlier messages that bring the main menu back.
        (Act::Tap(locale.picker_label()), "main-menu"),
        (Act::Callback("pol:ok".into()), "main-menu"),
    ];
    for (step, screen) in &steps {
        check(world, user, locale, step, &t(screen)).await;
        left_the_wizard(world, locale, user).await;
    }
    check(
        world,
        user,
        locale,
        &Act::Command("cancel"),
        &t("wizard-cancelled"),
    )
    .await;
    assert!(
        world
            .db
            .partner_cards(UserId(user), PageRequest::new(1, 5))
            .await
            .unwrap()
            .items
            .is_empty(),
        "no label became a card title"
    );
}

/// The wizard was left with its draft kept: the next text is no title, and *Add card*
/// offers the draft back at the title step.
async fn left_the_wizard(world: &World, locale: Locale, user: i64) {
    let t = |key: &str| world.t(locale, key);
    world.text(user, "Sea Breeze").await;
    assert_eq!(
        world.last(user).body(),
        t("unknown-input"),
        "{}",
        world.chat(user)
    );
    world.text(user, &t("btn-add-card")).await;
    world.inline_key(user, locale, "btn-draft-continue").await;
    assert_eq!(
        world.last(user).body(),
        t("wizard-title"),
        "{}",
        world.chat(user)
    );
}

/// An admin's Moderation button (with the number waiting) and /moderate.
async fn admin_buttons_and_commands(world: &World, locale: Locale, admin: i64, partner: i64) {
    let t = |key: &str| world.t(locale, key);
    world.onboard(admin, locale).await;
    world.onboard(partner, locale).await;
    let mut menu = main_menu(world, locale);
    menu.push(moderation_label(world, locale, 0));
    assert_eq!(keyboard(world, admin), menu);

    let title = format!("Queue {}", locale.code());
    check(
        world,
        admin,
        locale,
        &Act::Press(moderation_label(world, locale, 0)),
        &t("moderation-empty"),
    )
    .await;
    check(
        world,
        admin,
        locale,
        &Act::Command("moderate"),
        &t("moderation-empty"),
    )
    .await;
    world.db.become_partner(UserId(partner)).await.unwrap();
    let id = world
        .db
        .submit_new(UserId(partner), &fixtures::shop_card(&title), Timestamp(1))
        .await
        .unwrap();
    let steps = [
        (Act::Command("menu"), t("main-menu")),
        (
            Act::Press(moderation_label(world, locale, 1)),
            title.clone(),
        ),
        (Act::Tap(t("btn-mod-finish")), t("moderation-finished")),
    ];
    for (step, screen) in &steps {
        check(world, admin, locale, step, screen).await;
    }
    // While a rejection reason is awaited, an unknown command, a sticker or a photo gets the
    // fallback and the menu, and the reason is no longer awaited: the next text is no
    // rejection.
    for input in [Act::Command("weather"), Act::Sticker, Act::Photo] {
        let steps = [
            (Act::Command("moderate"), title.clone()),
            (Act::Tap(t("btn-reject")), t("moderation-choose-reason")),
            (
                Act::Tap(t("btn-reason-other")),
                t("moderation-enter-reason"),
            ),
        ];
        for (step, screen) in &steps {
            check(world, admin, locale, step, screen).await;
        }
        for input in [
            input.clone(),
            Act::Type("Typed after the menu came back".into()),
        ] {
            let answer = act(world, admin, &input).await;
            assert_eq!(answer.len(), 1, "{input:?}\n{}", world.chat(admin));
            assert_eq!(answer[0].body(), t("unknown-input"), "{input:?}");
        }
        let mut menu = main_menu(world, locale);
        menu.push(moderation_label(world, locale, 1));
        assert_eq!(keyboard(world, admin), menu, "{input:?}");
    }
    assert_eq!(status(world, id).await, Some(CardStatus::Pending));

    let steps = [
        (Act::Command("moderate"), title.clone()),
        (Act::Tap(t("btn-approve")), t("moderation-empty")),
    ];
    for (step, screen) in &steps {
        check(world, admin, locale, step, screen).await;
    }
    assert_eq!(status(world, id).await, Some(CardStatus::Published));
}

async fn every_button_and_command_reaches_its_screen_in_every_locale(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = user_of(1000, n);
        buttons_and_commands(world, locale, user).await;
        in_the_middle_of_the_wizard(world, locale, user).await;
        admin_buttons_and_commands(world, locale, ADMINS[n], user_of(1100, n)).await;
    }
}

// ---------------------------------------------------------------------------------------
// Keyboards of another language, labels without emoji.

// ---------------------------------------------------------------------------------------
// Unknown input.

// ---------------------------------------------------------------------------------------
// Language picker.

// ---------------------------------------------------------------------------------------
// Policy version raised.

// ---------------------------------------------------------------------------------------
// Feature flags off.

/// Writes each scenario's test once per engine: `sqlite::name` and `postgres::name` (which
/// returns early when TEST_DATABASE_URL is unset).
macro_rules! on_every_engine {
    ($($scenario:ident($settings:expr);)*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    let world = World::start_on(Engine::Sqlite, $settings).await.unwrap();
                    super::$scenario(&world).await;
                    world.stop().await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    let Some(world) = World::start_on(Engine::Postgres, $settings).await else {
                        return;
                    };
                    super::$scenario(&world).await;
                    world.stop().await;
                }
            )*
        }
    };
}

on_every_engine! {
    every_button_and_command_reaches_its_screen_in_every_locale(settings());
}
