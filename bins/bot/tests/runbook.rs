//! The runbook runs: every `bot …` command in docs/OPERATIONS.md (and its English twin) is
//! executed here, in the document's order, against real Redis, a real database and the Bot API
//! double, and must succeed — so the document cannot drift from the program.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use vitrina_fake_bot_api::{Config, FakeBotApi};
use vitrina_testkit::process::{self, Finished};
use vitrina_testkit::services;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// The command lines inside the ```sh blocks of a document, in order.
fn commands(document: &str) -> Vec<String> {
    let text = std::fs::read_to_string(docs().join(document)).unwrap();
    let mut in_block = false;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_block = line == "```sh";
            continue;
        }
        if in_block && !line.starts_with("export ") {
            found.push(line.to_owned());
        }
    }
    found
}

#[test]
fn both_languages_give_the_same_commands() {
    let russian = commands("OPERATIONS.md");
    assert!(
        russian
            .iter()
            .any(|line| line == "bot lock release --force"),
        "{russian:?}"
    );
    assert_eq!(russian, commands("OPERATIONS.en.md"));
}

#[test]
fn every_test_the_runbook_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for line in commands("OPERATIONS.md")
        .iter()
        .filter(|line| line.starts_with("cargo test"))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let package = words
            .iter()
            .position(|w| *w == "-p")
            .map(|i| words[i + 1])
            .unwrap();
        let test = words
            .iter()
            .position(|w| *w == "--test")
            .map(|i| words[i + 1])
            .unwrap();
        let directory = package.strip_prefix("vitrina-").unwrap();
        let file = root
            .join("crates")
            .join(directory)
            .join("tests")
            .join(format!("{test}.rs"));
        assert!(file.exists(), "{line}: no {}", file.display());
    }
    for file in [
        "routing",
        "wizard",
        "moderation",
        "catalog",
        "rendering",
        "security",
    ] {
        assert!(
            root.join(format!("crates/delivery/tests/{file}.rs"))
                .exists(),
            "{file}"
        );
    }
}

fn redis_cli(url: &str, args: &[&str]) -> String {
    let output = Command::new("redis-cli")
        .arg("-u")
        .arg(url)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bot_command_of_the_runbook_succeeds() {
    // Both are needed; each one missing says so.
    let (Some(redis), Some(postgres)) = (services::redis_url(), services::database_url()) else {
        return;
    };
    // The PostgreSQL backup commands work on a whole database: give them one of their own.
    let database = format!("runbook_{}", std::process::id());
    let (server_url, _) = postgres.rsplit_once('/').unwrap();
    let database_url = format!("{server_url}/{database}");
    psql(&postgres, &format!("DROP DATABASE IF EXISTS {database}"));
    psql(&postgres, &format!("CREATE DATABASE {database}"));
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let environment = format!("runbook{}", std::process::id());
    let key = format!("{environment}:bot:polling:leader");
    // A key left by the old system: the runbook's `lock release --force` must clear it.
    redis_cli(&redis, &["SET", &key, "old-system-instance"]);
    let env = [
        ("BOT_TOKEN", server.token().to_owned()),
        ("TELEGRAM_API_URL", server.base_url()),
        ("REDIS_URL", redis.clone()),
        ("ENVIRONMENT", environment.clone()),
        (
            "WEBHOOK_URL",
            "https://bot.example.com/bot/webhook".to_owned(),
        ),
        ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
        ("WEB_APP_URL", "webhook".to_owned()),
    ];
    let mut ran = Vec::new();
    for line in commands("OPERATIONS.md") {
        if line.starts_with("cargo test") {
            continue; // checked by every_test_the_runbook_names_exists
        }
        if ["sqlite3 ", "pg_dump ", "pg_restore "]
            .iter()
            .any(|tool| line.starts_with(tool))
        {
            // The database to back up is a migrated one, as a running bot leaves it.
            let target = if line.starts_with("pg_") {
                vec![("DATABASE_URL", database_url.as_str())]
            } else {
                Vec::new()
            };
            let migrate = process::run(bot(dir.path(), &["migrate"], &target));
            assert_eq!(migrate.status, Some(0), "{}", migrate.stderr);
            let output = Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(dir.path())
                .env("DATABASE_URL", &database_url)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "`{line}`: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            ran.push((line.clone(), String::new()));
            continue;
        }
        let Some(args) = line.strip_prefix("bot ") else {
            panic!("the runbook has a command this test does not run: {line}");
        };
        if args == "run" {
            // Long-running; `bot run` is driven in tests/commands.rs, leader.rs and webhook.rs.
            continue;
        }
        if args.starts_with("import-legacy") && !dir.path().join("old.db").exists() {
            // The old system's database the section speaks of, built from its schema.
            let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
            for script in ["legacy-schema.sql", "legacy-data.sql"] {
                let output = Command::new("sqlite3")
                    .arg(dir.path().join("old.db"))
                    .arg(format!(".read {}", fixtures.join(script).display()))
                    .output()
                    .unwrap();
                assert!(output.status.success(), "{script}: {output:?}");
            }
        }
        let args: Vec<&str> = args.split_whitespace().collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let Finished {
            status,
            stdout,
            stderr,
        } = process::run_async(bot(dir.path(), &args, &env)).await;
        // Without --force, a lease of another host (here the old system's) is left alone,
        // as the runbook says.
        let expected = if line == "bot lock release" { 1 } else { 0 };
        assert_eq!(status, Some(expected), "`{line}`:\n{stdout}\n{stderr}");
        if expected == 1 {
            assert!(stderr.contains("old-system-instance"), "{stderr}");
        }
        ran.push((line.clone(), stdout));
    }
    let output_of = |line: &str| {
        ran.iter()
            .find(|(ran, _)| ran == line)
            .map(|(_, out)| out.clone())
            .unwrap_or_else(|| panic!("the runbook no longer runs `{line}`"))
    };
    assert!(output_of("bot lock status").contains("old-system-instance"));
    assert!(output_of("bot lock release --force").contains("old-system-instance"));
    assert_eq!(
        redis_cli(&redis, &["EXISTS", &key]),
        "0",
        "the stale key is gone"
    );
    assert!(output_of("bot webhook info").contains("bot.example.com"));
    assert!(
        server.handle().webhook().is_none(),
        "`bot webhook delete` ran after `set`"
    );
    assert!(output_of("bot migrate").contains("up to date"));
    assert!(output_of("bot admin list").contains("123456789"));
    assert!(output_of("bot config").contains("BOT_TOKEN="));
    assert!(
        output_of("bot import-legacy --from sqlite://old.db --dry-run")
            .starts_with("dry run: nothing was written")
    );
    assert!(output_of("bot import-legacy --from sqlite://old.db").contains("cards imported: 5"));
    assert!(
        output_of("bot webapp-link --user 123456789")
            .starts_with("https://bot.example.com/app/#tgWebAppData=")
    );
    // The backups hold the data: the reference cities, in the SQLite copy and after the
    // PostgreSQL dump was restored.
    output_of(r#"sqlite3 vitrina.db ".backup vitrina-backup.db""#);
    let copy = Command::new("sqlite3")
        .args(["vitrina-backup.db", "SELECT count(*) FROM cities"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&copy.stdout).trim(), "4");
    output_of(r#"pg_restore --clean --if-exists --dbname="$DATABASE_URL" vitrina.dump"#);
    assert_eq!(psql(&database_url, "SELECT count(*) FROM cities"), "4");
    psql(&postgres, &format!("DROP DATABASE {database}"));
    redis_cli(
        &redis,
        &["DEL", &key, &format!("{environment}:bot:polling:fencing")],
    );
}

fn psql(url: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args([url, "-tAc", sql])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// `bot args…` in `dir` with only PATH and `env` in its environment.
fn bot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command.args(args).envs(env.iter().copied());
    command
}
