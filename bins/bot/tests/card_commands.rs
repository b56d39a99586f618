//! The operator's commands on cards and people, through the real `bot` binary against real
//! storage: `bot card feature|unfeature|unpublish ID [--reason TEXT]` change the card and log
//! it by the operator (id 0), a takedown's notice to the partner is queued in the outbox and
//! sent by the running bot; `bot user delete ID` deletes a person's data as /forget_me does.
//! On SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use vitrina_cards::{CardId, CardRepository, CardStatus, Timestamp, UserId};
use vitrina_dialog::UserRepository;
use vitrina_fake_bot_api::{Config, FakeBotApi};
use vitrina_moderation::{Decision, ModerationRepository, Verdict};
use vitrina_storage::Db;
use vitrina_testkit::fixtures::shop_card;
use vitrina_testkit::postgres::TestSchema;
use vitrina_testkit::process::{self, Process};

const WAIT: Duration = Duration::from_secs(20);
const PARTNER: UserId = UserId(1001);
const ADMIN: UserId = UserId(9);

fn command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command.args(args).envs(env.iter().copied());
    command
}

/// Runs `bot args…` to the end, off the async runtime; (status, stdout, stderr).
async fn bot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let finished = process::run_async(command(dir, args, env)).await;
    (
        finished.status.unwrap_or(-1),
        finished.stdout,
        finished.stderr,
    )
}

/// A published card of the partner (who speaks English).
async fn published(db: &Db, title: &str) -> CardId {
    db.set_locale(PARTNER, "en").await.unwrap();
    db.accept_policy(PARTNER, 1).await.unwrap();
    let id = db
        .submit_new(PARTNER, &shop_card(title), Timestamp(1_000))
        .await
        .unwrap();
    let approval = Decision::new(id, ADMIN, Verdict::Approve, Timestamp(2_000));
    db.decide(&approval).await.unwrap();
    id
}

/// A database for one test: a SQLite file in `dir`, or a PostgreSQL schema.
async fn database(dir: &Path, postgres: bool) -> Option<(Db, String, Option<TestSchema>)> {
    let (url, schema) = if postgres {
        let schema = TestSchema::create("cli_cards").await?;
        (schema.url().to_owned(), Some(schema))
    } else {
        (
            format!("sqlite://{}", dir.join("vitrina.db").display()),
            None,
        )
    };
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, url, schema))
}

async fn card_commands_change_the_card_and_log_them_by_the_operator(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let Some((db, url, schema)) = database(dir.path(), postgres).await else {
        return;
    };
    let env = [("DATABASE_URL", url.as_str())];
    let id = published(&db, "Night Market Stall").await;
    let arg = id.to_string();
    let run = async |args: &[&str]| bot(dir.path(), args, &env).await;

    let (status, stdout, stderr) = run(&["card", "feature", &arg]).await;
    assert_eq!(
        (status, stdout.trim()),
        (0, format!("card {id} featured").as_str()),
        "{stderr}"
    );
    assert!(db.card(id).await.unwrap().unwrap().featured);
    let (_, stdout, _) = run(&["card", "feature", &arg]).await;
    assert_eq!(stdout.trim(), format!("card {id} was already featured"));
    let (status, stdout, _) = run(&["card", "unfeature", &arg]).await;
    assert_eq!(
        (status, stdout.trim()),
        (0, format!("card {id} no longer featured").as_str())
    );
    assert!(!db.card(id).await.unwrap().unwrap().featured);

    let (status, stdout, stderr) = run(&[
        "card",
        "unpublish",
        &arg,
        "--reason",
        "Closed for good since May",
    ])
    .await;
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout.trim(),
        format!(
            "card {id} taken down (reason Closed for good since May); partner {PARTNER} told \
             through the outbox"
        )
    );
    let card = db.card(id).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Rejected);
    assert_eq!(
        card.rejection_reason.as_deref(),
        Some("Closed for good since May")
    );
    assert_eq!(
        db.queued_messages().await.unwrap(),
        1,
        "the partner's notice is queued"
    );

    let (status, stdout, _) = run(&["card", "unpublish", &arg]).await;
    assert_eq!(
        (status, stdout.trim()),
        (
            0,
            format!("card {id} is not published (rejected): nothing changed").as_str()
        )
    );
    let log: Vec<_> = db
        .log(id)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| (entry.action, entry.moderator))
        .collect();
    let operator = vitrina_moderation::AdminDecision::OPERATOR;
    assert_eq!(
        log,
        [
            ("approve".to_owned(), ADMIN),
            ("feature".to_owned(), operator),
            ("unfeature".to_owned(), operator),
            ("unpublish".to_owned(), operator),
        ]
    );

    // A missing card and a reason that is neither a code nor long enough are errors.
    let (status, _, stderr) = run(&["card", "feature", "999999"]).await;
    assert_eq!(status, 1);
    assert!(stderr.contains("there is no card 999999"), "{stderr}");
    let (status, _, stderr) = run(&["card", "unpublish", &arg, "--reason", "spam"]).await;
    assert_eq!(status, 1);
    assert!(stderr.contains("--reason \"spam\""), "{stderr}");
    if let Some(schema) = schema {
        schema.drop_now().await;
    }
}

async fn user_delete_deletes_the_person_s_data_and_anonymises_the_log(postgres: bool) {
    let dir = tempfile::tempdir().unwrap();
    let Some((db, url, schema)) = database(dir.path(), postgres).await else {
        return;
    };
    let env = [("DATABASE_URL", url.as_str())];
    let first = published(&db, "Lantern Shop").await;
    let second = published(&db, "Silk Shop").await;
    db.set_name(PARTNER, "Min", Some("min_silk")).await.unwrap();
    db.become_partner(PARTNER).await.unwrap();
    let other = db
        .submit_new(UserId(2002), &shop_card("Other Shop"), Timestamp(3_000))
        .await
        .unwrap();

    let (status, stdout, stderr) = bot(dir.path(), &["user", "delete", "1001"], &env).await;
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout.trim(),
        "user 1001 deleted: profile and dialog state, 2 card(s); the moderation log keeps its \
         entries anonymised"
    );
    for id in [first, second] {
        assert_eq!(db.card(id).await.unwrap(), None);
        assert_eq!(db.log(id).await.unwrap(), [], "no entry names the card");
    }
    assert!(
        db.card(other).await.unwrap().is_some(),
        "someone else's card stays"
    );
    let profile = db.user(PARTNER).await.unwrap();
    assert_eq!(
        (profile.locale, profile.first_name, profile.is_partner),
        (None, None, false)
    );
    let (status, stdout, _) = bot(dir.path(), &["user", "delete", "4242"], &env).await;
    assert_eq!(
        (status, stdout.trim()),
        (0, "user 4242: nothing was stored")
    );
    if let Some(schema) = schema {
        schema.drop_now().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn card_commands_on_sqlite() {
    card_commands_change_the_card_and_log_them_by_the_operator(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn card_commands_on_postgres() {
    card_commands_change_the_card_and_log_them_by_the_operator(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn user_delete_on_sqlite() {
    user_delete_deletes_the_person_s_data_and_anonymises_the_log(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn user_delete_on_postgres() {
    user_delete_deletes_the_person_s_data_and_anonymises_the_log(true).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_bot_sends_the_partner_the_notice_of_an_operator_s_takedown() {
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let api = server.handle();
    let dir = tempfile::tempdir().unwrap();
    let Some((db, url, _)) = database(dir.path(), false).await else {
        return;
    };
    let id = published(&db, "Night Market Stall").await;
    // The partner has a chat with the bot (the double refuses to write to anyone else).
    let _ = api.user(PARTNER.get()).with_language("en");
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("BOT_TOKEN", server.token()),
    ];
    let base = server.base_url();
    let mut env = env.to_vec();
    env.push(("TELEGRAM_API_URL", base.as_str()));
    // Any free port: the health endpoint is not what this test is about.
    env.push(("HTTP_ADDR", "127.0.0.1:0"));
    let mut running = Process::spawn(
        command(dir.path(), &["run"], &env),
        dir.path().join("bot.log"),
    );

    let arg = id.to_string();
    let (status, _, stderr) = bot(
        dir.path(),
        &["card", "unpublish", &arg, "--reason", "wrong_category"],
        &env,
    )
    .await;
    assert_eq!(status, 0, "{stderr}");

    let chat = match api.wait_for_bot_messages(PARTNER.get(), 1, WAIT).await {
        Ok(chat) => chat,
        Err(error) => panic!("{error}\nthe bot's log:\n{}", running.log()),
    };
    let catalog = vitrina_i18n::Catalog::load().unwrap();
    let expected = catalog.text_with(
        vitrina_i18n::Locale::En,
        "notify-card-taken-down",
        &[
            ("title", vitrina_i18n::Arg::from("Night Market Stall")),
            (
                "reason",
                vitrina_i18n::Arg::from(
                    catalog.text(vitrina_i18n::Locale::En, "reject-reason-wrong-category"),
                ),
            ),
        ],
    );
    assert_eq!(chat.last_bot_message().unwrap().body(), expected, "{chat}");
    running.signal("TERM");
    assert_eq!(running.wait_exit(WAIT).await, Some(0), "{}", running.log());
}
