//! One update, or a batch of them: handled by the dialog in one transaction with the record
//! of its id and the queueing of its answers, in per-chat order, and the answers sent.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};
use vitrina_cards::{Timestamp, UserId};
use vitrina_dialog::{ChatId, Dialog, DialogError, DialogPorts, Effect, Incoming};
use vitrina_telegram::{Decoded, EffectOutcome, RawUpdate, TelegramClient, WebhookReply};
use vitrina_update_source::{
    Admission, FloodGate, FloodLimit, JournalError, Opened, Outbox, Outgoing, QueuedId, UpdateId,
    UpdateJournal,
};

use crate::metrics::{Metrics, UpdateKind};

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

/// What became of an update that came by webhook, and the call the webhook's answer carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replied {
    /// What became of the update.
    pub handled: Handled,
    /// The update's answer to a press or an inline query, for the webhook's answer to carry
    /// rather than a call of its own; `None` when it has none.
    pub reply: Option<WebhookReply>,
}

impl From<Handled> for Replied {
    /// An update whose webhook answer carries no call.
    fn from(handled: Handled) -> Replied {
        Replied {
            handled,
            reply: None,
        }
    }
}

/// How an update is handled: where its answer to a query goes, and whether it commits with
/// the others of its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// A call of its own, like every other answer.
    Call,
    /// As `Call`, for an update of a batch whose handlings share their commits
    /// ([`UpdateJournal::commits_are_shared`]): before committing, the handling lets the
    /// batch's others reach the writer's turn, so that they commit together.
    SharedCommit,
    /// Back with the webhook's answer ([`Replied::reply`]).
    WebhookReply,
}

/// Why an update could not be handled now; it must not be confirmed, so that it comes again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The database cannot be reached.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl From<JournalError> for DeliveryError {
    fn from(error: JournalError) -> DeliveryError {
        match error {
            JournalError::Unavailable(reason) | JournalError::Spoiled(reason) => {
                DeliveryError::Unavailable(reason)
            }
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

/// How long a queued answer stays locked to the instance sending it, unless
/// [`Dispatcher::with_outbox_lock`] says otherwise: the courier renews the locks of the
/// answers in flight four times per lock, so only a dead instance's lapse, and its answers are
/// sent by another (or by it, restarted) within this time and a quarter.
const OUTBOX_LOCK: Duration = Duration::from_secs(20);

/// How many unsent answers the courier takes at once.
const COURIER_BATCH: u32 = 64;

/// How long a sent answer waits for the commit of a later update's handling to strike it from
/// the outbox before a write of its own does ([`Dispatcher::strike_soon`]).
const STRIKE_DELAY: Duration = Duration::from_millis(10);

/// How long handled update ids are kept: Telegram keeps an unconfirmed update for a day.
const JOURNAL_RETENTION_MILLIS: i64 = 3 * 24 * 60 * 60 * 1000;

/// How often the journal is swept of ids older than [`JOURNAL_RETENTION_MILLIS`].
const SWEEP_PERIOD: Duration = Duration::from_secs(60 * 60);

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

/// The sent answers one holder of the strike turn took ([`Dispatcher::strike`]): other
/// chats' answers as well as its own, so they must not be lost if the holder is dropped
/// before its write ends (its task cancelled). Whatever is not known to be struck when this
/// is dropped is kept for the courier, which strikes it at its next round, before anyone can
/// take it again.
struct TakenToStrike<'a, S> {
    dispatcher: &'a Dispatcher<S>,
    ids: Vec<QueuedId>,
    struck: bool,
}

/// A strike's write due ([`Dispatcher::strike_soon`]): no longer due once dropped.
struct StrikeDue<'a>(&'a AtomicBool);

impl Drop for StrikeDue<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl<S> Drop for TakenToStrike<'_, S> {
    fn drop(&mut self) {
        if !self.struck {
            locked(&self.dispatcher.sent_unstruck).extend(self.ids.iter().copied());
        }
        let mut in_flight = locked(&self.dispatcher.in_flight);
        for id in &self.ids {
            in_flight.remove(id);
        }
    }
}

/// Hands updates to the dialog and its effects to Telegram.
pub struct Dispatcher<S> {
    store: S,
    dialog: Dialog,
    telegram: TelegramClient,
    chats_in_parallel: Arc<Semaphore>,
    metrics: Arc<Metrics>,
    /// The queued answers this instance is sending now, whose locks the courier renews.
    in_flight: Mutex<HashSet<QueuedId>>,
    /// The answers this instance sent but could not strike from the outbox (the database was
    /// away): struck by the courier as soon as the database answers again, before it looks
    /// for lapsed locks, so that nobody sends them again.
    sent_unstruck: Mutex<HashSet<QueuedId>>,
    /// Sent answers waiting to be struck from the outbox ([`Dispatcher::strike_soon`]).
    to_strike: Mutex<Vec<QueuedId>>,
    /// The turn to strike: its holder strikes every answer waiting, in one write.
    strike_turn: tokio::sync::Mutex<()>,
    /// Whether a write is due to strike the answers waiting, should no commit take them first.
    strike_due: AtomicBool,
    /// Whether the last call to the database failed: after it answers again, the courier
    /// leaves lapsed locks alone for one lock's time ([`Dispatcher::deliver_outbox`]).
    database_lost: AtomicBool,
    outbox_lock: Duration,
    /// How long a sent answer waits for a commit to strike it ([`Dispatcher::strike_soon`]).
    strike_delay: Duration,
    /// Who is sending more than the bot takes, decided before an update costs a transaction;
    /// `None`: no limit.
    flood_gate: Option<Mutex<FloodGate>>,
}

/// How one try at handling an update ended.
enum Attempt {
    Finished(Handled, Option<WebhookReply>),
    /// A call failed and spoiled the handling ([`UpdateJournal::spoiled`]): nothing of it was
    /// kept or sent.
    Spoiled,
}

/// What the dispatcher needs of storage: the dialog's ports, the journal whose handlings
/// serve the dialog too, and the outbox. `vitrina_storage::Db` is one.
pub trait DeliveryStore:
    DialogPorts + UpdateJournal<Handling: DialogPorts + Outbox + 'static> + Outbox + 'static
{
}

impl<T> DeliveryStore for T where
    T: DialogPorts + UpdateJournal<Handling: DialogPorts + Outbox + 'static> + Outbox + 'static
{
}

impl<S: DeliveryStore> Dispatcher<S> {
    /// A dispatcher that handles updates through `dialog` on `store`, at most
    /// `chats_in_parallel` chats at once, counting into metrics of its own until
    /// [`Dispatcher::with_metrics`] shares others.
    pub fn new(
        store: S,
        dialog: Dialog,
        telegram: TelegramClient,
        chats_in_parallel: usize,
    ) -> Self {
        Dispatcher {
            store,
            dialog,
            telegram,
            chats_in_parallel: Arc::new(Semaphore::new(chats_in_parallel.max(1))),
            metrics: Arc::new(Metrics::new()),
            in_flight: Mutex::new(HashSet::new()),
            sent_unstruck: Mutex::new(HashSet::new()),
            to_strike: Mutex::new(Vec::new()),
            strike_turn: tokio::sync::Mutex::new(()),
            strike_due: AtomicBool::new(false),
            database_lost: AtomicBool::new(false),
            outbox_lock: OUTBOX_LOCK,
            strike_delay: STRIKE_DELAY,
            flood_gate: None,
        }
    }

    /// The same dispatcher dropping, before they touch the database, the updates of a person
    /// who sends more than `limit` allows: the first dropped one of a flood is answered with
    /// a note to slow down ([`Dialog::flood_notice`]), the rest are dropped silently.
    #[must_use]
    pub fn with_flood_limit(mut self, limit: FloodLimit) -> Self {
        self.flood_gate = Some(Mutex::new(FloodGate::new(limit)));
        self
    }

    /// The same dispatcher locking the answers it sends for `lock` (20 s by default): the
    /// time after which another instance's courier sends the answers of one that died.
    #[must_use]
    pub fn with_outbox_lock(mut self, lock: Duration) -> Self {
        self.outbox_lock = lock.max(Duration::from_millis(100));
        self
    }

    /// The same dispatcher letting a sent answer wait up to `delay` (10 ms by default) for an
    /// update's commit to strike it from the outbox, before a write of its own does.
    #[must_use]
    pub fn with_strike_delay(mut self, delay: Duration) -> Self {
        self.strike_delay = delay;
        self
    }

    /// The end of a lock taken at `now_millis`.
    fn locked_until(&self, now_millis: i64) -> i64 {
        let lock = i64::try_from(self.outbox_lock.as_millis()).unwrap_or(i64::MAX);
        now_millis.saturating_add(lock)
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
    pub fn dialog(&self) -> &Dialog {
        &self.dialog
    }

    /// The storage updates are handled on.
    pub fn store(&self) -> &S {
        &self.store
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
    /// handled (nothing of it was kept) and must not be confirmed.
    pub async fn handle(self: &Arc<Self>, raw: &RawUpdate) -> Result<Handled, DeliveryError> {
        self.handle_as(raw, Route::Call).await
    }

    /// [`Dispatcher::handle`] by `route`, for a route whose answers are all calls.
    async fn handle_as(
        self: &Arc<Self>,
        raw: &RawUpdate,
        route: Route,
    ) -> Result<Handled, DeliveryError> {
        self.handle_routed(raw, route)
            .await
            .map(|replied| replied.handled)
    }

    /// Handles one raw update that came by webhook, as [`Dispatcher::handle`] does, but
    /// leaves its answer to a press or an inline query, if any, for the webhook's answer to
    /// carry ([`Replied::reply`]): one Bot API request fewer for most presses.
    ///
    /// # Errors
    /// As [`Dispatcher::handle`].
    pub async fn handle_replying(
        self: &Arc<Self>,
        raw: &RawUpdate,
    ) -> Result<Replied, DeliveryError> {
        self.handle_routed(raw, Route::WebhookReply).await
    }

    async fn handle_routed(
        self: &Arc<Self>,
        raw: &RawUpdate,
        route: Route,
    ) -> Result<Replied, DeliveryError> {
        let started = Instant::now();
        let result = match CatchPanic(Box::pin(self.handle_in_task(raw, route))).await {
            Ok(result) => result,
            Err(failure) => {
                error!(update_id = raw.update_id, %failure, "handling an update panicked; it is dropped");
                Ok(Handled::Skipped("failed while being handled".to_owned()).into())
            }
        };
        self.metrics.update_handled(
            UpdateKind::of(raw.kind()),
            result.as_ref().map(|replied| &replied.handled),
            started.elapsed(),
        );
        if let Ok(Replied {
            reply: Some(reply), ..
        }) = &result
        {
            self.metrics.webhook_reply(reply.method());
        }
        self.strike_soon();
        result
    }

    async fn handle_in_task(
        &self,
        raw: &RawUpdate,
        route: Route,
    ) -> Result<Replied, DeliveryError> {
        match raw.decode() {
            Decoded::Skipped { reason, .. } => {
                debug!(update_id = raw.update_id, ?reason, "update skipped");
                Ok(Handled::Skipped(format!("{reason:?}")).into())
            }
            Decoded::Incoming {
                update_id,
                incoming,
            } => self.handle_incoming(raw, update_id, incoming, route).await,
        }
    }

    async fn handle_incoming(
        &self,
        raw: &RawUpdate,
        update_id: i64,
        incoming: Incoming,
        route: Route,
    ) -> Result<Replied, DeliveryError> {
        let skipped = |reason: String| Ok(Handled::Skipped(reason).into());
        let Ok(id) = u32::try_from(update_id).map(UpdateId::new) else {
            return skipped(format!("update_id {update_id} out of range"));
        };
        let now = now();
        if let Some(gate) = &self.flood_gate {
            let person = incoming.from.id.0;
            let admission = locked(gate).admit(person, now.millis());
            match admission {
                Admission::Admit => {}
                Admission::Warn => {
                    info!(
                        update_id,
                        person, "a person sends too fast; their excess is dropped"
                    );
                    let notice = self.dialog.flood_notice(&incoming);
                    self.telegram.execute(&notice).await;
                    return skipped("flood".to_owned());
                }
                Admission::Drop => {
                    debug!(update_id, person, "dropped: the person sends too fast");
                    return skipped("flood".to_owned());
                }
            }
        }
        if let Attempt::Finished(handled, reply) =
            self.handle_once(id, incoming, now, false, route).await?
        {
            return Ok(Replied { handled, reply });
        }
        // Rare: the store's calls run unguarded, each kept apart only when the first try
        // shows it must be. The update is read again rather than kept from the first try.
        self.metrics.handled_again();
        debug!(
            update_id,
            "a call failed and spoiled the update's handling; handling it again, guarded"
        );
        let Decoded::Incoming { incoming, .. } = raw.decode() else {
            return skipped("could not be read again".to_owned());
        };
        match self.handle_once(id, incoming, now, true, route).await? {
            Attempt::Finished(handled, reply) => Ok(Replied { handled, reply }),
            Attempt::Spoiled => Err(DeliveryError::Unavailable(
                "a call failed and spoiled the update's guarded handling".to_owned(),
            )),
        }
    }

    /// Handles `incoming` in one handling of the journal, [guarded](UpdateJournal::open_guarded)
    /// or not, and sends its answers once it is committed.
    async fn handle_once(
        &self,
        id: UpdateId,
        incoming: Incoming,
        now: Timestamp,
        guarded: bool,
        route: Route,
    ) -> Result<Attempt, DeliveryError> {
        let journal = &self.store;
        // A redelivery, here or on another instance, finds the id recorded; a concurrent one
        // waits for this transaction to end.
        let sender = Some(incoming.from.id.get());
        let opened = if guarded {
            journal.open_guarded(id, sender, now.millis()).await?
        } else {
            journal.open(id, sender, now.millis()).await?
        };
        let handling = match opened {
            Opened::New(handling) => handling,
            Opened::Handled => {
                debug!(update_id = id.get(), "update handled before; skipped");
                return Ok(Attempt::Finished(Handled::Duplicate, None));
            }
        };
        let handled = self.dialog.handle(&handling, incoming, now).await;
        if journal.spoiled(&handling) {
            journal.abandon(handling).await;
            return Ok(Attempt::Spoiled);
        }
        let mut effects = match handled {
            Ok(effects) => effects,
            Err(error) => {
                journal.abandon(handling).await;
                return Err(error.into());
            }
        };
        // An answer to a press or to an inline query is not kept: Telegram takes it only
        // within seconds of the query, so one lost with its process could not be given later
        // anyway.
        let outgoing: Vec<Outgoing> = effects
            .iter()
            .filter(|effect| !is_query_answer(effect))
            .map(outgoing)
            .collect();
        // The answers other updates sent and are waiting to strike ride along: this commit
        // is one they would otherwise wait for, and one write fewer.
        // Were this update to fail, they are kept for the courier as after a failed strike.
        let mut riding = self.take_to_strike();
        let committed = match handling.sent(&riding.ids).await {
            Ok(()) => {
                if route == Route::SharedCommit {
                    // The batch's other chats run in this task (`handle_batch`): yielding
                    // lets them open and queue for the turn this handling holds, so that its
                    // end hands the transaction on instead of committing alone.
                    tokio::task::yield_now().await;
                }
                let locked_until = self.locked_until(now.millis());
                journal.commit(handling, id, &outgoing, locked_until).await
            }
            Err(error) => {
                journal.abandon(handling).await;
                Err(error)
            }
        };
        let mut queued = match committed {
            Ok(queued) => {
                riding.struck = true;
                queued.into_iter()
            }
            Err(JournalError::Spoiled(reason)) => {
                debug!(update_id = id.get(), %reason, "the handling was spoiled at its commit");
                // The strikes that rode with it wait for the next commit.
                locked(&self.to_strike).extend(std::mem::take(&mut riding.ids));
                return Ok(Attempt::Spoiled);
            }
            Err(error) => {
                if !riding.ids.is_empty() {
                    self.database_lost.store(true, Ordering::SeqCst);
                }
                return Err(error.into());
            }
        };
        drop(riding);
        let reply = match route {
            Route::Call | Route::SharedCommit => None,
            Route::WebhookReply => take_webhook_reply(&mut effects),
        };
        let effects = effects
            .into_iter()
            .map(|effect| {
                let id = if is_query_answer(&effect) {
                    None
                } else {
                    queued.next()
                };
                (id, effect)
            })
            .collect();
        // Only now, with the change durable, do the answers go out; were the process killed
        // before they are all sent, the courier sends the rest.
        self.send(effects).await;
        Ok(Attempt::Finished(Handled::Done, reply))
    }

    /// Sends answers in order; each queued one sent waits to be struck from the outbox
    /// ([`Dispatcher::strike_soon`]).
    async fn send(&self, queued: Vec<(Option<QueuedId>, Effect)>) {
        let outbox = &self.store;
        self.in_flight_mut()
            .extend(queued.iter().filter_map(|(id, _)| *id));
        let mut blocked: HashSet<ChatId> = HashSet::new();
        for (id, effect) in queued {
            let chat = effect.chat();
            if !chat.is_some_and(|chat| blocked.contains(&chat)) {
                let outcomes = self.telegram.execute(std::slice::from_ref(&effect)).await;
                for outcome in outcomes {
                    match outcome {
                        EffectOutcome::Blocked(ChatId(chat)) => {
                            blocked.insert(ChatId(chat));
                            info!(
                                chat,
                                "the person blocked the bot; not writing to them again"
                            );
                            if let Err(error) = outbox.set_blocked_bot(UserId(chat), true).await {
                                warn!(chat, %error, "could not mark a person as having blocked the bot");
                            }
                        }
                        EffectOutcome::ScreenSent {
                            chat,
                            screen,
                            message,
                        } => {
                            // The dialog edits this screen in place, or strips its buttons,
                            // once it knows its id; without it the screen only keeps buttons
                            // that are refused as outdated.
                            let shown = self
                                .dialog
                                .screen_shown(&self.store, UserId(chat.0), screen, message, now())
                                .await;
                            if let Err(error) = shown {
                                info!(chat = chat.0, %error, "could not remember the id of a screen sent");
                            }
                        }
                        EffectOutcome::Failed(error) => warn!(%error, "an answer failed"),
                        EffectOutcome::Ok | EffectOutcome::Skipped(_) => {}
                    }
                }
            }
            if let Some(id) = id {
                locked(&self.to_strike).push(id);
            }
        }
    }

    /// Makes sure the sent answers waiting to be struck from the outbox are struck soon,
    /// without anyone waiting for it.
    ///
    /// A strike costs a write, and on SQLite a commit of its own. So the answers wait, at
    /// most [`STRIKE_DELAY`] ([`Dispatcher::with_strike_delay`]), for an update's commit to
    /// take them (each handling strikes every answer waiting, in its own transaction): under
    /// load nearly all ride so. Whatever is still waiting then is struck by one write
    /// ([`Dispatcher::strike_waiting`]). The price is the delay itself: an answer whose
    /// process dies in it is sent again by the courier, as one sent just before its strike's
    /// commit always was.
    fn strike_soon(self: &Arc<Self>) {
        if locked(&self.to_strike).is_empty() || self.strike_due.swap(true, Ordering::SeqCst) {
            return;
        }
        let dispatcher = Arc::clone(self);
        tokio::spawn(async move {
            // Cleared even if the task is dropped with its runtime, so a later strike is due.
            let due = StrikeDue(&dispatcher.strike_due);
            tokio::time::sleep(dispatcher.strike_delay).await;
            drop(due);
            dispatcher.strike_waiting().await;
        });
    }

    /// Strikes every sent answer still waiting from the outbox, and returns once they are
    /// struck (or kept for the courier, the database being away). A process calls it last,
    /// once it handles no more updates: what it sent is then not sent again by the next start.
    ///
    /// Writes take turns: while one runs, the answers sent meanwhile gather for the next.
    pub async fn strike_waiting(&self) {
        let _turn = self.strike_turn.lock().await;
        let mut taken = self.take_to_strike();
        if taken.ids.is_empty() {
            // Taken by an update's commit, or by the holder before.
            return;
        }
        match self.store.sent(&taken.ids).await {
            Ok(()) => taken.struck = true,
            Err(error) => {
                warn!(%error, count = taken.ids.len(), "could not strike a sent answer from the outbox; it will be struck when the database answers again");
                self.database_lost.store(true, Ordering::SeqCst);
            }
        }
    }

    /// Every sent answer waiting to be struck, to strike now.
    fn take_to_strike(&self) -> TakenToStrike<'_, S> {
        TakenToStrike {
            dispatcher: self,
            ids: std::mem::take(&mut *locked(&self.to_strike)),
            struck: false,
        }
    }

    fn in_flight_mut(&self) -> std::sync::MutexGuard<'_, HashSet<QueuedId>> {
        locked(&self.in_flight)
    }

    /// Strikes the answers sent but not struck yet, renews the locks of those being sent, and,
    /// after a failure, asks whether the database answers again.
    ///
    /// # Errors
    /// The first failure: the database is still away.
    async fn keep_own_answers(&self, now: i64) -> Result<(), JournalError> {
        let outbox = &self.store;
        // Should no strike be due (one's task dropped with its runtime), they wait no longer.
        self.strike_waiting().await;
        let unstruck: Vec<QueuedId> = locked(&self.sent_unstruck).iter().copied().collect();
        outbox.sent(&unstruck).await?;
        {
            let mut still_unstruck = locked(&self.sent_unstruck);
            for id in &unstruck {
                still_unstruck.remove(id);
            }
        }
        let in_flight: Vec<QueuedId> = self.in_flight_mut().iter().copied().collect();
        outbox.renew(&in_flight, self.locked_until(now)).await?;
        if self.database_lost.load(Ordering::SeqCst) {
            outbox.reachable().await?;
        }
        Ok(())
    }

    /// The courier, until `stop`: strikes the answers this instance sent while the database
    /// was away, renews the locks of the answers it is sending, sends the answers whose lock
    /// lapsed, and sweeps old update ids from the journal. Run one per process, in every mode.
    ///
    /// A lock lapses when its instance stopped, but also when it could not reach the database
    /// for longer than a lock: so once the database answers again after a failure, the courier
    /// leaves lapsed locks alone for one lock's time, in which every instance that is alive
    /// strikes what it sent and renews what it is sending (each within a quarter of a lock).
    pub async fn deliver_outbox(self: Arc<Self>, stop: CancellationToken) {
        let journal = &self.store;
        let mut last_sweep: Option<tokio::time::Instant> = None;
        let mut regained: Option<tokio::time::Instant> = None;
        let mut period = tokio::time::interval(self.outbox_lock / 4);
        period.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = stop.cancelled() => {
                    // Every update is handled by now: what they sent is struck before the
                    // process ends, or the next start would send it again.
                    self.strike_waiting().await;
                    return;
                }
                _ = period.tick() => {}
            }
            let now = now().millis();
            if let Err(error) = self.keep_own_answers(now).await {
                if !self.database_lost.swap(true, Ordering::SeqCst) {
                    warn!(%error, "the database is away: answers sent meanwhile are struck from the outbox when it is back");
                }
                continue;
            }
            if self.database_lost.swap(false, Ordering::SeqCst) {
                info!("the database answers again; this instance's sent answers are struck");
                regained = Some(tokio::time::Instant::now());
            }
            if regained.is_some_and(|at| at.elapsed() < self.outbox_lock) {
                continue;
            }
            self.send_unsent(now, &stop).await;
            if last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_PERIOD) {
                last_sweep = Some(tokio::time::Instant::now());
                match journal
                    .sweep(now.saturating_sub(JOURNAL_RETENTION_MILLIS))
                    .await
                {
                    Ok(0) => {}
                    Ok(swept) => debug!(swept, "old update ids swept from the journal"),
                    Err(error) => warn!(%error, "could not sweep the update journal"),
                }
            }
        }
    }

    /// Sends the answers whose lock lapsed, oldest first: their instance stopped, or could not
    /// reach the database for longer than a lock. Never one this instance sent or is sending.
    async fn send_unsent(&self, now: i64, stop: &CancellationToken) {
        let journal = &self.store;
        while !stop.is_cancelled() {
            let taken = match journal
                .take_unsent(now, self.locked_until(now), COURIER_BATCH)
                .await
            {
                Ok(taken) => taken,
                Err(error) => {
                    warn!(%error, "could not read the outbox");
                    self.database_lost.store(true, Ordering::SeqCst);
                    return;
                }
            };
            if taken.is_empty() {
                return;
            }
            let mut queued = Vec::with_capacity(taken.len());
            for entry in taken {
                if locked(&self.sent_unstruck).contains(&entry.id) {
                    // Sent by this instance already: struck now, or at the next round.
                    if journal.sent(&[entry.id]).await.is_ok() {
                        locked(&self.sent_unstruck).remove(&entry.id);
                    }
                    continue;
                }
                if self.in_flight_mut().contains(&entry.id) {
                    // Being sent by this instance, which the take only relocked.
                    continue;
                }
                match serde_json::from_str::<Effect>(&entry.message.payload) {
                    Ok(effect) => queued.push((Some(entry.id), effect)),
                    Err(error) => {
                        warn!(%error, "an unreadable answer in the outbox is dropped");
                        if let Err(error) = journal.sent(&[entry.id]).await {
                            warn!(%error, "could not drop an unreadable answer");
                        }
                    }
                }
            }
            if queued.is_empty() {
                continue;
            }
            info!(
                count = queued.len(),
                "sending answers whose lock lapsed: their instance stopped, or could not reach the database for longer than the lock"
            );
            self.metrics.outbox_recovered(queued.len());
            self.send(queued).await;
            self.strike_waiting().await;
        }
    }

    /// Handles a batch: one chat's updates in order, different chats concurrently (see
    /// `handle_chats_together` and `handle_chats_apart` for how).
    pub async fn handle_batch(self: &Arc<Self>, batch: Vec<RawUpdate>) -> BatchOutcome {
        let mut by_chat: BTreeMap<Option<i64>, Vec<RawUpdate>> = BTreeMap::new();
        for raw in batch.iter().cloned() {
            let chat = match raw.decode() {
                Decoded::Incoming { incoming, .. } => Some(incoming.chat.0),
                Decoded::Skipped { .. } => None,
            };
            by_chat.entry(chat).or_default().push(raw);
        }
        let outcomes = if self.store.commits_are_shared() {
            self.handle_chats_together(by_chat.into_values()).await
        } else {
            self.handle_chats_apart(by_chat.into_values()).await
        };
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

    /// Each chat's updates in a task of its own, the chats side by side on the runtime's
    /// threads: for stores whose handlings run in parallel.
    async fn handle_chats_apart(
        self: &Arc<Self>,
        chats: impl Iterator<Item = Vec<RawUpdate>>,
    ) -> BTreeMap<i64, Result<Handled, DeliveryError>> {
        let mut tasks = JoinSet::new();
        for updates in chats {
            let dispatcher = Arc::clone(self);
            tasks.spawn(async move { dispatcher.handle_chat(updates, Route::Call).await });
        }
        let mut outcomes = BTreeMap::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(results) => outcomes.extend(results),
                Err(error) => warn!(%error, "a chat's task ended abnormally"),
            }
        }
        outcomes
    }

    /// The chats' updates polled together in this one task, each handling letting the others
    /// queue before it commits: for stores whose handlings take turns at one writer and share
    /// its commits (SQLite). Spawned apart, a handling usually finished before another
    /// reached the turn and committed alone; together, a batch shares a few commits (about a
    /// third fewer WAL writes and half the thread wake-ups in the benchmark's drain).
    async fn handle_chats_together(
        self: &Arc<Self>,
        chats: impl Iterator<Item = Vec<RawUpdate>>,
    ) -> BTreeMap<i64, Result<Handled, DeliveryError>> {
        let mut chats: FuturesUnordered<_> = chats
            .map(|updates| self.handle_chat(updates, Route::SharedCommit))
            .collect();
        let mut outcomes = BTreeMap::new();
        while let Some(results) = chats.next().await {
            outcomes.extend(results);
        }
        outcomes
    }

    /// One chat's updates in order, stopping at the first that fails: the later ones wait
    /// for it to come again, so that the chat's order holds.
    async fn handle_chat(
        self: &Arc<Self>,
        updates: Vec<RawUpdate>,
        route: Route,
    ) -> Vec<(i64, Result<Handled, DeliveryError>)> {
        let _permit = self.chats_in_parallel.acquire().await;
        let mut results = Vec::with_capacity(updates.len());
        for raw in updates {
            let result = self.handle_as(&raw, route).await;
            let failed = result.is_err();
            results.push((raw.update_id, result));
            if failed {
                break;
            }
        }
        results
    }
}

/// Polls a future in place and turns a panic in it into an error, as a task of its own would
/// report it, but without the hand-off to that task (a spawn per update, and often another
/// thread woken up to run it). After a panic the future is dropped, which rolls back an open
/// transaction (its connection is closed).
struct CatchPanic<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic
                .downcast_ref::<&str>()
                .map(|message| (*message).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned()))),
        }
    }
}

/// The set behind `mutex`, which stays valid whatever panicked while holding it.
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An effect as the outbox keeps it; also for what an operator's command queues for a running
/// bot to send (a partner told of a takedown).
pub fn outgoing(effect: &Effect) -> Outgoing {
    Outgoing {
        chat: effect.chat().map(|chat| chat.0),
        // Plain data serializes without fail; an empty payload would only be dropped when
        // read back.
        payload: serde_json::to_string(effect).unwrap_or_default(),
    }
}

/// Takes the first answer to a query out of `effects`, as the webhook reply that performs it
/// (a webhook's answer carries one call). An update has at most one such answer.
fn take_webhook_reply(effects: &mut Vec<Effect>) -> Option<WebhookReply> {
    let (at, reply) = effects
        .iter()
        .enumerate()
        .find_map(|(at, effect)| WebhookReply::of(effect).map(|reply| (at, reply)))?;
    effects.remove(at);
    Some(reply)
}

fn is_query_answer(effect: &Effect) -> bool {
    matches!(
        effect,
        Effect::AnswerCallback { .. } | Effect::AnswerInline { .. }
    )
}
