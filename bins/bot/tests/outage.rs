//! PostgreSQL stopped and started again, several times, under steady traffic: a webhook
//! instance and a polling instance of the real `bot` binary, each with a Bot API double of its
//! own, on a private PostgreSQL cluster this test starts (and stops) itself. Every update is
//! answered, and answered once: none lost, none repeated while the instances stay alive —
//! even the answers sent while the database was going away, whose removal from the outbox
//! failed and whose locks lapsed before it came back.
//!
//! Skips, saying why, when TEST_DATABASE_URL is unset or the PostgreSQL server binaries
//! (`/usr/lib/postgresql/*/bin/initdb`, `pg_ctl`) are absent.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vitrina_fake_bot_api::{Config, FakeBotApi, Fault, Handle, RunningServer};
use vitrina_testkit::cluster::PrivateCluster;
use vitrina_testkit::net::free_port;

const WAIT: Duration = Duration::from_secs(60);
const SECRET: &str = "outage_secret-0123";
const OUTAGES: usize = 3;
/// Longer than the outbox lock (20 s) and a renewal: the locks of the answers in hand lapse.
const OUTAGE: Duration = Duration::from_secs(26);
const USERS: i64 = 8;
/// One update every this long to each instance.
const PACE: Duration = Duration::from_millis(200);

/// One `bot run`; killed if still running when dropped.
struct Bot {
    child: Child,
    log: PathBuf,
}

impl Bot {
    fn start(dir: &Path, name: &str, env: &[(&str, String)]) -> Bot {
        let log = dir.join(format!("{name}.log"));
        let mut command = Command::new(env!("CARGO_BIN_EXE_bot"));
        command.arg("run").current_dir(dir).env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            command.env("PATH", path);
        }
        let child = command
            .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Bot { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn assert_alive(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("the bot exited with {status}:\n{}", self.log());
        }
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> i32 {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success(), "kill -TERM: {killed}");
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `/start` from the users in turn, one every [`PACE`], until `stop`; counts the
/// updates sent to each.
async fn traffic(api: Handle, first_user: i64, stop: Arc<AtomicBool>) -> BTreeMap<i64, usize> {
    let mut sent = BTreeMap::new();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        let user = first_user + n % USERS;
        api.send_command(user, "start").await;
        *sent.entry(user).or_insert(0) += 1;
        n += 1;
        tokio::time::sleep(PACE).await;
    }
    sent
}

/// Lost and repeated answers: each `/start` of a person without a language is answered with
/// one message, the language picker.
fn tally(api: &Handle, sent: &BTreeMap<i64, usize>) -> (usize, usize, String) {
    let (mut lost, mut repeated, mut report) = (0, 0, String::new());
    for (user, updates) in sent {
        let answers = api.chat(*user).bot_messages().count();
        lost += updates.saturating_sub(answers);
        repeated += answers.saturating_sub(*updates);
        if answers != *updates {
            report.push_str(&format!(
                "user {user}: {updates} updates, {answers} answers\n"
            ));
        }
    }
    (lost, repeated, report)
}

/// Holds up the next answers of `api` in Telegram for two seconds each, and waits until they
/// are held: the database then goes away while they are being sent.
async fn hold_answers(api: &Handle) {
    let before = api.stats().calls_of("sendMessage");
    api.fail_next("sendMessage", 2, Fault::TooManyRequests { retry_after: 2 });
    api.wait_for_stats(|stats| stats.calls_of("sendMessage") >= before + 2, WAIT)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_are_neither_lost_nor_repeated_when_postgres_restarts_under_traffic() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let Some(cluster) = PrivateCluster::init() else {
        return;
    };
    cluster.start("");
    cluster.create_database("webhook");
    cluster.create_database("polling");
    let dir = tempfile::tempdir().unwrap();
    let hooked: RunningServer = FakeBotApi::start(Config::default()).await.unwrap();
    let polled: RunningServer = FakeBotApi::start(Config::default()).await.unwrap();

    let port = free_port();
    let http = SocketAddr::from(([127, 0, 0, 1], port));
    let mut webhook = Bot::start(
        dir.path(),
        "webhook",
        &[
            ("BOT_TOKEN", hooked.token().to_owned()),
            ("TELEGRAM_API_URL", hooked.base_url()),
            ("DATABASE_URL", cluster.url("webhook", "")),
            ("DISABLE_POLLING", "1".to_owned()),
            ("WEBHOOK_URL", format!("http://{http}/bot/webhook")),
            ("WEBHOOK_SECRET", SECRET.to_owned()),
            ("HTTP_ADDR", http.to_string()),
        ],
    );
    let mut polling = Bot::start(
        dir.path(),
        "polling",
        &[
            ("BOT_TOKEN", polled.token().to_owned()),
            ("TELEGRAM_API_URL", polled.base_url()),
            ("DATABASE_URL", cluster.url("polling", "")),
            ("HTTP_ADDR", format!("127.0.0.1:{}", free_port())),
        ],
    );
    // Serving: the webhook is set, and the poller asks for updates.
    hooked
        .handle()
        .wait_for_stats(|stats| stats.calls_of("setWebhook") >= 1, WAIT)
        .await
        .unwrap_or_else(|_| panic!("no webhook:\n{}", webhook.log()));
    polled
        .handle()
        .wait_for_stats(|stats| stats.calls_of("getUpdates") >= 1, WAIT)
        .await
        .unwrap_or_else(|_| panic!("no polling:\n{}", polling.log()));

    let stop = Arc::new(AtomicBool::new(false));
    let to_webhook = tokio::spawn(traffic(hooked.handle().clone(), 1000, Arc::clone(&stop)));
    let to_polling = tokio::spawn(traffic(polled.handle().clone(), 2000, Arc::clone(&stop)));
    let outages = Mutex::new(0);
    for _ in 0..OUTAGES {
        tokio::time::sleep(Duration::from_secs(3)).await;
        tokio::join!(hold_answers(hooked.handle()), hold_answers(polled.handle()));
        cluster.stop();
        tokio::time::sleep(OUTAGE).await;
        cluster.restart();
        *outages.lock().unwrap() += 1;
        webhook.assert_alive();
        polling.assert_alive();
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, Ordering::SeqCst);
    let sent_to_webhook = to_webhook.await.unwrap();
    let sent_to_polling = to_polling.await.unwrap();

    // Everything delivered and confirmed, then time for any repeat to show.
    for api in [hooked.handle(), polled.handle()] {
        api.wait_for_stats(|stats| stats.pending_updates == 0, WAIT)
            .await
            .unwrap();
    }
    let deadline = tokio::time::Instant::now() + WAIT;
    while tally(hooked.handle(), &sent_to_webhook).0 + tally(polled.handle(), &sent_to_polling).0
        > 0
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(10)).await;

    let updates: usize = sent_to_webhook
        .values()
        .chain(sent_to_polling.values())
        .sum();
    for (name, api, sent, bot) in [
        ("webhook", hooked.handle(), &sent_to_webhook, &webhook),
        ("polling", polled.handle(), &sent_to_polling, &polling),
    ] {
        let (lost, repeated, report) = tally(api, sent);
        assert_eq!(
            (lost, repeated),
            (0, 0),
            "{name}: {lost} lost, {repeated} repeated of {updates} updates over {} outages:\n{report}\n{}",
            outages.lock().unwrap(),
            bot.log()
        );
    }
    // The held answers did meet an outage: their removal failed, and was done afterwards.
    let logs = format!("{}{}", webhook.log(), polling.log());
    assert!(
        logs.contains("could not strike a sent answer"),
        "no answer was in hand when the database went away:\n{logs}"
    );
    webhook.assert_alive();
    polling.assert_alive();
    assert_eq!(webhook.terminate(), 0);
    assert_eq!(polling.terminate(), 0);
}
