//! The real `bot` binary's commands against real storage and the Bot API double.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use vitrina_fake_bot_api::{Config, FakeBotApi, ProfileField, RunningServer};
use vitrina_testkit::postgres::TestSchema;
use vitrina_testkit::process::{self, Finished, Process};

const WAIT: Duration = Duration::from_secs(20);

fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command.args(args).envs(env.iter().copied());
    command
}

/// The (status, stdout, stderr) of a finished run; status -1 when a signal ended it.
fn parts(finished: Finished) -> (i32, String, String) {
    (
        finished.status.unwrap_or(-1),
        finished.stdout,
        finished.stderr,
    )
}

/// Runs `bot args…` to the end.
fn bot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    parts(process::run(command(dir, args, env)))
}

/// Runs `bot args…` to the end, off the async runtime that serves the double.
async fn bot_async(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    parts(process::run_async(command(dir, args, env)).await)
}

fn telegram_env(server: &RunningServer) -> Vec<(&'static str, String)> {
    vec![
        ("BOT_TOKEN", server.token().to_owned()),
        ("TELEGRAM_API_URL", server.base_url()),
    ]
}

fn as_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn migrate_applies_the_migrations_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (status, stdout, stderr) = bot(dir.path(), &["migrate"], &[]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("applied 2025-11-24-000001_schema"),
        "{stdout}"
    );
    assert!(
        dir.path().join("vitrina.db").exists(),
        "the default database is created"
    );
    let (status, stdout, _) = bot(dir.path(), &["migrate"], &[]);
    assert_eq!(status, 0);
    assert!(
        !stdout.contains("applied"),
        "a second run applies nothing: {stdout}"
    );
    assert!(stdout.contains("up to date (sqlite)"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_works_on_postgres() {
    let Some(schema) = TestSchema::create("cli_migrate").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (status, stdout, stderr) =
        bot_async(dir.path(), &["migrate"], &[("DATABASE_URL", schema.url())]).await;
    schema.drop_now().await;
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("applied 2025-11-24-000002_reference_data"),
        "{stdout}"
    );
    assert!(stdout.contains("(postgres)"), "{stdout}");
}

#[test]
fn admins_are_added_listed_and_removed_but_configured_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("ADMIN_IDS", "7")];
    let (status, stdout, _) = bot(dir.path(), &["admin", "add", "42"], &env);
    assert_eq!((status, stdout.trim()), (0, "42 added"));
    let (_, stdout, _) = bot(dir.path(), &["admin", "add", "42"], &env);
    assert_eq!(stdout.trim(), "42 was already an admin");
    let (_, stdout, _) = bot(dir.path(), &["admin", "list"], &env);
    assert_eq!(stdout, "7\tADMIN_IDS\n42\tstored\n");
    let (_, stdout, _) = bot(dir.path(), &["admin", "remove", "7"], &env);
    assert_eq!(stdout.trim(), "7 stays an admin: it is listed in ADMIN_IDS");
    let (_, stdout, _) = bot(dir.path(), &["admin", "remove", "42"], &env);
    assert_eq!(stdout.trim(), "42 removed");
    let (_, stdout, _) = bot(dir.path(), &["admin", "list"], &env);
    assert_eq!(stdout, "7\tADMIN_IDS\n");
}

/// The command menus set for one chat, as (language, command names).
fn menus_of_chat(server: &RunningServer, chat: i64) -> Vec<(String, Vec<String>)> {
    server
        .handle()
        .commands()
        .into_iter()
        .filter(|set| set.scope["type"] == "chat" && set.scope["chat_id"] == chat)
        .map(|set| {
            let names = set.commands.into_iter().map(|c| c.command).collect();
            (set.language_code, names)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_token_an_added_admin_gets_moderate_in_the_menu_at_once_and_a_removed_one_loses_it()
{
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let env = telegram_env(&server);
    let env = as_refs(&env);

    let (status, stdout, stderr) = bot_async(dir.path(), &["admin", "add", "42"], &env).await;
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "42 added\n42: command menu with /moderate\n");
    let menus = menus_of_chat(&server, 42);
    let languages: Vec<&str> = menus
        .iter()
        .map(|(language, _)| language.as_str())
        .collect();
    assert_eq!(
        languages.len(),
        5,
        "every language and the fallback: {menus:?}"
    );
    for language in ["", "ru", "en", "vi", "ko"] {
        assert!(languages.contains(&language), "{menus:?}");
    }
    assert!(
        menus
            .iter()
            .all(|(_, names)| names.iter().any(|name| name == "moderate")),
        "{menus:?}"
    );

    let (status, stdout, stderr) = bot_async(dir.path(), &["admin", "remove", "42"], &env).await;
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout,
        "42 removed\n42: command menu back to the public one\n"
    );
    assert_eq!(menus_of_chat(&server, 42), Vec::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_is_added_even_when_telegram_cannot_be_reached() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("BOT_TOKEN", "123:abc"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:9"),
    ];
    let (status, stdout, stderr) = bot_async(dir.path(), &["admin", "add", "42"], &env).await;
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("42 added\n42: command menu not updated ("),
        "{stdout}"
    );
    assert!(stdout.ends_with("`bot run` sets it at start\n"), "{stdout}");
    let (_, stdout, _) = bot_async(dir.path(), &["admin", "list"], &env).await;
    assert_eq!(stdout, "42\tstored\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn webhook_set_info_and_delete_go_to_telegram() {
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut env = telegram_env(&server);
    env.push(("WEBHOOK_URL", "https://bot.example.com/hook".to_owned()));
    env.push(("WEBHOOK_SECRET", "s3cret_token".to_owned()));
    let env = as_refs(&env);

    let (status, stdout, stderr) = bot_async(dir.path(), &["webhook", "set"], &env).await;
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.contains("webhook set to https://bot.example.com/hook"),
        "{stdout}"
    );
    let hook = server.handle().webhook().unwrap();
    assert_eq!(hook.url, "https://bot.example.com/hook");
    assert_eq!(hook.secret_token.as_deref(), Some("s3cret_token"));

    // Setting it again changes nothing and makes no setWebhook call.
    let (_, stdout, _) = bot_async(dir.path(), &["webhook", "set"], &env).await;
    assert!(stdout.contains("already set"), "{stdout}");
    assert_eq!(server.handle().stats().calls_of("setWebhook"), 1);

    let (_, stdout, _) = bot_async(dir.path(), &["webhook", "info"], &env).await;
    assert!(
        stdout.contains("url: https://bot.example.com/hook"),
        "{stdout}"
    );

    let (status, stdout, _) = bot_async(dir.path(), &["webhook", "delete"], &env).await;
    assert_eq!(status, 0);
    assert!(stdout.contains("pending updates kept"), "{stdout}");
    assert!(server.handle().webhook().is_none());
    let (_, stdout, _) = bot_async(dir.path(), &["webhook", "info"], &env).await;
    assert!(stdout.contains("url: (none"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn run_polls_answers_and_stops_cleanly_on_sigterm() {
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let api = server.handle();
    let admin = api.user(7).with_language("en");
    let dir = tempfile::tempdir().unwrap();
    api.send_text(5, "/start").await;
    let mut env = telegram_env(&server);
    env.push(("ADMIN_IDS", "7".to_owned()));
    env.push(("ADMIN_CONTACT", "@vitrina_admins".to_owned()));
    let env = as_refs(&env);
    let mut bot = Process::spawn(
        command(dir.path(), &["run"], &env),
        dir.path().join("bot.log"),
    );

    // The update sent before the start is answered: the language picker.
    let chat = api.wait_for_bot_messages(5, 1, WAIT).await.unwrap();
    assert!(
        chat.last_bot_message()
            .unwrap()
            .button_labels()
            .contains(&"🇷🇺 Русский"),
        "{chat}"
    );
    // The admin was told of the start, in the default language (no language chosen).
    api.wait_for_bot_messages(admin.id(), 1, WAIT)
        .await
        .unwrap();
    // The command menus were set for every locale.
    for locale in ["ru", "en", "vi", "ko"] {
        assert!(
            api.commands_for(locale).is_some(),
            "no commands for {locale}"
        );
    }
    // The description names the admins' contact, for the default language and the others.
    for language in ["", "en", "vi", "ko"] {
        let description = api
            .profile_text(ProfileField::Description, language)
            .unwrap_or_default();
        assert!(
            description.contains("@vitrina_admins"),
            "{language:?}: {description:?}"
        );
        assert!(
            api.profile_text(ProfileField::ShortDescription, language)
                .is_some(),
            "{language:?}"
        );
    }

    bot.signal("TERM");
    let status = bot.wait_exit(WAIT).await;
    let stderr = bot.log();
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stderr.contains("SIGTERM"), "{stderr}");
    // Told of the stop too, and the last update confirmed.
    let chat = api
        .wait_for_bot_messages(admin.id(), 2, WAIT)
        .await
        .unwrap();
    assert_eq!(chat.bot_messages().count(), 2, "{chat}");
    assert_eq!(api.stats().pending_updates, 0);
}
