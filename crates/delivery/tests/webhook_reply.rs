//! An update that comes by webhook: its answer to the press rides back in the webhook's answer
//! (one Bot API request fewer), while its screen still goes as a call after the commit; by
//! polling, the same press is answered by a call of its own.
//!
//! Each scenario runs on SQLite and on PostgreSQL (skipped without `TEST_DATABASE_URL`).
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use std::sync::Arc;

use support::{Engine, World};
use vitrina_delivery::{Dispatcher, Handled, Replied};
use vitrina_dialog::Settings;
use vitrina_i18n::Locale;
use vitrina_storage::Db;
use vitrina_telegram::RawUpdate;

const USER: i64 = 4400;

async fn run<F>(engine: Engine, scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let Some(world) = World::start_on(engine, Settings::default()).await else {
        return;
    };
    scenario(&world).await;
    world.stop().await;
}

/// The queued update `id`, taken as a webhook would be given it.
async fn take(bot: &Dispatcher<Db>, id: u32) -> RawUpdate {
    let updates = bot.telegram().get_updates(None, 100, 0, &[]).await.unwrap();
    updates
        .into_iter()
        .find(|update| update.update_id == i64::from(id))
        .unwrap()
}

/// `vitrina_bot_api_calls_total` of `bot` for `method` and `outcome`.
fn calls(bot: &Dispatcher<Db>, method: &str, outcome: &str) -> f64 {
    let series =
        format!("vitrina_bot_api_calls_total{{method=\"{method}\",outcome=\"{outcome}\"}} ");
    bot.metrics()
        .render()
        .lines()
        .find_map(|line| line.strip_prefix(&series))
        .map_or(0.0, |value| value.trim().parse().unwrap())
}

async fn a_press_is_answered_in_the_reply_and_its_screen_by_a_call(world: &World) {
    world.command(USER, "start").await;
    // The updates from here on are handled by hand, as the webhook hands them over.
    world.stop_polling().await;
    let bot: Arc<Dispatcher<Db>> = world.dispatcher();
    let api = world.api().clone();
    let before = api.stats();

    let press = api
        .press_inline_button(USER, &Locale::En.picker_label())
        .await
        .unwrap();
    let replied = bot.handle_replying(&take(&bot, press).await).await.unwrap();

    let Replied {
        handled: Handled::Done,
        reply: Some(reply),
    } = replied
    else {
        panic!("the press was not answered in the reply: {replied:?}");
    };
    assert_eq!(reply.method(), "answerCallbackQuery");
    let after = api.stats();
    assert_eq!(
        after.calls_of("answerCallbackQuery"),
        before.calls_of("answerCallbackQuery"),
        "the press was also answered by a call"
    );
    assert!(
        after.calls_of("editMessageText") + after.calls_of("sendMessage")
            > before.calls_of("editMessageText") + before.calls_of("sendMessage"),
        "the press's screen did not go out"
    );
    assert_eq!(calls(&bot, "answerCallbackQuery", "webhook_reply"), 1.0);
    // What Telegram does with the webhook's answer.
    api.webhook_reply(None, reply.body()).await;
    let made = api.stats();
    assert_eq!(
        (made.webhook_replies, made.webhook_reply_failures),
        (1, 0),
        "the reply is not a call the Bot API takes"
    );
    assert_eq!(
        made.calls_of("answerCallbackQuery"),
        before.calls_of("answerCallbackQuery") + 1
    );

    // A message has no query to answer: nothing rides in the reply.
    let text = api.send_command(USER, "help").await;
    let replied = bot.handle_replying(&take(&bot, text).await).await.unwrap();
    assert_eq!(
        replied,
        Replied {
            handled: Handled::Done,
            reply: None
        }
    );

    // By polling, a press is answered by a call.
    let press = api
        .press_inline_button(USER, &world.t(Locale::En, "btn-accept-policy"))
        .await
        .unwrap();
    let handled = bot.handle(&take(&bot, press).await).await.unwrap();
    assert_eq!(handled, Handled::Done);
    assert_eq!(
        api.stats().calls_of("answerCallbackQuery"),
        made.calls_of("answerCallbackQuery") + 1
    );
}

on_both_engines!(a_press_is_answered_in_the_reply_and_its_screen_by_a_call);
