//! Webhook mode through the real `bot` binary, with the Bot API double delivering to it: the
//! webhook set once for any number of instances, answers, the secret, a database outage
//! answered with 503 until it ends, and two instances sharing one PostgreSQL behind a
//! round-robin balancer.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};
use vitrina_fake_bot_api::{ChatView, Config, FakeBotApi, Handle, RunningServer};
use vitrina_i18n::{Catalog, Locale};
use vitrina_testkit::net::free_port;
use vitrina_testkit::postgres::TestSchema;
use vitrina_testkit::process::{self, Process};

const WAIT: Duration = Duration::from_secs(30);
const SECRET: &str = "webhook_secret-0123";
const PATH: &str = "/bot/webhook";

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// One `bot run` process in webhook mode; killed if still running when dropped.
struct Bot {
    process: Process,
    http: SocketAddr,
}

impl Bot {
    /// Starts `bot run` serving on `http`, registered (or finding registered) `webhook_port`.
    fn start(
        dir: &Path,
        name: &str,
        api: &RunningServer,
        http: SocketAddr,
        webhook_port: u16,
        database_url: &str,
    ) -> Bot {
        let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
        command.arg("run").envs([
            ("BOT_TOKEN", api.token().to_owned()),
            ("TELEGRAM_API_URL", api.base_url()),
            ("DISABLE_POLLING", "1".to_owned()),
            (
                "WEBHOOK_URL",
                format!("http://127.0.0.1:{webhook_port}{PATH}"),
            ),
            ("WEBHOOK_SECRET", SECRET.to_owned()),
            ("HTTP_ADDR", http.to_string()),
            ("DATABASE_URL", database_url.to_owned()),
            ("RUST_LOG", "info".to_owned()),
        ]);
        let process = Process::spawn(command, dir.join(format!("{name}.log")));
        Bot { process, http }
    }

    fn log(&self) -> String {
        self.process.log()
    }

    /// Waits until the server answers `/healthz`: the webhook is registered by then, because
    /// the server only serves once that is done.
    async fn wait_serving(&mut self) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.process.exited() {
                panic!("the bot exited with {status}:\n{}", self.log());
            }
            if let Ok((200, _)) = http(self.http, "GET", "/healthz", None, "").await {
                return;
            }
            assert!(Instant::now() < deadline, "never served:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        http(self.http, "GET", path, None, "").await.unwrap()
    }

    /// The value of a sample in `/metrics`.
    async fn metric(&self, series: &str) -> f64 {
        let (_, text) = self.get("/metrics").await;
        text.lines()
            .find_map(|line| {
                let (name, value) = line.rsplit_once(' ')?;
                (name == series).then(|| value.parse().ok()).flatten()
            })
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    }

    /// Updates handled as messages or button presses.
    async fn handled(&self) -> f64 {
        self.metric("vitrina_updates_total{kind=\"message\"}").await
            + self
                .metric("vitrina_updates_total{kind=\"callback_query\"}")
                .await
    }

    /// SIGTERM, then the exit status.
    async fn terminate(mut self) -> i32 {
        self.process.signal("TERM");
        self.process.wait_exit(WAIT).await.unwrap_or(-1)
    }
}

/// One HTTP/1.1 request on a fresh connection: the status and the body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let secret = secret
        .map(|secret| format!("X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n{secret}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = String::new();
    tokio::time::timeout(WAIT, stream.read_to_string(&mut answer))
        .await
        .map_err(|_| std::io::Error::other("no answer"))??;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not HTTP: {answer:?}")))?;
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// A TCP proxy the test owns: to one target it stands for a server that can be stopped and
/// started again; to several it is a round-robin balancer, one connection each in turn.
struct Proxy {
    addr: SocketAddr,
    targets: Vec<SocketAddr>,
    next: Arc<AtomicUsize>,
    /// Connections forwarded to each target.
    forwarded: Arc<Vec<AtomicUsize>>,
    accepting: Option<AbortHandle>,
    connections: Arc<Mutex<JoinSet<()>>>,
}

impl Proxy {
    async fn start(targets: Vec<SocketAddr>) -> Proxy {
        let mut proxy = Proxy {
            addr: loopback(free_port()),
            forwarded: Arc::new(targets.iter().map(|_| AtomicUsize::new(0)).collect()),
            targets,
            next: Arc::new(AtomicUsize::new(0)),
            accepting: None,
            connections: Arc::new(Mutex::new(JoinSet::new())),
        };
        proxy.open().await;
        proxy
    }

    /// Listens again on the same address.
    async fn open(&mut self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        let (targets, next, forwarded, connections) = (
            self.targets.clone(),
            Arc::clone(&self.next),
            Arc::clone(&self.forwarded),
            Arc::clone(&self.connections),
        );
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let index = next.fetch_add(1, Ordering::SeqCst) % targets.len();
                forwarded[index].fetch_add(1, Ordering::SeqCst);
                let target = targets[index];
                connections.lock().unwrap().spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        self.accepting = Some(accepting.abort_handle());
    }

    /// Stops listening and cuts every connection, as a server that went down.
    fn close(&mut self) {
        if let Some(accepting) = self.accepting.take() {
            accepting.abort();
        }
        self.connections.lock().unwrap().abort_all();
    }

    fn forwarded(&self, target: usize) -> usize {
        self.forwarded[target].load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.close();
    }
}

/// The server's address in a PostgreSQL URL (`postgres://user@host:port/db…`).
fn server_of(url: &str) -> SocketAddr {
    let authority = authority(url);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let with_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    let with_port = with_port.replace("localhost", "127.0.0.1");
    with_port.parse().unwrap()
}

/// `url` with the server replaced by `addr`.
fn url_via(url: &str, addr: SocketAddr) -> String {
    let authority = authority(url);
    let replaced = match authority.rsplit_once('@') {
        Some((user, _)) => format!("{user}@{addr}"),
        None => addr.to_string(),
    };
    url.replacen(authority, &replaced, 1)
}

fn authority(url: &str) -> &str {
    let rest = url.split_once("://").unwrap().1;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    &rest[..end]
}

async fn fake_api() -> RunningServer {
    FakeBotApi::start(Config::default()).await.unwrap()
}

/// Waits until everything sent so far was delivered and confirmed.
async fn settle(api: &Handle) {
    api.wait_for_stats(|stats| stats.pending_updates == 0, WAIT)
        .await
        .unwrap();
}

fn last_text(chat: &ChatView) -> String {
    chat.last_bot_message()
        .map(|message| message.body().to_owned())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_webhook_is_set_once_updates_are_answered_and_the_secret_is_enforced() {
    let api = fake_api().await;
    let fake = api.handle();
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("vitrina.db").display());
    let port = free_port();
    let mut first = Bot::start(dir.path(), "first", &api, loopback(port), port, &database);
    first.wait_serving().await;
    let hook = fake.webhook().expect("the webhook is set");
    assert_eq!(hook.url, format!("http://127.0.0.1:{port}{PATH}"));
    assert_eq!(hook.secret_token.as_deref(), Some(SECRET));
    assert_eq!(
        hook.allowed_updates,
        ["message", "callback_query", "inline_query"]
    );
    assert_eq!(fake.stats().calls_of("setWebhook"), 1);

    // A second instance behind the same URL finds the webhook set and leaves it alone.
    let mut second = Bot::start(
        dir.path(),
        "second",
        &api,
        loopback(free_port()),
        port,
        &database,
    );
    second.wait_serving().await;
    let stats = fake.stats();
    assert_eq!(stats.calls_of("setWebhook"), 1, "{}", second.log());
    assert_eq!(stats.calls_of("getWebhookInfo"), 2);

    // People are answered.
    fake.send_command(5, "start").await;
    let chat = fake.wait_for_bot_messages(5, 1, WAIT).await.unwrap();
    assert!(
        chat.last_bot_message()
            .unwrap()
            .button_labels()
            .contains(&"🇷🇺 Русский"),
        "{chat}"
    );
    settle(fake).await;
    assert_eq!(fake.stats().webhook_failures, 0);
    assert_eq!(first.handled().await, 1.0);

    // A press is answered in the webhook's answer, not by a request of its own.
    fake.press_inline_button(5, "🇷🇺 Русский").await.unwrap();
    let stats = fake
        .wait_for_stats(|stats| stats.webhook_replies == 1, WAIT)
        .await
        .unwrap_or_else(|_| panic!("{}", first.log()));
    assert_eq!(stats.webhook_reply_failures, 0);
    assert_eq!(stats.calls_of("answerCallbackQuery"), 1);
    assert_eq!(
        first
            .metric(
                "vitrina_bot_api_calls_total{method=\"answerCallbackQuery\",outcome=\"webhook_reply\"}"
            )
            .await,
        1.0
    );
    settle(fake).await;
    assert_eq!(first.handled().await, 2.0);

    // Only Telegram knows the secret.
    let update = r#"{"update_id": 424242, "edited_message": {}}"#;
    let cases: [(Option<&str>, u16); 4] = [
        (None, 401),
        (Some("webhook_secret-0124"), 401),
        (Some(""), 401),
        (Some(SECRET), 200),
    ];
    for (secret, status) in cases {
        let (got, body) = http(first.http, "POST", PATH, secret, update)
            .await
            .unwrap();
        assert_eq!(got, status, "{secret:?}: {body}");
    }
    let (status, body) = http(first.http, "POST", PATH, Some(SECRET), "{}")
        .await
        .unwrap();
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        first
            .metric("vitrina_updates_total{kind=\"skipped\"}")
            .await,
        1.0
    );
    let (status, ready) = first.get("/readyz").await;
    assert_eq!(
        (status, ready.as_str()),
        (200, "ready\nrole: webhook\ndatabase: ok\n")
    );
    assert!(
        first
            .metric("vitrina_bot_api_calls_total{method=\"sendMessage\",outcome=\"ok\"}")
            .await
            >= 1.0
    );

    // A stop leaves the webhook to the instances still serving it.
    assert_eq!(first.terminate().await, 0);
    assert_eq!(second.terminate().await, 0);
    assert_eq!(fake.stats().calls_of("deleteWebhook"), 0);
    assert!(fake.webhook().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn while_the_database_is_down_updates_get_503_and_are_answered_once_it_is_back() {
    let Some(schema) = TestSchema::create("webhook_outage").await else {
        return;
    };
    let api = fake_api().await;
    let fake = api.handle();
    let dir = tempfile::tempdir().unwrap();
    let mut database = Proxy::start(vec![server_of(schema.url())]).await;
    let port = free_port();
    let mut bot = Bot::start(
        dir.path(),
        "bot",
        &api,
        loopback(port),
        port,
        &url_via(schema.url(), database.addr),
    );
    bot.wait_serving().await;
    fake.send_command(5, "start").await;
    fake.wait_for_bot_messages(5, 1, WAIT).await.unwrap();
    settle(fake).await;

    database.close();
    let (status, ready) = bot.get("/readyz").await;
    assert_eq!(status, 503, "{ready}");
    assert!(ready.contains("database: failed"), "{ready}");
    let failures = fake.stats().webhook_failures;
    fake.send_command(5, "start").await;
    fake.wait_for_stats(|stats| stats.webhook_failures >= failures + 2, WAIT)
        .await
        .unwrap();
    assert_eq!(fake.chat(5).bot_messages().count(), 1, "{}", fake.chat(5));
    assert_eq!(fake.stats().pending_updates, 1);
    assert!(
        bot.metric("vitrina_handler_errors_total{error=\"unavailable\"}")
            .await
            >= 2.0
    );

    database.open().await;
    settle(fake).await;
    let chat = fake.chat(5);
    assert_eq!(
        chat.bot_messages().count(),
        2,
        "answered exactly once:\n{chat}"
    );
    assert_eq!(bot.get("/readyz").await.0, 200);
    assert_eq!(bot.handled().await, 2.0);

    assert_eq!(bot.terminate().await, 0);
    schema.drop_now().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_behind_a_balancer_share_the_load_and_the_dialogs() {
    let Some(schema) = TestSchema::create("webhook_balanced").await else {
        return;
    };
    let api = fake_api().await;
    let fake = api.handle();
    let dir = tempfile::tempdir().unwrap();
    let (port_a, port_b) = (free_port(), free_port());
    let balancer = Proxy::start(vec![loopback(port_a), loopback(port_b)]).await;
    let public = balancer.addr.port();
    let mut a = Bot::start(
        dir.path(),
        "a",
        &api,
        loopback(port_a),
        public,
        schema.url(),
    );
    a.wait_serving().await;
    let mut b = Bot::start(
        dir.path(),
        "b",
        &api,
        loopback(port_b),
        public,
        schema.url(),
    );
    b.wait_serving().await;
    assert_eq!(fake.stats().calls_of("setWebhook"), 1);

    // A partner goes through the first steps of the card wizard; each step's update goes to
    // the other instance than the step before, so each continues the other's dialog.
    let catalog = Catalog::load().unwrap();
    let en = |key: &str| catalog.text(Locale::En, key);
    let partner = 77;
    let _ = fake.user(partner).with_language("en");
    let mut updates: u64 = 0;
    let mut step = async |action: &str, expected: &str| {
        match action.strip_prefix('/') {
            Some(command) => {
                fake.send_command(partner, command).await;
            }
            None if action.starts_with("reply:") => {
                fake.press_reply_button(partner, &action["reply:".len()..])
                    .await
                    .unwrap();
            }
            None if action.starts_with("inline:") => {
                fake.press_inline_button(partner, &action["inline:".len()..])
                    .await
                    .unwrap();
            }
            None => {
                fake.send_text(partner, action).await;
            }
        }
        updates += 1;
        settle(fake).await;
        let chat = fake.chat(partner);
        assert!(
            last_text(&chat).contains(expected),
            "after {action:?}, expected {expected:?}:\n{chat}"
        );
    };
    step("/start", "").await;
    step(&format!("inline:{}", Locale::En.picker_label()), "").await;
    step(&format!("inline:{}", en("btn-accept-policy")), "").await;
    step(&format!("reply:{}", en("btn-cabinet")), "").await;
    step(
        &format!("reply:{}", en("btn-become-partner")),
        &en("wizard-city"),
    )
    .await;
    step(
        &format!("inline:{}", en("city-da-nang")),
        &en("wizard-area"),
    )
    .await;
    step(
        &format!("inline:{}", en("area-da-nang-coast")),
        &en("wizard-category"),
    )
    .await;
    step(
        &format!("inline:{}", en("category-restaurants")),
        &en("wizard-subcategory"),
    )
    .await;
    step(
        &format!("inline:{}", en("subcategory-restaurants-street-food")),
        &en("wizard-title"),
    )
    .await;
    step("Sea Breeze", &en("wizard-description")).await;

    // Each update was delivered once, handled once, and both instances took their share.
    let stats = fake.stats();
    assert_eq!(stats.webhook_failures, 0, "{stats:?}");
    assert_eq!(stats.webhook_deliveries, updates, "{stats:?}");
    let (handled_a, handled_b) = (a.handled().await, b.handled().await);
    assert_eq!(handled_a + handled_b, updates as f64);
    assert!(
        handled_a >= 4.0 && handled_b >= 4.0,
        "{handled_a} / {handled_b}"
    );
    assert!(balancer.forwarded(0) >= 4 && balancer.forwarded(1) >= 4);
    for bot in [&a, &b] {
        assert_eq!(
            bot.metric("vitrina_updates_total{kind=\"duplicate\"}")
                .await,
            0.0
        );
    }

    assert_eq!(a.terminate().await, 0);
    assert_eq!(b.terminate().await, 0);
    schema.drop_now().await;
}
