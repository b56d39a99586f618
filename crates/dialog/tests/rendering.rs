//! What the dialog says on the screens people see: people's own words passed on as they wrote
//! them wherever they appear, with only the title made bold; a description over the product's
//! 1000 characters refused by its rule; the longest card and reason passed on whole; and the
//! partner-cabinet regression checklist of the old runbook (§5) in each of the four languages.
//! Turning the text into Telegram's HTML (escaping, cutting to 4096 characters) is the Telegram
//! adapter's and is tested with it. The dialog runs on its in-memory ports: no database, no Bot
//! API.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::World;
use vitrina_cards::{
    Address, CardContent, CardRepository, CategoryId, CityId, Contact, Description, Discount,
    Timestamp, Title, UserId,
};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{Effect, Input, Settings, Style};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

const ADMIN: i64 = 900;

/// The most UTF-16 units Telegram shows of a message; its client cuts longer texts.
const TELEGRAM_TEXT_LIMIT: usize = 4096;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

scenarios!(
    people_s_words_are_passed_on_verbatim_and_only_the_title_is_bold,
    a_description_over_1000_characters_is_refused_by_its_rule,
    the_longest_card_and_reason_are_passed_on_whole,
    partner_cabinet_regression_checklist_in_every_locale,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    world.onboard(ADMIN, Locale::En).await;
    scenario(&world).await;
    world.stop().await;
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Walks a partner through the wizard to the last step before the preview: Nha Trang, a shop,
/// `title`, `description`, a contact, the address, map link and photos skipped.
async fn wizard_to_discount(world: &World, partner: i64, title: &str, description: &str) {
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
    for _ in ["address", "map link", "photos"] {
        world.reply_key(partner, locale, "btn-skip").await;
    }
}

// ---------------------------------------------------------------------------------------------
// People's words

async fn people_s_words_are_passed_on_verbatim_and_only_the_title_is_bold(world: &World) {
    let (partner, visitor) = (1001, 1002);
    let title = "<b>Bold</b> & <i>co</i>";
    let description = "Tea <3 & \"coffee\" > juice; <a href=\"x\">not a link</a>";
    world.onboard(partner, Locale::En).await;
    wizard_to_discount(world, partner, title, description).await;

    // The preview: the title literally, as one bold span, nothing else bold, no link made.
    let skip = world.t(Locale::En, "btn-skip");
    let effects = world.handle(partner, Input::Text(skip)).await;
    let Some(Effect::SendScreen { text, .. }) = effects.last() else {
        panic!("the preview expected: {effects:?}");
    };
    let bold: Vec<&str> = text
        .spans()
        .iter()
        .filter(|span| span.style == Style::Bold)
        .map(|span| span.text.as_str())
        .collect();
    assert_eq!(bold, vec![title], "{text:?}");
    assert!(
        text.spans()
            .iter()
            .all(|span| !matches!(span.style, Style::Link(_))),
        "no link was made of the words: {text:?}"
    );
    let preview = world.last(partner);
    assert!(preview.body().starts_with(title), "{preview}");
    assert!(preview.body().contains(description), "{preview}");
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

async fn a_description_over_1000_characters_is_refused_by_its_rule(world: &World) {
    let partner = 1101;
    let en = |key: &str| world.t(Locale::En, key);
    world.onboard(partner, Locale::En).await;
    world.reply_key(partner, Locale::En, "btn-cabinet").await;
    world
        .reply_key(partner, Locale::En, "btn-become-partner")
        .await;
    world.inline(partner, &en("city-nha-trang")).await;
    world.inline_key(partner, Locale::En, "btn-skip").await;
    world.inline(partner, &en("category-shops")).await;
    world.text(partner, "Long Story Books").await;
    assert!(
        world
            .last(partner)
            .body()
            .starts_with(&en("wizard-description"))
    );

    let words: String = "Книги 책 sách books "
        .chars()
        .cycle()
        .take(1000)
        .chain(['X'])
        .collect();
    world.text(partner, &words).await;
    let rule = world.tw(
        Locale::En,
        "validation-too-long",
        &[("max", Arg::Number(1000))],
    );
    assert_eq!(world.last(partner).body(), rule, "{}", world.chat(partner));

    // The step stays: 1000 characters are taken.
    let fits: String = words.chars().take(999).chain(['!']).collect();
    world.text(partner, &fits).await;
    assert!(
        world
            .last(partner)
            .body()
            .starts_with(&en("wizard-contact")),
        "{}",
        world.chat(partner)
    );
    world.text(partner, "@long_story").await;
    for _ in ["address", "map link", "photos", "discount"] {
        world.reply_key(partner, Locale::En, "btn-skip").await;
    }
    let preview = world.last(partner);
    assert!(preview.body().contains(&fits), "{preview}");
}

/// Every field at its longest and the longest custom reason: the dialog takes and tells them
/// whole, and shows the partner's view of the card uncut even though it is longer than
/// Telegram shows — cutting it is the Telegram client's.
async fn the_longest_card_and_reason_are_passed_on_whole(world: &World) {
    let partner = 1201;
    world.onboard(partner, Locale::En).await;
    // In characters Telegram counts twice (UTF-16 surrogate pairs), with a space now and then.
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
        city: CityId(1),
        area: None,
        category: CategoryId(5),
        subcategory: None,
        title: Title::parse(&title).unwrap(),
        description: Some(Description::parse(&format!("A{}", emoji(998))).unwrap()),
        contact: Contact::parse(&format!("https://e.example/{}", "🌊".repeat(182))).unwrap(),
        address: Some(Address::parse(&format!("B{}", emoji(298))).unwrap()),
        map_link: None,
        photos: Vec::new(),
        discount: Some(Discount::parse(&format!("C{}", emoji(98))).unwrap()),
        location: None,
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
    assert!(
        least > TELEGRAM_TEXT_LIMIT,
        "the card and reason need {least} units"
    );
    world.ports.become_partner(UserId(partner)).await.unwrap();
    let card = world
        .ports
        .submit_new(UserId(partner), &content, Timestamp(1_000))
        .await
        .unwrap();

    // The admin's review shows every field; the rejection is taken with the longest reason.
    world.command(ADMIN, "moderate").await;
    let review = world.last(ADMIN);
    assert!(review.body().starts_with(&title), "{review}");
    for field in &fields[..5] {
        assert!(review.body().contains(field), "{field} in {review}");
    }
    world.inline_key(ADMIN, Locale::En, "btn-reject").await;
    world
        .inline_key(ADMIN, Locale::En, "btn-reason-other")
        .await;
    world.text(ADMIN, &reason).await;
    let stored = world.ports.card(card).await.unwrap().unwrap();
    assert_eq!(stored.rejection_reason.as_deref(), Some(reason.as_str()));
    let told = world.tw(
        Locale::En,
        "notify-card-rejected",
        &[("title", Arg::from(&title)), ("reason", Arg::from(&reason))],
    );
    let chat = world.chat(partner);
    assert!(chat.bot_messages().any(|m| m.body() == told), "{chat}");

    // The partner's view of the card: every field and the reason, longer than Telegram shows.
    world.reply_key(partner, Locale::En, "btn-cabinet").await;
    world.reply_key(partner, Locale::En, "btn-my-cards").await;
    let view = world.tw(Locale::En, "btn-view-card", &[("title", Arg::from(&title))]);
    world.inline(partner, &view).await;
    let shown = world.last(partner);
    let body = shown.body();
    assert!(body.starts_with(&title), "{shown}");
    for field in fields {
        assert!(body.contains(field), "{field} in {shown}");
    }
    assert!(
        utf16_len(body) > TELEGRAM_TEXT_LIMIT,
        "{} units",
        utf16_len(body)
    );
    assert!(
        shown
            .button_labels()
            .contains(&&*world.t(Locale::En, "btn-edit-resubmit"))
    );
}

// ---------------------------------------------------------------------------------------------
// The partner-cabinet regression checklist

/// The checklist of the old runbook (§5) in each of the four languages: policy; cabinet;
/// become partner; the whole wizard with photos; submit; an admin approves with /moderate; My
/// cards shows the card published; with 7 cards Back / Forward / Refresh; view; Hide →
/// archived and still listed → Show → published; Delete with confirmation.
async fn partner_cabinet_regression_checklist_in_every_locale(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let partner = 1000 + i64::try_from(n).unwrap();
        checklist(world, locale, partner).await;
    }
}

async fn checklist(world: &World, locale: Locale, partner: i64) {
    let t = |key: &str| world.t(locale, key);
    let title = format!("Sea Breeze {}", locale.code());

    // Policy: the welcome offers to read and accept it; reading shows it in the chat.
    world.set_language(partner, Some(locale.code()));
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
    let extra = CardContent {
        city: CityId(1),
        area: None,
        category: CategoryId(5),
        subcategory: None,
        title: Title::parse("Extra shop").unwrap(),
        description: None,
        contact: Contact::parse("+84 905 000 000").unwrap(),
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    };
    for n in 0..6 {
        let id = world
            .ports
            .submit_new(UserId(partner), &extra, Timestamp(n))
            .await
            .unwrap();
        let approve = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(n));
        world.ports.decide(&approve).await.unwrap();
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
