//! Leader mode with real processes: several `bot run` instances sharing one database, a real
//! Redis and the Bot API double. Which instance leads is read from the lease value (its
//! pid); whether two poll at once, from the double's count of getUpdates in flight.
//!
//! Timing bounds are the stated ones plus [`SLACK`], and only upper bounds: a loaded
//! two-core machine is slow at times, never early.
#![allow(clippy::unwrap_used)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use deadpool_redis::redis;
use vitrina_fake_bot_api::{Config, FakeBotApi, Handle, LOAD_USER_BASE, RunningServer};
use vitrina_redis_lease::LeaseValue;
use vitrina_testkit::process::{self, Process};
use vitrina_testkit::{net, services};

/// A `bot run` process; killed when dropped, so that a failed test leaves none behind.
type Bot = Process;

const TTL_SECS: u64 = 5;
const TTL: Duration = Duration::from_secs(TTL_SECS);
/// Added to every stated bound.
const SLACK: Duration = Duration::from_secs(3);
const WAIT: Duration = Duration::from_secs(30);

/// The double, a database, a lease key of its own, and `bot` processes started on them.
struct Cluster {
    server: RunningServer,
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    redis_url: String,
    key: String,
    started: usize,
}

impl Cluster {
    /// `name` makes the ENVIRONMENT, hence the lease key, unique to the test.
    async fn new(name: &str, redis_url: &str) -> Cluster {
        let server = FakeBotApi::start(Config::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let environment = format!("test-leader-{name}-{}", std::process::id());
        let database = format!("sqlite://{}", dir.path().join("vitrina.db").display());
        let env: Vec<(String, String)> = [
            ("BOT_TOKEN", server.token().to_owned()),
            ("TELEGRAM_API_URL", server.base_url()),
            ("DATABASE_URL", database),
            ("REDIS_URL", redis_url.to_owned()),
            ("ENVIRONMENT", environment.clone()),
            ("ENABLE_POLLING_LEADER_LOCK", "1".to_owned()),
            ("POLLING_LEADER_LOCK_TTL", TTL_SECS.to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_owned()),
            ("TELEGRAM_RATE_PER_SECOND", "100000".to_owned()),
            ("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "1000".to_owned()),
            ("RUST_LOG", "info".to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        let cluster = Cluster {
            server,
            dir,
            env,
            redis_url: redis_url.to_owned(),
            key: format!("{environment}:bot:polling:leader"),
            started: 0,
        };
        // Once, before the instances start, so that they do not all migrate at once.
        let status = cluster
            .command(&["migrate"], &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        cluster
    }

    fn api(&self) -> &Handle {
        self.server.handle()
    }

    fn command(&self, args: &[&str], extra: &[(&str, &str)]) -> Command {
        let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), self.dir.path());
        command.args(args);
        command.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        command.envs(extra.iter().copied());
        command
    }

    /// Starts `bot run` with the cluster's environment and `extra`.
    fn start(&mut self, extra: &[(&str, &str)]) -> Bot {
        self.started += 1;
        let log = self.dir.path().join(format!("bot-{}.log", self.started));
        Process::spawn(self.command(&["run"], extra), log)
    }

    /// The pid named by the lease; `None` when it is free or Redis does not answer.
    async fn holder_pid(&self) -> Option<u32> {
        let value = get(&self.redis_url, &self.key).await?;
        LeaseValue::parse(&value).map(|value| value.instance.pid())
    }

    /// Waits until one of `candidates` holds the lease and a getUpdates is in flight; that
    /// instance's pid.
    async fn wait_for_polling_leader(&self, candidates: &[&Bot], within: Duration) -> u32 {
        let pids: Vec<u32> = candidates.iter().map(|bot| bot.pid()).collect();
        let deadline = Instant::now() + within;
        loop {
            if let Some(pid) = self.holder_pid().await
                && pids.contains(&pid)
                && self.api().stats().get_updates_in_flight >= 1
            {
                return pid;
            }
            if Instant::now() >= deadline {
                let logs: Vec<String> = candidates
                    .iter()
                    .map(|bot| format!("pid {}:\n{}", bot.pid(), bot.log()))
                    .collect();
                panic!(
                    "none of {pids:?} polls within {within:?}; the lease names {:?}; {:?}\n{}",
                    self.holder_pid().await,
                    self.api().stats(),
                    logs.join("\n")
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Each of `users` sends /start once; each gets one answer, the language picker.
    async fn each_answered(&self, users: std::ops::Range<i64>) {
        for user in users.clone() {
            self.api().send_text(user, "/start").await;
        }
        for user in users {
            self.api()
                .wait_for_bot_messages(user, 1, WAIT)
                .await
                .unwrap();
        }
        // Confirmed too: the next getUpdates confirms a batch only once it was handled to
        // the end, its journal entries included.
        self.api()
            .wait_for_stats(|stats| stats.pending_updates == 0, WAIT)
            .await
            .unwrap();
    }

    /// No chat of `users` was answered more than once.
    fn answered_once(&self, users: std::ops::Range<i64>) {
        for user in users {
            let chat = self.api().chat(user);
            assert_eq!(chat.bot_messages().count(), 1, "{chat}");
        }
    }

    /// Watches the double until `until`; the last instant a getUpdates was seen in flight or
    /// starting.
    async fn last_poll_before(&self, until: Instant) -> Instant {
        let mut last = Instant::now();
        let mut seen = self.api().stats().calls_of("getUpdates");
        while Instant::now() < until {
            let stats = self.api().stats();
            if stats.get_updates_in_flight > 0 || stats.calls_of("getUpdates") != seen {
                last = Instant::now();
                seen = stats.calls_of("getUpdates");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        last
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // The shared Redis keeps no key of a finished test, the fencing counter included.
        if let Ok(client) = redis::Client::open(self.redis_url.as_str())
            && let Ok(mut conn) = client.get_connection_with_timeout(Duration::from_secs(1))
        {
            let fencing = self.key.replace(":leader", ":fencing");
            let _: Result<i64, _> = redis::cmd("DEL")
                .arg(&self.key)
                .arg(fencing)
                .query(&mut conn);
        }
    }
}

/// GET `key`; `None` when missing or when Redis does not answer within a second.
async fn get(url: &str, key: &str) -> Option<String> {
    let query = async {
        let client = redis::Client::open(url).ok()?;
        let mut conn = client.get_multiplexed_async_connection().await.ok()?;
        redis::cmd("GET")
            .arg(key)
            .query_async::<Option<String>>(&mut conn)
            .await
            .ok()?
    };
    tokio::time::timeout(Duration::from_secs(1), query)
        .await
        .ok()
        .flatten()
}

#[tokio::test(flavor = "multi_thread")]
async fn one_instance_polls_through_kill_stop_and_preemption() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let mut cluster = Cluster::new("handover", &redis_url).await;
    let mut bots = vec![cluster.start(&[]), cluster.start(&[]), cluster.start(&[])];
    let leader = cluster
        .wait_for_polling_leader(&bots.iter().collect::<Vec<_>>(), WAIT)
        .await;
    cluster.each_answered(1..6).await;

    // SIGKILL: the lease is left to expire; a standby takes it within one ttl (and the
    // second between its tries).
    let killed = bots.iter().position(|bot| bot.pid() == leader).unwrap();
    let mut bot = bots.remove(killed);
    bot.signal("KILL");
    let at = Instant::now();
    let leader = cluster
        .wait_for_polling_leader(
            &bots.iter().collect::<Vec<_>>(),
            TTL + Duration::from_secs(1) + SLACK,
        )
        .await;
    eprintln!("after SIGKILL, another polled in {:?}", at.elapsed());
    bot.wait_exit(WAIT).await;
    cluster.each_answered(6..11).await;

    // SIGTERM: the lease is released on the way out; the standby takes it at its next try.
    let stopped = bots.iter().position(|bot| bot.pid() == leader).unwrap();
    let mut bot = bots.remove(stopped);
    bot.signal("TERM");
    let at = Instant::now();
    let leader = cluster
        .wait_for_polling_leader(
            &bots.iter().collect::<Vec<_>>(),
            Duration::from_secs(1) + SLACK,
        )
        .await;
    eprintln!("after SIGTERM, another polled in {:?}", at.elapsed());
    assert_eq!(bot.wait_exit(WAIT).await, Some(0), "{}", bot.log());
    assert!(
        bot.log().contains("polling lease released"),
        "{}",
        bot.log()
    );
    cluster.each_answered(11..16).await;

    // PREEMPT_LEADER=1: the newcomer takes the lease at once; the old leader learns at its
    // next renewal and stands by.
    let old = bots.iter().find(|bot| bot.pid() == leader).unwrap();
    let newcomer = cluster.start(&[("PREEMPT_LEADER", "1")]);
    newcomer
        .wait_for_log("took the polling lease over", WAIT)
        .await;
    assert_eq!(cluster.holder_pid().await, Some(newcomer.pid()));
    old.wait_for_log("standing by: the polling lease was lost", TTL + SLACK)
        .await;
    cluster.each_answered(16..21).await;

    let stats = cluster.api().stats();
    assert_eq!(
        stats.peak_get_updates_in_flight, 1,
        "two instances polled at once: {stats:?}"
    );
    assert_eq!(stats.conflicts, 0, "{stats:?}");
    cluster.answered_once(1..21);

    bots.push(newcomer);
    for bot in &bots {
        bot.signal("TERM");
    }
    for bot in &mut bots {
        assert_eq!(bot.wait_exit(WAIT).await, Some(0), "{}", bot.log());
    }
    assert_eq!(
        cluster.holder_pid().await,
        None,
        "the last one out released the lease"
    );
    assert_eq!(cluster.api().stats().pending_updates, 0);
}

/// A redis-server of the test's own, on a free port, that can be stopped and restarted
/// without touching the machine's.
struct PrivateRedis {
    port: u16,
    child: Child,
}

impl PrivateRedis {
    async fn start(port: Option<u16>) -> PrivateRedis {
        let port = port.unwrap_or_else(net::free_port);
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        let redis = PrivateRedis { port, child };
        let deadline = Instant::now() + WAIT;
        while !redis.answers().await {
            assert!(Instant::now() < deadline, "redis-server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        redis
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn answers(&self) -> bool {
        let ping = async {
            let client = redis::Client::open(self.url()).ok()?;
            let mut conn = client.get_multiplexed_async_connection().await.ok()?;
            redis::cmd("PING")
                .query_async::<String>(&mut conn)
                .await
                .ok()
        };
        tokio::time::timeout(Duration::from_secs(1), ping)
            .await
            .ok()
            .flatten()
            .is_some()
    }

    fn kill(mut self) -> u16 {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.port
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // Continued first, in case the test stopped it.
            let _ = Command::new("kill")
                .args(["-CONT", &self.child.id().to_string()])
                .status();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits for a renewal of `key` to have just landed (its time to live jumps up), so that
/// none is due for a while; the instant the lease then expires unless renewed again.
async fn right_after_a_renewal(url: &str, key: &str) -> Instant {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let mut previous: i64 = redis::cmd("PTTL")
        .arg(key)
        .query_async(&mut conn)
        .await
        .unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        let asked = Instant::now();
        let left: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        if left > previous + 300 {
            return asked + Duration::from_millis(u64::try_from(left).unwrap());
        }
        previous = left;
        assert!(Instant::now() < deadline, "the lease is not renewed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_leader_cut_off_from_redis_stops_polling_before_its_lease_ends() {
    if services::redis_url().is_none() {
        return;
    }
    let redis = PrivateRedis::start(None).await;
    let mut cluster = Cluster::new("outage", &redis.url()).await;
    let bots = [cluster.start(&[]), cluster.start(&[])];
    let both = [&bots[0], &bots[1]];
    let leader = cluster.wait_for_polling_leader(&both, WAIT).await;
    cluster.each_answered(1..4).await;

    // Redis hangs (SIGSTOP) right after a renewal: the leader's next renewals time out,
    // and it stops polling before the lease it last renewed can have expired.
    let expiry = right_after_a_renewal(&redis.url(), &cluster.key).await;
    process::signal(redis.child.id(), "STOP");
    let last_poll = cluster.last_poll_before(expiry + SLACK).await;
    assert!(
        last_poll < expiry,
        "polling went on {:?} past the end of the lease",
        last_poll - expiry
    );
    let leading = bots.iter().find(|bot| bot.pid() == leader).unwrap();
    assert!(
        leading.log().contains("could not be renewed in time"),
        "{}",
        leading.log()
    );

    // Redis answers again; the lease has expired: one instance takes it and polls.
    process::signal(redis.child.id(), "CONT");
    cluster.wait_for_polling_leader(&both, TTL + SLACK).await;
    cluster.each_answered(4..7).await;

    // Redis dies: polling stops within the lease; it comes back empty: one leader again.
    let port = redis.kill();
    let at = Instant::now();
    let last_poll = cluster.last_poll_before(at + TTL + SLACK).await;
    assert!(
        last_poll < at + TTL,
        "polling went on {:?} after Redis died",
        last_poll - at
    );
    let redis = PrivateRedis::start(Some(port)).await;
    cluster.wait_for_polling_leader(&both, TTL + SLACK).await;
    cluster.each_answered(7..10).await;

    let stats = cluster.api().stats();
    assert_eq!(
        stats.peak_get_updates_in_flight, 1,
        "two instances polled at once: {stats:?}"
    );
    cluster.answered_once(1..10);
    drop(bots);
    drop(redis);
}

/// Chats the bot handles at once (`CHATS_IN_PARALLEL` of `bot run`).
const CHATS_IN_PARALLEL: usize = 16;

/// Messages from each user of the load.
const PER_USER: usize = 20;
const USERS: usize = 100;

/// How many messages the bot sent to the users of the load.
fn load_answers(api: &Handle) -> usize {
    (0..USERS)
        .map(|user| {
            api.chat(LOAD_USER_BASE + i64::try_from(user).unwrap())
                .bot_messages()
                .count()
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_leader_killed_in_a_backlog_loses_nothing_and_repeats_at_most_the_answers_in_flight() {
    let Some(redis_url) = services::redis_url() else {
        return;
    };
    let mut cluster = Cluster::new("backlog", &redis_url).await;
    let ids = cluster
        .api()
        .inject_text_load(PER_USER * USERS, USERS)
        .await;
    assert_eq!(ids.len(), 2_000);
    let first = cluster.start(&[]);

    // SIGKILL in the middle of the backlog, with batches in hand.
    let deadline = Instant::now() + Duration::from_secs(120);
    while load_answers(cluster.api()) < 350 {
        assert!(Instant::now() < deadline, "{}", first.log());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.signal("KILL");
    let done_before = load_answers(cluster.api());
    drop(first);

    let second = cluster.start(&[]);
    let complete = PER_USER * USERS;
    let deadline = Instant::now() + Duration::from_secs(240);
    while load_answers(cluster.api()) < complete || cluster.api().stats().pending_updates > 0 {
        assert!(
            Instant::now() < deadline,
            "{} of {complete} answered, {} pending:\n{}",
            load_answers(cluster.api()),
            cluster.api().stats().pending_updates,
            second.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Answers that were on their way when the leader died stay queued until their lock
    // lapses; then the next leader's courier sends them (again) and strikes them off.
    let database = cluster
        .env
        .iter()
        .find_map(|(name, value)| (name == "DATABASE_URL").then_some(value.clone()))
        .unwrap();
    let db = vitrina_storage::Db::connect(&database).await.unwrap();
    while !matches!(db.queued_messages().await, Ok(0)) {
        assert!(
            Instant::now() < deadline,
            "the outbox never emptied:\n{}",
            second.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Anything repeated would show up now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Nothing lost: every message answered. Nothing handled twice: an update is recorded in
    // the transaction that queues its answer, so the next leader skips the ones handled
    // before. Repeated: at most the answers that were on their way to Telegram when the
    // process died (sent, but not yet struck from the outbox) — one per chat in hand.
    let mut unanswered = Vec::new();
    let mut repeated = 0;
    for user in 0..USERS {
        let chat = cluster
            .api()
            .chat(LOAD_USER_BASE + i64::try_from(user).unwrap());
        let asked = chat.messages.iter().filter(|m| !m.from_bot).count();
        let answered = chat.bot_messages().count();
        assert_eq!(asked, PER_USER, "chat {}", chat.user_id);
        if answered < asked {
            unanswered.push(format!(
                "chat {}: {asked} asked, {answered} answered",
                chat.user_id
            ));
        }
        repeated += answered.saturating_sub(asked);
    }
    assert!(
        unanswered.is_empty(),
        "killed after {done_before} answers; every message must be answered:\n{}",
        unanswered.join("\n")
    );
    assert!(
        repeated <= CHATS_IN_PARALLEL,
        "killed after {done_before} answers; {repeated} answers repeated, more than the \
         {CHATS_IN_PARALLEL} that can be on their way at once"
    );
    assert_eq!(cluster.api().stats().pending_updates, 0);
}
