//! The operator commands (`bot lock status|release`, `bot check`) of the real binary, against
//! a real Redis, real storage and the Bot API double.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use deadpool_redis::redis;
use vitrina_fake_bot_api::{Config, FakeBotApi, RunningServer};
use vitrina_redis_lease::InstanceName;
use vitrina_testkit::process::{self, Finished};
use vitrina_testkit::services;

/// Runs `bot args…` in `dir` with only PATH and `env`, off the runtime that serves the double.
async fn bot(dir: &Path, args: &[&str], env: &[(String, String)]) -> Finished {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    process::run_async(command).await
}

/// A scratch directory, an environment of the test's own and the lease key it implies.
struct Setup {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    key: String,
}

impl Setup {
    fn new(name: &str, redis_url: &str) -> Setup {
        let environment = format!("test-ops-{name}-{}", std::process::id());
        Setup {
            dir: tempfile::tempdir().unwrap(),
            key: format!("{environment}:bot:polling:leader"),
            env: vec![
                ("REDIS_URL".to_owned(), redis_url.to_owned()),
                ("ENVIRONMENT".to_owned(), environment),
            ],
        }
    }

    fn with(mut self, name: &str, value: &str) -> Setup {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    fn with_telegram(self, server: &RunningServer) -> Setup {
        self.with("BOT_TOKEN", server.token())
            .with("TELEGRAM_API_URL", &server.base_url())
    }

    async fn bot(&self, args: &[&str]) -> Finished {
        bot(self.dir.path(), args, &self.env).await
    }

    async fn redis(&self) -> redis::aio::MultiplexedConnection {
        let url = &self.env.iter().find(|(k, _)| k == "REDIS_URL").unwrap().1;
        redis::Client::open(url.as_str())
            .unwrap()
            .get_multiplexed_async_connection()
            .await
            .unwrap()
    }

    /// Stores `value` under the lease key, expiring after `ttl_ms` (none when `None`).
    async fn set_lease(&self, value: &str, ttl_ms: Option<u64>) {
        let mut set = redis::cmd("SET");
        set.arg(&self.key).arg(value);
        if let Some(ttl) = ttl_ms {
            set.arg("PX").arg(ttl);
        }
        let () = set.query_async(&mut self.redis().await).await.unwrap();
    }

    async fn lease(&self) -> Option<String> {
        redis::cmd("GET")
            .arg(&self.key)
            .query_async(&mut self.redis().await)
            .await
            .unwrap()
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        // Keys of a test that failed midway must not linger; the fencing counter neither.
        let Some((_, url)) = self.env.iter().find(|(k, _)| k == "REDIS_URL") else {
            return;
        };
        if let Ok(client) = redis::Client::open(url.as_str())
            && let Ok(mut conn) = client.get_connection()
        {
            let fencing = self.key.replace(":leader", ":fencing");
            let _: Result<i64, _> = redis::cmd("DEL")
                .arg(&self.key)
                .arg(fencing)
                .query(&mut conn);
        }
    }
}

/// A pid that no process of this machine has.
fn dead_pid() -> u32 {
    (100_000..4_000_000)
        .find(|pid| !Path::new("/proc").join(pid.to_string()).exists())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn lock_status_tells_a_free_lease_from_a_held_one() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let setup = Setup::new("status", &redis_url);
    let run = setup.bot(&["lock", "status"]).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("key: {}\nstate: free (nobody holds the lease)\n", setup.key)
    );

    let value = "host=bot-7.example;pid=4242;started=1700000000000;fencing=31";
    setup.set_lease(value, Some(60_000)).await;
    let run = setup.bot(&["lock", "status"]).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let expected = [
        format!("key: {}", setup.key),
        "state: held".to_owned(),
        format!("value: {value}"),
        "host: bot-7.example".to_owned(),
        "pid: 4242".to_owned(),
        "started: 2023-11-14T22:13:20Z (".to_owned(),
        "fencing: 31".to_owned(),
        "time left: ".to_owned(),
    ];
    assert_eq!(lines.len(), expected.len(), "{}", run.stdout);
    for (line, expected) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line:?}:\n{}",
            run.stdout
        );
    }
    let left: f64 = lines[7]
        .strip_prefix("time left: ")
        .and_then(|left| left.strip_suffix(" s"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(left > 0.0 && left <= 60.0, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn lock_release_leaves_a_stale_key_of_the_old_system_unless_forced() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let setup = Setup::new("stale", &redis_url);
    setup.set_lease("old-bot-instance-1", None).await;

    let run = setup.bot(&["lock", "status"]).await;
    assert!(
        run.stdout.contains("format: not this program's")
            && run.stdout.contains("time left: no expiry"),
        "{}",
        run.stdout
    );

    let run = setup.bot(&["lock", "release"]).await;
    assert_eq!(run.status, Some(1), "{}", run.stdout);
    assert!(
        run.stderr.contains("held by old-bot-instance-1") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(setup.lease().await.as_deref(), Some("old-bot-instance-1"));

    let run = setup.bot(&["lock", "release", "--force"]).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "lease released (it was old-bot-instance-1)\n");
    assert_eq!(setup.lease().await, None);

    for args in [&["lock", "release"][..], &["lock", "release", "--force"]] {
        let run = setup.bot(args).await;
        assert_eq!(run.status, Some(0), "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stdout, "the lease is free: nothing to release\n",
            "{args:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn lock_release_without_force_deletes_only_a_dead_lease_of_this_host() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let setup = Setup::new("host", &redis_url);
    let host = InstanceName::current().host().to_owned();
    let release = |value: String| {
        let setup = &setup;
        async move {
            setup.set_lease(&value, Some(60_000)).await;
            let run = setup.bot(&["lock", "release"]).await;
            (run, setup.lease().await, value)
        }
    };

    // Another host's lease: left alone, and its holder named.
    let (run, left, value) =
        release("host=elsewhere.example;pid=7;started=1;fencing=2".to_owned()).await;
    assert_eq!(run.status, Some(1));
    assert!(run.stderr.contains(&value), "{}", run.stderr);
    assert_eq!(left, Some(value));

    // A running process of this host (the test itself): left alone.
    let (run, left, value) = release(format!(
        "host={host};pid={};started=1;fencing=3",
        std::process::id()
    ))
    .await;
    assert_eq!(run.status, Some(1));
    assert!(run.stderr.contains("running instance"), "{}", run.stderr);
    assert_eq!(left, Some(value));

    // A process of this host that is gone: released.
    let (run, left, value) = release(format!(
        "host={host};pid={};started=1;fencing=4",
        dead_pid()
    ))
    .await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, format!("lease released (it was {value})\n"));
    assert_eq!(left, None);
}

/// `bot check`'s line about `subject`, if any.
fn line<'a>(run: &'a Finished, subject: &str) -> Option<&'a str> {
    run.stdout.lines().find(|line| {
        line.get(5..)
            .is_some_and(|rest| rest.starts_with(&format!("{subject}:")))
    })
}

/// A setup in leader mode with the double and a migrated SQLite database.
async fn everything_up(name: &str, redis_url: &str, server: &RunningServer) -> Setup {
    let setup = Setup::new(name, redis_url)
        .with_telegram(server)
        .with("ENABLE_POLLING_LEADER_LOCK", "1");
    let run = setup.bot(&["migrate"]).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    setup
}

#[tokio::test(flavor = "multi_thread")]
async fn check_reports_every_service_ok_and_exits_0() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let setup = everything_up("ok", &redis_url, &server).await;
    let value = "host=bot-1;pid=11;started=1700000000000;fencing=5";
    setup.set_lease(value, Some(60_000)).await;

    let run = setup.bot(&["check"]).await;
    assert_eq!(run.status, Some(0), "{}\n{}", run.stdout, run.stderr);
    for subject in [
        "configuration",
        "database",
        "outbox",
        "redis",
        "telegram",
        "webhook",
        "lease",
    ] {
        let found = line(&run, subject).unwrap_or_else(|| panic!("no {subject}:\n{}", run.stdout));
        assert!(found.starts_with("OK   "), "{found}\n{}", run.stdout);
    }
    assert!(
        line(&run, "configuration")
            .unwrap()
            .contains("mode leader-polling"),
        "{}",
        run.stdout
    );
    assert!(line(&run, "telegram").unwrap().contains("@test_bot"));
    assert!(
        line(&run, "lease")
            .unwrap()
            .contains(&format!("held by {value}")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("0 failed, 0 warnings\n"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_names_what_is_unreachable_and_exits_1() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let check = async |name: &str, variable: &str, value: &str, failing: &[&str]| {
        let setup = everything_up(name, &redis_url, &server)
            .await
            .with(variable, value);
        let run = setup.bot(&["check"]).await;
        assert_eq!(run.status, Some(1), "{variable}={value}:\n{}", run.stdout);
        for subject in ["configuration", "database", "redis", "telegram", "lease"] {
            let Some(found) = line(&run, subject) else {
                continue;
            };
            let expected = if failing.contains(&subject) {
                "FAIL "
            } else {
                "OK   "
            };
            assert!(
                found.starts_with(expected),
                "{variable}={value}:\n{}",
                run.stdout
            );
        }
        for subject in failing {
            assert!(
                line(&run, subject).is_some(),
                "{subject} missing:\n{}",
                run.stdout
            );
        }
        assert!(
            run.stdout
                .ends_with(&format!("{} failed, 0 warnings\n", failing.len())),
            "{}",
            run.stdout
        );
        run.stdout
    };
    let report = check(
        "db",
        "DATABASE_URL",
        "postgres://postgres@127.0.0.1:1/nowhere",
        &["database"],
    )
    .await;
    // The cause itself, not only "storage unavailable".
    assert!(report.contains("Connection refused"), "{report}");
    // The lease cannot be read either: it is not reported on.
    check("redis", "REDIS_URL", "redis://127.0.0.1:1", &["redis"]).await;
    let report = check(
        "telegram",
        "TELEGRAM_API_URL",
        "http://127.0.0.1:1",
        &["telegram"],
    )
    .await;
    assert!(report.contains("Telegram is unreachable"), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn check_warns_of_a_webhook_left_set_in_polling_mode() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let setup = everything_up("webhook", &redis_url, &server)
        .await
        .with("WEBHOOK_URL", "https://bot.example.com/hook");
    let run = setup.bot(&["webhook", "set"]).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);

    let run = setup.bot(&["check"]).await;
    assert_eq!(
        run.status,
        Some(0),
        "a warning is no failure:\n{}",
        run.stdout
    );
    let webhook = line(&run, "webhook").unwrap();
    assert!(
        webhook.starts_with("WARN ")
            && webhook.contains("https://bot.example.com/hook")
            && webhook.contains("leader-polling"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("0 failed, 1 warnings\n"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_warns_of_answers_a_stopped_instance_left_unsent() {
    use vitrina_update_source::{Opened, Outgoing, UpdateId, UpdateJournal as _};

    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let server = FakeBotApi::start(Config::default()).await.unwrap();
    let setup = everything_up("outbox", &redis_url, &server).await;
    let url = format!("sqlite://{}", setup.dir.path().join("vitrina.db").display());
    let db = vitrina_storage::Db::connect(&url).await.unwrap();
    // An instance handled update 1 and died before sending its two answers: their lock lapsed.
    let Ok(Opened::New(handling)) = db.open(UpdateId::new(1), None, 0).await else {
        panic!("update 1 is new");
    };
    let answer = Outgoing {
        chat: Some(5),
        payload: "{}".to_owned(),
    };
    db.commit(handling, UpdateId::new(1), &[answer.clone(), answer], 1)
        .await
        .unwrap();

    let run = setup.bot(&["check"]).await;
    assert_eq!(
        run.status,
        Some(0),
        "a warning is no failure:\n{}",
        run.stdout
    );
    let found = line(&run, "outbox").unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(
        found,
        "WARN outbox: 2 answers left unsent by a stopped instance: a running `bot run` sends them"
    );
}
