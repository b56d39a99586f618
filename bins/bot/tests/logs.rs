//! What the real `bot` binary writes to its log: the JSON format, migrations named once, no
//! secret at any level, and an outage of Telegram told at its start and end (and by
//! `/readyz`) rather than once per failed poll.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use vitrina_fake_bot_api::{Config, FakeBotApi, Fault, RunningServer};
use vitrina_testkit::net::free_port;
use vitrina_testkit::process::{self, Process};

const WAIT: Duration = Duration::from_secs(60);
const WEBHOOK_SECRET: &str = "webhook_SECRET_value-42";
const METRICS_TOKEN: &str = "metrics-TOKEN-value-43";
const DB_PASSWORD: &str = "DBPASSWORD44";

fn command(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command
        .args(args)
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())));
    command
}

/// The secret part of the double's bot token (its bot id is shown on purpose).
fn token_secret(server: &RunningServer) -> String {
    let (_, secret) = server.token().split_once(':').unwrap();
    secret.to_owned()
}

/// `GET path` on `addr`: the status and the body.
async fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nhost: bot\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

/// Waits until `GET path` answers with a body containing `text`.
async fn wait_for_answer(bot: &mut Process, addr: SocketAddr, path: &str, text: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = bot.exited() {
            panic!("the bot exited with {status}:\n{}", bot.log());
        }
        if let Some((_, body)) = get(addr, path).await
            && body.contains(text)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never said {text:?}:\n{}",
            bot.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn json_logs_are_one_object_per_line_and_name_each_migration_once() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("DATABASE_URL", "sqlite://data.db".to_owned()),
        ("LOG_FORMAT", "json".to_owned()),
    ];
    let run = process::run(command(dir.path(), &["migrate"], &env));
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let mut migrations = Vec::new();
    for line in run.stderr.lines() {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"));
        assert!(event["level"].is_string(), "{line}");
        assert!(event["timestamp"].is_string(), "{line}");
        if event["message"] == "applied migration" {
            migrations.push(event["migration"].as_str().unwrap().to_owned());
        }
    }
    assert!(!migrations.is_empty(), "{}", run.stderr);
    let mut distinct = migrations.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), migrations.len(), "{migrations:?}");
    // Every migration the command reports applying is named in the log, and only once.
    for name in &migrations {
        assert_eq!(
            run.stderr.matches(name.as_str()).count(),
            1,
            "{name}:\n{}",
            run.stderr
        );
    }

    // A second run applies nothing and logs no migration.
    let again = process::run(command(dir.path(), &["migrate"], &env));
    assert_eq!(again.status, Some(0), "{}", again.stderr);
    assert!(
        !again.stderr.contains("applied migration"),
        "{}",
        again.stderr
    );
}

#[test]
fn log_level_stands_in_for_rust_log_and_a_bad_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("DATABASE_URL", "sqlite://data.db".to_owned()),
        ("LOG_LEVEL", "warn".to_owned()),
    ];
    let run = process::run(command(dir.path(), &["migrate"], &env));
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    // Info lines (the migrations) are filtered out; the note about the old name is a warning.
    assert!(!run.stderr.contains("applied migration"), "{}", run.stderr);
    assert!(run.stderr.contains("LOG_LEVEL"), "{}", run.stderr);

    let run = process::run(command(
        dir.path(),
        &["config"],
        &[("LOG_FORMAT", "yaml".to_owned())],
    ));
    assert_eq!(run.status, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("LOG_FORMAT"), "{}", run.stderr);
}

/// Every log format, at the most talkative level, through a start, an answered message, a
/// scrape of the metrics and a stop: the token, the webhook secret and the metrics token
/// never appear; nor does a database password in a failing `bot check` or `bot migrate`.
#[tokio::test(flavor = "multi_thread")]
async fn no_secret_is_ever_logged() {
    for format in ["text", "json"] {
        let server = FakeBotApi::start(Config::default()).await.unwrap();
        let api = server.handle();
        let dir = tempfile::tempdir().unwrap();
        let http = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let env = vec![
            ("BOT_TOKEN", server.token().to_owned()),
            ("TELEGRAM_API_URL", server.base_url()),
            ("DATABASE_URL", "sqlite://data.db".to_owned()),
            ("WEBHOOK_SECRET", WEBHOOK_SECRET.to_owned()),
            ("METRICS_TOKEN", METRICS_TOKEN.to_owned()),
            ("HTTP_ADDR", http.to_string()),
            ("ADMIN_IDS", "7".to_owned()),
            ("RUST_LOG", "trace".to_owned()),
            ("LOG_FORMAT", format.to_owned()),
        ];
        api.send_text(5, "/start").await;
        let mut bot = Process::spawn(
            command(dir.path(), &["run"], &env),
            dir.path().join("bot.log"),
        );
        api.wait_for_bot_messages(5, 1, WAIT)
            .await
            .unwrap_or_else(|_| panic!("no answer:\n{}", bot.log()));
        wait_for_answer(&mut bot, http, "/metrics", "unauthorized").await;
        bot.signal("TERM");
        assert_eq!(bot.wait_exit(WAIT).await, Some(0), "{}", bot.log());
        let log = bot.log();
        assert!(log.contains("stopped"), "{log}");
        for secret in [
            token_secret(&server),
            WEBHOOK_SECRET.to_owned(),
            METRICS_TOKEN.to_owned(),
        ] {
            assert!(
                !log.contains(&secret),
                "{format} log shows {secret}:\n{log}"
            );
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let unreachable = format!(
        "postgres://vitrina:{DB_PASSWORD}@127.0.0.1:{}/vitrina",
        free_port()
    );
    for args in [&["check"][..], &["migrate"]] {
        let run = process::run_async(command(
            dir.path(),
            args,
            &[
                ("DATABASE_URL", unreachable.clone()),
                ("BOT_TOKEN", "123456:TOKENSECRETPART".to_owned()),
                (
                    "TELEGRAM_API_URL",
                    format!("http://127.0.0.1:{}", free_port()),
                ),
                ("RUST_LOG", "trace".to_owned()),
            ],
        ))
        .await;
        assert_eq!(run.status, Some(1), "{args:?}: {}", run.stderr);
        let output = format!("{}{}", run.stdout, run.stderr);
        assert!(!output.contains(DB_PASSWORD), "{args:?}:\n{output}");
        assert!(!output.contains("TOKENSECRETPART"), "{args:?}:\n{output}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_of_telegram_is_logged_at_its_start_and_end_and_shown_by_readyz() {
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let api = server.handle();
    let dir = tempfile::tempdir().unwrap();
    let http = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let env = vec![
        ("BOT_TOKEN", server.token().to_owned()),
        ("TELEGRAM_API_URL", server.base_url()),
        ("DATABASE_URL", "sqlite://data.db".to_owned()),
        ("HTTP_ADDR", http.to_string()),
    ];
    let mut bot = Process::spawn(
        command(dir.path(), &["run"], &env),
        dir.path().join("bot.log"),
    );
    wait_for_answer(&mut bot, http, "/readyz", "telegram: ok").await;

    // The network drops every poll for a while.
    const FAILURES: u32 = 3;
    let before = api.stats().calls_of("getUpdates");
    api.fail_next("getUpdates", FAILURES, Fault::Disconnect);
    wait_for_answer(&mut bot, http, "/readyz", "telegram: failed: unreachable").await;
    api.wait_for_stats(
        |stats| stats.calls_of("getUpdates") > before + u64::from(FAILURES),
        WAIT,
    )
    .await
    .unwrap_or_else(|_| panic!("polling did not go on:\n{}", bot.log()));
    wait_for_answer(&mut bot, http, "/readyz", "telegram: ok").await;
    bot.wait_for_log("Telegram is reachable again", WAIT).await;

    // Answers still flow.
    api.send_text(5, "/start").await;
    api.wait_for_bot_messages(5, 1, WAIT)
        .await
        .unwrap_or_else(|_| panic!("no answer:\n{}", bot.log()));

    bot.signal("TERM");
    assert_eq!(bot.wait_exit(WAIT).await, Some(0), "{}", bot.log());
    let log = bot.log();
    // One line at the start of the outage, one at its end: not one per failed poll.
    assert_eq!(log.matches("Telegram is unreachable").count(), 1, "{log}");
    assert_eq!(
        log.matches("Telegram is reachable again").count(),
        1,
        "{log}"
    );
    assert!(!log.contains("ERROR"), "{log}");
    assert!(log.contains("failures="), "{log}");
}

/// `WORKER_THREADS` sets how many threads the runtime runs its work on; unset, one per core.
#[test]
fn worker_threads_sets_the_runtime_s_workers() {
    let workers = |threads: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let mut env = vec![
            ("DATABASE_URL", "sqlite://data.db".to_owned()),
            ("LOG_FORMAT", "json".to_owned()),
            ("RUST_LOG", "debug".to_owned()),
        ];
        if let Some(threads) = threads {
            env.push(("WORKER_THREADS", threads.to_owned()));
        }
        let run = process::run(command(dir.path(), &["migrate"], &env));
        assert_eq!(run.status, Some(0), "{}", run.stderr);
        run.stderr
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|event| event["message"] == "async runtime started")
            .find_map(|event| event["workers"].as_u64())
            .unwrap_or_else(|| panic!("no runtime start logged:\n{}", run.stderr))
    };
    assert_eq!(workers(Some("1")), 1);
    assert_eq!(workers(Some("3")), 3);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(workers(None), u64::try_from(cores).unwrap());
}
