//! Deep links, sharing, search and inline mode end to end, through the Bot API double over
//! HTTP: `/start c<ID>` opens a published card (after the language and the policy for a new
//! person) and an unknown one is said so; *Share* gives the link, a `switch_inline_query`
//! button and, to the card's partner, the link's QR code uploaded as a PNG; `/search` and the
//! catalog's *Search* find cards whatever their case and marks; an `inline_query` is received
//! and answered with articles that open the card by its link; and an admin's *Review* works
//! before they ever opened the bot. Every scenario runs on SQLite and, when TEST_DATABASE_URL
//! is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, WAIT, World};
use vitrina_cards::{
    CardContent, CardId, CardRepository, CardStatus, CategoryId, CityId, Description, Timestamp,
    UserId,
};
use vitrina_dialog::Settings;
use vitrina_fake_bot_api::MessageKind;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;
/// The partner who owns the seeded cards.
const OWNER: i64 = 500;
const BOT: &str = "vitrina_test_bot";
const NHA_TRANG: CityId = CityId(1);
const SHOPS: CategoryId = CategoryId(5);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        bot_username: Some(BOT.to_owned()),
        ..Settings::default()
    }
}

on_both_engines!(
    a_link_opens_the_card_after_the_gate_and_an_unknown_one_is_said_so,
    share_gives_the_link_and_the_partner_a_qr_code_png,
    search_finds_cards_whatever_their_case_and_marks_and_pages_in_place,
    an_inline_query_is_answered_with_articles_that_open_the_card,
    an_admin_reviews_from_a_notice_before_ever_opening_the_bot,
);

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World, &Seeded),
{
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    let seeded = seed(&world).await;
    scenario(&world, &seeded).await;
    world.stop().await;
}

struct Seeded {
    /// Published "Phở Hà Nội", with a description.
    pho: CardId,
    /// Published "Lotus Spa".
    spa: CardId,
    /// A pending card whose title matches "phở" too.
    pending: CardId,
}

fn content(title: &str, description: Option<&str>) -> CardContent {
    CardContent {
        description: description.map(|text| Description::parse(text).unwrap()),
        ..fixtures::card(NHA_TRANG, SHOPS, None, title)
    }
}

async fn add(world: &World, card: &CardContent, at: i64, publish: bool) -> CardId {
    let id = world
        .db
        .submit_new(UserId(OWNER), card, Timestamp(at))
        .await
        .unwrap();
    if publish {
        let decision = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(at + 1));
        world.db.decide(&decision).await.unwrap();
    }
    id
}

async fn seed(world: &World) -> Seeded {
    let pho = content("Phở Hà Nội", Some("Bún chả và cà phê trứng"));
    let pho = add(world, &pho, 1_000, true).await;
    let spa = add(
        world,
        &content("Lotus Spa", Some("Massage, sauna")),
        2_000,
        true,
    )
    .await;
    let pending = add(world, &content("Phở Pending", None), 3_000, false).await;
    Seeded { pho, spa, pending }
}

fn link(card: CardId) -> String {
    format!("https://t.me/{BOT}?start=c{card}")
}

// ---------------------------------------------------------------------------------------------

async fn a_link_opens_the_card_after_the_gate_and_an_unknown_one_is_said_so(
    world: &World,
    seeded: &Seeded,
) {
    let visitor = 1001;
    let _ = world.api().user(visitor).with_language("vi");
    world
        .command(visitor, &format!("start c{}", seeded.pho))
        .await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Vi, "language-picker")
    );
    world.inline(visitor, &Locale::Vi.picker_label()).await;
    world
        .inline_key(visitor, Locale::Vi, "btn-accept-policy")
        .await;
    let chat = world.chat(visitor);
    let bot: Vec<_> = chat.bot_messages().collect();
    let [.., menu, card] = bot.as_slice() else {
        panic!("{}", chat.transcript());
    };
    assert_eq!(
        menu.body(),
        world.t(Locale::Vi, "main-menu"),
        "{}",
        chat.transcript()
    );
    assert!(
        card.body().starts_with("Phở Hà Nội"),
        "{}",
        chat.transcript()
    );
    assert!(card.button(&world.t(Locale::Vi, "btn-share")).is_some());

    // Through the gate, a link opens its card at once; a pending or unknown one is said so.
    world
        .command(visitor, &format!("start c{}", seeded.spa))
        .await;
    assert!(world.last(visitor).body().starts_with("Lotus Spa"));
    for card in [seeded.pending, CardId(987_654)] {
        world.command(visitor, &format!("start c{card}")).await;
        let chat = world.chat(visitor);
        assert_eq!(
            world.last(visitor).body(),
            world.t(Locale::Vi, "link-card-unknown"),
            "{}",
            chat.transcript()
        );
        assert!(
            chat.reply_keyboard
                .as_ref()
                .is_some_and(|keyboard| keyboard.contains(&world.t(Locale::Vi, "btn-catalog")))
        );
    }
}

async fn share_gives_the_link_and_the_partner_a_qr_code_png(world: &World, seeded: &Seeded) {
    let visitor = 1011;
    world.onboard(visitor, Locale::En).await;
    world
        .command(visitor, &format!("start c{}", seeded.pho))
        .await;
    world.inline_key(visitor, Locale::En, "btn-share").await;
    let shared = world.last(visitor);
    assert!(shared.body().ends_with(&link(seeded.pho)), "{shared:?}");
    let forward = shared
        .button(&world.t(Locale::En, "btn-share-to-chat"))
        .unwrap();
    assert_eq!(forward.switch_inline_query.as_deref(), Some("Phở Hà Nội"));
    assert!(
        !world
            .chat(visitor)
            .bot_messages()
            .any(|m| m.kind == MessageKind::Photo),
        "only the partner gets the QR code"
    );

    // The partner: the same link, then its QR code, uploaded as a PNG that encodes the link.
    world.onboard(OWNER, Locale::Ru).await;
    world
        .command(OWNER, &format!("start c{}", seeded.spa))
        .await;
    world.inline_key(OWNER, Locale::Ru, "btn-share").await;
    let chat = world.chat(OWNER);
    let bot: Vec<_> = chat.bot_messages().collect();
    let [.., text, qr] = bot.as_slice() else {
        panic!("{}", chat.transcript());
    };
    assert!(
        text.body().ends_with(&link(seeded.spa)),
        "{}",
        chat.transcript()
    );
    assert_eq!(qr.kind, MessageKind::Photo, "{}", chat.transcript());
    assert_eq!(
        qr.caption.as_deref(),
        Some(&*world.tw(
            Locale::Ru,
            "share-qr-caption",
            &[("title", Arg::from("Lotus Spa"))]
        ))
    );
    let uploaded = world
        .api()
        .uploaded_file(qr.file_id.as_deref().unwrap())
        .unwrap();
    assert!(uploaded.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        uploaded,
        vitrina_telegram::qr_png(&link(seeded.spa)).unwrap()
    );
}

async fn search_finds_cards_whatever_their_case_and_marks_and_pages_in_place(
    world: &World,
    _: &Seeded,
) {
    for n in 1..=6 {
        let card = content(&format!("Cà phê số {n}"), Some("Cà phê sữa đá"));
        add(world, &card, 10_000 + n * 1_000, true).await;
    }
    let visitor = 1021;
    world.onboard(visitor, Locale::Ko).await;
    let view = |title: &str| world.tw(Locale::Ko, "btn-view-card", &[("title", Arg::from(title))]);
    let card_buttons = |world: &World| -> Vec<String> {
        world
            .last(visitor)
            .inline_keyboard
            .iter()
            .flatten()
            .filter(|b| {
                b.callback_data
                    .as_deref()
                    .is_some_and(|d| d.starts_with("sr:v:"))
            })
            .map(|b| b.text.clone())
            .collect()
    };
    world.command(visitor, "search PHO trung").await;
    assert_eq!(card_buttons(world), vec![view("Phở Hà Nội")]);
    world.command(visitor, "search SAÚNA").await;
    assert_eq!(card_buttons(world), vec![view("Lotus Spa")]);

    // From the catalog: the question, the words, five a page edited in place.
    world.reply_key(visitor, Locale::Ko, "btn-catalog").await;
    world
        .inline(visitor, &world.t(Locale::Ko, "city-nha-trang"))
        .await;
    world.inline_key(visitor, Locale::Ko, "btn-search").await;
    assert_eq!(
        world.last(visitor).body(),
        world.t(Locale::Ko, "search-ask")
    );
    world.text(visitor, "SUA DA").await;
    let first = world.last(visitor);
    let titles: Vec<String> = (2..=6)
        .rev()
        .map(|n| view(&format!("Cà phê số {n}")))
        .collect();
    assert_eq!(card_buttons(world), titles);
    world
        .inline_key(visitor, Locale::Ko, "btn-page-forward")
        .await;
    let second = world.last(visitor);
    assert_eq!(second.message_id, first.message_id);
    assert_eq!(card_buttons(world), vec![view("Cà phê số 1")]);
}

async fn an_inline_query_is_answered_with_articles_that_open_the_card(
    world: &World,
    seeded: &Seeded,
) {
    // Someone who never opened the bot types `@bot pho` in another chat.
    let stranger = 1031;
    let _ = world.api().user(stranger).with_language("en");
    let query = world.api().send_inline_query(stranger, "PHO", "").await;
    let answer = world
        .api()
        .wait_for_inline_answer(&query, WAIT)
        .await
        .unwrap();
    assert!(answer.is_personal);
    assert_eq!(answer.next_offset, None);
    let [article] = answer.results.as_slice() else {
        panic!("{answer:?}");
    };
    assert_eq!(article.id, format!("c{}", seeded.pho));
    assert_eq!(article.title, "Phở Hà Nội");
    assert!(
        article.message_text.starts_with("Phở Hà Nội"),
        "{article:?}"
    );
    let button = &article.buttons[0][0];
    assert_eq!(button.text, world.t(Locale::En, "btn-open-in-bot"));
    assert_eq!(button.url.as_deref(), Some(&*link(seeded.pho)));
    // Nothing was written to their chat.
    assert_eq!(world.chat(stranger).bot_messages().count(), 0);

    // Many matches: ten, then the rest.
    for n in 1..=11 {
        add(
            world,
            &content(&format!("Spa số {n}"), None),
            20_000 + n * 1_000,
            true,
        )
        .await;
    }
    let query = world.api().send_inline_query(stranger, "spa", "").await;
    let first = world
        .api()
        .wait_for_inline_answer(&query, WAIT)
        .await
        .unwrap();
    assert_eq!(first.results.len(), 10);
    let next = first.next_offset.unwrap();
    let query = world.api().send_inline_query(stranger, "spa", &next).await;
    let second = world
        .api()
        .wait_for_inline_answer(&query, WAIT)
        .await
        .unwrap();
    assert_eq!(second.results.len(), 2);
    assert_eq!(second.next_offset, None);
}

async fn an_admin_reviews_from_a_notice_before_ever_opening_the_bot(
    world: &World,
    seeded: &Seeded,
) {
    // The seeded pending card is decided first, so the queue holds only the new one.
    let decision = Decision::new(
        seeded.pending,
        UserId(ADMIN),
        Verdict::Approve,
        Timestamp(5),
    );
    world.db.decide(&decision).await.unwrap();
    let _ = world.api().user(ADMIN).with_language("ko");
    let partner = 1041;
    world.onboard(partner, Locale::En).await;
    world.reply_key(partner, Locale::En, "btn-cabinet").await;
    world
        .reply_key(partner, Locale::En, "btn-become-partner")
        .await;
    world
        .inline(partner, &world.t(Locale::En, "city-nha-trang"))
        .await;
    world.inline_key(partner, Locale::En, "btn-skip").await;
    world
        .inline(partner, &world.t(Locale::En, "category-shops"))
        .await;
    world.text(partner, "Night Market Stall").await;
    world.reply_key(partner, Locale::En, "btn-skip").await;
    world.text(partner, "@vitrina_partner").await;
    for _ in ["address", "map link", "photos", "discount"] {
        world.reply_key(partner, Locale::En, "btn-skip").await;
    }
    world.inline_key(partner, Locale::En, "btn-submit").await;

    // The notice came in the default language; Review opens the card in Korean.
    world.inline_key(ADMIN, Locale::Ru, "btn-review").await;
    let chat = world.chat(ADMIN);
    let review = world.last(ADMIN);
    assert!(
        review.body().starts_with("Night Market Stall"),
        "{}",
        chat.transcript()
    );
    assert!(review.button(&world.t(Locale::Ko, "btn-approve")).is_some());
    assert!(
        !chat
            .bot_messages()
            .any(|m| m.body() == world.t(Locale::Ko, "language-picker")),
        "{}",
        chat.transcript()
    );
    world.inline_key(ADMIN, Locale::Ko, "btn-approve").await;
    let cards = world
        .db
        .partner_cards(UserId(partner), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap();
    assert_eq!(cards.items[0].status, CardStatus::Published);
}
