//! Editing a published or hidden card from *My cards*: *✏️ Edit* first says what happens —
//! the edit is moderated again and the card is out of the catalog from the moment the edit is
//! submitted until it is approved — and asks; *Cancel* brings the card's view back unchanged.
//! Confirmed, the wizard opens prefilled; the card stays as it was until the edit is
//! submitted, then it is pending (out of the catalog), the admins are told, and an approval
//! publishes the new content. A pending card offers no edit, and a forged press changes
//! nothing. The dialog runs on its in-memory ports.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::World;
use vitrina_cards::{
    CardAction, CardId, CardRepository, CardStatus, CatalogFilter, CategoryId, CityId, PageRequest,
    Timestamp, UserId,
};
use vitrina_dialog::{Settings, UserRepository};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};

const ADMIN: i64 = 900;
const PARTNER: i64 = 500;
const STRANGER: i64 = 501;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

scenarios!(
    editing_a_published_card_asks_first_then_moderates_it_again_out_of_the_catalog,
    a_hidden_card_can_be_edited_and_a_pending_or_someone_elses_cannot,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    scenario(&world).await;
    world.stop().await;
}

/// A published shop card of [`PARTNER`] (a partner already), hidden when `hidden`.
async fn published_card(world: &World, title: &str, hidden: bool) -> CardId {
    world.ports.become_partner(UserId(PARTNER)).await.unwrap();
    let content = support::shop_card(title, "@corner_shop");
    let id = world
        .ports
        .submit_new(UserId(PARTNER), &content, Timestamp(1))
        .await
        .unwrap();
    let approve = Decision::new(id, UserId(ADMIN), Verdict::Approve, Timestamp(2));
    world.ports.decide(&approve).await.unwrap();
    if hidden {
        world
            .ports
            .apply_partner_action(UserId(PARTNER), id, CardAction::Hide, Timestamp(3))
            .await
            .unwrap();
    }
    id
}

async fn in_catalog(world: &World) -> Vec<String> {
    let filter = CatalogFilter {
        city: CityId(1),
        category: CategoryId(5),
        subcategory: None,
        title_contains: None,
    };
    world
        .ports
        .catalog(&filter, PageRequest::new(1, 5))
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|card| card.title)
        .collect()
}

/// The partner opens the card from *My cards*.
async fn open_my_card(world: &World, title: &str) {
    let en = Locale::En;
    world.reply_key(PARTNER, en, "btn-cabinet").await;
    world.reply_key(PARTNER, en, "btn-my-cards").await;
    let view = world.tw(en, "btn-view-card", &[("title", Arg::from(title))]);
    world.inline(PARTNER, &view).await;
}

async fn editing_a_published_card_asks_first_then_moderates_it_again_out_of_the_catalog(
    world: &World,
) {
    let en = Locale::En;
    let id = published_card(world, "Corner Shop", false).await;
    world.onboard(ADMIN, en).await;
    world.onboard(PARTNER, en).await;
    open_my_card(world, "Corner Shop").await;

    // The question takes the place of the card's view and says what will happen.
    let view = world.last(PARTNER);
    world.inline_key(PARTNER, en, "btn-edit-card").await;
    let question = world
        .chat(PARTNER)
        .message(view.message_id)
        .unwrap()
        .clone();
    assert!(question.edited);
    assert_eq!(
        question.body(),
        format!(
            "Corner Shop\n\n{}",
            world.t(en, "card-edit-published-confirm")
        )
    );
    assert_eq!(
        question.button_labels(),
        [
            world.t(en, "btn-edit-confirm"),
            world.t(en, "btn-delete-cancel")
        ]
        .each_ref()
        .map(String::as_str)
    );

    // Cancel: the view is back, the card untouched.
    world.inline_key(PARTNER, en, "btn-delete-cancel").await;
    let back = world
        .chat(PARTNER)
        .message(view.message_id)
        .unwrap()
        .clone();
    assert_eq!(back.body(), view.body());
    assert_eq!(in_catalog(world).await, ["Corner Shop"]);

    // Confirmed: the wizard, prefilled; the card stays published while it is being edited.
    world.inline_key(PARTNER, en, "btn-edit-card").await;
    world.inline_key(PARTNER, en, "btn-edit-confirm").await;
    assert_eq!(world.last(PARTNER).body(), world.t(en, "wizard-city"));
    assert_eq!(in_catalog(world).await, ["Corner Shop"]);
    let checked = |key: &str| format!("✓ {}", world.t(en, key));
    world.inline(PARTNER, &checked("city-nha-trang")).await;
    world.inline_key(PARTNER, en, "btn-skip").await;
    world.inline(PARTNER, &checked("category-shops")).await;
    world.text(PARTNER, "Corner Shop Renewed").await;
    world.reply_key(PARTNER, en, "btn-skip").await; // description
    world.reply_key(PARTNER, en, "btn-keep").await; // contact
    for _ in ["address", "map", "photos", "discount"] {
        world.reply_key(PARTNER, en, "btn-skip").await;
    }
    world.inline_key(PARTNER, en, "btn-submit").await;

    // Submitted: pending, out of the catalog, and the admin is asked to review it.
    let card = world.ports.card(id).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(card.content.title.as_str(), "Corner Shop Renewed");
    assert!(in_catalog(world).await.is_empty());
    let notice = world.last(ADMIN);
    assert!(
        notice.body().contains("Corner Shop Renewed"),
        "{}",
        world.chat(ADMIN)
    );
    assert!(notice.button(&world.t(en, "btn-review")).is_some());

    // Approved: back in the catalog with the new content.
    world.inline_key(ADMIN, en, "btn-review").await;
    world.inline_key(ADMIN, en, "btn-approve").await;
    assert_eq!(in_catalog(world).await, ["Corner Shop Renewed"]);
}

async fn a_hidden_card_can_be_edited_and_a_pending_or_someone_elses_cannot(world: &World) {
    let en = Locale::En;
    let hidden = published_card(world, "Quiet Shop", true).await;
    world.onboard(PARTNER, en).await;
    open_my_card(world, "Quiet Shop").await;
    let view = world.last(PARTNER);
    assert!(view.button(&world.t(en, "btn-show")).is_some());
    assert!(view.button(&world.t(en, "btn-edit-card")).is_some());

    // A pending card (the edit submitted as it is) offers no edit.
    world.inline_key(PARTNER, en, "btn-edit-card").await;
    world.inline_key(PARTNER, en, "btn-edit-confirm").await;
    world
        .inline(PARTNER, &format!("✓ {}", world.t(en, "city-nha-trang")))
        .await;
    world.inline_key(PARTNER, en, "btn-skip").await;
    world
        .inline(PARTNER, &format!("✓ {}", world.t(en, "category-shops")))
        .await;
    world.reply_key(PARTNER, en, "btn-keep").await; // title
    world.reply_key(PARTNER, en, "btn-skip").await; // description
    world.reply_key(PARTNER, en, "btn-keep").await; // contact
    for _ in ["address", "map", "photos", "discount"] {
        world.reply_key(PARTNER, en, "btn-skip").await;
    }
    world.inline_key(PARTNER, en, "btn-submit").await;
    assert_eq!(
        world.ports.card(hidden).await.unwrap().unwrap().status,
        CardStatus::Pending
    );
    // After submitting, the cabinet's keyboard is on screen.
    world.reply_key(PARTNER, en, "btn-my-cards").await;
    let view = world.tw(en, "btn-view-card", &[("title", Arg::from("Quiet Shop"))]);
    world.inline(PARTNER, &view).await;
    assert!(
        world
            .last(PARTNER)
            .button(&world.t(en, "btn-edit-card"))
            .is_none()
    );
    // A forged press on the pending card is outdated, and changes nothing.
    let screen = world.last(PARTNER).message_id;
    world
        .send_callback(PARTNER, screen, &format!("my:ey:{hidden}"))
        .await;
    assert_eq!(
        world.last_answer(PARTNER).unwrap().text,
        Some(world.t(en, "callback-outdated"))
    );

    // Someone else's card: "not found".
    let other = published_card(world, "Other Shop", false).await;
    world.onboard(STRANGER, en).await;
    let screen = world.last(STRANGER).message_id;
    for data in [format!("my:ep:{other}:1"), format!("my:ey:{other}")] {
        world.send_callback(STRANGER, screen, &data).await;
        assert_eq!(
            world.last_answer(STRANGER).unwrap().text,
            Some(world.t(en, "not-found")),
            "{data}"
        );
    }
    assert_eq!(
        world.ports.card(other).await.unwrap().unwrap().status,
        CardStatus::Published
    );
}
