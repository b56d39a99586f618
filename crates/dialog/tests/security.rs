//! Rights and robustness: someone else's card id in a callback, admin actions from someone
//! who is not an admin, malformed and outdated callback data, and a banned person — each
//! changes nothing, is answered politely, and the bot goes on answering.
//!
//! The dialog runs on its in-memory ports, with people acting in chats built from its effects:
//! no database, no network.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::World;
use vitrina_cards::{CardContent, CardId, CardRepository, CardStatus, CityId, Timestamp, UserId};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{MAX_CALLBACK_BYTES, Settings};
use vitrina_i18n::Locale;
use vitrina_moderation::{
    Decision, ModerationRepository, RejectionReason, StandardReason, Verdict,
};

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

/// Every scenario on a fresh world with the file's settings.
async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    scenario(&world).await;
    world.stop().await;
}

fn content(title: &str) -> CardContent {
    support::shop_card(title, "@owner_contact")
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
        .ports
        .submit_new(UserId(owner), &content(title), Timestamp(1))
        .await
        .unwrap();
    if let Some(verdict) = verdict {
        let decision = Decision::new(id, UserId(ADMIN), verdict, Timestamp(2));
        world.ports.decide(&decision).await.unwrap();
    }
    id
}

/// The admin, the owner and the intruder at their main menus, and the cards.
async fn setup(world: &World) -> Cards {
    for user in [ADMIN, OWNER, INTRUDER] {
        world.onboard(user, LOCALE).await;
    }
    for partner in [OWNER, INTRUDER] {
        world.ports.become_partner(UserId(partner)).await.unwrap();
    }
    let rejection = Verdict::Reject(RejectionReason::Standard(StandardReason::Incomplete));
    let archived = card(world, OWNER, "Owner hidden", Some(Verdict::Approve)).await;
    world
        .ports
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
        let status = world.ports.card(id).await.unwrap().map(|card| card.status);
        let log = world.ports.log(id).await.unwrap().len();
        seen.push((status, log));
    }
    seen
}

/// `user` presses a button carrying `data` on the bot's newest message: the press is
/// answered with an alert reading `answer`, and nothing is sent or edited in the chat.
async fn check_refused(world: &World, user: i64, data: &str, answer: &str) {
    let before = world.chat(user);
    let message = before.last_bot_message().unwrap().message_id;
    world.send_callback(user, message, data).await;
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

/// `user` sends `input`: a command when it starts with `/` (Telegram marks it so), else text.
async fn say(world: &World, user: i64, input: &str) {
    match input.strip_prefix('/') {
        Some(command) => world.command(user, command).await,
        None => world.text(user, input).await,
    }
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

/// The owner's card ids, in every partner action and the catalog view, from another
/// partner: "not found", and the cards stay as they were.
async fn someone_elses_card_id_changes_nothing(world: &World) {
    let cards = setup(world).await;
    let before = snapshot(world, &cards).await;
    let owner_chat = world.chat(OWNER);
    let not_found = world.t(LOCALE, "not-found");
    let Cards {
        published,
        pending,
        rejected,
        archived,
        ..
    } = cards;
    let forged = [
        format!("my:v:{published}:1"),
        format!("my:h:{published}:1"),
        format!("my:d:{published}:1"),
        format!("my:dy:{published}:1"),
        format!("my:s:{archived}:1"),
        format!("my:dy:{archived}:1"),
        format!("my:v:{pending}:1"),
        format!("my:dy:{pending}:1"),
        format!("my:e:{rejected}"),
        format!("my:dy:{rejected}:1"),
        // The catalog shows only published cards, whoever asks.
        format!("cat:v:{pending}:5:0:1"),
        format!("cat:v:{rejected}:5:0:1"),
        format!("cat:v:{archived}:5:0:1"),
    ];
    for data in &forged {
        check_refused(world, INTRUDER, data, &not_found).await;
    }
    assert_eq!(snapshot(world, &cards).await, before);
    assert_eq!(world.chat(OWNER), owner_chat, "the owner was not disturbed");
    // The wizard did not start on the owner's rejected card.
    world.text(INTRUDER, "Stolen title").await;
    assert_eq!(
        world.last(INTRUDER).body(),
        world.t(LOCALE, "unknown-input")
    );
    still_answers(world, INTRUDER).await;
}

/// Moderation from a partner who is not an admin — even on their own card: "not allowed",
/// nothing decided, nothing logged; /moderate and the Moderation label get the
/// unknown-command answer.
async fn admin_actions_from_a_non_admin_change_nothing(world: &World) {
    let cards = setup(world).await;
    let before = snapshot(world, &cards).await;
    let admin_chat = world.chat(ADMIN);
    let not_allowed = world.t(LOCALE, "not-allowed");
    let pending = cards.pending;
    let actions = [
        format!("mod:v:{pending}"),
        format!("mod:a:{pending}"),
        format!("mod:r:{pending}"),
        format!("mod:rr:{pending}:incomplete"),
        format!("mod:ro:{pending}"),
        format!("mod:s:{pending}"),
        "mod:f".to_owned(),
    ];
    for user in [INTRUDER, OWNER] {
        for data in &actions {
            check_refused(world, user, data, &not_allowed).await;
        }
    }
    assert_eq!(snapshot(world, &cards).await, before);
    assert_eq!(world.chat(ADMIN), admin_chat, "no admin was notified");

    // No reason is awaited after the refused "other…": this text is no rejection.
    world
        .text(INTRUDER, "This card breaks every rule there is")
        .await;
    let fallback = world.t(LOCALE, "unknown-input");
    assert_eq!(world.last(INTRUDER).body(), fallback);

    let moderation = world.tw(
        LOCALE,
        "btn-moderation",
        &[("count", vitrina_i18n::Arg::Number(1))],
    );
    for input in ["/moderate", moderation.as_str(), "/moderate now"] {
        say(world, INTRUDER, input).await;
        assert_eq!(
            world.last(INTRUDER).body(),
            fallback,
            "{input:?}\n{}",
            world.chat(INTRUDER)
        );
    }
    assert_eq!(snapshot(world, &cards).await, before);
    still_answers(world, INTRUDER).await;
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
            .ports
            .user(UserId(INTRUDER))
            .await
            .unwrap()
            .locale
            .as_deref(),
        Some(LOCALE.code())
    );
    still_answers(world, INTRUDER).await;
}

/// A page of *My cards* the partner does not have (a forged or outdated `my:p:N`) gets the
/// outdated alert and changes nothing, as other bad payloads do; catalog page numbers out of
/// range are clamped to the pages there are, and the page counter button is answered without
/// a word.
async fn page_numbers_out_of_range(world: &World) {
    let cards = setup(world).await;
    let before = snapshot(world, &cards).await;
    world
        .ports
        .set_city(UserId(INTRUDER), CityId(1))
        .await
        .unwrap();
    world.command(INTRUDER, "cabinet").await;
    world.reply_key(INTRUDER, LOCALE, "btn-my-cards").await;
    let list = world.last(INTRUDER).message_id;
    let outdated = world.t(LOCALE, "callback-outdated");
    for data in ["my:p:0", "my:p:4294967295", "my:p:2"] {
        check_refused(world, INTRUDER, data, &outdated).await;
    }
    world.send_callback(INTRUDER, list, "my:p:1").await;
    let chat = world.chat(INTRUDER);
    let answer = chat.callbacks.last().unwrap().answer.clone();
    assert!(answer.is_some_and(|a| !a.show_alert), "my:p:1\n{chat}");
    assert!(
        chat.message(list).unwrap().button_labels().contains(&"1/1"),
        "{chat}"
    );

    world.command(INTRUDER, "catalog").await;
    let categories = world.last(INTRUDER).message_id;
    let first_page = world.tw(
        LOCALE,
        "catalog-list",
        &[
            ("city", world.t(LOCALE, "city-nha-trang").into()),
            ("category", world.t(LOCALE, "category-shops").into()),
            ("page", vitrina_i18n::Arg::Number(1)),
            ("pages", vitrina_i18n::Arg::Number(1)),
        ],
    );
    for data in ["cat:l:5:0:0", "cat:l:5:0:4294967295"] {
        world.send_callback(INTRUDER, categories, data).await;
        let chat = world.chat(INTRUDER);
        let page = chat.message(categories).unwrap();
        assert_eq!(page.body(), first_page, "{data}\n{chat}");
        assert!(
            page.button_labels()
                .iter()
                .any(|label| label.contains("Owner published")),
            "{data}\n{chat}"
        );
    }

    world.send_callback(INTRUDER, list, "noop").await;
    let chat = world.chat(INTRUDER);
    let answer = chat.callbacks.last().unwrap().answer.clone().unwrap();
    assert_eq!((answer.text, answer.show_alert), (None, false), "{chat}");
    assert_eq!(snapshot(world, &cards).await, before);
    still_answers(world, INTRUDER).await;
}

/// A banned person: every input, a command, a button or a callback on their own card, is
/// answered "not allowed", and nothing changes; unbanned, they are answered again.
async fn a_banned_person_is_not_allowed_anything(world: &World) {
    let cards = setup(world).await;
    let before = snapshot(world, &cards).await;
    let not_allowed = world.t(LOCALE, "not-allowed");
    world
        .ports
        .set_banned(UserId(INTRUDER), true)
        .await
        .unwrap();

    let inputs = [
        "/start".to_owned(),
        "/cabinet".to_owned(),
        world.t(LOCALE, "btn-cabinet"),
        world.t(LOCALE, "btn-my-cards"),
        "hello".to_owned(),
    ];
    for input in &inputs {
        say(world, INTRUDER, input).await;
        assert_eq!(
            world.last(INTRUDER).body(),
            not_allowed,
            "{input:?}\n{}",
            world.chat(INTRUDER)
        );
    }
    let own = cards.own;
    for data in [
        format!("my:h:{own}:1"),
        format!("my:dy:{own}:1"),
        "my:p:1".to_owned(),
    ] {
        check_refused(world, INTRUDER, &data, &not_allowed).await;
    }
    assert_eq!(snapshot(world, &cards).await, before);

    world
        .ports
        .set_banned(UserId(INTRUDER), false)
        .await
        .unwrap();
    still_answers(world, INTRUDER).await;
}

scenarios!(
    someone_elses_card_id_changes_nothing,
    admin_actions_from_a_non_admin_change_nothing,
    malformed_and_outdated_callback_data_changes_nothing,
    page_numbers_out_of_range,
    deleting_the_last_card_of_a_page_leads_back_to_a_page_that_exists,
    a_banned_person_is_not_allowed_anything,
);

/// The way back from deleting the only card of the last page leads to a page that still
/// exists, not to the outdated alert.
async fn deleting_the_last_card_of_a_page_leads_back_to_a_page_that_exists(world: &World) {
    world.onboard(OWNER, LOCALE).await;
    world.ports.become_partner(UserId(OWNER)).await.unwrap();
    for n in 1..=6 {
        card(
            world,
            OWNER,
            &format!("Shop number {n}"),
            Some(Verdict::Approve),
        )
        .await;
    }
    let second = world
        .ports
        .partner_cards(UserId(OWNER), vitrina_cards::PageRequest::new(2, 5))
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    let last = second.items[0].id;
    world.command(OWNER, "cabinet").await;
    world.reply_key(OWNER, LOCALE, "btn-my-cards").await;
    let list = world.last(OWNER).message_id;
    world
        .send_callback(OWNER, list, &format!("my:dy:{last}:2"))
        .await;
    let back = world.t(LOCALE, "btn-back-to-list");
    world.inline(OWNER, &back).await;
    let chat = world.chat(OWNER);
    let answer = chat.callbacks.last().unwrap().answer.clone();
    assert!(answer.is_some_and(|a| !a.show_alert), "{chat}");
    assert!(
        chat.last_bot_message()
            .unwrap()
            .button_labels()
            .contains(&"1/1"),
        "{chat}"
    );
}
