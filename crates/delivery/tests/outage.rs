//! The database goes away while an answer is being sent: the answer reaches Telegram, its
//! removal from the outbox fails, its lock lapses while the database is away — and when the
//! database is back, neither its sender nor another instance's courier sends it again.
//!
//! PostgreSQL goes away behind a TCP proxy the test closes; SQLite by another connection
//! holding the write lock for longer than the bot's busy timeout.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::SqliteConnection;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use vitrina_delivery::{Dispatcher, PollingConfig, poll};
use vitrina_dialog::{Dialog, Settings};
use vitrina_fake_bot_api::{Config, FakeBotApi, Fault, RunningServer};
use vitrina_i18n::Catalog;
use vitrina_storage::Db;
use vitrina_telegram::TelegramClient;

const WAIT: Duration = Duration::from_secs(30);
/// A lock short enough to lapse several times over during an outage.
const LOCK: Duration = Duration::from_millis(800);
const USER: i64 = 4100;

/// A TCP proxy in front of the PostgreSQL server, closed and opened again as the server
/// stopping and starting.
struct Proxy {
    addr: SocketAddr,
    target: SocketAddr,
    accepting: Option<AbortHandle>,
    connections: Arc<Mutex<JoinSet<()>>>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = free.local_addr().unwrap();
        drop(free);
        let mut proxy = Proxy {
            addr,
            target,
            accepting: None,
            connections: Arc::new(Mutex::new(JoinSet::new())),
        };
        proxy.open().await;
        proxy
    }

    async fn open(&mut self) {
        let listener = TcpListener::bind(self.addr).await.unwrap();
        let (target, connections) = (self.target, Arc::clone(&self.connections));
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                connections.lock().unwrap().spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        self.accepting = Some(accepting.abort_handle());
    }

    fn close(&mut self) {
        if let Some(accepting) = self.accepting.take() {
            accepting.abort();
        }
        self.connections.lock().unwrap().abort_all();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.close();
    }
}

/// How the test takes the database away.
enum Outage {
    Postgres {
        proxy: Proxy,
        base: String,
        schema: String,
    },
    Sqlite {
        path: String,
        holder: Option<SyncConnectionWrapper<SqliteConnection>>,
    },
}

impl Outage {
    /// How long the database stays away: on SQLite past two of the bot's busy timeouts (5 s
    /// each), since the removal of the sent answer may wait for a call before it to fail
    /// first, and it must fail rather than wait.
    fn length(&self) -> Duration {
        match self {
            Outage::Postgres { .. } => LOCK * 4,
            Outage::Sqlite { .. } => Duration::from_secs(12),
        }
    }

    async fn begin(&mut self) {
        match self {
            Outage::Postgres { proxy, .. } => proxy.close(),
            Outage::Sqlite { path, holder } => {
                let mut conn = SyncConnectionWrapper::<SqliteConnection>::establish(path)
                    .await
                    .unwrap();
                conn.batch_execute("BEGIN EXCLUSIVE").await.unwrap();
                *holder = Some(conn);
            }
        }
    }

    async fn end(&mut self) {
        match self {
            Outage::Postgres { proxy, .. } => proxy.open().await,
            Outage::Sqlite { holder, .. } => {
                if let Some(mut conn) = holder.take() {
                    conn.batch_execute("COMMIT").await.unwrap();
                }
            }
        }
    }
}

/// The server's address in a `postgres://user@host:port/db` URL.
fn server_of(url: &str) -> SocketAddr {
    let rest = url.split_once("://").unwrap().1;
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let host_port = host_port.replace("localhost", "127.0.0.1");
    if host_port.contains(':') {
        host_port.parse().unwrap()
    } else {
        format!("{host_port}:5432").parse().unwrap()
    }
}

fn dispatcher(db: &Db, api: &RunningServer, catalog: &Arc<Catalog>) -> Arc<Dispatcher<Db>> {
    let dialog = Dialog::new(Arc::clone(catalog), Settings::default());
    let telegram = TelegramClient::new(&api.base_url(), api.token())
        .unwrap()
        .with_rate_limits(None);
    Arc::new(Dispatcher::new(db.clone(), dialog, telegram, 8).with_outbox_lock(LOCK))
}

async fn an_answer_sent_while_the_database_is_away_is_not_sent_again(
    db_url: String,
    mut outage: Outage,
) {
    let api = FakeBotApi::start(Config::default()).await.unwrap();
    let fake = api.handle();
    let catalog = Arc::new(Catalog::load().unwrap());
    let db = Db::connect(&db_url).await.unwrap();
    db.migrate().await.unwrap();

    // Instance A polls and sends; instance B only runs its courier, ready to take what a
    // dead instance left.
    let a = dispatcher(&db, &api, &catalog);
    let b = dispatcher(&Db::connect(&db_url).await.unwrap(), &api, &catalog);
    let stop = CancellationToken::new();
    let mut tasks = JoinSet::new();
    tasks.spawn(Arc::clone(&a).deliver_outbox(stop.clone()));
    tasks.spawn(Arc::clone(&b).deliver_outbox(stop.clone()));
    let config = PollingConfig {
        timeout: Duration::from_secs(1),
        ..PollingConfig::default()
    };
    tasks.spawn(poll(Arc::clone(&a), config, stop.clone()));

    // The answer is held up in Telegram for two seconds; the database goes away meanwhile.
    fake.fail_next("sendMessage", 1, Fault::TooManyRequests { retry_after: 2 });
    fake.send_command(USER, "start").await;
    fake.wait_for_stats(|stats| stats.calls_of("sendMessage") >= 1, WAIT)
        .await
        .unwrap();
    outage.begin().await;
    fake.wait_for_bot_messages(USER, 1, WAIT).await.unwrap();
    // Long enough for the removal to fail and the lock to lapse several times over.
    tokio::time::sleep(outage.length()).await;
    outage.end().await;

    // Back: the answer is struck, not sent again, by A or by B.
    let deadline = tokio::time::Instant::now() + WAIT;
    while !matches!(db.queued_messages().await, Ok(0)) {
        assert!(tokio::time::Instant::now() < deadline, "never struck");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(LOCK * 4).await;
    let chat = fake.chat(USER);
    assert_eq!(chat.bot_messages().count(), 1, "answered twice:\n{chat}");
    for instance in [&a, &b] {
        assert!(
            instance
                .metrics()
                .render()
                .contains("vitrina_outbox_recovered_total 0\n"),
            "an instance took a live answer"
        );
    }

    // And the bot goes on answering.
    fake.send_command(USER, "help").await;
    fake.wait_for_bot_messages(USER, 2, WAIT).await.unwrap();

    stop.cancel();
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    if let Outage::Postgres { base, schema, .. } = &outage {
        vitrina_storage::drop_postgres_schema(base, schema)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vitrina.db").display().to_string();
    let outage = Outage::Sqlite {
        path: path.clone(),
        holder: None,
    };
    an_answer_sent_while_the_database_is_away_is_not_sent_again(format!("sqlite://{path}"), outage)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    };
    let schema = format!("outage_{}", std::process::id());
    let url = vitrina_storage::create_postgres_schema(&base, &schema)
        .await
        .unwrap();
    let proxy = Proxy::start(server_of(&url)).await;
    let via_proxy = url.replacen(&server_of(&url).to_string(), &proxy.addr.to_string(), 1);
    assert_ne!(via_proxy, url, "the URL names the server as host:port");
    let outage = Outage::Postgres {
        proxy,
        base,
        schema,
    };
    an_answer_sent_while_the_database_is_away_is_not_sent_again(via_proxy, outage).await;
}
