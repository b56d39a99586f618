//! The catalog end to end: a city, then its categories with the number of published cards,
//! then a subcategory filter with *All* first, then a list of 5 a page whose Back / Forward
//! edit the same message, then a card with its photos, text and map button. The chosen city
//! is remembered and can be changed; only published cards are ever counted, listed or opened.
//! Every scenario runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_cards::{
    Address, AreaId, CardAction, CardContent, CardId, CardRepository, CategoryId, CityId,
    Description, Discount, MapLink, PhotoId, SubcategoryId, Timestamp, UserId,
};
use vitrina_dialog::Settings;
use vitrina_fake_bot_api::{ChatMessage, MessageKind};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{
    Decision, ModerationRepository, RejectionReason, StandardReason, Verdict,
};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;
/// The partner who owns every card of the catalog.
const OWNER: i64 = 500;
/// A visitor who sends the photos the cards show, so that their file ids exist.
const PHOTOGRAPHER: i64 = 501;

const NHA_TRANG: CityId = CityId(1);
const DA_NANG: CityId = CityId(2);
const RESTAURANTS: CategoryId = CategoryId(1);
const SPA: CategoryId = CategoryId(2);
const HOTELS: CategoryId = CategoryId(4);
const SHOPS: CategoryId = CategoryId(5);
const ASIAN: SubcategoryId = SubcategoryId(101);
const EUROPEAN: SubcategoryId = SubcategoryId(102);
const MASSAGE: SubcategoryId = SubcategoryId(201);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

on_both_engines!(
    categories_count_only_published_cards_of_the_chosen_city,
    a_card_shows_its_photos_text_and_map_button,
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

// ---------------------------------------------------------------------------------------------
// The catalog's cards

/// What a card becomes after it is submitted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Published,
    Pending,
    Rejected,
    /// Published, then hidden by its partner.
    Archived,
    Deleted,
}

struct Seeded {
    /// The photos of the spa card, which has everything: area, address, map link, discount.
    spa_photos: Vec<PhotoId>,
}

/// The published restaurants of Nha Trang, oldest first.
const NHA_TRANG_RESTAURANTS: [(&str, SubcategoryId); 7] = [
    ("Asian One", ASIAN),
    ("European One", EUROPEAN),
    ("Asian Two", ASIAN),
    ("European Two", EUROPEAN),
    ("Asian Three", ASIAN),
    ("European Three", EUROPEAN),
    ("Asian Four", ASIAN),
];

async fn add(world: &World, card: &CardContent, at: i64, fate: Fate) -> CardId {
    let owner = UserId(OWNER);
    let id = world
        .db
        .submit_new(owner, card, Timestamp(at))
        .await
        .unwrap();
    let verdict = match fate {
        Fate::Pending => return id,
        Fate::Rejected => Verdict::Reject(RejectionReason::Standard(StandardReason::Incomplete)),
        Fate::Published | Fate::Archived | Fate::Deleted => Verdict::Approve,
    };
    let decision = Decision::new(id, UserId(ADMIN), verdict, Timestamp(at + 1));
    world.db.decide(&decision).await.unwrap();
    let action = match fate {
        Fate::Archived => CardAction::Hide,
        Fate::Deleted => CardAction::Delete,
        _ => return id,
    };
    world
        .db
        .apply_partner_action(owner, id, action, Timestamp(at + 2))
        .await
        .unwrap();
    id
}

/// Nha Trang: 7 restaurants (4 Asian, 3 European), a spa, a shop, and in the same city and
/// categories one card of every other fate; hotels have only a pending card. Da Nang: 2
/// restaurants.
async fn seed(world: &World) -> Seeded {
    world.api().send_photo(PHOTOGRAPHER, None).await;
    world.api().send_photo(PHOTOGRAPHER, None).await;
    world.settle().await;
    let spa_photos: Vec<PhotoId> = world
        .chat(PHOTOGRAPHER)
        .messages
        .iter()
        .filter(|m| !m.from_bot && m.kind == MessageKind::Photo)
        .map(|m| PhotoId(m.file_id.clone().unwrap()))
        .collect();
    assert_eq!(spa_photos.len(), 2);

    let mut at = 1_000;
    for (title, sub) in NHA_TRANG_RESTAURANTS {
        at += 1_000;
        let card = fixtures::card(NHA_TRANG, RESTAURANTS, Some(sub), title);
        add(world, &card, at, Fate::Published).await;
    }
    let spa = CardContent {
        area: Some(AreaId(101)),
        description: Some(Description::parse("Hot stones & herbal steam, 9:00–21:00").unwrap()),
        address: Some(Address::parse("12 Tran Phu, Nha Trang").unwrap()),
        map_link: Some(MapLink::parse("https://maps.example.com/?q=lotus+spa").unwrap()),
        photos: spa_photos.clone(),
        discount: Some(Discount::parse("10% for Vitrina users").unwrap()),
        ..fixtures::card(NHA_TRANG, SPA, Some(MASSAGE), "Lotus Spa")
    };
    add(world, &spa, 20_000, Fate::Published).await;
    add(
        world,
        &fixtures::card(NHA_TRANG, SHOPS, None, "Corner Shop"),
        21_000,
        Fate::Published,
    )
    .await;
    for (title, sub) in [
        ("Da Nang Asian", ASIAN),
        ("Da Nang Street", SubcategoryId(103)),
    ] {
        let card = fixtures::card(DA_NANG, RESTAURANTS, Some(sub), title);
        add(world, &card, 22_000, Fate::Published).await;
    }

    let others = [
        ("Pending Noodles", RESTAURANTS, Some(ASIAN), Fate::Pending),
        ("Rejected Noodles", RESTAURANTS, Some(ASIAN), Fate::Rejected),
        ("Archived Noodles", RESTAURANTS, Some(ASIAN), Fate::Archived),
        ("Deleted Noodles", RESTAURANTS, Some(ASIAN), Fate::Deleted),
        ("Pending Massage", SPA, Some(MASSAGE), Fate::Pending),
        ("Pending Hotel", HOTELS, None, Fate::Pending),
    ];
    for (title, category, sub, fate) in others {
        // Newer than every published card, so that a leak would top the first page.
        let card = fixtures::card(NHA_TRANG, category, sub, title);
        add(world, &card, 30_000, fate).await;
    }
    Seeded { spa_photos }
}

// ---------------------------------------------------------------------------------------------
// Reading the screens

const USER: i64 = 2000;

fn category_label(world: &World, locale: Locale, key: &str, count: i64) -> String {
    world.tw(
        locale,
        "catalog-category-count",
        &[
            ("name", Arg::from(world.t(locale, key))),
            ("count", Arg::Number(count)),
        ],
    )
}

fn view_label(world: &World, locale: Locale, title: &str) -> String {
    world.tw(locale, "btn-view-card", &[("title", Arg::from(title))])
}

fn message(world: &World, user: i64, id: i32) -> ChatMessage {
    world.chat(user).message(id).cloned().unwrap()
}

/// Opens the catalog from the menu and chooses a city; returns the catalog message's id.
async fn open_city(world: &World, locale: Locale, city: &str) -> i32 {
    world.onboard(USER, locale).await;
    world.reply_key(USER, locale, "btn-catalog").await;
    let picker = world.last(USER);
    assert_eq!(picker.body(), world.t(locale, "catalog-choose-city"));
    world.inline(USER, &world.t(locale, city)).await;
    picker.message_id
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async fn categories_count_only_published_cards_of_the_chosen_city(world: &World, _: &Seeded) {
    let locale = Locale::Vi;
    world.onboard(USER, locale).await;
    world.reply_key(USER, locale, "btn-catalog").await;
    let picker = world.last(USER);
    let cities = [
        "city-nha-trang",
        "city-da-nang",
        "city-ho-chi-minh-city",
        "city-phu-quoc",
    ]
    .map(|key| world.t(locale, key));
    assert_eq!(
        picker.button_labels(),
        cities.each_ref().map(String::as_str)
    );

    world.inline(USER, &cities[0]).await;
    let screen = message(world, USER, picker.message_id);
    let heading = world.tw(
        locale,
        "catalog-choose-category",
        &[("city", Arg::from(cities[0].as_str()))],
    );
    assert_eq!(screen.body(), heading);
    let expected = [
        category_label(world, locale, "category-restaurants", 7),
        category_label(world, locale, "category-spa", 1),
        category_label(world, locale, "category-transport", 0),
        category_label(world, locale, "category-hotels", 0),
        category_label(world, locale, "category-shops", 1),
        category_label(world, locale, "category-tours", 0),
        world.t(locale, "btn-search"),
        world.t(locale, "btn-nearby"),
        world.t(locale, "btn-change-city"),
    ];
    assert_eq!(
        screen.button_labels(),
        expected.each_ref().map(String::as_str)
    );
    assert!(screen.edited, "the picker became the categories: {screen}");
}

async fn a_card_shows_its_photos_text_and_map_button(world: &World, seeded: &Seeded) {
    let locale = Locale::En;
    let t = |key: &str| world.t(locale, key);
    let id = open_city(world, locale, "city-nha-trang").await;
    world
        .inline(USER, &category_label(world, locale, "category-spa", 1))
        .await;
    world
        .inline_key(USER, locale, "btn-all-subcategories")
        .await;
    let before = world.chat(USER).messages.len();
    world
        .inline(USER, &view_label(world, locale, "Lotus Spa"))
        .await;

    // The photos as an album, then the text with the buttons.
    let chat = world.chat(USER);
    let new: Vec<&ChatMessage> = chat.messages[before..]
        .iter()
        .filter(|m| m.from_bot)
        .collect();
    let [first, second, text] = new[..] else {
        panic!("photos then text expected: {chat}");
    };
    // Both answers leave the outbox once sent.
    world.outbox_emptied().await;
    let shown: Vec<PhotoId> = [first, second]
        .map(|m| PhotoId(m.file_id.clone().unwrap()))
        .to_vec();
    assert_eq!(shown, seeded.spa_photos);
    assert!(first.media_group_id.is_some() && first.media_group_id == second.media_group_id);

    let body = text.body();
    let lines = [
        "Lotus Spa".to_owned(),
        format!("{} · {}", t("category-spa"), t("subcategory-spa-massage")),
        "Hot stones & herbal steam, 9:00–21:00".to_owned(),
        world.tw(
            locale,
            "card-field-area",
            &[(
                "area",
                Arg::from(format!(
                    "{}, {}",
                    t("city-nha-trang"),
                    t("area-nha-trang-centre")
                )),
            )],
        ),
        world.tw(
            locale,
            "card-field-address",
            &[("address", Arg::from("12 Tran Phu, Nha Trang"))],
        ),
        world.tw(
            locale,
            "card-field-contact",
            &[("contact", Arg::from("+84 905 123 456"))],
        ),
        world.tw(
            locale,
            "card-field-discount",
            &[("discount", Arg::from("10% for Vitrina users"))],
        ),
    ];
    for line in &lines {
        assert!(body.lines().any(|l| l == line), "{line:?} in {text}");
    }
    assert!(body.starts_with("Lotus Spa"), "{text}");
    let map = text.button(&t("btn-map")).unwrap();
    assert_eq!(
        (map.url.as_deref(), map.callback_data.as_deref()),
        (Some("https://maps.example.com/?q=lotus+spa"), None)
    );
    assert!(text.button(&t("btn-back-to-list")).is_some(), "{text}");

    // Back to the list it came from; a card without a link has no map button.
    world.inline_key(USER, locale, "btn-back-to-list").await;
    let list = message(world, USER, text.message_id);
    assert!(
        list.button_labels()
            .contains(&&*view_label(world, locale, "Lotus Spa")),
        "{list}"
    );
    assert_eq!(message(world, USER, id).body(), list.body());
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline(USER, &category_label(world, locale, "category-shops", 1))
        .await;
    world
        .inline(USER, &view_label(world, locale, "Corner Shop"))
        .await;
    let shop = world.last(USER);
    assert!(shop.body().starts_with("Corner Shop"), "{shop}");
    assert_eq!(shop.button_labels(), vec![t("btn-back-to-list")]);
    assert_eq!(shop.kind, MessageKind::Text);
}
