//! The Bot API double in this process, on threads of its own so that its CPU time can be
//! told apart from the load generator's.
//!
//! It plays Telegram: the workload's steps become updates through its control API (which
//! issues the file ids and callback query ids it later accepts back), and the bot's answers
//! go to it. For webhook phases the runner takes the queued updates out with getUpdates
//! before the bot starts, and posts them itself so that it can time each one.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use bytes::Bytes;
use serde_json::{Value, json};
use vitrina_fake_bot_api::{Config, FakeBotApi, Handle, RunningServer, Stats};

use crate::http::{Call, Client};
use vitrina_dialog::Callback;

use crate::workload::{Action, Kind, Step, Workload, sessions};

/// Name of the double's threads (`/proc/self/task/*/comm`).
pub const THREAD_NAME: &str = "double";

/// How long a wizard press waits for the answer that shows its button.
const ANSWER_LIMIT: Duration = Duration::from_secs(10);

/// Threads of the double's runtime.
const THREADS: usize = 2;

/// An update ready to be posted: its JSON as Telegram sends it, and what it is for.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub user: usize,
    pub kind: Kind,
    pub body: Bytes,
    /// A text the bot cannot understand, sent on purpose.
    pub nonsense: bool,
}

/// The running double.
pub struct Double {
    runtime: Option<tokio::runtime::Runtime>,
    server: RunningServer,
    client: Arc<Client>,
    /// Per person, the bot message their inline presses are made on.
    planted: Vec<i32>,
    /// The next getUpdates offset of [`Double::take_updates`].
    offset: i64,
}

impl Drop for Double {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Double {
    /// Starts the double and introduces the workload's people to it: each with their
    /// client's language, and with one bot message carrying an inline keyboard, on which
    /// their button presses are made (a press needs a message the bot can edit).
    pub async fn start(workload: &Workload) -> anyhow::Result<Double> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(THREADS)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()?;
        // The bot is restarted for every phase and sets its webhook each time.
        let config = Config::default()
            .with_set_webhook_interval(Duration::ZERO)
            .with_max_poll_timeout(Duration::from_secs(50));
        let server = runtime
            .spawn(FakeBotApi::start(config))
            .await?
            .context("cannot start the Bot API double")?;
        let client = Arc::new(Client::new(server.addr()));
        let mut double = Double {
            runtime: Some(runtime),
            server,
            client,
            planted: Vec::new(),
            offset: 0,
        };
        for user in 0..workload.users() {
            let _ = double
                .handle()
                .user(Workload::user_id(user))
                .with_language(workload.client_language(user))
                .with_name(format!("Guest {user}"));
        }
        double.planted = double.plant(workload.users()).await?;
        Ok(double)
    }

    pub fn handle(&self) -> &Handle {
        self.server.handle()
    }

    /// `http://127.0.0.1:port`, for `TELEGRAM_API_URL`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.addr()
    }

    pub fn token(&self) -> &str {
        self.server.token()
    }

    pub fn stats(&self) -> Stats {
        self.handle().stats()
    }

    /// Calls the Bot API as the bot would.
    async fn call(&self, method: &str, params: Value) -> anyhow::Result<Value> {
        bot_call(&self.client, self.token(), method, params).await
    }

    /// Sends each person a message with an inline keyboard, a few at a time.
    async fn plant(&self, users: usize) -> anyhow::Result<Vec<i32>> {
        let mut planted = vec![0; users];
        let mut sends = tokio::task::JoinSet::new();
        for user in 0..users {
            if sends.len() >= 8 {
                store_planted(&mut planted, sends.join_next().await)?;
            }
            let (client, token) = (Arc::clone(&self.client), self.token().to_owned());
            sends.spawn(async move {
                let params = json!({
                    "chat_id": Workload::user_id(user),
                    "text": "Vitrina",
                    "reply_markup": {"inline_keyboard": [[{"text": "·", "callback_data": "noop"}]]},
                });
                (user, bot_call(&client, &token, "sendMessage", params).await)
            });
        }
        while let Some(joined) = sends.join_next().await {
            store_planted(&mut planted, Some(joined))?;
        }
        Ok(planted)
    }

    /// Queues the update of `step`, as Telegram would on the person's action.
    pub async fn act(&self, step: &Step) -> anyhow::Result<u32> {
        let handle = self.handle();
        let user = Workload::user_id(step.user);
        Ok(match &step.action {
            Action::Command(name) => handle.send_command(user, name).await,
            Action::Text(text) => handle.send_text(user, text).await,
            Action::Photo => handle.send_photo(user, None).await,
            Action::Callback(data) => {
                let message = self.planted.get(step.user).copied().unwrap_or(1);
                handle.send_callback(user, message, data).await?
            }
        })
    }

    /// Like [`Double::act`], with a bot running: a wizard press (written with
    /// [`sessions::UNKNOWN_DRAFT`]) waits for the bot's answer to the person's previous step
    /// and presses the button of the same kind on it, with the draft and showing it carries.
    pub async fn act_reading(&self, step: &Step) -> anyhow::Result<u32> {
        let Action::Callback(data) = &step.action else {
            return self.act(step).await;
        };
        let Some(template) = Callback::parse(data).and_then(sessions::wizard_template) else {
            return self.act(step).await;
        };
        let user = Workload::user_id(step.user);
        let deadline = tokio::time::Instant::now() + ANSWER_LIMIT;
        loop {
            if let Some((message, data)) = self.on_screen(user, template) {
                return Ok(self.handle().send_callback(user, message, &data).await?);
            }
            if tokio::time::Instant::now() >= deadline {
                bail!(
                    "user {user}: no button {} on screen within {ANSWER_LIMIT:?}",
                    template.encode()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The body of `item` pressing the button on screen, when it is a wizard press written
    /// with the placeholder and the bot's answer shows a button of its kind; `None` otherwise.
    pub fn press_on_screen(&self, item: &Prepared) -> Option<Bytes> {
        let mut update: Value = serde_json::from_slice(&item.body).ok()?;
        let query = update.get_mut("callback_query")?;
        let template = query
            .get("data")
            .and_then(Value::as_str)
            .and_then(Callback::parse)
            .and_then(sessions::wizard_template)?;
        let (message, data) = self.on_screen(Workload::user_id(item.user), template)?;
        query["data"] = Value::from(data);
        if let Some(carrier) = query.get_mut("message") {
            carrier["message_id"] = Value::from(message);
        }
        serde_json::to_vec(&update).ok().map(Bytes::from)
    }

    /// The newest bot message of `user` with a wizard button of `template`'s kind, and that
    /// button's payload.
    fn on_screen(&self, user: i64, template: Callback) -> Option<(i32, String)> {
        let chat = self.handle().chat(user);
        chat.messages
            .iter()
            .rev()
            .filter(|m| m.from_bot)
            .find_map(|message| {
                message
                    .inline_keyboard
                    .iter()
                    .flatten()
                    .filter_map(|button| button.callback_data.as_deref())
                    .find(|data| {
                        Callback::parse(data).and_then(sessions::wizard_template) == Some(template)
                    })
                    .map(|data| (message.message_id, data.to_owned()))
            })
    }

    /// Queues the updates of `steps` and takes them out again (confirmed), as the JSON a
    /// webhook would receive, in order.
    pub async fn prepare(&mut self, steps: &[Step]) -> anyhow::Result<Vec<Prepared>> {
        let mut meta: BTreeMap<i64, &Step> = BTreeMap::new();
        for step in steps {
            let id = self.act(step).await?;
            meta.insert(i64::from(id), step);
        }
        let mut prepared = Vec::with_capacity(steps.len());
        while prepared.len() < steps.len() {
            let updates = self
                .call(
                    "getUpdates",
                    json!({"offset": self.offset, "limit": 100, "timeout": 0}),
                )
                .await?;
            let updates = updates.as_array().cloned().unwrap_or_default();
            if updates.is_empty() {
                bail!(
                    "the double holds {} of {} updates",
                    prepared.len(),
                    steps.len()
                );
            }
            for update in updates {
                let id = update["update_id"]
                    .as_i64()
                    .context("an update without id")?;
                self.offset = id + 1;
                if let Some(step) = meta.get(&id) {
                    prepared.push(Prepared {
                        user: step.user,
                        kind: step.kind,
                        body: Bytes::from(update.to_string()),
                        nonsense: step.action.is_nonsense(),
                    });
                }
            }
        }
        // Confirms the last batch, so that nothing is left pending for the bot.
        self.call(
            "getUpdates",
            json!({"offset": self.offset, "limit": 1, "timeout": 0}),
        )
        .await?;
        Ok(prepared)
    }

    /// Removes the webhook a bot set, so that queued updates stay queued.
    pub async fn delete_webhook(&self) -> anyhow::Result<()> {
        self.call("deleteWebhook", json!({"drop_pending_updates": false}))
            .await
            .map(drop)
    }

    /// Waits until `condition` holds for the counters.
    pub async fn wait_for(
        &self,
        condition: impl FnMut(&Stats) -> bool,
        timeout: Duration,
    ) -> anyhow::Result<Stats> {
        Ok(self.handle().wait_for_stats(condition, timeout).await?)
    }
}

type Planted = (usize, anyhow::Result<Value>);

fn store_planted(
    planted: &mut [i32],
    joined: Option<Result<Planted, tokio::task::JoinError>>,
) -> anyhow::Result<()> {
    let Some(joined) = joined else {
        return Ok(());
    };
    let (user, sent) = joined?;
    let id = sent?["message_id"]
        .as_i64()
        .context("sendMessage without message_id")?;
    if let Some(slot) = planted.get_mut(user) {
        *slot = i32::try_from(id)?;
    }
    Ok(())
}

/// One Bot API call with `token`; the `result`, or the error envelope as an error.
async fn bot_call(
    client: &Client,
    token: &str,
    method: &str,
    params: Value,
) -> anyhow::Result<Value> {
    let path = format!("/bot{token}/{method}");
    let (_, body) = client
        .send(Call::post_json(path, Bytes::from(params.to_string())))
        .await?;
    let answer: Value = serde_json::from_slice(&body)?;
    if answer["ok"] != json!(true) {
        bail!("{method} failed: {answer}");
    }
    Ok(answer["result"].clone())
}
