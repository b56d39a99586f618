//! A call that fails inside an update's handling on PostgreSQL. The first try runs the
//! store's calls without a savepoint each, so the failure aborts its transaction: nothing of
//! that try may be kept or sent, and the update is handled again at once with each call
//! guarded, where a failed call undoes only itself.
//!
//! PostgreSQL only (skipped without `TEST_DATABASE_URL`): SQLite undoes a failed statement
//! alone, so its handlings are never spoiled.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use support::{Engine, World};
use vitrina_cards::UserId;
use vitrina_delivery::Dispatcher;
use vitrina_dialog::{Settings, UserRepository};
use vitrina_i18n::Locale;
use vitrina_storage::Db;

const USER: i64 = 4300;

/// A world whose person `USER` speaks English and sees the language picker, and a connection
/// to its schema where writing the Korean locale fails `failures` times, as a broken rule
/// would, before it passes.
async fn korean_refused(failures: i64) -> Option<(World, Arc<Dispatcher<Db>>, AsyncPgConnection)> {
    let world = World::start_on(Engine::Postgres, Settings::default()).await?;
    // A bot whose metrics the test reads.
    world.stop_polling().await;
    let bot = world.dispatcher();
    world.start_polling(Arc::clone(&bot)).await;
    world.onboard(USER, Locale::En).await;
    let mut sql = AsyncPgConnection::establish(world.postgres_url().unwrap())
        .await
        .unwrap();
    sql.batch_execute(&format!(
        "CREATE SEQUENCE korean_writes;
         CREATE FUNCTION refuse_korean() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.locale = 'ko' AND nextval('korean_writes') <= {failures} THEN
                 RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_korean BEFORE UPDATE ON users
             FOR EACH ROW EXECUTE FUNCTION refuse_korean();"
    ))
    .await
    .unwrap();
    world.command(USER, "language").await;
    Some((world, bot, sql))
}

/// How many times the Korean locale was written, failed or not.
async fn korean_writes(sql: &mut AsyncPgConnection) -> i64 {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT last_value FROM korean_writes)",
    ))
    .get_result(sql)
    .await
    .unwrap()
}

/// `vitrina_updates_handled_again_total` of `bot`.
fn handled_again(bot: &Dispatcher<Db>) -> Option<f64> {
    let text = bot.metrics().render();
    text.lines()
        .find_map(|line| line.strip_prefix("vitrina_updates_handled_again_total "))
        .and_then(|value| value.trim().parse().ok())
}

/// The person presses Korean in the picker; the update is handled (`inline` waits for it to
/// be confirmed) in two tries, and the second keeps locale `kept` and answers the press with
/// `answer` in the locale the person then has.
async fn press_korean_handled_in_two_tries(
    world: &World,
    bot: &Dispatcher<Db>,
    sql: &mut AsyncPgConnection,
    kept: Locale,
    answer: &str,
) {
    world.inline(USER, &Locale::Ko.picker_label()).await;

    assert_eq!(korean_writes(sql).await, 2, "one write per try");
    assert_eq!(handled_again(bot), Some(1.0));
    let profile = world.db.user(UserId(USER)).await.unwrap();
    assert_eq!(profile.locale.as_deref(), Some(kept.code()));
    let chat = world.chat(USER);
    let press = chat.callbacks.last().unwrap();
    let given = press.answer.as_ref().unwrap().text.clone();
    assert_eq!(given, Some(world.t(kept, answer)), "{chat}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_failing_once_spoils_only_the_first_try() {
    let Some((world, bot, mut sql)) = korean_refused(1).await else {
        return;
    };
    let before = world.chat(USER).bot_messages().count();

    press_korean_handled_in_two_tries(&world, &bot, &mut sql, Locale::Ko, "language-changed").await;

    // The second try's answers are the only ones: the main menu in Korean once.
    let chat = world.chat(USER);
    let menus = chat
        .bot_messages()
        .skip(before)
        .filter(|message| message.text == Some(world.t(Locale::Ko, "main-menu")))
        .count();
    assert_eq!(menus, 1, "{chat}");
    world.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_call_that_keeps_failing_is_answered_from_the_guarded_try() {
    let Some((world, bot, mut sql)) = korean_refused(i64::MAX).await else {
        return;
    };

    // Where an unguarded try alone would fail every time the update came again, the guarded
    // one undoes the failed call and answers.
    press_korean_handled_in_two_tries(&world, &bot, &mut sql, Locale::En, "try-later").await;
    world.stop().await;
}
