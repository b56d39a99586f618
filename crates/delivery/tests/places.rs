//! Places and editing published cards end to end, through the Bot API double: a partner
//! answers the wizard's contact step with the `request_contact` button and its map step with
//! the `request_location` button, the card is stored with its coordinates; a visitor presses
//! *📍 Nearby*, shares their location, gets the places by distance, opens one (its map button
//! built from the coordinates) and has it sent as a venue (`sendVenue`). A partner edits a
//! published card: asked first, the card is out of the catalog once the edit is submitted and
//! back with the new content once approved. Every scenario runs on SQLite and, when
//! TEST_DATABASE_URL is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_cards::{
    CardContent, CardId, CardRepository, CardStatus, CatalogFilter, Coordinates, PageRequest,
    Timestamp, UserId,
};
use vitrina_dialog::Settings;
use vitrina_fake_bot_api::MessageKind;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};
use vitrina_testkit::fixtures;

const ADMIN: i64 = 900;
const PARTNER: i64 = 500;
const VISITOR: i64 = 600;

/// Where the visitor stands: the centre of Nha Trang.
const HERE: (f64, f64) = (12.2388, 109.1967);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

on_both_engines!(
    a_partner_places_a_card_with_buttons_and_a_visitor_finds_it_nearby,
    a_partner_edits_a_published_card_which_leaves_the_catalog_until_approved,
);

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    scenario(&world).await;
    world.stop().await;
}

async fn approve(world: &World, id: CardId, at: i64) {
    let decision = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(at));
    world.db.decide(&decision).await.unwrap();
}

async fn catalog_titles(world: &World) -> Vec<String> {
    let filter = CatalogFilter {
        city: fixtures::NHA_TRANG,
        category: fixtures::SHOPS,
        subcategory: None,
        title_contains: None,
    };
    world
        .db
        .catalog(&filter, PageRequest::new(1, 5))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|card| card.title)
        .collect()
}

async fn a_partner_places_a_card_with_buttons_and_a_visitor_finds_it_nearby(world: &World) {
    let en = Locale::En;
    // A farther published place, seeded, to show the order.
    let far = CardContent {
        location: Some(Coordinates::new(HERE.0 + 0.01, HERE.1).unwrap()),
        ..fixtures::shop_card("Far Shop")
    };
    let far = world
        .db
        .submit_new(UserId(PARTNER + 1), &far, Timestamp(1))
        .await
        .unwrap();
    approve(world, far, 2).await;

    // The partner writes a card with the phone and the pin shared by buttons.
    world.onboard(PARTNER, en).await;
    world.reply_key(PARTNER, en, "btn-cabinet").await;
    world.reply_key(PARTNER, en, "btn-become-partner").await;
    world.inline_key(PARTNER, en, "city-nha-trang").await;
    world.inline_key(PARTNER, en, "btn-skip").await;
    world.inline_key(PARTNER, en, "category-shops").await;
    world.text(PARTNER, "Near Shop").await;
    world.reply_key(PARTNER, en, "btn-skip").await;
    world
        .api()
        .press_contact_button(PARTNER, &world.t(en, "btn-share-phone"), "84905123456")
        .await
        .unwrap();
    world.settle().await;
    world.reply_key(PARTNER, en, "btn-skip").await;
    world
        .api()
        .press_location_button(
            PARTNER,
            &world.t(en, "btn-share-location"),
            HERE.0 + 0.001,
            HERE.1,
        )
        .await
        .unwrap();
    world.settle().await;
    world.reply_key(PARTNER, en, "btn-skip").await;
    world.reply_key(PARTNER, en, "btn-skip").await;
    world.inline_key(PARTNER, en, "btn-submit").await;
    let near = world
        .db
        .partner_cards(UserId(PARTNER), PageRequest::new(1, 5))
        .await
        .unwrap()
        .items[0]
        .id;
    let stored = world.db.card(near).await.unwrap().unwrap();
    assert_eq!(stored.status, CardStatus::Pending);
    assert_eq!(stored.content.contact.as_str(), "+84905123456");
    // Compared to the micro-degree: the pin went through JSON and back.
    assert_eq!(
        stored.content.location.map(Coordinates::to_micro),
        Some((12_239_800, 109_196_700))
    );
    approve(world, near, 3).await;

    // A visitor asks for what is near.
    world.onboard(VISITOR, en).await;
    world.reply_key(VISITOR, en, "btn-catalog").await;
    world.inline_key(VISITOR, en, "city-nha-trang").await;
    world.inline_key(VISITOR, en, "btn-nearby").await;
    let share = world.t(en, "btn-share-location");
    let keyboard = world.chat(VISITOR).reply_keyboard.unwrap();
    assert_eq!(keyboard.location_buttons, std::slice::from_ref(&share));
    world
        .api()
        .press_location_button(VISITOR, &share, HERE.0, HERE.1)
        .await
        .unwrap();
    world.settle().await;
    let chat = world.chat(VISITOR);
    let keyboard = chat.reply_keyboard.as_ref().unwrap();
    assert!(keyboard.location_buttons.is_empty(), "{chat}");
    assert!(keyboard.contains(&world.t(en, "btn-catalog")), "{chat}");
    let list = world.last(VISITOR);
    let line = |title: &str, distance: &str| {
        world.tw(
            en,
            "btn-nearby-card",
            &[
                ("title", Arg::from(title)),
                ("distance", Arg::from(distance)),
            ],
        )
    };
    assert_eq!(
        list.button_labels(),
        [line("Near Shop", "110 m"), line("Far Shop", "1.1 km")]
            .each_ref()
            .map(String::as_str),
        "{chat}"
    );

    world.inline(VISITOR, &line("Near Shop", "110 m")).await;
    let card = world.last(VISITOR);
    assert_eq!(
        card.button(&world.t(en, "btn-map")).unwrap().url.as_deref(),
        Some("https://www.google.com/maps/search/?api=1&query=12.239800,109.196700")
    );
    world.inline_key(VISITOR, en, "btn-send-place").await;
    let venue = world.last(VISITOR);
    assert_eq!(venue.kind, MessageKind::Venue);
    let place = venue.place.unwrap();
    assert_eq!(place.title.as_deref(), Some("Near Shop"));
    assert_eq!(place.address, Some(world.t(en, "city-nha-trang")));
    assert!((place.latitude - (HERE.0 + 0.001)).abs() < 1e-6);
    assert!((place.longitude - HERE.1).abs() < 1e-6);
    assert_eq!(world.api().stats().calls_of("sendVenue"), 1);
}

async fn a_partner_edits_a_published_card_which_leaves_the_catalog_until_approved(world: &World) {
    let en = Locale::En;
    world.onboard(ADMIN, en).await;
    world.onboard(PARTNER, en).await;
    world.reply_key(PARTNER, en, "btn-cabinet").await;
    world.reply_key(PARTNER, en, "btn-become-partner").await;
    world.command(PARTNER, "cancel").await;
    let id = world
        .db
        .submit_new(
            UserId(PARTNER),
            &fixtures::shop_card("Corner Shop"),
            Timestamp(1),
        )
        .await
        .unwrap();
    approve(world, id, 2).await;

    world.command(PARTNER, "cabinet").await;
    world.reply_key(PARTNER, en, "btn-my-cards").await;
    let view = world.tw(en, "btn-view-card", &[("title", Arg::from("Corner Shop"))]);
    world.inline(PARTNER, &view).await;
    world.inline_key(PARTNER, en, "btn-edit-card").await;
    assert!(
        world
            .last(PARTNER)
            .body()
            .ends_with(&world.t(en, "card-edit-published-confirm")),
        "{}",
        world.chat(PARTNER)
    );
    world.inline_key(PARTNER, en, "btn-edit-confirm").await;
    let checked = |key: &str| format!("✓ {}", world.t(en, key));
    world.inline(PARTNER, &checked("city-nha-trang")).await;
    world.inline_key(PARTNER, en, "btn-skip").await;
    world.inline(PARTNER, &checked("category-shops")).await;
    // Still in the catalog while the edit is being written.
    assert_eq!(catalog_titles(world).await, ["Corner Shop"]);
    world.text(PARTNER, "Corner Shop Renewed").await;
    world.reply_key(PARTNER, en, "btn-skip").await;
    world.reply_key(PARTNER, en, "btn-keep").await;
    for _ in ["address", "map", "photos", "discount"] {
        world.reply_key(PARTNER, en, "btn-skip").await;
    }
    world.inline_key(PARTNER, en, "btn-submit").await;

    let card = world.db.card(id).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Pending);
    assert!(catalog_titles(world).await.is_empty());

    // The admin reviews it from the notice, and it is back with the new title.
    world.inline_key(ADMIN, en, "btn-review").await;
    world.inline_key(ADMIN, en, "btn-approve").await;
    assert_eq!(catalog_titles(world).await, ["Corner Shop Renewed"]);
    let card = world.db.card(id).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Published);
}
