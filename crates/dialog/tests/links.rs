//! Deep links, sharing, search and inline mode as the dialog serves them: `/start c<ID>` opens
//! a published card (after the language and the policy for a new person), *Share* gives the
//! card's link with a button to share it into another chat and, to its partner, the link's QR
//! code; `/search` and the catalog's *Search* find published cards by the words of their title
//! and description whatever their case and marks, paged like the catalog; an inline query is
//! answered with articles that open the card by its link; and an admin's *Review* works before
//! they ever opened the bot. The dialog runs on its in-memory ports.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{MessageKind, World};
use vitrina_cards::{
    CardAction, CardContent, CardId, CardRepository, CardStatus, Description, PhotoId, Timestamp,
    UserId,
};
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

const ADMIN: i64 = 900;
/// The partner who owns every card.
const OWNER: i64 = 500;
const BOT: &str = "vitrina_test_bot";

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        bot_username: Some(BOT.to_owned()),
        ..Settings::default()
    }
}

scenarios!(
    a_link_opens_the_card_for_a_new_person_after_the_language_and_the_policy,
    a_link_opens_the_card_at_once_for_someone_through_the_gate,
    a_link_to_an_unknown_or_unpublished_card_says_so_and_opens_the_menu,
    share_gives_the_link_and_a_button_to_another_chat_and_the_partner_a_qr_code,
    search_finds_published_cards_by_words_whatever_their_case_and_marks_in_every_locale,
    the_catalog_search_asks_for_words_and_pages_in_place_like_the_catalog,
    a_search_without_words_asks_for_them,
    inline_mode_answers_with_published_cards_that_open_by_their_link,
    an_admin_reviews_from_a_notice_before_ever_opening_the_bot,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World, &Seeded),
{
    let world = World::start(settings());
    let seeded = seed(&world).await;
    scenario(&world, &seeded).await;
    world.stop().await;
}

struct Seeded {
    /// Published: "Phở Hà Nội", with a description and a photo.
    pho: CardId,
    pho_photo: PhotoId,
    /// Published: "Lotus Spa".
    spa: CardId,
    /// Pending, archived and deleted cards whose words match "phở" too.
    unpublished: Vec<CardId>,
}

fn content(title: &str, description: Option<&str>) -> CardContent {
    CardContent {
        description: description.map(|text| Description::parse(text).unwrap()),
        ..support::shop_card(title, "+84 905 123 456")
    }
}

async fn add(world: &World, card: &CardContent, at: i64, then: &[CardAction]) -> CardId {
    let id = world
        .ports
        .submit_new(UserId(OWNER), card, Timestamp(at))
        .await
        .unwrap();
    if then.is_empty() {
        return id;
    }
    let decision = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(at + 1));
    world.ports.decide(&decision).await.unwrap();
    for action in then.iter().filter(|action| **action != CardAction::Approve) {
        world
            .ports
            .apply_partner_action(UserId(OWNER), id, *action, Timestamp(at + 2))
            .await
            .unwrap();
    }
    id
}

async fn seed(world: &World) -> Seeded {
    let pho_photo = world.photo(OWNER).await;
    let pho = CardContent {
        photos: vec![pho_photo.clone()],
        ..content("Phở Hà Nội", Some("Bún chả và cà phê trứng"))
    };
    let pho = add(world, &pho, 1_000, &[CardAction::Approve]).await;
    let spa = content("Lotus Spa", Some("Massage, sauna"));
    let spa = add(world, &spa, 2_000, &[CardAction::Approve]).await;
    let pending = add(world, &content("Phở Pending", None), 3_000, &[]).await;
    let archived = add(
        world,
        &content("Phở Hidden", None),
        4_000,
        &[CardAction::Approve, CardAction::Hide],
    )
    .await;
    let deleted = add(
        world,
        &content("Phở Deleted", None),
        5_000,
        &[CardAction::Approve, CardAction::Delete],
    )
    .await;
    Seeded {
        pho,
        pho_photo,
        spa,
        unpublished: vec![pending, archived, deleted],
    }
}

fn link(card: CardId) -> String {
    format!("https://t.me/{BOT}?start=c{card}")
}

// ---------------------------------------------------------------------------------------------

async fn a_link_opens_the_card_for_a_new_person_after_the_language_and_the_policy(
    world: &World,
    seeded: &Seeded,
) {
    let visitor = 1001;
    world.set_language(visitor, Some("vi"));
    world
        .command(visitor, &format!("start c{}", seeded.pho))
        .await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Vi, "language-picker")
    );
    world.inline(visitor, &Locale::Vi.picker_label()).await;
    assert_eq!(world.last(visitor).body(), world.t(Locale::Vi, "welcome"));
    world
        .inline_key(visitor, Locale::Vi, "btn-accept-policy")
        .await;

    // The menu, then the card: its photo, then its text with Share.
    let chat = world.chat(visitor);
    let bot: Vec<_> = chat.bot_messages().collect();
    let [.., menu, photo, card] = bot.as_slice() else {
        panic!("{chat}");
    };
    assert_eq!(menu.body(), world.t(Locale::Vi, "main-menu"), "{chat}");
    assert_eq!(photo.kind, MessageKind::Photo);
    assert_eq!(photo.file_id.as_ref(), Some(&seeded.pho_photo.0));
    assert!(card.body().starts_with("Phở Hà Nội"), "{chat}");
    assert!(
        card.button(&world.t(Locale::Vi, "btn-share")).is_some(),
        "{chat}"
    );
    assert!(chat.reply_keyboard.is_some(), "{chat}");
    // The link is used once: the next /start is a plain one.
    world.command(visitor, "start").await;
    assert_eq!(world.last(visitor).body(), world.t(Locale::Vi, "main-menu"));
}

async fn a_link_opens_the_card_at_once_for_someone_through_the_gate(
    world: &World,
    seeded: &Seeded,
) {
    for (visitor, locale) in [(1011, Locale::Ru), (1012, Locale::En), (1013, Locale::Ko)] {
        world.onboard(visitor, locale).await;
        world
            .command(visitor, &format!("start c{}", seeded.spa))
            .await;
        let card = world.last(visitor);
        assert!(card.body().starts_with("Lotus Spa"), "{card}");
        assert_eq!(
            card.button_labels(),
            vec![world.t(locale, "btn-share").as_str()]
        );
    }
    // Any other argument is a plain /start.
    world.command(1011, "start ref42").await;
    assert_eq!(world.last(1011).body(), world.t(Locale::Ru, "main-menu"));
}

async fn a_link_to_an_unknown_or_unpublished_card_says_so_and_opens_the_menu(
    world: &World,
    seeded: &Seeded,
) {
    let visitor = 1021;
    world.onboard(visitor, Locale::En).await;
    let mut cards = seeded.unpublished.clone();
    cards.push(CardId(987_654));
    for card in cards {
        world.command(visitor, &format!("start c{card}")).await;
        let chat = world.chat(visitor);
        let answer = chat.last_bot_message().unwrap();
        assert_eq!(
            answer.body(),
            world.t(Locale::En, "link-card-unknown"),
            "{chat}"
        );
        let menu = chat.reply_keyboard.as_ref().unwrap();
        assert!(menu.contains(&world.t(Locale::En, "btn-catalog")), "{chat}");
    }
    // A new person is told so after the gate, in their language.
    let newcomer = 1022;
    world.set_language(newcomer, Some("ko"));
    world
        .command(newcomer, &format!("start c{}", seeded.unpublished[0]))
        .await;
    world.inline(newcomer, &Locale::Ko.picker_label()).await;
    world
        .inline_key(newcomer, Locale::Ko, "btn-accept-policy")
        .await;
    assert_eq!(
        world.last(newcomer).body(),
        world.t(Locale::Ko, "link-card-unknown")
    );
}

async fn share_gives_the_link_and_a_button_to_another_chat_and_the_partner_a_qr_code(
    world: &World,
    seeded: &Seeded,
) {
    // A visitor shares a card opened from the catalog.
    let visitor = 1031;
    world.onboard(visitor, Locale::Ru).await;
    world.reply_key(visitor, Locale::Ru, "btn-catalog").await;
    world
        .inline(visitor, &world.t(Locale::Ru, "city-nha-trang"))
        .await;
    let shops = world.tw(
        Locale::Ru,
        "catalog-category-count",
        &[
            ("name", Arg::from(world.t(Locale::Ru, "category-shops"))),
            ("count", Arg::Number(2)),
        ],
    );
    world.inline(visitor, &shops).await;
    let open = world.tw(
        Locale::Ru,
        "btn-view-card",
        &[("title", Arg::from("Phở Hà Nội"))],
    );
    world.inline(visitor, &open).await;
    let card = world.last(visitor);
    assert_eq!(
        card.button_labels(),
        vec![
            world.t(Locale::Ru, "btn-share").as_str(),
            world.t(Locale::Ru, "btn-back-to-list").as_str()
        ]
    );
    world.inline_key(visitor, Locale::Ru, "btn-share").await;
    let shared = world.last(visitor);
    let said = world.tw(
        Locale::Ru,
        "share-card-link",
        &[("title", Arg::from("Phở Hà Nội"))],
    );
    assert_eq!(shared.body(), format!("{said}\n\n{}", link(seeded.pho)));
    let forward = shared
        .button(&world.t(Locale::Ru, "btn-share-to-chat"))
        .unwrap();
    assert_eq!(forward.switch_inline_query.as_deref(), Some("Phở Hà Nội"));
    assert!(
        !world
            .chat(visitor)
            .bot_messages()
            .any(|m| m.file_id.as_deref().is_some_and(|id| id.starts_with("qr:"))),
        "only the card's partner gets its QR code"
    );

    // The partner gets the same link and its QR code, from My cards.
    {
        use vitrina_dialog::UserRepository as _;
        world.ports.become_partner(UserId(OWNER)).await.unwrap();
    }
    world.onboard(OWNER, Locale::En).await;
    world.reply_key(OWNER, Locale::En, "btn-cabinet").await;
    world.reply_key(OWNER, Locale::En, "btn-my-cards").await;
    let open = world.tw(
        Locale::En,
        "btn-view-card",
        &[("title", Arg::from("Lotus Spa"))],
    );
    world.inline(OWNER, &open).await;
    world.inline_key(OWNER, Locale::En, "btn-share").await;
    let chat = world.chat(OWNER);
    let bot: Vec<_> = chat.bot_messages().collect();
    let [.., text, qr] = bot.as_slice() else {
        panic!("{chat}");
    };
    assert!(text.body().ends_with(&link(seeded.spa)), "{chat}");
    assert_eq!(qr.kind, MessageKind::Photo);
    assert_eq!(qr.file_id, Some(format!("qr:{}", link(seeded.spa))));
    assert_eq!(
        qr.body(),
        world.tw(
            Locale::En,
            "share-qr-caption",
            &[("title", Arg::from("Lotus Spa"))]
        )
    );

    // A hidden card offers no sharing, and its old Share button shares nothing.
    world
        .ports
        .apply_partner_action(
            UserId(OWNER),
            seeded.spa,
            CardAction::Hide,
            Timestamp(9_000),
        )
        .await
        .unwrap();
    let before = world.chat(OWNER).messages.len();
    let share = world.chat(OWNER).messages.iter().rev().find_map(|m| {
        m.button(&world.t(Locale::En, "btn-share"))
            .map(|button| (m.message_id, button.callback_data.clone().unwrap()))
    });
    let (message, data) = share.unwrap();
    world.send_callback(OWNER, message, &data).await;
    assert_eq!(world.chat(OWNER).messages.len(), before);
    assert!(world.last_answer(OWNER).unwrap().show_alert);

    // Without the bot's username no card offers sharing.
    let unnamed = World::on(
        world.ports.clone(),
        Settings {
            bot_username: None,
            ..settings()
        },
    );
    unnamed.onboard(1032, Locale::En).await;
    unnamed
        .command(1032, &format!("start c{}", seeded.pho))
        .await;
    assert!(unnamed.last(1032).button_labels().is_empty());
}

/// The bodies of the card buttons of the newest results page.
fn result_titles(world: &World, user: i64) -> Vec<String> {
    world
        .last(user)
        .inline_keyboard
        .iter()
        .flatten()
        .filter(|button| {
            button
                .callback_data
                .as_deref()
                .is_some_and(|data| data.starts_with("sr:v:"))
        })
        .map(|button| button.text.clone())
        .collect()
}

async fn search_finds_published_cards_by_words_whatever_their_case_and_marks_in_every_locale(
    world: &World,
    _: &Seeded,
) {
    for (visitor, locale) in [
        (1041, Locale::Ru),
        (1042, Locale::En),
        (1043, Locale::Vi),
        (1044, Locale::Ko),
    ] {
        world.onboard(visitor, locale).await;
        let view = |title: &str| world.tw(locale, "btn-view-card", &[("title", Arg::from(title))]);
        // Title words without their marks and a description word in capitals.
        world.command(visitor, "search PHO trung").await;
        assert_eq!(result_titles(world, visitor), vec![view("Phở Hà Nội")]);
        let heading = world.tw(
            locale,
            "search-results",
            &[
                ("words", Arg::from("PHO trung")),
                ("count", Arg::Number(1)),
                ("page", Arg::Number(1)),
                ("pages", Arg::Number(1)),
            ],
        );
        assert_eq!(world.last(visitor).body(), heading);
        // Marks where the card has none, in the description.
        world.command(visitor, "search SAÚNA").await;
        assert_eq!(result_titles(world, visitor), vec![view("Lotus Spa")]);
        // Every word must match.
        world.command(visitor, "search phở sauna").await;
        assert_eq!(
            world.last(visitor).body(),
            world.tw(
                locale,
                "search-nothing",
                &[("words", Arg::from("phở sauna"))]
            )
        );
    }
}

async fn the_catalog_search_asks_for_words_and_pages_in_place_like_the_catalog(
    world: &World,
    _: &Seeded,
) {
    for n in 1..=7 {
        let card = content(&format!("Cà phê số {n}"), Some("Cà phê sữa đá"));
        add(world, &card, 10_000 + n * 1_000, &[CardAction::Approve]).await;
    }
    let visitor = 1051;
    world.onboard(visitor, Locale::En).await;
    world.reply_key(visitor, Locale::En, "btn-catalog").await;
    world
        .inline(visitor, &world.t(Locale::En, "city-nha-trang"))
        .await;
    world.inline_key(visitor, Locale::En, "btn-search").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::En, "search-ask")
    );
    world.text(visitor, "SUA DA").await;
    let results = world.last(visitor);
    let view = |n: i64| {
        world.tw(
            Locale::En,
            "btn-view-card",
            &[("title", Arg::from(format!("Cà phê số {n}")))],
        )
    };
    // Newest first, five a page.
    assert_eq!(
        result_titles(world, visitor),
        (3..=7).rev().map(view).collect::<Vec<_>>()
    );
    assert!(results.button("1/2").is_some(), "{results}");
    world
        .inline_key(visitor, Locale::En, "btn-page-forward")
        .await;
    let page_two = world.last(visitor);
    assert_eq!(
        page_two.message_id, results.message_id,
        "pages edit in place"
    );
    assert_eq!(result_titles(world, visitor), vec![view(2), view(1)]);
    // A card and back to its page.
    world.inline(visitor, &view(1)).await;
    assert!(world.last(visitor).body().starts_with("Cà phê số 1"));
    world
        .inline_key(visitor, Locale::En, "btn-back-to-results")
        .await;
    assert!(world.last(visitor).button("2/2").is_some());
    // Text typed after the search is not searched again.
    world.text(visitor, "hello").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::En, "unknown-input")
    );
}

async fn a_search_without_words_asks_for_them(world: &World, _: &Seeded) {
    let visitor = 1061;
    world.onboard(visitor, Locale::Ru).await;
    world.command(visitor, "search").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Ru, "search-ask")
    );
    world.text(visitor, "?!").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Ru, "search-no-words")
    );
    world.text(visitor, "lotus").await;
    let view = world.tw(
        Locale::Ru,
        "btn-view-card",
        &[("title", Arg::from("Lotus Spa"))],
    );
    assert_eq!(result_titles(world, visitor), vec![view]);
    // A command or a menu button leaves the question.
    world.command(visitor, "search").await;
    world.reply_key(visitor, Locale::Ru, "btn-help").await;
    world.text(visitor, "lotus").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Ru, "unknown-input")
    );
    // A results page of a search someone never made (or that expired) says so.
    let other = 1062;
    world.onboard(other, Locale::Ru).await;
    let message = world.last(other).message_id;
    world.send_callback(other, message, "sr:p:2").await;
    let answer = world.last_answer(other).unwrap();
    assert_eq!(answer.text, Some(world.t(Locale::Ru, "search-expired")));
    assert!(answer.show_alert);
}

async fn inline_mode_answers_with_published_cards_that_open_by_their_link(
    world: &World,
    seeded: &Seeded,
) {
    // Someone who never opened the bot, in Vietnamese.
    let stranger = 1071;
    world.set_language(stranger, Some("vi"));
    let (results, next) = world.inline_query(stranger, "pho", "").await;
    assert_eq!(next, None);
    let [article] = results.as_slice() else {
        panic!("{results:?}");
    };
    assert_eq!(article.id, format!("c{}", seeded.pho));
    assert_eq!(article.title, "Phở Hà Nội");
    assert!(article.text.to_plain().starts_with("Phở Hà Nội"));
    assert!(
        article
            .description
            .as_deref()
            .is_some_and(|d| d.contains("Bún chả")),
        "{article:?}"
    );
    assert_eq!(article.button.label, world.t(Locale::Vi, "btn-open-in-bot"));
    assert_eq!(
        article.button.action,
        vitrina_dialog::ButtonAction::Url(link(seeded.pho))
    );
    // Nothing was written to their chat, and they meet no gate when they come.
    assert!(world.chat(stranger).messages.is_empty());
    // Nor kept about them: they never opened the bot.
    assert_eq!(world.ports.profile(UserId(stranger)), None);

    // Without words: nothing.
    assert_eq!(
        world.inline_query(stranger, "  ", "").await,
        (Vec::new(), None)
    );

    // Many matches come ten at a time.
    for n in 1..=12 {
        let card = content(&format!("Spa số {n}"), None);
        add(world, &card, 20_000 + n * 1_000, &[CardAction::Approve]).await;
    }
    let (first, next) = world.inline_query(stranger, "SPA", "").await;
    assert_eq!(first.len(), 10);
    assert_eq!(next.as_deref(), Some("2"));
    let (second, next) = world.inline_query(stranger, "SPA", "2").await;
    assert_eq!(second.len(), 3);
    assert_eq!(next, None);
    let (past, _) = world.inline_query(stranger, "SPA", "3").await;
    assert!(past.is_empty());
}

/// A partner writes a card through the wizard and submits it; returns its id.
async fn submit(world: &World, partner: i64, title: &str) -> CardId {
    let locale = Locale::En;
    let t = |key: &str| world.t(locale, key);
    if world.chat(partner).messages.is_empty() {
        world.onboard(partner, locale).await;
        world.reply_key(partner, locale, "btn-cabinet").await;
        world.reply_key(partner, locale, "btn-become-partner").await;
    } else {
        world.reply_key(partner, locale, "btn-add-card").await;
    }
    world.inline(partner, &t("city-nha-trang")).await;
    world.inline_key(partner, locale, "btn-skip").await;
    world.inline(partner, &t("category-shops")).await;
    world.text(partner, title).await;
    world.reply_key(partner, locale, "btn-skip").await;
    world.text(partner, "@vitrina_partner").await;
    for _ in ["address", "map link", "photos", "discount"] {
        world.reply_key(partner, locale, "btn-skip").await;
    }
    world.inline_key(partner, locale, "btn-submit").await;
    let cards = world
        .ports
        .partner_cards(UserId(partner), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap();
    cards
        .items
        .iter()
        .find(|card| card.title == title)
        .unwrap()
        .id
}

async fn an_admin_reviews_from_a_notice_before_ever_opening_the_bot(world: &World, _: &Seeded) {
    // The admin never wrote to the bot; their client speaks Korean.
    world.set_language(ADMIN, Some("ko"));
    let partner = 1081;
    let first = submit(world, partner, "Night Market Stall").await;
    let second = submit(world, partner, "Harbour Kiosk").await;
    // The notices are in the default language: the admin never chose one. The newest is
    // pressed first.
    world.inline_key(ADMIN, Locale::Ru, "btn-review").await;
    let chat = world.chat(ADMIN);
    let review = chat.last_bot_message().unwrap();
    assert!(review.body().starts_with("Harbour Kiosk"), "{chat}");
    assert!(
        review.button(&world.t(Locale::Ko, "btn-approve")).is_some(),
        "{chat}"
    );
    for gate in ["language-picker", "welcome"] {
        assert!(
            !chat
                .bot_messages()
                .any(|m| m.body() == world.t(Locale::Ko, gate)),
            "{chat}"
        );
    }
    world.inline_key(ADMIN, Locale::Ko, "btn-approve").await;
    let card = world.ports.card(second).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Published);

    // The queue goes on past the gate: the oldest waiting card is skipped, the next one
    // rejected with a reason typed.
    assert!(
        world.last(ADMIN).body().starts_with("Phở Pending"),
        "{}",
        world.chat(ADMIN)
    );
    world.inline_key(ADMIN, Locale::Ko, "btn-mod-skip").await;
    let chat = world.chat(ADMIN);
    assert!(
        chat.bot_messages()
            .any(|m| m.body().starts_with("Night Market Stall")),
        "{chat}"
    );
    world.inline_key(ADMIN, Locale::Ko, "btn-reject").await;
    world
        .inline_key(ADMIN, Locale::Ko, "btn-reason-other")
        .await;
    world.text(ADMIN, "The stall closed in October.").await;
    let card = world.ports.card(first).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Rejected);
    assert_eq!(
        card.rejection_reason.as_deref(),
        Some("The stall closed in October.")
    );

    // Anything else still meets the gate, in their client's language.
    world.command(ADMIN, "catalog").await;
    assert_eq!(
        world.last(ADMIN).body(),
        world.t(Locale::Ko, "language-picker")
    );

    // Someone who is no admin meets the gate at Review too.
    let stranger = 1082;
    world.set_language(stranger, Some("en"));
    world.command(stranger, "start").await;
    let message = world.last(stranger).message_id;
    world
        .send_callback(stranger, message, &format!("mod:v:{first}"))
        .await;
    assert_eq!(
        world.last(stranger).body(),
        world.t(Locale::En, "language-picker")
    );
}
