//! Rights and robustness end to end: someone else's card id in a callback, admin actions
//! from someone who is not an admin, malformed and outdated callback data, and a banned
//! person — each changes nothing, is answered politely, and the bot goes on answering.
//!
//! Each scenario is written once and runs on SQLite and on PostgreSQL (skipped without
//! `TEST_DATABASE_URL`).
#![allow(clippy::unwrap_used)]

mod support;

use support::{Engine, World};
use vitrina_cards::{CardId, CardRepository, CardStatus, Timestamp, UserId};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{MAX_CALLBACK_BYTES, Settings};
use vitrina_i18n::Locale;
use vitrina_moderation::{
    Decision, ModerationRepository, RejectionReason, StandardReason, Verdict,
};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;
/// A partner with a card in each status.
const OWNER: i64 = 1001;
/// Another partner, with a published card of their own, who tries the owner's ids.
const INTRUDER: i64 = 1002;
const LOCALE: Locale = Locale::En;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

/// The cards of the scenarios.
struct Cards {
    /// The owner's published card.
    published: CardId,
    /// The owner's card waiting for moderation.
    pending: CardId,
    /// The owner's rejected card.
    rejected: CardId,
    /// The owner's hidden card.
    archived: CardId,
    /// The intruder's own published card.
    own: CardId,
}

impl Cards {
    fn all(&self) -> [CardId; 5] {
        [
            self.published,
            self.pending,
            self.rejected,
            self.archived,
            self.own,
        ]
    }
}

async fn card(world: &World, owner: i64, title: &str, verdict: Option<Verdict>) -> CardId {
    let id = world
        .db
        .submit_new(UserId(owner), &fixtures::shop_card(title), Timestamp(1))
        .await
        .unwrap();
    if let Some(verdict) = verdict {
        let decision = Decision::new(id, UserId(ADMIN), verdict, Timestamp(2));
        world.db.decide(&decision).await.unwrap();
    }
    id
}

/// The admin, the owner and the intruder at their main menus, and the cards.
async fn setup(world: &World) -> Cards {
    for user in [ADMIN, OWNER, INTRUDER] {
        world.onboard(user, LOCALE).await;
    }
    for partner in [OWNER, INTRUDER] {
        world.db.become_partner(UserId(partner)).await.unwrap();
    }
    let rejection = Verdict::Reject(RejectionReason::Standard(StandardReason::Incomplete));
    let archived = card(world, OWNER, "Owner hidden", Some(Verdict::Approve)).await;
    world
        .db
        .apply_partner_action(
            UserId(OWNER),
            archived,
            vitrina_cards::CardAction::Hide,
            Timestamp(3),
        )
        .await
        .unwrap();
    Cards {
        published: card(world, OWNER, "Owner published", Some(Verdict::Approve)).await,
        pending: card(world, OWNER, "Owner pending", None).await,
        rejected: card(world, OWNER, "Owner rejected", Some(rejection)).await,
        archived,
        own: card(world, INTRUDER, "Intruder own", Some(Verdict::Approve)).await,
    }
}

/// Every card's status and the size of its moderation log.
async fn snapshot(world: &World, cards: &Cards) -> Vec<(Option<CardStatus>, usize)> {
    let mut seen = Vec::new();
    for id in cards.all() {
        let status = world.db.card(id).await.unwrap().map(|card| card.status);
        let log = world.db.log(id).await.unwrap().len();
        seen.push((status, log));
    }
    seen
}

/// `user` presses a button carrying `data` on the bot's newest message: the press is
/// answered with an alert reading `answer`, and nothing is sent or edited in the chat.
async fn check_refused(world: &World, user: i64, data: &str, answer: &str) {
    let before = world.chat(user);
    let message = before.last_bot_message().unwrap().message_id;
    world
        .api()
        .send_callback(user, message, data)
        .await
        .unwrap();
    world.settle().await;
    let after = world.chat(user);
    let press = after.callbacks.last().unwrap();
    assert_eq!(press.data.as_deref(), Some(data));
    let given = press
        .answer
        .as_ref()
        .unwrap_or_else(|| panic!("{data:?} was not answered\n{after}"));
    assert_eq!(given.text.as_deref(), Some(answer), "{data:?}\n{after}");
    assert!(given.show_alert, "{data:?} must be answered with an alert");
    assert_eq!(
        after.messages, before.messages,
        "{data:?} sent or edited something\n{after}"
    );
}

/// The bot still answers: /help gets the help.
async fn still_answers(world: &World, user: i64) {
    world.command(user, "help").await;
    assert_eq!(
        world.last(user).body(),
        world.t(LOCALE, "help"),
        "{}",
        world.chat(user)
    );
}

/// Malformed, outdated and oversized data: "this button is outdated" (or "not found" for a
/// well-formed id of no card), nothing changes, and the bot goes on.
async fn malformed_and_outdated_callback_data_changes_nothing(world: &World) {
    let cards = setup(world).await;
    let before = snapshot(world, &cards).await;
    let outdated = world.t(LOCALE, "callback-outdated");
    let not_found = world.t(LOCALE, "not-found");
    let own = cards.own;
    let oversized = format!(
        "my:v:{}:1",
        "0".repeat(MAX_CALLBACK_BYTES + 1 - "my:v::1".len())
    );
    assert_eq!(oversized.len(), MAX_CALLBACK_BYTES + 1);
    let cases = [
        ("garbage".to_owned(), &outdated),
        ("pc:del:1".to_owned(), &outdated),
        ("pc:del:confirm:5".to_owned(), &outdated),
        ("my".to_owned(), &outdated),
        ("my:v:1".to_owned(), &outdated),
        ("my:v:-1:1".to_owned(), &outdated),
        ("my:h:+1:1".to_owned(), &outdated),
        ("my:p:x".to_owned(), &outdated),
        ("my:v:99999999999999999999:1".to_owned(), &outdated),
        ("my:v:9999999999999999999:1".to_owned(), &outdated), // 19 digits, past i64
        (format!("my:dy:{own}:1:extra"), &outdated),
        (format!("mod:rr:{own}:spam"), &outdated),
        ("lang:xx".to_owned(), &outdated),
        ("cat:c:abc".to_owned(), &outdated),
        ("карточка".to_owned(), &outdated),
        (oversized, &outdated),
        // Wizard buttons from before they carried their draft.
        ("wz:submit".to_owned(), &outdated),
        ("wz:resume".to_owned(), &outdated),
        ("wz:c:1".to_owned(), &outdated),
        // Well formed, but the wizard they belong to is not running.
        ("wz:submit:1767225600000:3".to_owned(), &outdated),
        ("wz:resume:1767225600000".to_owned(), &outdated),
        ("wz:c:1767225600000:1:1".to_owned(), &outdated),
        // The intruder's own card, in a status the action does not apply to.
        (format!("my:s:{own}:1"), &outdated),
        (format!("my:e:{own}"), &outdated),
        // Well formed, but no such card (deleted long ago, or never was).
        ("my:v:99999:1".to_owned(), &not_found),
        ("my:dy:99999:1".to_owned(), &not_found),
        (format!("my:v:{}:1", i64::MAX), &not_found),
        ("cat:v:99999:5:0:1".to_owned(), &not_found),
    ];
    for (data, answer) in &cases {
        check_refused(world, INTRUDER, data, answer).await;
    }
    assert_eq!(snapshot(world, &cards).await, before);
    assert_eq!(
        world
            .db
            .user(UserId(INTRUDER))
            .await
            .unwrap()
            .locale
            .as_deref(),
        Some(LOCALE.code())
    );
    still_answers(world, INTRUDER).await;
}

/// Writes each scenario's test once per engine: `sqlite::name` and `postgres::name` (which
/// returns early when TEST_DATABASE_URL is unset).
macro_rules! on_every_engine {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    let world = World::start_on(Engine::Sqlite, settings()).await.unwrap();
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
                    let Some(world) = World::start_on(Engine::Postgres, settings()).await else {
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
    malformed_and_outdated_callback_data_changes_nothing,
}
