//! What reaches the screen: HTML in people's words is shown literally everywhere it appears
//! (the Bot API double refuses unescaped HTML, so an escaping fault shows as a missing
//! message); a description over the product's 1000 characters is refused by its rule; and a
//! text over Telegram's 4096 is cut with "…" by the real Telegram client, never refused.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_cards::{
    Address, CardContent, CardRepository, Contact, Description, Discount, Timestamp, UserId,
};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{ChatId, Effect, Keyboard, MessageId, RichText, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_telegram::{EffectOutcome, TEXT_LIMIT, TelegramClient};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

on_both_engines!(
    html_in_a_title_is_shown_literally_wherever_it_appears,
    a_long_card_with_a_long_custom_reason_reaches_its_partner_cut,
);

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    world.onboard(ADMIN, Locale::En).await;
    scenario(&world).await;
    world.stop().await;
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Walks a partner through the wizard to the preview: Nha Trang, a shop, `title`,
/// `description`, a contact, the rest skipped.
async fn wizard_to_preview(world: &World, partner: i64, title: &str, description: &str) {
    let locale = Locale::En;
    world.reply_key(partner, locale, "btn-cabinet").await;
    world.reply_key(partner, locale, "btn-become-partner").await;
    world
        .inline(partner, &world.t(locale, "city-nha-trang"))
        .await;
    world.inline_key(partner, locale, "btn-skip").await;
    world
        .inline(partner, &world.t(locale, "category-shops"))
        .await;
    world.text(partner, title).await;
    world.text(partner, description).await;
    world.text(partner, "@html_partner").await;
    for _ in ["address", "map link", "photos", "discount"] {
        world.reply_key(partner, locale, "btn-skip").await;
    }
}

// ---------------------------------------------------------------------------------------------
// HTML in people's words

async fn html_in_a_title_is_shown_literally_wherever_it_appears(world: &World) {
    let (partner, visitor) = (1001, 1002);
    let title = "<b>Bold</b> & <i>co</i>";
    let description = "Tea <3 & \"coffee\" > juice; <a href=\"x\">not a link</a>";
    world.onboard(partner, Locale::En).await;
    wizard_to_preview(world, partner, title, description).await;

    // The preview: the title literally, in bold as a whole, nothing else made bold.
    let preview = world.last(partner);
    assert!(preview.body().starts_with(title), "{preview}");
    assert!(preview.body().contains(description), "{preview}");
    let bold: Vec<_> = preview
        .entities
        .iter()
        .filter(|entity| entity.kind == "bold")
        .map(|entity| (entity.offset, entity.length))
        .collect();
    assert_eq!(bold, vec![(0, utf16_len(title))], "{:?}", preview.entities);
    assert!(
        preview
            .entities
            .iter()
            .all(|entity| entity.kind != "text_link"),
        "no link was made of the words: {:?}",
        preview.entities
    );
    world.inline_key(partner, Locale::En, "btn-submit").await;

    // The admin's notice and review.
    let notice = world.tw(
        Locale::En,
        "notify-new-submission",
        &[
            ("title", Arg::from(title)),
            ("partner", Arg::from(format!("User{partner}"))),
        ],
    );
    let chat = world.chat(ADMIN);
    assert!(chat.bot_messages().any(|m| m.body() == notice), "{chat}");
    world.inline_key(ADMIN, Locale::En, "btn-review").await;
    let review = world.last(ADMIN);
    assert!(review.body().starts_with(title), "{review}");
    assert!(review.body().contains(description), "{review}");
    world.inline_key(ADMIN, Locale::En, "btn-approve").await;

    // The partner's notice and My cards.
    let told = world.tw(
        Locale::En,
        "notify-card-published",
        &[("title", Arg::from(title))],
    );
    let chat = world.chat(partner);
    assert!(chat.bot_messages().any(|m| m.body() == told), "{chat}");
    world.reply_key(partner, Locale::En, "btn-my-cards").await;
    let view = world.tw(Locale::En, "btn-view-card", &[("title", Arg::from(title))]);
    let list = world.last(partner);
    assert!(list.body().contains(title), "{list}");
    assert!(list.button(&view).is_some(), "{list}");

    // The catalog: the list's button and the card.
    world.onboard(visitor, Locale::En).await;
    world.reply_key(visitor, Locale::En, "btn-catalog").await;
    world
        .inline(visitor, &world.t(Locale::En, "city-nha-trang"))
        .await;
    let shops = world.tw(
        Locale::En,
        "catalog-category-count",
        &[
            ("name", Arg::from(world.t(Locale::En, "category-shops"))),
            ("count", Arg::Number(1)),
        ],
    );
    world.inline(visitor, &shops).await;
    world.inline(visitor, &view).await;
    let card = world.last(visitor);
    assert!(card.body().starts_with(title), "{card}");
    assert!(card.body().contains(description), "{card}");
}

// ---------------------------------------------------------------------------------------------
// Length

async fn a_long_card_with_a_long_custom_reason_reaches_its_partner_cut(world: &World) {
    let partner = 1201;
    world.onboard(partner, Locale::En).await;
    // Every field at its longest, in characters Telegram counts twice (UTF-16 surrogate
    // pairs), with a space now and then so that the cut can fall between words.
    let emoji = |count: usize| -> String {
        (0..count)
            .map(|n| if n % 20 == 19 { ' ' } else { '🌊' })
            .collect::<String>()
            .trim()
            .to_owned()
    };
    let title = format!("Wave {}", emoji(95));
    let reason = format!("Fix {}!", emoji(495));
    let content = CardContent {
        description: Some(Description::parse(&format!("A{}", emoji(998))).unwrap()),
        contact: Contact::parse(&format!("https://e.example/{}", "🌊".repeat(182))).unwrap(),
        address: Some(Address::parse(&format!("B{}", emoji(298))).unwrap()),
        discount: Some(Discount::parse(&format!("C{}", emoji(98))).unwrap()),
        ..fixtures::shop_card(&title)
    };
    let fields = [
        content.title.as_str(),
        content.description.as_ref().unwrap().as_str(),
        content.contact.as_str(),
        content.address.as_ref().unwrap().as_str(),
        content.discount.as_ref().unwrap().as_str(),
        &reason,
    ];
    let least = fields.iter().map(|field| utf16_len(field)).sum::<usize>();
    assert!(least > TEXT_LIMIT, "the card and reason need {least} units");
    world.db.become_partner(UserId(partner)).await.unwrap();
    let card = world
        .db
        .submit_new(UserId(partner), &content, Timestamp(1_000))
        .await
        .unwrap();

    // The admin's review fits whole; the rejection goes through with the longest reason.
    world.command(ADMIN, "moderate").await;
    let review = world.last(ADMIN);
    assert!(review.body().starts_with(&title), "{review}");
    assert!(!review.body().ends_with('…'), "{review}");
    world.inline_key(ADMIN, Locale::En, "btn-reject").await;
    world
        .inline_key(ADMIN, Locale::En, "btn-reason-other")
        .await;
    world.text(ADMIN, &reason).await;
    let stored = world.db.card(card).await.unwrap().unwrap();
    assert_eq!(stored.rejection_reason.as_deref(), Some(reason.as_str()));
    let told = world.tw(
        Locale::En,
        "notify-card-rejected",
        &[("title", Arg::from(&title)), ("reason", Arg::from(&reason))],
    );
    let chat = world.chat(partner);
    assert!(chat.bot_messages().any(|m| m.body() == told), "{chat}");

    // The partner's view of the card: everything plus the reason is too long, so it is cut.
    world.reply_key(partner, Locale::En, "btn-cabinet").await;
    world.reply_key(partner, Locale::En, "btn-my-cards").await;
    let view = world.tw(Locale::En, "btn-view-card", &[("title", Arg::from(&title))]);
    world.inline(partner, &view).await;
    let shown = world.last(partner);
    let body = shown.body();
    assert!(body.starts_with(&title), "{shown}");
    assert!(body.ends_with('…'), "{shown}");
    assert!(utf16_len(body) <= TEXT_LIMIT, "{} units", utf16_len(body));
    assert!(
        utf16_len(body) > TEXT_LIMIT - 50,
        "cut near the limit, not sooner: {} units",
        utf16_len(body)
    );
    assert!(
        shown
            .button_labels()
            .contains(&&*world.t(Locale::En, "btn-edit-resubmit"))
    );
}

// ---------------------------------------------------------------------------------------------
// The Telegram client's cut, straight through execute

/// Sends `text` and then edits that message to `text` reversed through the real client;
/// both must arrive, at most [`TEXT_LIMIT`] UTF-16 units long.
async fn check_cut(world: &World, client: &TelegramClient, user: i64, text: &str, cut: bool) {
    let chat = ChatId(user);
    let send = Effect::Send {
        chat,
        text: RichText::default().bold("Note: ").text(text),
        keyboard: Keyboard::None,
    };
    assert_eq!(client.execute(&[send]).await, vec![EffectOutcome::Ok]);
    let sent = world.last(user);
    let edited: String = text.chars().rev().collect();
    let edit = Effect::Edit {
        chat,
        message: MessageId(i64::from(sent.message_id)),
        text: RichText::plain(edited.clone()),
        keyboard: Vec::new(),
    };
    assert_eq!(client.execute(&[edit]).await, vec![EffectOutcome::Ok]);
    let after = world.chat(user).message(sent.message_id).cloned().unwrap();
    assert!(after.edited);

    for (shown, original) in [
        (sent.body(), format!("Note: {text}")),
        (after.body(), edited),
    ] {
        assert!(utf16_len(shown) <= TEXT_LIMIT, "{} units", utf16_len(shown));
        if cut {
            let kept = shown
                .strip_suffix('…')
                .unwrap_or_else(|| panic!("no …: {shown}"));
            // Telegram trims a message's leading spaces as it does the trailing ones.
            assert!(
                original.trim_start().starts_with(kept),
                "the cut keeps the start"
            );
            assert!(
                utf16_len(kept) > TEXT_LIMIT - 50,
                "{} units",
                utf16_len(kept)
            );
        } else {
            assert_eq!(shown, original.trim());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_over_4096_characters_is_cut_by_the_client_not_refused() {
    let world = World::start(settings()).await;
    let client = TelegramClient::new(&world.server.base_url(), world.server.token())
        .unwrap()
        .with_rate_limits(None);
    let user = 3000;
    let _ = world.api().user(user);
    let of = |sample: &str, count: usize| sample.chars().cycle().take(count).collect::<String>();
    let cases = [
        (of("lorem ipsum dolor sit amet ", 5_000), true),
        (of("나트랑 해변 카페 ", 5_000), true),
        (of("Нячанг <b>&amp;</b> ", 5_000), true),
        (of("🏖️ Phú Quốc 🇻🇳 ", 5_000), true),
        (of("x", 4_090), false),
        (of("<&>", 4_090), false),
    ];
    for (text, cut) in &cases {
        check_cut(&world, &client, user, text, *cut).await;
    }
    assert_eq!(
        world.api().stats().calls_of("sendMessage"),
        cases.len() as u64,
        "one call each: nothing was refused and retried"
    );
    world.stop().await;
}

/// A screen sent through the real client comes back with the id the Bot API gave it; stripping
/// its buttons keeps its text, and stripping again ("not modified") counts as done.
#[tokio::test(flavor = "multi_thread")]
async fn a_screen_sent_gives_its_id_and_loses_only_its_buttons_when_stripped() {
    let world = World::start(settings()).await;
    let client = TelegramClient::new(&world.server.base_url(), world.server.token())
        .unwrap()
        .with_rate_limits(None);
    let user = 3001;
    let _ = world.api().user(user);
    let chat = ChatId(user);
    let screen = vitrina_dialog::ScreenTag {
        draft: 7,
        version: 3,
    };
    let button = vitrina_dialog::InlineButton {
        label: "Go".to_owned(),
        action: vitrina_dialog::ButtonAction::Callback("noop".to_owned()),
    };
    let send = Effect::SendScreen {
        chat,
        text: RichText::plain("Choose"),
        keyboard: vec![vec![button]],
        screen,
    };
    let outcomes = client.execute(&[send]).await;
    let sent = world.last(user);
    assert_eq!(
        outcomes,
        vec![EffectOutcome::ScreenSent {
            chat,
            screen,
            message: MessageId(i64::from(sent.message_id)),
        }]
    );
    assert_eq!(sent.button_labels(), vec!["Go"]);
    let strip = Effect::EditKeyboard {
        chat,
        message: MessageId(i64::from(sent.message_id)),
        keyboard: Vec::new(),
    };
    assert_eq!(
        client.execute(&[strip.clone(), strip]).await,
        vec![EffectOutcome::Ok, EffectOutcome::Ok]
    );
    let after = world.chat(user).message(sent.message_id).cloned().unwrap();
    assert_eq!(after.body(), "Choose");
    assert!(after.inline_keyboard.is_empty());
    assert_eq!(world.api().stats().calls_of("editMessageReplyMarkup"), 2);
    world.stop().await;
}
