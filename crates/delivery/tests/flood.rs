//! Incoming flood control through the real polling loop: a person sending faster than the
//! limit is told once to slow down, the excess is dropped and confirmed, and nobody else is
//! held back.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{Engine, World};
use vitrina_dialog::Settings;
use vitrina_i18n::Locale;
use vitrina_update_source::FloodLimit;

const FLOODER: i64 = 4100;
const NEIGHBOUR: i64 = 4200;

async fn run(engine: Engine, scenario: impl AsyncFnOnce(&World)) {
    let Some(world) = World::start_on(engine, Settings::default()).await else {
        return;
    };
    scenario(&world).await;
    world.stop().await;
}

/// How many of `user`'s messages from the bot read `text`.
fn received(world: &World, user: i64, text: &str) -> usize {
    world
        .chat(user)
        .bot_messages()
        .filter(|message| message.body() == text)
        .count()
}

async fn a_flood_is_answered_once_and_its_excess_dropped(world: &World) {
    world.onboard(FLOODER, Locale::En).await;
    world.onboard(NEIGHBOUR, Locale::Ru).await;
    world.stop_polling().await;

    // Three at once, then (for this test's length) nothing more: one update in 100 s.
    let limit = FloodLimit::new(0.01, 3).unwrap();
    world.start_polling(world.dispatcher_limiting(limit)).await;
    let sent = world.api().stats().calls_of("sendMessage");
    for _ in 0..8 {
        world.api().send_command(FLOODER, "help").await;
    }
    world.api().send_command(NEIGHBOUR, "help").await;
    world.settle().await;

    let help = world.t(Locale::En, "help");
    let slow_down = world.t(Locale::En, "flood-slow-down");
    assert_eq!(received(world, FLOODER, &help), 3, "the burst is served");
    assert_eq!(received(world, FLOODER, &slow_down), 1, "told once");
    assert_eq!(
        received(world, NEIGHBOUR, &world.t(Locale::Ru, "help")),
        1,
        "another person is not held back"
    );
    assert_eq!(
        world.api().stats().calls_of("sendMessage") - sent,
        5,
        "three helps, one note and the neighbour's help: nothing for the dropped five"
    );

    // Still flooding: dropped silently, and confirmed all the same.
    world.api().send_command(FLOODER, "help").await;
    world.settle().await;
    assert_eq!(received(world, FLOODER, &slow_down), 1);
    assert_eq!(received(world, FLOODER, &help), 3);
}

async fn a_flood_of_button_presses_is_told_by_an_alert(world: &World) {
    world.onboard(FLOODER, Locale::Vi).await;
    world.command(FLOODER, "language").await;
    world.stop_polling().await;
    // The language picker is on screen: press it twice at once, while the bot is away.
    let alerts = world.api().stats().calls_of("answerCallbackQuery");
    let label = Locale::Vi.picker_label();
    world
        .api()
        .press_inline_button(FLOODER, &label)
        .await
        .unwrap();
    world
        .api()
        .press_inline_button(FLOODER, &label)
        .await
        .unwrap();
    let limit = FloodLimit::new(0.01, 1).unwrap();
    world.start_polling(world.dispatcher_limiting(limit)).await;
    world.settle().await;
    assert_eq!(
        world.api().stats().calls_of("answerCallbackQuery") - alerts,
        2,
        "the first press answered as usual, the second with the note"
    );
    let chat = world.chat(FLOODER);
    let answers: Vec<_> = chat
        .callbacks
        .iter()
        .rev()
        .take(2)
        .map(|press| press.answer.clone().unwrap())
        .collect();
    let slow_down = world.t(Locale::Vi, "flood-slow-down");
    assert_eq!(
        answers[0].text.as_deref(),
        Some(slow_down.as_str()),
        "{chat}"
    );
    assert!(answers[0].show_alert);
    assert_ne!(
        answers[1].text.as_deref(),
        Some(slow_down.as_str()),
        "{chat}"
    );
}

on_both_engines!(
    a_flood_is_answered_once_and_its_excess_dropped,
    a_flood_of_button_presses_is_told_by_an_alert,
);
