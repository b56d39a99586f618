//! A running bot for end-to-end tests: the real dispatcher and polling loop, real storage,
//! and the Bot API double over real HTTP, with helpers to act as people.
#![allow(dead_code, unused_macros, clippy::unwrap_used)]

/// Generates, for each scenario `async fn name(world: &World)`, a test on SQLite and one on
/// PostgreSQL (which passes with a printed reason when TEST_DATABASE_URL is unset).
macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    super::run(crate::support::Engine::Sqlite, super::$scenario).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    super::run(crate::support::Engine::Postgres, super::$scenario).await;
                }
            )*
        }
    };
}

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use vitrina_delivery::{Dispatcher, PollingConfig, poll};
use vitrina_dialog::{Dialog, Settings};
use vitrina_fake_bot_api::{ChatMessage, ChatView, Config, FakeBotApi, Handle, RunningServer};
use vitrina_i18n::{Arg, Catalog, Locale};
use vitrina_storage::Db;
use vitrina_telegram::TelegramClient;
use vitrina_testkit::postgres::TestSchema;

pub const WAIT: Duration = Duration::from_secs(10);

/// Which database the bot runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A bot process: its stop token, polling loop and outbox courier.
type Running = (CancellationToken, JoinHandle<()>, JoinHandle<()>);

pub struct World {
    pub server: RunningServer,
    pub db: Db,
    pub catalog: Arc<Catalog>,
    settings: Settings,
    running: std::sync::Mutex<Option<Running>>,
    /// The PostgreSQL schema of this world, dropped at the end.
    postgres: Option<TestSchema>,
    _dir: tempfile::TempDir,
}

impl World {
    /// A bot on SQLite with these settings, polling the double.
    pub async fn start(settings: Settings) -> World {
        World::start_on(Engine::Sqlite, settings).await.unwrap()
    }

    /// A bot on `engine`; `None` when PostgreSQL is asked for and TEST_DATABASE_URL is unset.
    pub async fn start_on(engine: Engine, settings: Settings) -> Option<World> {
        let dir = tempfile::tempdir().unwrap();
        let mut postgres = None;
        let url = match engine {
            Engine::Sqlite => format!("sqlite://{}", dir.path().join("vitrina.db").display()),
            Engine::Postgres => {
                let schema = TestSchema::create("e2e").await?;
                let url = schema.url().to_owned();
                postgres = Some(schema);
                url
            }
        };
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let server = FakeBotApi::start(Config::default()).await.unwrap();
        let catalog = Arc::new(Catalog::load().unwrap());
        let world = World {
            server,
            db,
            catalog,
            settings,
            running: std::sync::Mutex::new(None),
            postgres,
            _dir: dir,
        };
        world.start_polling(world.dispatcher()).await;
        Some(world)
    }

    /// The dispatcher of a new bot process on this world's database and double.
    pub fn dispatcher(&self) -> Arc<Dispatcher<Db>> {
        Arc::new(self.bare_dispatcher())
    }

    /// [`World::dispatcher`] with answers locked to it for `lock` rather than 20 s.
    pub fn dispatcher_locking_for(&self, lock: Duration) -> Arc<Dispatcher<Db>> {
        Arc::new(self.bare_dispatcher().with_outbox_lock(lock))
    }

    /// [`World::dispatcher`] whose sent answers wait `delay` for a commit to strike them,
    /// with its courier's rounds an hour apart: only a commit strikes them meanwhile.
    pub fn dispatcher_striking_after(&self, delay: Duration) -> Arc<Dispatcher<Db>> {
        Arc::new(
            self.bare_dispatcher()
                .with_outbox_lock(Duration::from_secs(4 * 3600))
                .with_strike_delay(delay),
        )
    }

    /// [`World::dispatcher`] dropping the updates of a person who sends more than `limit`.
    pub fn dispatcher_limiting(
        &self,
        limit: vitrina_update_source::FloodLimit,
    ) -> Arc<Dispatcher<Db>> {
        Arc::new(self.bare_dispatcher().with_flood_limit(limit))
    }

    fn bare_dispatcher(&self) -> Dispatcher<Db> {
        let dialog = Dialog::new(Arc::clone(&self.catalog), self.settings.clone());
        let telegram = TelegramClient::new(&self.server.base_url(), self.server.token())
            .unwrap()
            .with_rate_limits(None);
        Dispatcher::new(self.db.clone(), dialog, telegram, 8)
    }

    /// Starts a bot process around `dispatcher`, as `bot run` does in single polling mode:
    /// answers left locked by a dead predecessor are unlocked, then polling and the outbox
    /// courier run.
    pub async fn start_polling(&self, dispatcher: Arc<Dispatcher<Db>>) {
        vitrina_update_source::Outbox::unlock_all(dispatcher.store())
            .await
            .unwrap();
        let stop = CancellationToken::new();
        let config = PollingConfig {
            timeout: Duration::from_secs(5),
            ..PollingConfig::default()
        };
        let courier = tokio::spawn(Arc::clone(&dispatcher).deliver_outbox(stop.clone()));
        let poller = tokio::spawn(poll(dispatcher, config, stop.clone()));
        let previous = self
            .running
            .lock()
            .unwrap()
            .replace((stop, poller, courier));
        assert!(previous.is_none(), "a bot is running already");
    }

    /// Stops the running bot process, letting it finish what it has in hand.
    pub async fn stop_polling(&self) {
        let running = self.running.lock().unwrap().take();
        if let Some((stop, poller, courier)) = running {
            stop.cancel();
            poller.await.unwrap();
            courier.await.unwrap();
        }
    }

    /// The URL of this world's PostgreSQL schema; `None` on SQLite.
    pub fn postgres_url(&self) -> Option<&str> {
        self.postgres.as_ref().map(TestSchema::url)
    }

    pub fn api(&self) -> &Handle {
        self.server.handle()
    }

    /// Waits until every update sent so far was handled and confirmed.
    pub async fn settle(&self) {
        self.api()
            .wait_for_stats(
                |s| s.pending_updates == 0 && s.get_updates_in_flight >= 1,
                WAIT,
            )
            .await
            .unwrap();
    }

    /// Waits until the outbox is empty: every answer sent is struck from it shortly after
    /// (within `STRIKE_DELAY`, by a commit or a write of its own), not at once.
    pub async fn outbox_emptied(&self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let queued = self.db.queued_messages().await.unwrap();
            if queued == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{queued} answers were never struck from the outbox"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub fn chat(&self, user: i64) -> ChatView {
        self.api().chat(user)
    }

    pub fn last(&self, user: i64) -> ChatMessage {
        self.chat(user).last_bot_message().cloned().unwrap()
    }

    pub fn t(&self, locale: Locale, key: &str) -> String {
        self.catalog.text(locale, key)
    }

    pub fn tw(&self, locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.catalog.text_with(locale, key, args)
    }

    pub async fn text(&self, user: i64, text: &str) {
        self.api().send_text(user, text).await;
        self.settle().await;
    }

    pub async fn command(&self, user: i64, command: &str) {
        self.api().send_command(user, command).await;
        self.settle().await;
    }

    pub async fn reply(&self, user: i64, label: &str) {
        self.api().press_reply_button(user, label).await.unwrap();
        self.settle().await;
    }

    /// Presses a reply button given by its i18n key.
    pub async fn reply_key(&self, user: i64, locale: Locale, key: &str) {
        let label = self.t(locale, key);
        self.reply(user, &label).await;
    }

    pub async fn inline(&self, user: i64, label: &str) {
        if let Err(error) = self.api().press_inline_button(user, label).await {
            panic!("{error}");
        }
        self.settle().await;
    }

    /// Presses an inline button given by its i18n key.
    pub async fn inline_key(&self, user: i64, locale: Locale, key: &str) {
        let label = self.t(locale, key);
        self.inline(user, &label).await;
    }

    pub async fn photo(&self, user: i64) {
        self.api().send_photo(user, None).await;
        self.settle().await;
    }

    /// A person who chose `locale` and accepted the policy, at the main menu.
    pub async fn onboard(&self, user: i64, locale: Locale) {
        let _ = self
            .api()
            .user(user)
            .with_language(locale.code())
            .with_name(format!("User{user}"));
        self.command(user, "start").await;
        self.inline(user, &locale.picker_label()).await;
        self.inline_key(user, locale, "btn-accept-policy").await;
    }

    pub async fn stop(mut self) {
        self.stop_polling().await;
        if let Some(schema) = self.postgres.take() {
            schema.drop_now().await;
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some((stop, _, _)) = self.running.get_mut().ok().and_then(Option::take) {
            stop.cancel();
        }
    }
}
