//! The real `bot` binary, run with a cleared environment in a temporary directory.

use std::path::Path;

use vitrina_testkit::process::{self, Finished};

const VARIABLES: &[&str] = &[
    "BOT_TOKEN",
    "TOKEN",
    "TELEGRAM_API_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "ENVIRONMENT",
    "DISABLE_POLLING",
    "ENABLE_POLLING_LEADER_LOCK",
    "POLLING_LEADER_LOCK_TTL",
    "PREEMPT_LEADER",
    "EXIT_ON_CONFLICT",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "HTTP_ADDR",
    "PORT",
    "ADMIN_IDS",
    "ADMIN_ID",
    "ADMIN_TG_IDS",
    "DEFAULT_LOCALE",
    "DEFAULT_LANG",
    "FEATURE_PARTNER_FSM",
    "FEATURE_MODERATION",
    "POLICY_VERSION",
    "TELEGRAM_RATE_PER_SECOND",
    "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
    "ADMIN_CONTACT",
    "INCOMING_RATE_PER_SECOND",
    "INCOMING_BURST",
    "WORKER_THREADS",
    "RUST_LOG",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "METRICS_TOKEN",
    "DATABASE_CA_FILE",
    "REDIS_CA_FILE",
    "WEB_APP_URL",
    "WEB_APP_MAX_AGE",
    "WEB_APP_PHOTO_CHAT",
];

const COMMANDS: &[&str] = &[
    "run",
    "migrate",
    "check",
    "lock",
    "webhook",
    "admin",
    "config",
    "import-legacy",
    "webapp-link",
];

/// Runs `bot args…` in `dir` with only PATH and `env` in its environment.
fn bot(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Finished {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command.args(args).envs(env.iter().copied());
    process::run(command)
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("cannot make a temporary directory: {error}"))
}

fn write_env_file(dir: &Path, text: &str) {
    std::fs::write(dir.join(".env"), text)
        .unwrap_or_else(|error| panic!("cannot write .env: {error}"));
}

#[test]
fn help_lists_every_command_and_every_variable() {
    let dir = temp_dir();
    let run = bot(dir.path(), &["--help"], &[]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    for command in COMMANDS {
        assert!(
            run.stdout.contains(&format!("\n  {command} ")),
            "--help lacks {command}:\n{}",
            run.stdout
        );
    }
    for variable in VARIABLES {
        assert!(
            run.stdout.contains(variable),
            "--help lacks {variable}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn every_subcommand_has_help() {
    let dir = temp_dir();
    let cases: &[(&[&str], &[&str])] = &[
        (&["run", "--help"], &["BOT_TOKEN", "SIGTERM"]),
        (&["migrate", "--help"], &["DATABASE_URL"]),
        (&["check", "--help"], &["getMe"]),
        (&["lock", "--help"], &["status", "release", "REDIS_URL"]),
        (&["lock", "release", "--help"], &["--force"]),
        (
            &["webhook", "--help"],
            &["set", "delete", "info", "WEBHOOK_URL"],
        ),
        (
            &["webhook", "delete", "--help"],
            &["--drop-pending-updates"],
        ),
        (&["admin", "--help"], &["add", "remove", "list"]),
        (&["admin", "add", "--help"], &["<ID>"]),
        (&["config", "--help"], &["masked"]),
        (&["webapp-link", "--help"], &["--user", "WEB_APP_URL"]),
    ];
    for (args, expected) in cases {
        let run = bot(dir.path(), args, &[]);
        assert_eq!(run.status, Some(0), "{args:?}: {}", run.stderr);
        for text in *expected {
            assert!(
                run.stdout.contains(text),
                "{args:?} lacks {text}:\n{}",
                run.stdout
            );
        }
    }
}

#[test]
fn version_prints_the_package_version() {
    let dir = temp_dir();
    let run = bot(dir.path(), &["--version"], &[]);
    assert_eq!(run.status, Some(0));
    assert_eq!(
        run.stdout.trim(),
        format!("bot {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn config_prints_the_defaults() {
    let dir = temp_dir();
    let run = bot(dir.path(), &["config"], &[]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    for line in [
        "# mode: polling",
        "# leader lock key: production:bot:polling:leader",
        "BOT_TOKEN=<not set>",
        "TELEGRAM_API_URL=https://api.telegram.org",
        "DATABASE_URL=sqlite://vitrina.db",
        "REDIS_URL=<not set>",
        "ENVIRONMENT=production",
        "DISABLE_POLLING=0",
        "ENABLE_POLLING_LEADER_LOCK=0",
        "POLLING_LEADER_LOCK_TTL=15",
        "PREEMPT_LEADER=0",
        "EXIT_ON_CONFLICT=0",
        "WEBHOOK_URL=<not set>",
        "WEBHOOK_SECRET=<not set>",
        "HTTP_ADDR=127.0.0.1:8080",
        "ADMIN_IDS=<not set>",
        "DEFAULT_LOCALE=ru",
        "FEATURE_PARTNER_FSM=1",
        "FEATURE_MODERATION=1",
        "POLICY_VERSION=1",
        "TELEGRAM_RATE_PER_SECOND=30",
        "TELEGRAM_RATE_PER_CHAT_PER_SECOND=1",
        "ADMIN_CONTACT=<not set>",
        "INCOMING_RATE_PER_SECOND=3",
        "INCOMING_BURST=30",
        "RUST_LOG=info",
        "LOG_FORMAT=text",
        "METRICS_TOKEN=<not set>",
        "DATABASE_CA_FILE=<not set>",
        "REDIS_CA_FILE=<not set>",
    ] {
        assert!(
            run.stdout.lines().any(|printed| printed == line),
            "missing {line:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn config_masks_the_token_and_the_secrets() {
    let dir = temp_dir();
    let run = bot(
        dir.path(),
        &["config"],
        &[
            ("BOT_TOKEN", "123456:SECRETPART"),
            ("DATABASE_URL", "postgres://vitrina:DBPASSWORD@db/vitrina"),
            ("DISABLE_POLLING", "1"),
            ("WEBHOOK_URL", "https://example.org"),
        ],
    );
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("BOT_TOKEN=123456:****\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("WEBHOOK_SECRET=**** (derived from BOT_TOKEN)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("DATABASE_URL=postgres://vitrina:****@db/vitrina\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("# mode: webhook\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("# webhook path: /bot/webhook\n"),
        "{}",
        run.stdout
    );
    for secret in ["SECRETPART", "DBPASSWORD"] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} shown"
        );
    }
}

#[test]
fn a_bad_boolean_exits_with_status_2_and_names_the_variable() {
    let dir = temp_dir();
    let run = bot(dir.path(), &["config"], &[("PREEMPT_LEADER", "maybe")]);
    assert_eq!(run.status, Some(2));
    assert!(
        run.stderr.contains("PREEMPT_LEADER") && run.stderr.contains("maybe"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn the_env_file_in_the_working_directory_is_read() {
    let dir = temp_dir();
    write_env_file(
        dir.path(),
        "# settings\nPOLICY_VERSION=4\nDEFAULT_LANG=ko\n",
    );
    let run = bot(dir.path(), &["config"], &[]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("POLICY_VERSION=4\n"), "{}", run.stdout);
    assert!(run.stdout.contains("DEFAULT_LOCALE=ko\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("# note: DEFAULT_LANG is an old name"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_environment_wins_over_the_env_file() {
    let dir = temp_dir();
    write_env_file(dir.path(), "POLICY_VERSION=4\nFEATURE_MODERATION=0\n");
    let run = bot(dir.path(), &["config"], &[("POLICY_VERSION", "9")]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("POLICY_VERSION=9\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("FEATURE_MODERATION=0\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_bad_value_in_the_env_file_exits_with_status_2() {
    let dir = temp_dir();
    write_env_file(dir.path(), "DISABLE_POLLING=sometimes\n");
    let run = bot(dir.path(), &["config"], &[]);
    assert_eq!(run.status, Some(2));
    assert!(run.stderr.contains("DISABLE_POLLING"), "{}", run.stderr);
}

#[test]
fn a_command_without_its_variables_names_them() {
    let dir = temp_dir();
    let cases: &[(&[&str], &str)] = &[
        (&[], "BOT_TOKEN"),
        (&["run"], "BOT_TOKEN"),
        (&["webhook", "info"], "BOT_TOKEN"),
        (&["lock", "status"], "REDIS_URL"),
    ];
    for (args, variable) in cases {
        let run = bot(dir.path(), args, &[]);
        assert_eq!(run.status, Some(2), "{args:?}");
        assert!(run.stderr.contains(variable), "{args:?}: {}", run.stderr);
    }
    let run = bot(dir.path(), &["webhook", "set"], &[("BOT_TOKEN", "1:abc")]);
    assert_eq!(run.status, Some(2));
    assert!(run.stderr.contains("WEBHOOK_URL"), "{}", run.stderr);
}

#[test]
fn operator_commands_report_what_they_cannot_reach_with_status_1() {
    let dir = temp_dir();
    let run = bot(
        dir.path(),
        &["lock", "status"],
        &[("REDIS_URL", "redis://127.0.0.1:1")],
    );
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read the lease") && run.stderr.contains("unavailable"),
        "{}",
        run.stderr
    );
    let run = bot(dir.path(), &["check"], &[]);
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(
        run.stdout.contains("FAIL telegram: BOT_TOKEN is not set"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("WARN database: sqlite://vitrina.db does not exist yet"),
        "{}",
        run.stdout
    );
    assert!(
        !dir.path().join("vitrina.db").exists(),
        "check creates no database"
    );
}

#[test]
fn notes_about_old_names_are_logged_by_other_commands() {
    let dir = temp_dir();
    let run = bot(dir.path(), &["migrate"], &[("TOKEN", "1:abc")]);
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("WARN") && run.stderr.contains("TOKEN is an old name"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("1:abc"), "{}", run.stderr);
}

#[test]
fn a_bad_argument_exits_with_status_2() {
    let dir = temp_dir();
    for args in [&["admin", "add", "zero"][..], &["no-such-command"]] {
        let run = bot(dir.path(), args, &[]);
        assert_eq!(run.status, Some(2), "{args:?}");
    }
}
