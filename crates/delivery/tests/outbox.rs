//! The outbox: answers of many chats leave it together once sent; between instances, an answer
//! being sent stays with its sender, however long the sending takes, and passes to another
//! instance's courier once the sender dies.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use std::time::Duration;

use support::{Engine, WAIT, World};
use tokio_util::sync::CancellationToken;
use vitrina_delivery::{PollingConfig, poll};
use vitrina_dialog::Settings;
use vitrina_fake_bot_api::Fault;
use vitrina_i18n::Locale;

const USER: i64 = 3100;

/// A lock short enough for a test to outlive several of them.
const LOCK: Duration = Duration::from_millis(800);

async fn run(engine: Engine, scenario: impl AsyncFnOnce(&World)) {
    let Some(world) = World::start_on(engine, Settings::default()).await else {
        return;
    };
    scenario(&world).await;
    world.stop().await;
}

/// The help texts the user has received so far.
fn helps(world: &World) -> usize {
    let help = world.t(Locale::En, "help");
    world
        .chat(USER)
        .bot_messages()
        .filter(|message| message.body() == help)
        .count()
}

async fn a_slow_answer_stays_with_its_sender_until_the_sender_dies(world: &World) {
    world.onboard(USER, Locale::En).await;
    world.stop_polling().await;

    // Instance A handles /help; its answer hangs in Telegram.
    world.api().fail_next("sendMessage", 1, Fault::Hang);
    let a = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let sender = world.dispatcher_locking_for(LOCK);
    let stop_a = CancellationToken::new();
    a.spawn(std::sync::Arc::clone(&sender).deliver_outbox(stop_a.clone()));
    a.spawn(poll(sender, PollingConfig::default(), stop_a));
    // Instance B only runs its courier, ready to take what a dead instance left.
    let other = world.dispatcher_locking_for(LOCK);
    let stop_b = CancellationToken::new();
    let courier = tokio::spawn(std::sync::Arc::clone(&other).deliver_outbox(stop_b.clone()));

    let calls = world.api().stats().calls_of("sendMessage");
    world.api().send_command(USER, "help").await;
    world
        .api()
        .wait_for_stats(|stats| stats.calls_of("sendMessage") > calls, WAIT)
        .await
        .unwrap();
    // Several locks long, A's courier keeps the answer's lock alive: B leaves it alone.
    tokio::time::sleep(LOCK * 4).await;
    let recovered = |metrics: String| metrics.contains("vitrina_outbox_recovered_total 1\n");
    assert!(!recovered(other.metrics().render()), "B took a live answer");
    assert_eq!(helps(world), 0);
    assert_eq!(world.db.queued_messages().await.unwrap(), 1);

    // A dies with every task it had: within a lock, B sends the answer, once.
    a.shutdown_background();
    world
        .api()
        .wait_for(USER, |_| helps(world) == 1, WAIT)
        .await
        .unwrap();
    tokio::time::sleep(LOCK).await;
    assert_eq!(helps(world), 1, "{}", world.chat(USER));
    assert!(recovered(other.metrics().render()));
    assert_eq!(world.db.queued_messages().await.unwrap(), 0);
    stop_b.cancel();
    courier.await.unwrap();
}

/// The answers of many chats handled at once are struck from the outbox together (a group
/// commit): each leaves it, and none is sent twice.
async fn answers_to_many_chats_at_once_all_leave_the_outbox_sent_once(world: &World) {
    const CHATS: i64 = 24;
    let first = USER + 1;
    world.api().send_command(first, "start").await;
    world.settle().await;
    let one_chat = world.chat(first).bot_messages().count();
    assert!(one_chat >= 1, "{}", world.chat(first));

    world.stop_polling().await;
    let others = (first + 1)..=(first + CHATS);
    for chat in others.clone() {
        world.api().send_command(chat, "start").await;
    }
    // One batch, its chats handled in parallel: their answers are sent at the same moments.
    world.start_polling(world.dispatcher()).await;
    world.settle().await;
    assert_eq!(world.db.queued_messages().await.unwrap(), 0);
    for chat in others {
        assert_eq!(
            world.chat(chat).bot_messages().count(),
            one_chat,
            "{}",
            world.chat(chat)
        );
    }
}

on_both_engines!(
    a_slow_answer_stays_with_its_sender_until_the_sender_dies,
    answers_to_many_chats_at_once_all_leave_the_outbox_sent_once,
);
