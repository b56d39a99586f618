//! Routing in every language: each main-menu and cabinet button and each command reaches its
//! own screen and never the "didn't understand" fallback — also in the middle of the wizard
//! and from a keyboard of another language; unknown input gets the fallback and the menu; the
//! language picker; a raised policy version; the feature flags turned off.
//!
//! The dialog runs on its in-memory ports, with people acting in chats built from its effects:
//! no database, no network. Sending these screens through the Bot API stays with the
//! end-to-end tests of `vitrina-delivery`.
#![allow(clippy::unwrap_used)]

mod support;

use support::{ChatMessage, World};
use vitrina_cards::{CardContent, CardId, CardRepository, CardStatus, Timestamp, UserId};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{Callback, DraftVersion, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

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
        Act::Sticker => world.sticker(user).await,
        Act::Photo => {
            world.photo(user).await;
        }
        Act::Callback(data) => {
            let message = world.last(user).message_id;
            world.send_callback(user, message, data).await;
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

fn content(title: &str) -> CardContent {
    support::shop_card(title, "+84 905 000 000")
}

async fn published_card(world: &World, owner: i64, title: &str) -> CardId {
    world.ports.become_partner(UserId(owner)).await.unwrap();
    let id = world
        .ports
        .submit_new(UserId(owner), &content(title), Timestamp(1))
        .await
        .unwrap();
    let approve = Decision::new(id, UserId(ADMINS[0]), Verdict::Approve, Timestamp(2));
    world.ports.decide(&approve).await.unwrap();
    id
}

async fn status(world: &World, id: CardId) -> Option<CardStatus> {
    world.ports.card(id).await.unwrap().map(|card| card.status)
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
    assert!(world.ports.user(UserId(user)).await.unwrap().is_partner);

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
            .ports
            .partner_cards(UserId(user), vitrina_cards::PageRequest::new(1, 5))
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
    world.ports.become_partner(UserId(partner)).await.unwrap();
    let id = world
        .ports
        .submit_new(UserId(partner), &content(&title), Timestamp(1))
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

/// Someone switches from `from` to `to` and presses the buttons of the `from` keyboard
/// that their client still shows: each screen comes, in `to`.
async fn old_keyboard(world: &World, from: Locale, to: Locale, user: i64) {
    world.onboard(user, from).await;
    check(
        world,
        user,
        from,
        &Act::Press(world.t(from, "btn-language")),
        &world.t(from, "language-picker"),
    )
    .await;
    check(
        world,
        user,
        to,
        &Act::Tap(to.picker_label()),
        &world.t(to, "main-menu"),
    )
    .await;
    assert_eq!(keyboard(world, user), main_menu(world, to));

    // The chat keeps only the newest keyboard; a client still showing the old one sends
    // its label as text, exactly as typed here.
    let old = |key: &str| Act::Type(world.t(from, key));
    let steps = [
        (old("btn-catalog"), "catalog-choose-city"),
        (old("btn-help"), "help"),
        (old("btn-language"), "language-picker"),
        (old("btn-cabinet"), "cabinet-not-partner"),
        (old("btn-main-menu"), "main-menu"),
        (old("btn-become-partner"), "wizard-city"),
        (old("btn-my-cards"), "my-cards-empty"),
        (old("btn-add-card"), "wizard-city"),
        (old("btn-main-menu"), "main-menu"),
    ];
    for (step, screen) in &steps {
        check(world, user, to, step, &world.t(to, screen)).await;
    }
}

async fn a_keyboard_left_from_another_locale_still_works(world: &World) {
    let mut n = 0;
    for from in Locale::ALL {
        for to in Locale::ALL.into_iter().filter(|to| *to != from) {
            old_keyboard(world, from, to, user_of(2000, n)).await;
            n += 1;
        }
    }
}

/// A label is matched without its emoji, with other spacing and case.
async fn labels_match_without_emoji_spacing_or_case(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = user_of(2100, n);
        world.onboard(user, locale).await;
        let bare = |key: &str| {
            let label = world.t(locale, key);
            let (_emoji, words) = label.split_once(' ').unwrap();
            Act::Type(format!("  {}  ", words.to_uppercase()))
        };
        let steps = [
            (bare("btn-catalog"), "catalog-choose-city"),
            (bare("btn-help"), "help"),
            (bare("btn-language"), "language-picker"),
            (bare("btn-cabinet"), "cabinet-not-partner"),
            (bare("btn-main-menu"), "main-menu"),
        ];
        for (step, screen) in &steps {
            check(world, user, locale, step, &world.t(locale, screen)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Unknown input.

/// Text, a command, a sticker or a photo that nothing expects: "didn't understand" and the
/// main menu, wherever the person was.
async fn unknown_input_gets_the_fallback_and_the_main_menu(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = user_of(2200, n);
        world.onboard(user, locale).await;
        let fallback = world.t(locale, "unknown-input");
        let inputs = [
            Act::Type("What is the weather in Nha Trang?".into()),
            Act::Command("weather"),
            Act::Sticker,
            Act::Photo,
            Act::Type("Каталог ресторанов".into()),
            // A label's emoji alone is no button: a handler never depends on an emoji.
            Act::Type("🗂".into()),
            Act::Type("👍".into()),
        ];
        for input in &inputs {
            // From the visitor's cabinet, so that the menu coming back is visible.
            world.reply_key(user, locale, "btn-cabinet").await;
            let answer = act(world, user, input).await;
            let bodies: Vec<&str> = answer.iter().map(ChatMessage::body).collect();
            assert_eq!(
                bodies,
                [fallback.as_str()],
                "{input:?}\n{}",
                world.chat(user)
            );
            assert_eq!(keyboard(world, user), main_menu(world, locale), "{input:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Language picker.

/// The picker switches to each locale in turn: the picker message says so in the new
/// language, the menu and its keyboard come in it, and the choice is stored.
async fn the_language_picker_switches_every_locale(world: &World) {
    let user = 2300;
    world.onboard(user, Locale::Ru).await;
    let mut current = Locale::Ru;
    for (n, target) in [Locale::En, Locale::Vi, Locale::Ko, Locale::Ru]
        .into_iter()
        .enumerate()
    {
        // The button and the command open the same picker.
        let open = if n % 2 == 0 {
            Act::Press(world.t(current, "btn-language"))
        } else {
            Act::Command("language")
        };
        let picker = act(world, user, &open).await;
        assert_eq!(picker.len(), 1, "{}", world.chat(user));
        assert_eq!(picker[0].body(), world.t(current, "language-picker"));
        let labels = picker[0].button_labels();
        for locale in Locale::ALL {
            assert!(
                labels.contains(&locale.picker_label().as_str()),
                "{labels:?}"
            );
        }

        world.inline(user, &target.picker_label()).await;
        let chat = world.chat(user);
        let changed = chat.message(picker[0].message_id).unwrap();
        assert_eq!(
            changed.body(),
            world.t(target, "language-changed"),
            "{chat}"
        );
        let press = chat.callbacks.last().unwrap();
        let answer = press.answer.as_ref().unwrap();
        assert_eq!(answer.text, Some(world.t(target, "language-changed")));
        assert_eq!(world.last(user).body(), world.t(target, "main-menu"));
        assert_eq!(keyboard(world, user), main_menu(world, target));
        let stored = world.ports.user(UserId(user)).await.unwrap().locale;
        assert_eq!(stored.as_deref(), Some(target.code()));
        check(
            world,
            user,
            target,
            &Act::Press(world.t(target, "btn-help")),
            &world.t(target, "help"),
        )
        .await;
        current = target;
    }
}

/// Before a language is chosen, any input shows the picker.
async fn before_a_language_is_chosen_everything_shows_the_picker(world: &World) {
    let user = 2400;
    world.set_language(user, Some("ko"));
    let picker = world.t(Locale::Ko, "language-picker");
    let inputs = [
        Act::Command("help"),
        Act::Command("catalog"),
        Act::Type(world.t(Locale::En, "btn-cabinet")),
        Act::Type("hello".into()),
        Act::Sticker,
    ];
    for input in &inputs {
        check(world, user, Locale::Ko, input, &picker).await;
    }
    assert_eq!(world.ports.user(UserId(user)).await.unwrap().locale, None);
}

// ---------------------------------------------------------------------------------------
// Policy version raised.

/// Someone accepted version 1; version 2 is in force. Any input shows the welcome again
/// until they accept; /policy shows the text with Accept; the language can still be
/// changed. Accepting stores version 2 and opens the menu.
async fn a_raised_policy_version_asks_again_until_accepted(world: &World) {
    let user = 2500;
    let locale = Locale::En;
    world.set_language(user, Some("en"));
    world.ports.set_locale(UserId(user), "en").await.unwrap();
    world.ports.accept_policy(UserId(user), 1).await.unwrap();
    let t = |key: &str| world.t(locale, key);
    let welcome = t("welcome");

    let inputs = [
        Act::Command("start"),
        Act::Command("menu"),
        Act::Command("catalog"),
        Act::Command("cabinet"),
        Act::Command("help"),
        Act::Command("cancel"),
        Act::Command("moderate"),
        Act::Type(t("btn-catalog")),
        Act::Type(t("btn-cabinet")),
        Act::Type(t("btn-help")),
        Act::Type("hello".into()),
        Act::Sticker,
        Act::Photo,
        Act::Callback("my:p:1".into()),
        Act::Callback("cat:cities".into()),
    ];
    for input in &inputs {
        check(world, user, locale, input, &welcome).await;
        let last = world.last(user);
        assert_eq!(
            last.button_labels(),
            [t("btn-accept-policy"), t("btn-read-policy")],
            "{input:?}"
        );
    }
    check(
        world,
        user,
        locale,
        &Act::Command("policy"),
        &t("policy-text"),
    )
    .await;
    assert_eq!(world.last(user).button_labels(), [t("btn-accept-policy")]);
    check(
        world,
        user,
        locale,
        &Act::Command("language"),
        &t("language-picker"),
    )
    .await;
    check(
        world,
        user,
        locale,
        &Act::Type(t("btn-language")),
        &t("language-picker"),
    )
    .await;
    let profile = world.ports.user(UserId(user)).await.unwrap();
    assert_eq!(profile.accepted_policy, Some(1));

    check(
        world,
        user,
        locale,
        &Act::Tap(t("btn-accept-policy")),
        &t("main-menu"),
    )
    .await;
    let profile = world.ports.user(UserId(user)).await.unwrap();
    assert_eq!(profile.accepted_policy, Some(2));
    assert_eq!(keyboard(world, user), main_menu(world, locale));
    check(world, user, locale, &Act::Command("help"), &t("help")).await;
}

// ---------------------------------------------------------------------------------------
// Feature flags off.

/// `FEATURE_PARTNER_FSM` off: the cabinet, its buttons, its commands and the buttons of
/// cabinet messages sent before say that it is not available, and change nothing.
async fn the_cabinet_says_it_is_unavailable_when_turned_off(world: &World) {
    let earlier = World::on(world.ports.clone(), settings());
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let t = |key: &str| world.t(locale, key);
        let unavailable = t("cabinet-unavailable");
        let visitor = user_of(2600, n);
        world.onboard(visitor, locale).await;
        let steps = [
            Act::Press(t("btn-cabinet")),
            Act::Command("cabinet"),
            Act::Type(t("btn-become-partner")),
        ];
        for step in &steps {
            check(world, visitor, locale, step, &unavailable).await;
        }
        assert!(!world.ports.user(UserId(visitor)).await.unwrap().is_partner);
        assert_eq!(keyboard(world, visitor), main_menu(world, locale));

        // A partner from before the flag went off, with buttons of old cabinet messages.
        let partner = user_of(2700, n);
        world.onboard(partner, locale).await;
        let card = published_card(world, partner, "Old listing").await;
        let steps = [
            Act::Type(t("btn-my-cards")),
            Act::Type(t("btn-add-card")),
            Act::Callback("my:p:1".into()),
            Act::Callback("my:add".into()),
            Act::Callback(format!("my:v:{card}:1")),
            Act::Callback(format!("my:h:{card}:1")),
            Act::Callback(format!("my:d:{card}:1")),
            Act::Callback(format!("my:dy:{card}:1")),
            Act::Callback(format!("my:e:{card}")),
        ];
        for step in &steps {
            check(world, partner, locale, step, &unavailable).await;
        }
        assert_eq!(status(world, card).await, Some(CardStatus::Published));
        check(world, partner, locale, &Act::Command("help"), &t("help")).await;

        // A partner who was in the wizard, at the title, when the flag went off: the answer,
        // the wizard's buttons and the buttons of its messages go no further.
        let writer = user_of(2750, n);
        world.onboard(writer, locale).await;
        world.ports.become_partner(UserId(writer)).await.unwrap();
        for (attempt, answer) in [
            Act::Type("Sea Breeze".into()),
            Act::Photo,
            Act::Type(t("btn-back")),
        ]
        .into_iter()
        .enumerate()
        {
            // Told "unavailable", the wizard keeps its draft for when the cabinet is back.
            let draft_kept = attempt > 0;
            wizard_at_title(world, &earlier, locale, writer, draft_kept).await;
            check(world, writer, locale, &answer, &unavailable).await;
        }
        let draft = DraftVersion {
            draft: 1,
            version: 1,
        };
        for callback in [
            Callback::WizardBack(draft),
            Callback::DraftContinue(1),
            Callback::DraftRestart(1),
        ] {
            check(
                world,
                writer,
                locale,
                &Act::Callback(callback.encode()),
                &unavailable,
            )
            .await;
        }
        // Told once, the wizard is left: the next text is no title.
        let answer = act(world, writer, &Act::Type("Sea Breeze".into())).await;
        assert_eq!(answer.len(), 1, "{}", world.chat(writer));
        assert_eq!(answer[0].body(), t("unknown-input"));
        let cards = world
            .ports
            .partner_cards(UserId(writer), vitrina_cards::PageRequest::new(1, 5))
            .await
            .unwrap();
        assert!(cards.items.is_empty());
    }
}

/// Brings `user`'s wizard to the title under `earlier`, the settings from before the cabinet
/// was turned off, on the same ports and clock as `world`: from the start, or by taking the
/// kept draft back.
async fn wizard_at_title(
    world: &World,
    earlier: &World,
    locale: Locale,
    user: i64,
    draft_kept: bool,
) {
    let t = |key: &str| earlier.t(locale, key);
    earlier.advance(world.now().0 - earlier.now().0);
    earlier.text(user, &t("btn-add-card")).await;
    if draft_kept {
        assert_eq!(
            earlier.last(user).body(),
            t("wizard-draft-resume"),
            "{}",
            earlier.chat(user)
        );
        earlier.inline_key(user, locale, "btn-draft-continue").await;
    } else {
        assert_eq!(
            earlier.last(user).body(),
            t("wizard-city"),
            "{}",
            earlier.chat(user)
        );
        earlier.inline(user, &t("city-nha-trang")).await;
        earlier.inline_key(user, locale, "btn-skip").await;
        earlier.inline(user, &t("category-shops")).await;
    }
    assert_eq!(
        earlier.last(user).body(),
        t("wizard-title"),
        "{}",
        earlier.chat(user)
    );
    world.advance(earlier.now().0 - world.now().0);
}

/// `FEATURE_MODERATION` off: admins get no Moderation button; /moderate, its label and the
/// buttons of earlier moderation messages say that it is off, and change nothing.
async fn moderation_says_it_is_unavailable_when_turned_off(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let t = |key: &str| world.t(locale, key);
        let admin = ADMINS[n];
        world.onboard(admin, locale).await;
        assert_eq!(keyboard(world, admin), main_menu(world, locale));
        let partner = user_of(2800, n);
        world.onboard(partner, locale).await;
        world.ports.become_partner(UserId(partner)).await.unwrap();
        let card = world
            .ports
            .submit_new(UserId(partner), &content("Waiting card"), Timestamp(1))
            .await
            .unwrap();

        let unavailable = t("moderation-unavailable");
        let steps = [
            Act::Command("moderate"),
            Act::Type(moderation_label(world, locale, 1)),
        ];
        for step in &steps {
            check(world, admin, locale, step, &unavailable).await;
        }
        for data in [
            format!("mod:v:{card}"),
            format!("mod:a:{card}"),
            format!("mod:rr:{card}:incomplete"),
        ] {
            act(world, admin, &Act::Callback(data.clone())).await;
            let press = world.chat(admin).callbacks.last().cloned().unwrap();
            let answer = press.answer.unwrap();
            assert_eq!(answer.text.as_deref(), Some(unavailable.as_str()), "{data}");
            assert!(answer.show_alert, "{data}");
        }
        assert_eq!(status(world, card).await, Some(CardStatus::Pending));
        assert!(world.ports.log(card).await.unwrap().is_empty());
    }
}

/// Like the harness's `scenarios!`, with the settings of each scenario's world given beside
/// it: a test `flows::name` per scenario.
macro_rules! scenarios_with_settings {
    ($($scenario:ident($settings:expr);)*) => {
        mod flows {
            use super::*;
            $(
                #[tokio::test]
                async fn $scenario() {
                    let world = World::start($settings);
                    super::$scenario(&world).await;
                    world.stop().await;
                }
            )*
        }
    };
}

/// A language, a city or the policy chosen again as it is stored writes nothing: only a
/// change is a write.
async fn a_choice_that_changes_nothing_writes_nothing(world: &World) {
    let user = 2400;
    world.onboard(user, Locale::Ru).await;
    let writes = || world.ports.users().writes();
    let before = writes();

    world.command(user, "language").await;
    world.inline(user, &Locale::Ru.picker_label()).await;
    assert_eq!(world.last(user).body(), world.t(Locale::Ru, "main-menu"));
    assert_eq!(writes(), before, "the same language");
    world.command(user, "language").await;
    world.inline(user, &Locale::En.picker_label()).await;
    assert_eq!(writes(), before + 1, "another language");
    assert_eq!(world.profile(user).await.locale.as_deref(), Some("en"));

    let nha_trang = world.t(Locale::En, "city-nha-trang");
    world.reply_key(user, Locale::En, "btn-catalog").await;
    world.inline(user, &nha_trang).await;
    assert_eq!(writes(), before + 2, "the first city");
    world.inline_key(user, Locale::En, "btn-change-city").await;
    world.inline(user, &nha_trang).await;
    assert_eq!(writes(), before + 2, "the same city");
    assert!(world.profile(user).await.city.is_some());

    let menu = world.last(user).message_id;
    world
        .send_callback(user, menu, &Callback::AcceptPolicy.encode())
        .await;
    assert_eq!(world.last(user).body(), world.t(Locale::En, "main-menu"));
    assert_eq!(writes(), before + 2, "the policy accepted before");
}

scenarios_with_settings! {
    a_choice_that_changes_nothing_writes_nothing(settings());
    every_button_and_command_reaches_its_screen_in_every_locale(settings());
    a_keyboard_left_from_another_locale_still_works(settings());
    labels_match_without_emoji_spacing_or_case(settings());
    unknown_input_gets_the_fallback_and_the_main_menu(settings());
    the_language_picker_switches_every_locale(settings());
    before_a_language_is_chosen_everything_shows_the_picker(settings());
    a_raised_policy_version_asks_again_until_accepted(Settings {
        policy_version: 2,
        ..settings()
    });
    the_cabinet_says_it_is_unavailable_when_turned_off(Settings {
        partner_cabinet: false,
        ..settings()
    });
    moderation_says_it_is_unavailable_when_turned_off(Settings {
        moderation: false,
        ..settings()
    });
}
