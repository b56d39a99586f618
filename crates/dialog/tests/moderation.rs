//! Moderation as the dialog conducts it: rejection with each reason and a custom one, the
//! partner told in the partner's language, resubmission, two admins deciding one card at once,
//! Skip and Finish over a queue walked oldest first, the "Moderation (N)" count on an admin's
//! menu, and every admin told of a new submission with a *Review* button. The dialog runs on
//! its in-memory ports: no database, no Bot API, each input handled before the call returns.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::World;
use vitrina_cards::{CardId, CardRepository, CardStatus, Timestamp, UserId};
use vitrina_dialog::{Callback, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{AdminRepository, ModerationRepository, StandardReason};

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

scenarios!(
    each_standard_reason_rejects_and_the_partner_reads_it_in_their_language,
    a_custom_reason_is_checked_against_its_rule_then_told_verbatim,
    a_rejected_card_is_fixed_resubmitted_and_queued_again,
    two_admins_deciding_one_card_at_once_exactly_one_decision_counts,
    a_stale_review_is_answered_as_already_decided,
    a_button_of_a_card_the_same_admin_decided_is_outdated_and_shows_nothing_again,
    a_reason_typed_after_another_admin_decided_changes_nothing,
    skip_and_finish_walk_the_queue_oldest_first,
    the_admin_menu_counts_pending_cards_and_nobody_else_may_moderate,
    a_new_submission_notifies_every_admin_in_their_language_with_a_review_button,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
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
        .messages
        .iter()
        .rev()
        .find(|m| m.from_bot && (m.button(name).is_some() || m.button(&chosen).is_some()))
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
    let cards = world
        .ports
        .partner_cards(UserId(partner), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap();
    cards
        .items
        .into_iter()
        .find(|card| card.title == title)
        .unwrap()
        .id
}

/// A pending card of `owner` stored directly, as submitted at `at`.
async fn pending(world: &World, owner: i64, title: &str, at: i64) -> CardId {
    let content = support::shop_card(title, "+84 905 111 222");
    world
        .ports
        .submit_new(UserId(owner), &content, Timestamp(at))
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// What is stored and what people read

async fn status(world: &World, card: CardId) -> (CardStatus, Option<String>) {
    let card = world.ports.card(card).await.unwrap().unwrap();
    (card.status, card.rejection_reason)
}

/// The moderation log of a card as (moderator, action, reason).
async fn log(world: &World, card: CardId) -> Vec<(i64, String, Option<String>)> {
    let entries = world.ports.log(card).await.unwrap();
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

fn moderation_button(world: &World, locale: Locale, pending: i64) -> String {
    world.tw(locale, "btn-moderation", &[("count", Arg::Number(pending))])
}

fn reason_button_key(reason: StandardReason) -> &'static str {
    match reason {
        StandardReason::Incomplete => "btn-reason-incomplete",
        StandardReason::Inappropriate => "btn-reason-inappropriate",
        StandardReason::BadPhoto => "btn-reason-bad-photo",
        StandardReason::WrongCategory => "btn-reason-wrong-category",
    }
}

/// The i18n key of a standard reason's text, as the dialog words it.
fn reason_key(reason: StandardReason) -> &'static str {
    match reason {
        StandardReason::Incomplete => "reject-reason-incomplete",
        StandardReason::Inappropriate => "reject-reason-inappropriate",
        StandardReason::BadPhoto => "reject-reason-bad-photo",
        StandardReason::WrongCategory => "reject-reason-wrong-category",
    }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async fn each_standard_reason_rejects_and_the_partner_reads_it_in_their_language(world: &World) {
    let partners = [
        (1001, Locale::Vi),
        (1002, Locale::Ko),
        (1003, Locale::Ru),
        (1004, Locale::En),
    ];
    for (reason, (partner, locale)) in StandardReason::ALL.into_iter().zip(partners) {
        world.onboard(partner, locale).await;
        let title = format!("Card {} {}", reason.code(), locale.code());
        let card = submit(world, partner, locale, &title).await;

        world.command(ADMIN_EN, "moderate").await;
        assert!(
            world.last(ADMIN_EN).body().contains(&title),
            "{}",
            world.chat(ADMIN_EN)
        );
        world.inline_key(ADMIN_EN, Locale::En, "btn-reject").await;
        let reasons = world.last(ADMIN_EN);
        assert_eq!(
            reasons.body(),
            world.t(Locale::En, "moderation-choose-reason")
        );
        let offered: Vec<String> = StandardReason::ALL
            .into_iter()
            .map(|r| world.t(Locale::En, reason_button_key(r)))
            .chain([
                world.t(Locale::En, "btn-reason-other"),
                world.t(Locale::En, "btn-back"),
            ])
            .collect();
        assert_eq!(reasons.button_labels(), offered, "{reasons}");
        world
            .inline_key(ADMIN_EN, Locale::En, reason_button_key(reason))
            .await;

        let stored = format!("std:{}", reason.code());
        assert_eq!(
            status(world, card).await,
            (CardStatus::Rejected, Some(stored.clone()))
        );
        assert_eq!(
            log(world, card).await,
            vec![(ADMIN_EN, "reject".to_owned(), Some(stored))]
        );
        let told = rejected_notice(world, locale, &title, &world.t(locale, reason_key(reason)));
        assert_eq!(said(world, partner, &told), 1, "{}", world.chat(partner));
        let admin = world.chat(ADMIN_EN);
        assert!(
            admin.bot_messages().any(|m| m.body().contains(&title)
                && m.body()
                    .contains(&world.t(Locale::En, "moderation-rejected"))),
            "{admin}"
        );
    }
}

async fn a_custom_reason_is_checked_against_its_rule_then_told_verbatim(world: &World) {
    let partner = 1101;
    world.onboard(partner, Locale::Vi).await;
    let title = "Phở Hà Nội";
    let card = submit(world, partner, Locale::Vi, title).await;
    let ko = |key: &str| world.t(Locale::Ko, key);

    world.command(ADMIN_KO, "moderate").await;
    world.inline_key(ADMIN_KO, Locale::Ko, "btn-reject").await;
    world
        .inline_key(ADMIN_KO, Locale::Ko, "btn-reason-other")
        .await;
    assert_eq!(world.last(ADMIN_KO).body(), ko("moderation-enter-reason"));

    // Too short, then too long: the rule's message, and nothing decided.
    let too_long = "가".repeat(501);
    let rules = [
        (
            "사진을 바꿔주세요",
            "validation-reason-too-short",
            "min",
            10,
        ),
        (too_long.as_str(), "validation-reason-too-long", "max", 500),
    ];
    for (reason, key, bound, value) in rules {
        world.text(ADMIN_KO, reason).await;
        let rule = world.tw(Locale::Ko, key, &[(bound, Arg::Number(value))]);
        assert_eq!(
            world.last(ADMIN_KO).body(),
            rule,
            "{}",
            world.chat(ADMIN_KO)
        );
        assert_eq!(status(world, card).await, (CardStatus::Pending, None));
        assert!(log(world, card).await.is_empty());
    }

    // A valid reason rejects the card with the moderator's own words.
    let reason = "영업시간과 메뉴 사진을 추가해 주세요";
    world.text(ADMIN_KO, &format!("  {reason}  ")).await;
    assert_eq!(
        status(world, card).await,
        (CardStatus::Rejected, Some(reason.to_owned()))
    );
    assert_eq!(
        log(world, card).await,
        vec![(ADMIN_KO, "reject".to_owned(), Some(reason.to_owned()))]
    );
    let told = rejected_notice(world, Locale::Vi, title, reason);
    assert_eq!(said(world, partner, &told), 1, "{}", world.chat(partner));

    // The reason was taken: further text is not another reason.
    world.text(ADMIN_KO, "이것은 또 다른 긴 이유입니다").await;
    assert_eq!(world.last(ADMIN_KO).body(), ko("unknown-input"));
    assert_eq!(log(world, card).await.len(), 1);
}

async fn a_rejected_card_is_fixed_resubmitted_and_queued_again(world: &World) {
    let partner = 1201;
    let ru = |key: &str| world.t(Locale::Ru, key);
    world.onboard(partner, Locale::Ru).await;
    let card = submit(world, partner, Locale::Ru, "Кофейня Утро").await;
    world.command(ADMIN_EN, "moderate").await;
    world.inline_key(ADMIN_EN, Locale::En, "btn-reject").await;
    world
        .inline_key(ADMIN_EN, Locale::En, "btn-reason-incomplete")
        .await;

    // My cards shows it rejected with the reason in Russian.
    world.reply_key(partner, Locale::Ru, "btn-my-cards").await;
    assert!(world.last(partner).body().contains(&ru("status-rejected")));
    let view = world.tw(
        Locale::Ru,
        "btn-view-card",
        &[("title", Arg::from("Кофейня Утро"))],
    );
    world.inline(partner, &view).await;
    let reason = world.tw(
        Locale::Ru,
        "card-rejection-reason",
        &[("reason", Arg::from(ru("reject-reason-incomplete")))],
    );
    assert!(
        world.last(partner).body().contains(&reason),
        "{}",
        world.chat(partner)
    );

    // Edit and resubmit: the wizard, prefilled; a new title; submitted again.
    let notices_before = said(
        world,
        ADMIN_EN,
        &world.tw(
            Locale::En,
            "notify-new-submission",
            &[
                ("title", Arg::from("Кофейня Утро и Вечер")),
                ("partner", Arg::from(format!("User{partner}"))),
            ],
        ),
    );
    assert_eq!(notices_before, 0);
    world
        .inline_key(partner, Locale::Ru, "btn-edit-resubmit")
        .await;
    answer_wizard_and_submit(world, partner, Locale::Ru, "Кофейня Утро и Вечер").await;

    let stored = world.ports.card(card).await.unwrap().unwrap();
    assert_eq!(
        (
            stored.status,
            stored.rejection_reason,
            stored.content.title.as_str()
        ),
        (CardStatus::Pending, None, "Кофейня Утро и Вечер")
    );
    let notice = world.tw(
        Locale::En,
        "notify-new-submission",
        &[
            ("title", Arg::from("Кофейня Утро и Вечер")),
            ("partner", Arg::from(format!("User{partner}"))),
        ],
    );
    assert_eq!(
        said(world, ADMIN_EN, &notice),
        1,
        "{}",
        world.chat(ADMIN_EN)
    );

    // Back in the queue; approved this time.
    world.command(ADMIN_EN, "moderate").await;
    assert!(world.last(ADMIN_EN).body().contains("Кофейня Утро и Вечер"));
    world.inline_key(ADMIN_EN, Locale::En, "btn-approve").await;
    assert_eq!(status(world, card).await, (CardStatus::Published, None));
    let told = published_notice(world, Locale::Ru, "Кофейня Утро и Вечер");
    assert_eq!(said(world, partner, &told), 1, "{}", world.chat(partner));
    assert_eq!(
        log(world, card).await,
        vec![
            (
                ADMIN_EN,
                "reject".to_owned(),
                Some("std:incomplete".to_owned())
            ),
            (ADMIN_EN, "approve".to_owned(), None),
        ]
    );
}

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

    // Both press at once.
    let approve = world.t(Locale::En, "btn-approve");
    let bad_photo = world.t(Locale::Ko, "btn-reason-bad-photo");
    tokio::join!(
        world.inline(ADMIN_EN, &approve),
        world.inline(ADMIN_KO, &bad_photo),
    );

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
    let answer = world.last_answer(loser).unwrap();
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

async fn a_stale_review_is_answered_as_already_decided(world: &World) {
    let partner = 1401;
    world.onboard(partner, Locale::En).await;
    let title = "Late Review Cafe";
    let card = submit(world, partner, Locale::En, title).await;
    world.command(ADMIN_EN, "moderate").await;
    world.command(ADMIN_KO, "moderate").await;
    let review = world.last(ADMIN_KO).message_id;
    world.inline_key(ADMIN_EN, Locale::En, "btn-approve").await;
    assert_eq!(status(world, card).await, (CardStatus::Published, None));

    // Each button of the Korean admin's old review now says so and changes nothing.
    let already = world.t(Locale::Ko, "moderation-already-decided");
    for key in ["btn-approve", "btn-reject"] {
        let label = world.t(Locale::Ko, key);
        let before = said(world, ADMIN_KO, &already);
        world.inline_in(ADMIN_KO, review, &label).await;
        assert_eq!(
            said(world, ADMIN_KO, &already),
            before + 1,
            "{key}: {}",
            world.chat(ADMIN_KO)
        );
        assert!(
            !world
                .last(ADMIN_KO)
                .button_labels()
                .contains(&&*world.t(Locale::Ko, "btn-reason-bad-photo")),
            "{key}: no reasons for a decided card"
        );
    }
    // A rejection reason chosen from a list shown before the decision changes nothing either.
    let data = Callback::RejectWith(card, StandardReason::Incomplete).encode();
    world.send_callback(ADMIN_KO, review, &data).await;
    assert_eq!(status(world, card).await, (CardStatus::Published, None));
    assert_eq!(
        log(world, card).await,
        vec![(ADMIN_EN, "approve".to_owned(), None)]
    );
    assert_eq!(
        said(world, partner, &published_notice(world, Locale::En, title)),
        1
    );
}

async fn a_reason_typed_after_another_admin_decided_changes_nothing(world: &World) {
    let partner = 1451;
    world.onboard(partner, Locale::Vi).await;
    let title = "Bánh mì Hội An";
    let card = submit(world, partner, Locale::Vi, title).await;
    world.command(ADMIN_KO, "moderate").await;
    world.inline_key(ADMIN_KO, Locale::Ko, "btn-reject").await;
    world
        .inline_key(ADMIN_KO, Locale::Ko, "btn-reason-other")
        .await;
    world.command(ADMIN_EN, "moderate").await;
    world.inline_key(ADMIN_EN, Locale::En, "btn-approve").await;

    let reason = "메뉴 사진이 흐릿해서 다시 찍어 주세요";
    world.text(ADMIN_KO, reason).await;
    let already = world.t(Locale::Ko, "moderation-already-decided");
    assert_eq!(
        said(world, ADMIN_KO, &already),
        1,
        "{}",
        world.chat(ADMIN_KO)
    );
    assert_eq!(status(world, card).await, (CardStatus::Published, None));
    assert_eq!(
        log(world, card).await,
        vec![(ADMIN_EN, "approve".to_owned(), None)]
    );
    let chat = world.chat(partner);
    let published = published_notice(world, Locale::Vi, title);
    assert_eq!(said(world, partner, &published), 1, "{chat}");
    let rejected = rejected_notice(world, Locale::Vi, title, reason);
    assert_eq!(said(world, partner, &rejected), 0, "{chat}");
}

async fn skip_and_finish_walk_the_queue_oldest_first(world: &World) {
    let partner = 1501;
    world.onboard(partner, Locale::En).await;
    // Stored out of order: the queue follows the time, not the id.
    let second = pending(world, partner, "Second in line", 2_000).await;
    let first = pending(world, partner, "First in line", 1_000).await;
    let third = pending(world, partner, "Third in line", 3_000).await;
    let en = |key: &str| world.t(Locale::En, key);
    let review = |title: &str, left: i64| {
        let last = world.last(ADMIN_EN);
        assert!(
            last.body().starts_with(title)
                && last.body().ends_with(&queue_line(world, Locale::En, left)),
            "expected {title} with {left} left: {}",
            world.chat(ADMIN_EN)
        );
        let buttons = [
            "btn-approve",
            "btn-reject",
            "btn-mod-skip",
            "btn-mod-finish",
        ]
        .map(en);
        assert_eq!(last.button_labels(), buttons.each_ref().map(String::as_str));
    };

    world.command(ADMIN_EN, "moderate").await;
    review("First in line", 3);
    world.inline_key(ADMIN_EN, Locale::En, "btn-mod-skip").await;
    review("Second in line", 3);
    world.inline_key(ADMIN_EN, Locale::En, "btn-mod-skip").await;
    review("Third in line", 3);
    world.inline_key(ADMIN_EN, Locale::En, "btn-mod-skip").await;
    // Everything left was skipped: the walk ends saying that three still wait, and the menu
    // still counts all three.
    assert_eq!(
        world.last(ADMIN_EN).body(),
        world.tw(
            Locale::En,
            "moderation-finished-left",
            &[("left", 3.into())]
        )
    );
    let menu = world.chat(ADMIN_EN).reply_keyboard.unwrap();
    assert!(
        menu.contains(&moderation_button(world, Locale::En, 3)),
        "{menu}"
    );
    for card in [first, second, third] {
        assert_eq!(status(world, card).await, (CardStatus::Pending, None));
    }

    // Skips last one walk: the next starts at the oldest again.
    world.command(ADMIN_EN, "moderate").await;
    review("First in line", 3);
    world.inline_key(ADMIN_EN, Locale::En, "btn-approve").await;
    review("Second in line", 2);
    world
        .inline_key(ADMIN_EN, Locale::En, "btn-mod-finish")
        .await;
    assert_eq!(
        world.last(ADMIN_EN).body(),
        world.tw(
            Locale::En,
            "moderation-finished-left",
            &[("left", 2.into())]
        )
    );
    let menu = world.chat(ADMIN_EN).reply_keyboard.unwrap();
    assert!(
        menu.contains(&moderation_button(world, Locale::En, 2)),
        "{menu}"
    );
    assert_eq!(status(world, first).await, (CardStatus::Published, None));
    assert_eq!(status(world, second).await, (CardStatus::Pending, None));

    // The menu button starts a new walk at the oldest card still pending.
    world
        .reply(ADMIN_EN, &moderation_button(world, Locale::En, 2))
        .await;
    review("Second in line", 2);
}

async fn the_admin_menu_counts_pending_cards_and_nobody_else_may_moderate(world: &World) {
    let visitor = 1601;
    world.onboard(visitor, Locale::En).await;
    world.ports.add_admin(UserId(ADMIN_VI)).await.unwrap();
    world.onboard(ADMIN_VI, Locale::Vi).await;

    // An empty queue.
    let menu = world.chat(ADMIN_KO).reply_keyboard.unwrap();
    assert!(
        menu.contains(&moderation_button(world, Locale::Ko, 0)),
        "{menu}"
    );
    world.command(ADMIN_KO, "moderate").await;
    assert_eq!(
        world.last(ADMIN_KO).body(),
        world.t(Locale::Ko, "moderation-empty")
    );

    // Two cards wait: every admin's menu says so, in their language.
    let older = pending(world, visitor, "Older card", 1_000).await;
    pending(world, visitor, "Newer card", 2_000).await;
    for (admin, locale) in [
        (ADMIN_EN, Locale::En),
        (ADMIN_KO, Locale::Ko),
        (ADMIN_VI, Locale::Vi),
    ] {
        world.command(admin, "menu").await;
        let menu = world.chat(admin).reply_keyboard.unwrap();
        assert!(
            menu.contains(&moderation_button(world, locale, 2)),
            "{menu}"
        );
    }
    // The menu button opens the queue at the oldest card, even from a keyboard whose count
    // is out of date.
    world
        .text(ADMIN_VI, &moderation_button(world, Locale::Vi, 0))
        .await;
    assert!(world.last(ADMIN_VI).body().starts_with("Older card"));
    world.inline_key(ADMIN_VI, Locale::Vi, "btn-approve").await;
    world
        .inline_key(ADMIN_VI, Locale::Vi, "btn-mod-finish")
        .await;
    let menu = world.chat(ADMIN_VI).reply_keyboard.unwrap();
    assert!(
        menu.contains(&moderation_button(world, Locale::Vi, 1)),
        "{menu}"
    );
    assert_eq!(
        log(world, older).await,
        vec![(ADMIN_VI, "approve".to_owned(), None)]
    );

    // Someone else has no such button; /moderate is an unknown command to them, and a forged
    // decision is refused without changing anything.
    let menu = world.chat(visitor).reply_keyboard.unwrap();
    assert_eq!(menu.labels().len(), 4, "{menu}");
    world.command(visitor, "moderate").await;
    let unknown = world.last(visitor).body().to_owned();
    world.command(visitor, "nonsense").await;
    assert_eq!(world.last(visitor).body(), unknown);
    assert_eq!(unknown, world.t(Locale::En, "unknown-input"));
    let newer = card_titled(world, visitor, "Newer card").await;
    let message = world.last(visitor).message_id;
    for forged in [
        Callback::Approve(newer),
        Callback::RejectWith(newer, StandardReason::Inappropriate),
    ] {
        world
            .send_callback(visitor, message, &forged.encode())
            .await;
        let answer = world.last_answer(visitor);
        assert_eq!(
            answer.and_then(|a| a.text),
            Some(world.t(Locale::En, "not-allowed")),
            "{forged:?}"
        );
    }
    assert_eq!(status(world, newer).await, (CardStatus::Pending, None));
    assert!(log(world, newer).await.is_empty());
    assert!(!world.profile(visitor).await.banned);
}

async fn a_new_submission_notifies_every_admin_in_their_language_with_a_review_button(
    world: &World,
) {
    world.ports.add_admin(UserId(ADMIN_VI)).await.unwrap();
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

/// The admin approves the first card and the second is shown; the first card's buttons, still
/// on screen above, are outdated: one alert, no message, the second card not sent again, and
/// not "another administrator".
async fn a_button_of_a_card_the_same_admin_decided_is_outdated_and_shows_nothing_again(
    world: &World,
) {
    let partner = 1402;
    world.onboard(partner, Locale::En).await;
    let first = submit(world, partner, Locale::En, "First Cafe").await;
    let second = submit(world, partner, Locale::En, "Second Cafe").await;
    world.command(ADMIN_EN, "moderate").await;
    let review = world.last(ADMIN_EN).message_id;
    world.inline_key(ADMIN_EN, Locale::En, "btn-approve").await;
    assert_eq!(status(world, first).await, (CardStatus::Published, None));
    assert!(
        world.last(ADMIN_EN).body().starts_with("Second Cafe"),
        "{}",
        world.chat(ADMIN_EN)
    );

    // A second tap that arrives before the review lost its buttons, and the *Review* button of
    // the first card's notification.
    for callback in [
        Callback::Approve(first),
        Callback::Reject(first),
        Callback::RejectWith(first, StandardReason::Incomplete),
        Callback::Skip(first),
        Callback::Review(first),
    ] {
        let before = world.chat(ADMIN_EN).bot_messages().count();
        world
            .send_callback(ADMIN_EN, review, &callback.encode())
            .await;
        let chat = world.chat(ADMIN_EN);
        let answer = world.last_answer(ADMIN_EN).unwrap();
        assert_eq!(
            (answer.text.as_deref(), answer.show_alert),
            (Some(&*world.t(Locale::En, "callback-outdated")), true),
            "{callback:?}: {chat}"
        );
        assert_eq!(chat.bot_messages().count(), before, "{callback:?}: {chat}");
    }
    let already = world.t(Locale::En, "moderation-already-decided");
    assert_eq!(
        said(world, ADMIN_EN, &already),
        0,
        "{}",
        world.chat(ADMIN_EN)
    );
    assert_eq!(status(world, first).await, (CardStatus::Published, None));
    assert_eq!(status(world, second).await.0, CardStatus::Pending);
    assert_eq!(
        log(world, first).await,
        vec![(ADMIN_EN, "approve".to_owned(), None)]
    );
}
