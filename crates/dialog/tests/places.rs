//! Places: the wizard's map step takes a location pin or a venue (and the contact step the
//! person's own phone, shared with a `request_contact` button); a card with coordinates has
//! a map button built from them and *📍 Send as a place*, which sends it as a venue; *📍
//! Nearby* in the catalog asks for the location with a `request_location` button and lists
//! the published places by distance, five a page, paging in place, the location keyboard
//! giving way to the main menu. The dialog runs on its in-memory ports.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{MessageKind, World};
use vitrina_cards::{
    Address, CardContent, CardId, CardRepository, CardStatus, Coordinates, Timestamp, UserId,
};
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

const ADMIN: i64 = 900;
const OWNER: i64 = 500;
const VISITOR: i64 = 600;

/// Where the visitor stands: the centre of Nha Trang.
const HERE: (f64, f64) = (12.2388, 109.1967);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

scenarios!(
    the_map_step_takes_a_pin_and_the_contact_step_a_shared_phone,
    a_venue_answers_the_map_step_and_a_pin_elsewhere_gets_a_hint,
    nearby_lists_published_places_nearest_first_and_pages_in_place,
    a_place_is_sent_as_a_venue_only_for_a_public_card_or_ones_own,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    scenario(&world).await;
    world.stop().await;
}

fn at(latitude: f64, longitude: f64) -> Coordinates {
    Coordinates::new(latitude, longitude).unwrap()
}

/// A shop card of [`OWNER`] at `place`, published unless `publish` is false.
async fn placed_card(
    world: &World,
    title: &str,
    place: Option<Coordinates>,
    publish: bool,
) -> CardId {
    let content = CardContent {
        location: place,
        ..support::shop_card(title, "+84 905 123 456")
    };
    let id = world
        .ports
        .submit_new(UserId(OWNER), &content, Timestamp(1))
        .await
        .unwrap();
    if publish {
        let approve = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(2));
        world.ports.decide(&approve).await.unwrap();
    }
    id
}

/// A partner at the wizard's first step, in English.
async fn partner_in_wizard(world: &World, partner: i64) {
    let en = Locale::En;
    world.onboard(partner, en).await;
    world.reply_key(partner, en, "btn-cabinet").await;
    world.reply_key(partner, en, "btn-become-partner").await;
}

/// From the city step to the contact step: Nha Trang, no area, shops (no subcategories),
/// `title`, no description.
async fn to_contact_step(world: &World, partner: i64, title: &str) {
    let en = Locale::En;
    world.inline_key(partner, en, "city-nha-trang").await;
    world.inline_key(partner, en, "btn-skip").await;
    world.inline_key(partner, en, "category-shops").await;
    world.text(partner, title).await;
    world.reply_key(partner, en, "btn-skip").await;
    let question = world.t(en, "wizard-contact");
    assert!(
        world.last(partner).body().starts_with(&question),
        "{}",
        world.chat(partner)
    );
}

async fn the_map_step_takes_a_pin_and_the_contact_step_a_shared_phone(world: &World) {
    let en = Locale::En;
    let partner = 1000;
    partner_in_wizard(world, partner).await;
    to_contact_step(world, partner, "Corner Shop").await;
    // The contact step says that the phone can be shared, and offers the button.
    let hint = world.t(en, "wizard-contact-share-hint");
    assert!(world.last(partner).body().contains(&hint));
    let share_phone = world.t(en, "btn-share-phone");
    // Telegram gives the number without its `+`: the card shows the international form.
    world
        .share_contact(partner, &share_phone, "84905123456")
        .await;
    // Address: skipped; then the map step offers the location button.
    world.reply_key(partner, en, "btn-skip").await;
    let map_question = world.t(en, "wizard-map-link");
    assert!(world.last(partner).body().starts_with(&map_question));
    assert!(
        world
            .last(partner)
            .body()
            .contains(&world.t(en, "wizard-map-link-pin-hint"))
    );
    let share_location = world.t(en, "btn-share-location");
    world
        .share_location(partner, &share_location, 12.2451, 109.1943)
        .await;
    // Photos and discount skipped: the preview has a map button opening the pin.
    world.reply_key(partner, en, "btn-skip").await;
    world.reply_key(partner, en, "btn-skip").await;
    let preview = world.last(partner);
    let map = preview
        .button(&world.t(en, "btn-map"))
        .unwrap_or_else(|| panic!("no map button:\n{}", world.chat(partner)));
    assert_eq!(
        map.url.as_deref(),
        Some("https://www.google.com/maps/search/?api=1&query=12.245100,109.194300")
    );
    assert!(
        preview.body().contains("+84905123456"),
        "{}",
        preview.body()
    );
    world.inline_key(partner, en, "btn-submit").await;

    let card = world
        .ports
        .partner_cards(UserId(partner), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap()
        .items[0]
        .id;
    let card = world.ports.card(card).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(card.content.contact.as_str(), "+84905123456");
    assert_eq!(card.content.location, Some(at(12.2451, 109.1943)));
    assert_eq!(card.content.map_link, None);
}

async fn a_venue_answers_the_map_step_and_a_pin_elsewhere_gets_a_hint(world: &World) {
    let en = Locale::En;
    let partner = 1100;
    partner_in_wizard(world, partner).await;
    world.inline_key(partner, en, "city-nha-trang").await;
    world.inline_key(partner, en, "btn-skip").await;
    world.inline_key(partner, en, "category-shops").await;
    // A pin at the title step is not a title: a hint, and the step stays.
    world.location(partner, HERE.0, HERE.1).await;
    assert_eq!(
        world.last(partner).body(),
        world.t(en, "wizard-text-expected")
    );
    world.text(partner, "Night Market").await;
    world.reply_key(partner, en, "btn-skip").await;
    world.text(partner, "@night_market").await;
    world.reply_key(partner, en, "btn-skip").await;
    // A venue picked on the map answers the map step; Back shows its coordinates as the
    // answer kept, and Skip clears it.
    world.venue(partner, 12.2401, 109.1962, "Chợ đêm").await;
    world.reply_key(partner, en, "btn-back").await;
    let kept = at(12.2401, 109.1962).to_string();
    assert!(
        world.last(partner).body().ends_with(&kept),
        "{}",
        world.chat(partner)
    );
    world.reply_key(partner, en, "btn-keep").await;
    world.reply_key(partner, en, "btn-skip").await;
    world.reply_key(partner, en, "btn-skip").await;
    world.inline_key(partner, en, "btn-submit").await;
    let id = world
        .ports
        .partner_cards(UserId(partner), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap()
        .items[0]
        .id;
    let card = world.ports.card(id).await.unwrap().unwrap();
    assert_eq!(card.content.location, Some(at(12.2401, 109.1962)));
}

async fn nearby_lists_published_places_nearest_first_and_pages_in_place(world: &World) {
    let en = Locale::En;
    // Seven published places north of the visitor, 0.001° (about 111 m) apart, added
    // farthest first so that the order is the distance's, not the storage's.
    for k in (1..=7).rev() {
        let place = at(HERE.0 + 0.001 * f64::from(k), HERE.1);
        placed_card(world, &format!("Place {k}"), Some(place), true).await;
    }
    // Not listed: a pending card with a place, and a published one without.
    placed_card(world, "Pending place", Some(at(HERE.0, HERE.1)), false).await;
    placed_card(world, "No place", None, true).await;

    world.onboard(VISITOR, en).await;
    world.reply_key(VISITOR, en, "btn-catalog").await;
    world.inline_key(VISITOR, en, "city-nha-trang").await;
    world.inline_key(VISITOR, en, "btn-nearby").await;
    assert_eq!(world.last(VISITOR).body(), world.t(en, "places-nearby-ask"));
    let share = world.t(en, "btn-share-location");
    world.share_location(VISITOR, &share, HERE.0, HERE.1).await;

    // The location keyboard gave way to the main menu.
    let chat = world.chat(VISITOR);
    let keyboard = chat.reply_keyboard.as_ref().unwrap();
    assert!(keyboard.contains(&world.t(en, "btn-catalog")), "{chat}");
    assert!(!keyboard.contains(&share), "{chat}");
    assert!(
        chat.bot_messages()
            .any(|m| m.body() == world.t(en, "places-nearby-thanks")),
        "{chat}"
    );

    let list = world.last(VISITOR);
    let heading = |page: i64| {
        world.tw(
            en,
            "places-nearby-list",
            &[("page", Arg::Number(page)), ("pages", Arg::Number(2))],
        )
    };
    assert_eq!(list.body(), heading(1));
    let line = |k: u32, distance: &str| {
        world.tw(
            en,
            "btn-nearby-card",
            &[
                ("title", Arg::from(format!("Place {k}"))),
                ("distance", Arg::from(distance)),
            ],
        )
    };
    let labels = list.button_labels();
    assert_eq!(
        labels[..5],
        [
            line(1, "110 m"),
            line(2, "220 m"),
            line(3, "330 m"),
            line(4, "440 m"),
            line(5, "560 m"),
        ]
        .each_ref()
        .map(String::as_str)
    );
    assert!(labels.contains(&"1/2"), "{labels:?}");

    // Forward edits the same message.
    world.inline_key(VISITOR, en, "btn-page-forward").await;
    let page_two = world
        .chat(VISITOR)
        .message(list.message_id)
        .unwrap()
        .clone();
    assert!(page_two.edited);
    assert_eq!(page_two.body(), heading(2));
    assert_eq!(
        page_two.button_labels()[..2],
        [line(6, "670 m"), line(7, "780 m")]
            .each_ref()
            .map(String::as_str)
    );

    // A card from the list: its map button opens the place, Back returns to the page.
    world.inline(VISITOR, &line(6, "670 m")).await;
    let card = world.last(VISITOR);
    assert!(card.body().starts_with("Place 6"), "{}", card.body());
    let map = card.button(&world.t(en, "btn-map")).unwrap();
    assert_eq!(
        map.url.as_deref(),
        Some("https://www.google.com/maps/search/?api=1&query=12.244800,109.196700")
    );
    assert!(card.button(&world.t(en, "btn-send-place")).is_some());
    world.inline_key(VISITOR, en, "btn-back-to-list").await;
    assert_eq!(world.last(VISITOR).body(), heading(2));
}

async fn a_place_is_sent_as_a_venue_only_for_a_public_card_or_ones_own(world: &World) {
    let en = Locale::En;
    let place = at(HERE.0, HERE.1);
    let published = placed_card(world, "Sea Shop", Some(place), true).await;
    let pending = placed_card(world, "Hidden Shop", Some(place), false).await;
    let content = CardContent {
        address: Some(Address::parse("12 Tran Phu").unwrap()),
        ..world.ports.card(published).await.unwrap().unwrap().content
    };
    world
        .ports
        .resubmit(UserId(OWNER), published, &content, Timestamp(3))
        .await
        .unwrap();
    let approve = Decision::new(published, UserId(ADMIN), Verdict::Approve, Timestamp(4));
    world.ports.decide(&approve).await.unwrap();

    world.onboard(VISITOR, en).await;
    let screen = world.last(VISITOR).message_id;
    world
        .send_callback(VISITOR, screen, &format!("pl:v:{published}"))
        .await;
    let venue = world.last(VISITOR);
    assert_eq!(venue.kind, MessageKind::Venue);
    assert_eq!(venue.body(), "Sea Shop\n12 Tran Phu\n12.238800, 109.196700");

    // Someone else's pending card: "not found", and nothing is sent.
    let before = world.chat(VISITOR).messages.len();
    world
        .send_callback(VISITOR, screen, &format!("pl:v:{pending}"))
        .await;
    assert_eq!(world.chat(VISITOR).messages.len(), before);
    let answer = world.last_answer(VISITOR).unwrap();
    assert_eq!(answer.text, Some(world.t(en, "not-found")));

    // Its owner may send it (from *My cards*); without an address the city stands in.
    world.onboard(OWNER, en).await;
    let screen = world.last(OWNER).message_id;
    world
        .send_callback(OWNER, screen, &format!("pl:v:{pending}"))
        .await;
    let venue = world.last(OWNER);
    assert_eq!(venue.kind, MessageKind::Venue);
    let city = world.t(en, "city-nha-trang");
    assert_eq!(
        venue.body(),
        format!("Hidden Shop\n{city}\n12.238800, 109.196700")
    );
}
