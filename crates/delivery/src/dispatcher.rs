//! One update, or a batch of them: de-duplicated, handled by the dialog in per-chat order,
//! and its effects sent.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{debug, error, info, warn};
use vitrina_cards::{Timestamp, UserId};
use vitrina_dialog::{ChatId, Dialog, DialogError, DialogPorts, Incoming};
use vitrina_telegram::{Decoded, EffectOutcome, RawUpdate, TelegramClient};
use vitrina_update_source::{Claim, JournalError, UpdateId, UpdateJournal};

use crate::metrics::Metrics;

/// What became of one update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// The dialog handled it and its effects were sent (or given up on, for a chat that
    /// blocked the bot).
    Done,
    /// It had been handled before: nothing was done again.
    Duplicate,
    /// It is of a kind the bot does not serve (an unknown update kind, a group message, an
    /// edit); nothing to do.
    Skipped(String),
}

/// Why an update could not be handled now; it must not be confirmed, so that it comes again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The database cannot be reached.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Another instance is handling the same update now.
    #[error("update {0} is being handled elsewhere")]
    InProgress(i64),
}

impl From<JournalError> for DeliveryError {
    fn from(error: JournalError) -> DeliveryError {
        match error {
            JournalError::Unavailable(reason) => DeliveryError::Unavailable(reason),
        }
    }
}

impl From<DialogError> for DeliveryError {
    fn from(error: DialogError) -> DeliveryError {
        match error {
            DialogError::Unavailable(reason) => DeliveryError::Unavailable(reason),
        }
    }
}

/// How long a claim may stay unfinished before another delivery takes the update over: far
/// longer than handling one update takes, short enough that a crash delays it only briefly.
const CLAIM_STALE_AFTER_MILLIS: i64 = 30_000;

/// The end of a batch: what may be confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchOutcome {
    /// The offset to confirm with the next getUpdates: one past the highest id up to which
    /// every update was handled, duplicated or skipped. `None` when nothing can be confirmed.
    pub next_offset: Option<i64>,
    /// How many updates were handled now.
    pub handled: usize,
    /// The first failure, if any: the updates from it on are to come again.
    pub failure: Option<DeliveryError>,
}

/// The milliseconds since the Unix epoch now.
pub fn now() -> Timestamp {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        });
    Timestamp(millis)
}

/// Hands updates to the dialog and its effects to Telegram.
pub struct Dispatcher<S> {
    dialog: Dialog<S>,
    telegram: TelegramClient,
    chats_in_parallel: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

impl<S> Dispatcher<S>
where
    S: DialogPorts + UpdateJournal + 'static,
{
    /// A dispatcher that handles at most `chats_in_parallel` chats at once, counting into
    /// metrics of its own until [`Dispatcher::with_metrics`] shares others.
    pub fn new(dialog: Dialog<S>, telegram: TelegramClient, chats_in_parallel: usize) -> Self {
        Dispatcher {
            dialog,
            telegram,
            chats_in_parallel: Arc::new(Semaphore::new(chats_in_parallel.max(1))),
            metrics: Arc::new(Metrics::new()),
        }
    }

    /// The same dispatcher counting updates into `metrics` (which the process serves on
    /// `/metrics`, and whose Bot API counters the Telegram client feeds through
    /// [`TelegramClient::with_observer`]).
    #[must_use]
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// The metrics this dispatcher counts into: the polling loops count their 409s and leader
    /// transitions there too.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The dialog.
    pub fn dialog(&self) -> &Dialog<S> {
        &self.dialog
    }

    /// The Telegram client.
    pub fn telegram(&self) -> &TelegramClient {
        &self.telegram
    }

    /// Handles one raw update.
    ///
    /// A panic while handling it is caught and logged, and the update counts as handled: an
    /// update that always fails must not block the ones after it for ever.
    ///
    /// # Errors
    /// [`DeliveryError::Unavailable`] when the database cannot be reached: the update was not
    /// handled (its claim is given back) and must not be confirmed.
    /// [`DeliveryError::InProgress`] when another instance is handling it now.
    pub async fn handle(self: &Arc<Self>, raw: &RawUpdate) -> Result<Handled, DeliveryError> {
        let (dispatcher, owned) = (Arc::clone(self), raw.clone());
        let result = match tokio::spawn(async move { dispatcher.handle_in_task(&owned).await })
            .await
        {
            Ok(result) => result,
            Err(failure) => {
                error!(update_id = raw.update_id, %failure, "handling an update failed; it is dropped");
                Ok(Handled::Skipped("failed while being handled".to_owned()))
            }
        };
        // A handled update is a message or a button press; the key tells which without
        // decoding it again.
        let callback = raw.json.get("callback_query").is_some();
        self.metrics.update_handled(callback, &result);
        result
    }

    async fn handle_in_task(&self, raw: &RawUpdate) -> Result<Handled, DeliveryError> {
        match raw.decode() {
            Decoded::Skipped { reason, .. } => {
                debug!(update_id = raw.update_id, ?reason, "update skipped");
                Ok(Handled::Skipped(format!("{reason:?}")))
            }
            Decoded::Incoming {
                update_id,
                incoming,
            } => self.handle_incoming(update_id, incoming).await,
        }
    }

    async fn handle_incoming(
        &self,
        update_id: i64,
        incoming: Incoming,
    ) -> Result<Handled, DeliveryError> {
        let Ok(id) = u32::try_from(update_id).map(UpdateId::new) else {
            return Ok(Handled::Skipped(format!(
                "update_id {update_id} out of range"
            )));
        };
        let now = now();
        let store = self.dialog.store();
        let stale_before = now.millis().saturating_sub(CLAIM_STALE_AFTER_MILLIS);
        match store.claim(id, now.millis(), stale_before).await? {
            Claim::Taken => {}
            Claim::Handled => {
                debug!(update_id, "update handled before; skipped");
                return Ok(Handled::Duplicate);
            }
            Claim::InProgress => return Err(DeliveryError::InProgress(update_id)),
        }
        let effects = match self.dialog.handle(incoming, now).await {
            Ok(effects) => effects,
            Err(error) => {
                if let Err(release) = store.release(id).await {
                    warn!(update_id, %release, "could not give back the claim of an update");
                }
                return Err(error.into());
            }
        };
        for outcome in self.telegram.execute(&effects).await {
            match outcome {
                EffectOutcome::Blocked(ChatId(chat)) => {
                    info!(
                        chat,
                        "the person blocked the bot; not writing to them again"
                    );
                    if let Err(error) = store.set_blocked_bot(UserId(chat), true).await {
                        warn!(chat, %error, "could not mark a person as having blocked the bot");
                    }
                }
                EffectOutcome::Failed(error) => warn!(update_id, %error, "an effect failed"),
                EffectOutcome::Ok | EffectOutcome::Skipped(_) => {}
            }
        }
        if let Err(error) = store.complete(id).await {
            // The effects are out; the update will be confirmed, so it will not come again.
            warn!(update_id, %error, "could not record an update as handled");
        }
        Ok(Handled::Done)
    }

    /// Handles a batch: one chat's updates in order, different chats in parallel.
    pub async fn handle_batch(self: &Arc<Self>, batch: Vec<RawUpdate>) -> BatchOutcome {
        let mut by_chat: BTreeMap<Option<i64>, Vec<RawUpdate>> = BTreeMap::new();
        for raw in batch.iter().cloned() {
            let chat = match raw.decode() {
                Decoded::Incoming { incoming, .. } => Some(incoming.chat.0),
                Decoded::Skipped { .. } => None,
            };
            by_chat.entry(chat).or_default().push(raw);
        }
        let mut tasks = JoinSet::new();
        for (_, updates) in by_chat {
            let dispatcher = Arc::clone(self);
            tasks.spawn(async move {
                let _permit = dispatcher.chats_in_parallel.acquire().await;
                let mut results = Vec::with_capacity(updates.len());
                for raw in updates {
                    let result = dispatcher.handle(&raw).await;
                    let failed = result.is_err();
                    results.push((raw.update_id, result));
                    if failed {
                        // Later updates of this chat wait for the failed one to come again,
                        // so that the chat's order holds.
                        break;
                    }
                }
                results
            });
        }
        let mut outcomes: BTreeMap<i64, Result<Handled, DeliveryError>> = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(results) => outcomes.extend(results),
                Err(error) => warn!(%error, "a chat's task ended abnormally"),
            }
        }
        let mut outcome = BatchOutcome::default();
        for raw in &batch {
            match outcomes.get(&raw.update_id) {
                Some(Ok(handled)) => {
                    if *handled == Handled::Done {
                        outcome.handled += 1;
                    }
                    if outcome.failure.is_none() {
                        outcome.next_offset = Some(raw.update_id + 1);
                    }
                }
                Some(Err(error)) => {
                    outcome.failure.get_or_insert_with(|| error.clone());
                }
                None => {
                    outcome.failure.get_or_insert_with(|| {
                        DeliveryError::Unavailable("not handled in this round".into())
                    });
                }
            }
        }
        outcome
    }
}
