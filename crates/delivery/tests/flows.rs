//! The main flows end to end, through the Bot API double, with the log watched: a partner
//! (in Russian) writes a card with photos through the wizard, leaves it by /menu and comes
//! back, submits; an admin (in English) sees who sent it, rejects it with a reason of their
//! own on the review's own message; the partner fixes and resubmits it, the admin approves
//! it; a visitor (in Vietnamese) finds it in the catalog with its map; the partner pages
//! *My cards*, hides, shows, cancels a delete and deletes. At every step at most one message
//! carries live wizard buttons, and no ERROR or WARN line may be logged.
//!
//! The log is caught by a subscriber of this test binary's own, installed once for the
//! process (the bot's tasks run on every worker thread); the `log` records of libraries
//! (i18n-embed's) reach it too. So this file holds only these flows.
#![allow(clippy::unwrap_used)]

mod support;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use support::{Engine, World};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;
use vitrina_cards::UserId;
use vitrina_dialog::Settings;
use vitrina_i18n::{Arg, Locale};

const ADMIN: i64 = 900;
const PARTNER: i64 = 1001;
const VISITOR: i64 = 1002;
const MAP: &str = "https://maps.example.com/sea-breeze";

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

/// Every ERROR and WARN event of the process, with its target and fields.
#[derive(Clone, Default)]
struct Alarms(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl<S: Subscriber> Layer<S> for Alarms {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let metadata = event.metadata();
        if *metadata.level() <= Level::WARN {
            let mut fields = Fields(format!("{} {}:", metadata.level(), metadata.target()));
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
    }
}

fn alarms() -> &'static Alarms {
    static ALARMS: OnceLock<Alarms> = OnceLock::new();
    ALARMS.get_or_init(|| {
        let alarms = Alarms::default();
        tracing_subscriber::registry()
            .with(alarms.clone())
            .try_init()
            .unwrap();
        alarms
    })
}

async fn run(engine: Engine) {
    let alarms = alarms();
    let Some(world) = World::start_on(engine, settings()).await else {
        return;
    };
    main_flows(&world).await;
    world.stop().await;
    let logged = alarms.0.lock().unwrap().clone();
    assert!(
        logged.is_empty(),
        "ERROR/WARN logged:\n{}",
        logged.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn main_flows_on_sqlite_log_no_error_or_warning() {
    run(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn main_flows_on_postgres_log_no_error_or_warning() {
    run(Engine::Postgres).await;
}

/// The bot messages of `user` whose buttons act on a wizard draft.
fn wizard_screens(world: &World, user: i64) -> usize {
    world
        .chat(user)
        .messages
        .iter()
        .filter(|m| m.from_bot)
        .filter(|m| {
            m.inline_keyboard.iter().flatten().any(|button| {
                button
                    .callback_data
                    .as_deref()
                    .is_some_and(|data| data.starts_with("wz:"))
            })
        })
        .count()
}

async fn main_flows(world: &World) {
    let ru = Locale::Ru;
    let en = Locale::En;
    let vi = Locale::Vi;
    let t = |locale: Locale, key: &str| world.t(locale, key);
    let one_screen = || {
        assert!(
            wizard_screens(world, PARTNER) <= 1,
            "{}",
            world.chat(PARTNER)
        );
    };
    world.onboard(PARTNER, ru).await;
    let _ = world
        .api()
        .user(PARTNER)
        .with_name("Anh")
        .with_username("anh_pho");
    world.onboard(ADMIN, en).await;

    // The wizard: one screen for the choices, a message per typed answer, the photos, the
    // preview with its map.
    world.reply_key(PARTNER, ru, "btn-cabinet").await;
    world.reply_key(PARTNER, ru, "btn-become-partner").await;
    let screen = world.last(PARTNER).message_id;
    world.inline(PARTNER, &t(ru, "city-da-nang")).await;
    world.inline(PARTNER, &t(ru, "area-da-nang-coast")).await;
    world.inline(PARTNER, &t(ru, "category-restaurants")).await;
    assert_eq!(world.last(PARTNER).message_id, screen);
    one_screen();
    world
        .inline(PARTNER, &t(ru, "subcategory-restaurants-street-food"))
        .await;
    one_screen();
    assert_eq!(world.last(PARTNER).body(), t(ru, "wizard-title"));
    world.text(PARTNER, "Sea Breeze").await;
    world.text(PARTNER, "Noodles and sea view").await;
    world.text(PARTNER, "@sea_breeze").await;
    world.text(PARTNER, "12 Vo Nguyen Giap").await;
    world.text(PARTNER, MAP).await;
    world.photo(PARTNER).await;
    world.photo(PARTNER).await;
    let done = world.tw(ru, "btn-photos-done", &[("count", Arg::Number(2))]);
    world.reply(PARTNER, &done).await;
    world.text(PARTNER, "10%").await;
    let preview = world.last(PARTNER);
    assert!(preview.body().starts_with("Sea Breeze"), "{preview}");
    assert_eq!(
        preview
            .button(&t(ru, "btn-map"))
            .and_then(|b| b.url.clone()),
        Some(MAP.to_owned())
    );
    one_screen();

    // Left by /menu: the draft is kept, the preview loses its buttons.
    world.command(PARTNER, "menu").await;
    assert_eq!(wizard_screens(world, PARTNER), 0, "{}", world.chat(PARTNER));
    assert!(
        world
            .chat(PARTNER)
            .messages
            .iter()
            .any(|m| m.body() == t(ru, "wizard-paused")),
        "{}",
        world.chat(PARTNER)
    );
    world.reply_key(PARTNER, ru, "btn-cabinet").await;
    world.reply_key(PARTNER, ru, "btn-add-card").await;
    world.inline_key(PARTNER, ru, "btn-draft-continue").await;
    one_screen();
    world.inline_key(PARTNER, ru, "btn-submit").await;
    assert_eq!(wizard_screens(world, PARTNER), 0);

    // The review: who sent it; the reasons and the typed reason on the same message.
    world.command(ADMIN, "moderate").await;
    let review = world.last(ADMIN);
    let submitter = world.tw(
        en,
        "moderation-submitter",
        &[(
            "partner",
            Arg::from(format!("Anh · @anh_pho · id {PARTNER}")),
        )],
    );
    assert!(review.body().contains(&submitter), "{review}");
    assert!(review.button(&t(en, "btn-map")).is_some(), "{review}");
    world.inline_key(ADMIN, en, "btn-reject").await;
    world.inline_key(ADMIN, en, "btn-back").await;
    world.inline_key(ADMIN, en, "btn-reject").await;
    world.inline_key(ADMIN, en, "btn-reason-other").await;
    world.text(ADMIN, "Please add the opening hours").await;
    let decided = world
        .chat(ADMIN)
        .messages
        .into_iter()
        .find(|m| m.message_id == review.message_id)
        .unwrap();
    assert_eq!(
        decided.body(),
        format!("Sea Breeze\n\n{}", t(en, "moderation-rejected"))
    );
    assert!(decided.inline_keyboard.is_empty());

    // Fixed and resubmitted: the review says it comes again; approved.
    world.reply_key(PARTNER, ru, "btn-my-cards").await;
    let view = world.tw(ru, "btn-view-card", &[("title", Arg::from("Sea Breeze"))]);
    world.inline(PARTNER, &view).await;
    world.inline_key(PARTNER, ru, "btn-edit-resubmit").await;
    one_screen();
    for _ in 0..4 {
        let chosen = world
            .last(PARTNER)
            .inline_keyboard
            .iter()
            .flatten()
            .find(|button| button.text.starts_with('✓'))
            .map(|button| button.text.clone())
            .unwrap();
        world.inline(PARTNER, &chosen).await;
        one_screen();
    }
    for _ in 0..5 {
        world.reply_key(PARTNER, ru, "btn-keep").await;
    }
    world.reply(PARTNER, &done).await;
    world.reply_key(PARTNER, ru, "btn-keep").await;
    world.inline_key(PARTNER, ru, "btn-submit").await;
    assert_eq!(wizard_screens(world, PARTNER), 0);
    world.command(ADMIN, "moderate").await;
    assert!(
        world
            .last(ADMIN)
            .body()
            .contains(&t(en, "moderation-resubmitted")),
        "{}",
        world.chat(ADMIN)
    );
    world.inline_key(ADMIN, en, "btn-approve").await;
    world.command(ADMIN, "help").await;
    assert!(world.last(ADMIN).body().contains(&t(en, "help-admin")));

    // The catalog: straight from the categories to the card, with its map.
    world.onboard(VISITOR, vi).await;
    world.reply_key(VISITOR, vi, "btn-catalog").await;
    world.inline(VISITOR, &t(vi, "city-da-nang")).await;
    let restaurants = world.tw(
        vi,
        "catalog-category-count",
        &[
            ("name", Arg::from(t(vi, "category-restaurants"))),
            ("count", Arg::Number(1)),
        ],
    );
    world.inline(VISITOR, &restaurants).await;
    world.inline_key(VISITOR, vi, "btn-all-subcategories").await;
    let view = world.tw(vi, "btn-view-card", &[("title", Arg::from("Sea Breeze"))]);
    world.inline(VISITOR, &view).await;
    assert!(world.last(VISITOR).button(&t(vi, "btn-map")).is_some());
    world.inline_key(VISITOR, vi, "btn-back-to-list").await;
    world
        .inline_key(VISITOR, vi, "btn-back-to-categories")
        .await;
    let categories = world.tw(
        vi,
        "catalog-choose-category",
        &[("city", Arg::from(t(vi, "city-da-nang")))],
    );
    assert!(
        world
            .chat(VISITOR)
            .messages
            .iter()
            .any(|m| m.body() == categories),
        "{}",
        world.chat(VISITOR)
    );

    // My cards: the pager's ends, hide and show, a delete cancelled in place, then done.
    world.reply_key(PARTNER, ru, "btn-my-cards").await;
    let list = world.last(PARTNER);
    world.inline_key(PARTNER, ru, "btn-page-forward").await;
    assert_eq!(world.last(PARTNER).body(), list.body());
    let view = world.tw(ru, "btn-view-card", &[("title", Arg::from("Sea Breeze"))]);
    world.inline(PARTNER, &view).await;
    let card = world.last(PARTNER);
    world.inline_key(PARTNER, ru, "btn-hide").await;
    world.inline_key(PARTNER, ru, "btn-show").await;
    world.inline_key(PARTNER, ru, "btn-delete").await;
    world.inline_key(PARTNER, ru, "btn-delete-cancel").await;
    let back = world
        .chat(PARTNER)
        .messages
        .into_iter()
        .find(|m| m.message_id == card.message_id)
        .unwrap();
    assert_eq!(back.body(), card.body());
    world.inline_key(PARTNER, ru, "btn-delete").await;
    world.inline_key(PARTNER, ru, "btn-delete-confirm").await;
    assert!(
        world
            .chat(PARTNER)
            .messages
            .iter()
            .any(|m| m.body() == t(ru, "card-deleted")),
        "{}",
        world.chat(PARTNER)
    );
}
