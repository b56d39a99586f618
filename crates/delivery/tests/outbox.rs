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

/// A runtime standing for one more instance (or part of one), which a test can kill with
/// every task it runs.
fn instance_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Sends /help and waits until the bot has tried to send its answer once.
async fn ask_for_help_until_telegram_is_called(world: &World) {
    let calls = world.api().stats().calls_of("sendMessage");
    world.api().send_command(USER, "help").await;
    world
        .api()
        .wait_for_stats(|stats| stats.calls_of("sendMessage") > calls, WAIT)
        .await
        .unwrap();
}

async fn run(engine: Engine, scenario: impl AsyncFnOnce(&World)) {
    let Some(world) = World::start_on(engine, Settings::default()).await else {
        return;
    };
    scenario(&world).await;
    world.stop().await;
}

/// Waits until the user has received one help text.
async fn until_one_help(world: &World) {
    world
        .api()
        .wait_for(USER, |_| helps(world) == 1, WAIT)
        .await
        .unwrap();
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
    let a = instance_runtime();
    let sender = world.dispatcher_locking_for(LOCK);
    let stop_a = CancellationToken::new();
    a.spawn(std::sync::Arc::clone(&sender).deliver_outbox(stop_a.clone()));
    a.spawn(poll(sender, PollingConfig::default(), stop_a));
    // Instance B only runs its courier, ready to take what a dead instance left.
    let other = world.dispatcher_locking_for(LOCK);
    let stop_b = CancellationToken::new();
    let courier = tokio::spawn(std::sync::Arc::clone(&other).deliver_outbox(stop_b.clone()));

    ask_for_help_until_telegram_is_called(world).await;
    // Several locks long, A's courier keeps the answer's lock alive: B leaves it alone.
    tokio::time::sleep(LOCK * 4).await;
    let recovered = |metrics: String| metrics.contains("vitrina_outbox_recovered_total 1\n");
    assert!(!recovered(other.metrics().render()), "B took a live answer");
    assert_eq!(helps(world), 0);
    assert_eq!(world.db.queued_messages().await.unwrap(), 1);

    // A dies with every task it had: within a lock, B sends the answer, once.
    a.shutdown_background();
    until_one_help(world).await;
    tokio::time::sleep(LOCK).await;
    assert_eq!(helps(world), 1, "{}", world.chat(USER));
    assert!(recovered(other.metrics().render()));
    world.outbox_emptied().await;
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
    world.outbox_emptied().await;
    for chat in others {
        assert_eq!(
            world.chat(chat).bot_messages().count(),
            one_chat,
            "{}",
            world.chat(chat)
        );
    }
}

/// A handling cancelled while it strikes the answers it took (its own and other chats') loses
/// none of them: the courier of the same instance strikes them at its next round, and none is
/// sent again.
async fn answers_taken_by_a_cancelled_strike_are_struck_by_the_courier(world: &World) {
    world.onboard(USER, Locale::En).await;
    world.stop_polling().await;
    let dispatcher = world.dispatcher_locking_for(LOCK);
    let stop = CancellationToken::new();
    let courier = tokio::spawn(std::sync::Arc::clone(&dispatcher).deliver_outbox(stop.clone()));
    // The handling runs on a runtime of its own, so that it can be dropped mid-call while
    // the courier lives on.
    let handling = instance_runtime();
    handling.spawn(poll(
        std::sync::Arc::clone(&dispatcher),
        PollingConfig::default(),
        CancellationToken::new(),
    ));

    // The answer's first try is told to wait a second: by then its update is committed.
    world
        .api()
        .fail_next("sendMessage", 1, Fault::TooManyRequests { retry_after: 1 });
    ask_for_help_until_telegram_is_called(world).await;
    // The database's writer turn is taken meanwhile, so the strike after the second try
    // waits for it; then the handling is dropped.
    let writer = world.db.begin_transaction().await.unwrap();
    until_one_help(world).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        writer.queued_messages().await.unwrap(),
        1,
        "struck too early"
    );
    handling.shutdown_background();
    // The dropped handling must not be the one to strike once the turn is free.
    tokio::time::sleep(Duration::from_millis(200)).await;
    writer.rollback_transaction().await.unwrap();

    let deadline = tokio::time::Instant::now() + LOCK * 4;
    while world.db.queued_messages().await.unwrap() > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the answer was never struck"
        );
        tokio::time::sleep(LOCK / 8).await;
    }
    tokio::time::sleep(LOCK * 2).await;
    assert_eq!(helps(world), 1, "{}", world.chat(USER));
    stop.cancel();
    courier.await.unwrap();
}

/// A sent answer is struck from the outbox by the next update's commit, whichever chat's,
/// without a write of its own that its update would wait for; one still waiting when the
/// instance stops is struck as its courier ends, so the next start does not send it again.
async fn sent_answers_are_struck_by_the_next_commit_or_at_stop(world: &World) {
    const OTHER: i64 = USER + 100;
    world.onboard(USER, Locale::En).await;
    world.onboard(OTHER, Locale::En).await;
    world.stop_polling().await;
    world
        .start_polling(world.dispatcher_striking_after(Duration::from_secs(3600)))
        .await;
    // The courier's first round, at once, strikes whatever waits: it is let pass first, or on
    // a busy machine it could come after the answer below and strike it.
    tokio::time::sleep(Duration::from_millis(300)).await;

    world.api().send_command(USER, "help").await;
    until_one_help(world).await;
    // Sent, its update handled: the answer waits to be struck, with nothing written for it.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(world.db.queued_messages().await.unwrap(), 1);

    // Another chat's update commits: with its own answer queued, it strikes the first.
    world.api().send_command(OTHER, "help").await;
    let help = world.t(Locale::En, "help");
    world
        .api()
        .wait_for(
            OTHER,
            |chat| chat.bot_messages().any(|message| message.body() == help),
            WAIT,
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(world.db.queued_messages().await.unwrap(), 1);

    // Stopping, the courier strikes what still waits.
    world.stop_polling().await;
    assert_eq!(world.db.queued_messages().await.unwrap(), 0);
    assert_eq!(helps(world), 1);
}

on_both_engines!(
    a_slow_answer_stays_with_its_sender_until_the_sender_dies,
    answers_to_many_chats_at_once_all_leave_the_outbox_sent_once,
    sent_answers_are_struck_by_the_next_commit_or_at_stop,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_taken_by_a_cancelled_strike_are_struck_by_the_courier_on_sqlite() {
    // On SQLite one open transaction holds the process's writer turn, which is what keeps
    // the strike waiting here; PostgreSQL has no such turn.
    run(
        Engine::Sqlite,
        answers_taken_by_a_cancelled_strike_are_struck_by_the_courier,
    )
    .await;
}
