//! Long polling in leader mode: of several instances, only the holder of the lease polls.
//!
//! [`poll_as_leader`] is the driver of the [`LeaderMachine`]: it reads the time, carries out
//! the machine's actions (store calls, timers, starting and stopping the getUpdates loop) and
//! feeds back what came of them. The machine decides; this loop only does what it is told,
//! plus the getUpdates loop itself, which shares its batch handling with single mode.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};
use vitrina_telegram::{RawUpdate, TelegramError};
use vitrina_update_source::{
    Action, Clock, Event, ExitReason, LeaderConfig, LeaderLease, LeaderMachine, LeaseError, Millis,
    Phase,
};

use crate::dispatcher::{BatchOutcome, DeliveryStore, Dispatcher};
use crate::metrics::Role;
use crate::polling::{
    ALLOWED_UPDATES, Backoff, FetchFailures, PollingConfig, confirm_offset, settle_batch,
    whole_seconds,
};

/// How long updates in hand may take to finish once the loop is stopping.
const BATCH_GRACE: Duration = Duration::from_secs(10);

/// How long the getUpdates that confirms the offset at shutdown may take.
const CONFIRM_LIMIT: Duration = Duration::from_secs(5);

/// Polls Telegram while this instance holds the lease, until `stop` is cancelled or the
/// machine exits; returns why it ended.
///
/// - The machine runs on tokio's clock, and decides every timing of the lease: this loop
///   keeps none of its own. Each store request of the machine becomes a call of `lease`,
///   bounded by [`LeaderConfig::store_call_limit`] (a slower call counts as failed).
/// - getUpdates runs only while the machine allows it, with
///   [`LeaderMachine::poll_timeout`] as its long-poll timeout — as long as the lease allows
///   (`polling.timeout` is not used: the lease decides) — and is cancelled when the machine stops polling or, should
///   its answer not come, at [`LeaderMachine::poll_deadline`]; the next one starts
///   [`LeaderConfig::CANCEL_SETTLE`] after a cancelled one at the earliest. A 409 is logged
///   once per cause and fed to the machine as [`Event::Conflict`], which checks the lease
///   before polling goes on.
/// - Each batch is handled as in single mode ([`crate::poll`]): its offset is confirmed by
///   the next getUpdates, only after it was handled. A batch in hand when polling stops is
///   finished; its offset is then confirmed only by this instance's next poll, if any: a
///   standby sends no getUpdates.
/// - On `stop`, polling stops, the batch in hand is finished (within 10 s), the offset is
///   confirmed with a getUpdates that waits for nothing, and only then is the lease
///   released, so that the next leader repeats nothing.
/// - After taking the lease over by preemption (`PREEMPT_LEADER`), the machine starts polling
///   only after its [takeover wait](LeaderConfig::takeover_wait): by then the previous holder
///   has learnt of the takeover at its renewal and cancelled its long poll, so the two never
///   poll at once.
/// - Each change of phase (leading, standing by, stepping down) is logged once; 409s and
///   the changes between leader and standby are counted in the dispatcher's
///   [`Metrics`](crate::Metrics).
///
/// Returns [`ExitReason::Shutdown`] after a stop, and [`ExitReason::LeaseHeld`] when
/// `config` exits on conflict and another instance holds the lease.
pub async fn poll_as_leader<S, L>(
    dispatcher: Arc<Dispatcher<S>>,
    lease: L,
    config: LeaderConfig,
    polling: PollingConfig,
    stop: CancellationToken,
) -> ExitReason
where
    S: DeliveryStore,
    L: LeaderLease + 'static,
{
    Driver::new(dispatcher, Arc::new(lease), config, polling, stop)
        .run()
        .await
}

/// The machine's instants on tokio's clock, so that they convert to tokio timers exactly.
#[derive(Debug, Clone, Copy)]
struct TokioClock {
    origin: Instant,
}

impl TokioClock {
    fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }

    /// The tokio instant of `at`; an instant too far to represent is a year away.
    fn instant(&self, at: Millis) -> Instant {
        self.origin
            .checked_add(Duration::from_millis(at.as_millis()))
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(365 * 24 * 60 * 60))
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Millis {
        let elapsed = self.origin.elapsed().as_millis();
        Millis::from_millis(u64::try_from(elapsed).unwrap_or(u64::MAX))
    }
}

/// A store request got no answer within the bound.
#[derive(Debug, thiserror::Error)]
#[error("no answer within {0:?}")]
struct NoAnswer(Duration);

/// A store call in flight: the event to feed, and what went wrong, for the log.
type StoreCall = Pin<Box<dyn Future<Output = (Event, Option<String>)> + Send>>;

/// A getUpdates in flight and the instant at which it is given up.
struct Fetch {
    call: Pin<Box<dyn Future<Output = Result<Vec<RawUpdate>, TelegramError>> + Send>>,
    give_up_at: Instant,
}

/// What woke the loop.
enum Wake {
    Stop,
    Store((Event, Option<String>)),
    Tick,
    Fetched(Result<Vec<RawUpdate>, TelegramError>),
    FetchOverdue,
    Batch(Result<BatchOutcome, tokio::task::JoinError>),
    Resume,
}

struct Driver<S, L> {
    dispatcher: Arc<Dispatcher<S>>,
    lease: Arc<L>,
    machine: LeaderMachine,
    clock: TokioClock,
    polling: PollingConfig,
    stop: CancellationToken,
    /// The shutdown was fed to the machine.
    stopping: bool,
    /// The store call in flight; the machine asks for one at a time.
    store: Option<StoreCall>,
    /// The instant of the machine's last [`Action::SleepUntil`], if still to come.
    wake: Option<Millis>,
    /// Whether the machine last said to poll.
    poll: bool,
    fetch: Option<Fetch>,
    /// The batch being handled; no getUpdates starts meanwhile.
    batch: Option<JoinHandle<BatchOutcome>>,
    /// The offset the next getUpdates confirms.
    offset: Option<i64>,
    /// No getUpdates before this instant: a pause after a failure, or after a cancellation.
    resume_at: Option<Instant>,
    backoff: Backoff,
    fetch_failures: FetchFailures,
    /// The phase last logged.
    logged: Phase,
    /// A standby's first finding that the lease is held elsewhere was logged.
    busy_logged: bool,
    /// The last store call failed: the next failure is not logged again.
    store_failing: bool,
}

impl<S, L> Driver<S, L>
where
    S: DeliveryStore,
    L: LeaderLease + 'static,
{
    fn new(
        dispatcher: Arc<Dispatcher<S>>,
        lease: Arc<L>,
        config: LeaderConfig,
        polling: PollingConfig,
        stop: CancellationToken,
    ) -> Self {
        Self {
            dispatcher,
            lease,
            machine: LeaderMachine::new(config),
            clock: TokioClock::new(),
            backoff: Backoff::new(&polling),
            polling,
            stop,
            stopping: false,
            store: None,
            wake: None,
            poll: false,
            fetch: None,
            batch: None,
            offset: None,
            resume_at: None,
            fetch_failures: FetchFailures::default(),
            logged: Phase::Standby,
            busy_logged: false,
            store_failing: false,
        }
    }

    async fn run(mut self) -> ExitReason {
        let config = *self.machine.config();
        info!(
            ttl_secs = config.ttl().as_secs_f64(),
            renew_every_secs = config.renew_period().as_secs_f64(),
            shortest_poll_timeout_secs = config.max_poll_timeout().as_secs(),
            preempt = config.preempt(),
            exit_on_conflict = config.exit_on_conflict(),
            "leader polling started: standing by until the lease is ours"
        );
        let mut events = vec![Event::Tick];
        loop {
            for event in std::mem::take(&mut events) {
                if let Some(reason) = self.feed(event, &mut events).await {
                    self.finish_batch().await;
                    info!(status = reason.code(), "leader polling stopped");
                    return reason;
                }
            }
            if !events.is_empty() {
                continue;
            }
            self.start_fetch();
            match self.next_wake().await {
                Wake::Stop => {
                    self.stopping = true;
                    events.push(Event::ShutdownRequested);
                }
                Wake::Store((event, failure)) => {
                    self.store = None;
                    self.note_store_answer(&event, failure);
                    events.push(event);
                }
                Wake::Tick => {
                    self.wake = None;
                    events.push(Event::Tick);
                }
                Wake::Fetched(result) => {
                    self.fetch = None;
                    if let Some(event) = self.fetched(result) {
                        events.push(event);
                    }
                }
                Wake::FetchOverdue => {
                    debug!("getUpdates did not answer by its deadline; cancelled");
                    self.cancel_fetch();
                }
                Wake::Batch(joined) => {
                    self.batch = None;
                    self.batch_done(joined);
                }
                Wake::Resume => self.resume_at = None,
            }
        }
    }

    /// Waits for the first thing to happen.
    async fn next_wake(&mut self) -> Wake {
        let tick = self.wake.map(|at| self.clock.instant(at));
        let overdue = self.fetch.as_ref().map(|fetch| fetch.give_up_at);
        let idle = self.poll && self.fetch.is_none() && self.batch.is_none();
        let resume = self.resume_at.filter(|_| idle);
        tokio::select! {
            biased;
            () = self.stop.cancelled(), if !self.stopping => Wake::Stop,
            answer = maybe(self.store.as_mut()) => Wake::Store(answer),
            () = maybe_sleep(tick) => Wake::Tick,
            result = maybe(self.fetch.as_mut().map(|fetch| &mut fetch.call)) => Wake::Fetched(result),
            () = maybe_sleep(overdue) => Wake::FetchOverdue,
            joined = maybe(self.batch.as_mut()) => Wake::Batch(joined),
            () = maybe_sleep(resume) => Wake::Resume,
        }
    }

    /// Feeds `event` to the machine and carries out its actions; the events they lead to at
    /// once go to `events`. Returns the exit reason when the machine is done.
    async fn feed(&mut self, event: Event, events: &mut Vec<Event>) -> Option<ExitReason> {
        let busy = event == Event::LeaseBusy;
        let now = self.clock.now();
        let actions = self.machine.handle(now, event);
        self.log_phase(now, busy);
        // The answer replaces the timer; one without a SleepUntil leaves none.
        self.wake = None;
        let mut exit = None;
        for action in actions {
            match action {
                Action::TryAcquire => {
                    let lease = Arc::clone(&self.lease);
                    self.call_store("acquire", async move { lease.acquire().await }, |result| {
                        Event::from_acquire(result)
                    });
                }
                Action::Preempt => {
                    let lease = Arc::clone(&self.lease);
                    self.call_store("preempt", async move { lease.preempt().await }, |result| {
                        Event::from_preempt(result)
                    });
                }
                Action::Renew(held) => {
                    let lease = Arc::clone(&self.lease);
                    self.call_store("renew", async move { lease.renew(&held).await }, |result| {
                        Event::from_renew(result)
                    });
                }
                Action::Release(held) => {
                    let lease = Arc::clone(&self.lease);
                    self.call_store(
                        "release",
                        async move { lease.release(&held).await },
                        |result| {
                            match result {
                                Ok(true) => info!("polling lease released"),
                                Ok(false) => info!("the polling lease was no longer ours"),
                                Err(_) => {}
                            }
                            Event::Released
                        },
                    );
                }
                Action::StartPolling => {
                    debug!("polling");
                    self.poll = true;
                }
                Action::StopPolling => {
                    debug!("polling paused");
                    self.poll = false;
                    self.cancel_fetch();
                }
                Action::ConfirmOffset => {
                    self.confirm().await;
                    events.push(Event::OffsetConfirmed);
                }
                Action::SleepUntil(at) => self.wake = Some(at),
                Action::Exit(reason) => exit = Some(reason),
            }
        }
        exit
    }

    /// Starts `call` as the store call in flight, bounded by the store-call limit.
    fn call_store<T, F>(
        &mut self,
        what: &'static str,
        call: F,
        into_event: impl FnOnce(Result<T, LeaseError>) -> Event + Send + 'static,
    ) where
        F: Future<Output = Result<T, LeaseError>> + Send + 'static,
    {
        let limit = self.machine.config().store_call_limit();
        self.store = Some(Box::pin(async move {
            let result = match tokio::time::timeout(limit, call).await {
                Ok(result) => result,
                Err(_) => Err(LeaseError::Unavailable(Box::new(NoAnswer(limit)))),
            };
            let failure = result
                .as_ref()
                .err()
                .map(|error| format!("lease {what} failed: {}", error.with_causes()));
            (into_event(result), failure)
        }));
    }

    /// Logs the first failure of a run of failed store calls, and the first success after.
    fn note_store_answer(&mut self, event: &Event, failure: Option<String>) {
        match failure {
            Some(failure) => {
                if !self.store_failing {
                    warn!("{failure}; trying again");
                    self.store_failing = true;
                }
            }
            None => {
                if self.store_failing {
                    info!(?event, "the lease store answers again");
                    self.store_failing = false;
                }
            }
        }
    }

    /// Logs a change of phase once, and a standby's first finding that the lease is held.
    fn log_phase(&mut self, now: Millis, found_busy: bool) {
        let phase = self.machine.phase();
        if phase != self.logged {
            match phase {
                Phase::Leader => {
                    self.dispatcher.metrics().leader_transition(Role::Leader);
                    if let Some(lease) = self.machine.lease() {
                        let wait = self
                            .machine
                            .polls_from()
                            .map_or(Duration::ZERO, |from| from.saturating_since(now));
                        if wait.is_zero() {
                            info!(
                                fencing = lease.fencing().get(),
                                instance = %lease.instance(),
                                "leading: the polling lease is ours; polling"
                            );
                        } else {
                            info!(
                                fencing = lease.fencing().get(),
                                instance = %lease.instance(),
                                wait_secs = wait.as_secs_f64(),
                                "leading: took the polling lease over; polling starts once the \
                                 previous holder has stood down"
                            );
                        }
                    }
                    self.busy_logged = false;
                }
                Phase::Standby => {
                    self.dispatcher.metrics().leader_transition(Role::Standby);
                    warn!(
                        "standing by: the polling lease was lost or could not be renewed in \
                         time; polling stopped"
                    );
                }
                Phase::SteppingDown => {
                    info!("stepping down: confirming the offset, then releasing the polling lease");
                }
                Phase::Exited(ExitReason::LeaseHeld) => {
                    warn!("another instance holds the polling lease; exiting (EXIT_ON_CONFLICT)");
                }
                Phase::Exited(ExitReason::Shutdown) => {}
            }
            self.logged = phase;
        }
        if phase == Phase::Standby && found_busy && !self.busy_logged {
            info!("standing by: another instance holds the polling lease");
            self.busy_logged = true;
        }
    }

    /// Starts a getUpdates when the machine says to poll and allows one now.
    fn start_fetch(&mut self) {
        if !self.poll || self.fetch.is_some() || self.batch.is_some() || self.resume_at.is_some() {
            return;
        }
        let now = self.clock.now();
        let (Some(deadline), Some(timeout)) = (
            self.machine.poll_deadline(now),
            self.machine.poll_timeout(now),
        ) else {
            // The instant to stop polling has come; its Tick is on its way.
            return;
        };
        let telegram = self.dispatcher.telegram().clone();
        let offset = self.offset;
        let limit = self.polling.limit;
        let timeout = whole_seconds(timeout);
        self.fetch = Some(Fetch {
            call: Box::pin(async move {
                telegram
                    .get_updates(offset, limit, timeout, ALLOWED_UPDATES)
                    .await
            }),
            give_up_at: self.clock.instant(deadline),
        });
    }

    /// Drops the getUpdates in flight, if any; the next one waits a moment.
    fn cancel_fetch(&mut self) {
        if self.fetch.take().is_some() {
            let settled = Instant::now() + LeaderConfig::CANCEL_SETTLE;
            self.resume_at = Some(self.resume_at.map_or(settled, |at| at.max(settled)));
        }
    }

    /// Takes in the answer of a getUpdates; a 409 becomes an event for the machine.
    fn fetched(&mut self, result: Result<Vec<RawUpdate>, TelegramError>) -> Option<Event> {
        match result {
            Ok(batch) => {
                self.fetch_failures.clear(self.dispatcher.metrics());
                if !batch.is_empty() {
                    let dispatcher = Arc::clone(&self.dispatcher);
                    self.batch = Some(tokio::spawn(
                        async move { dispatcher.handle_batch(batch).await },
                    ));
                }
                None
            }
            Err(error) => {
                let conflict = self
                    .fetch_failures
                    .failed(&error, self.dispatcher.metrics());
                self.resume_at = Some(Instant::now() + self.backoff.next());
                conflict.map(|_| Event::Conflict)
            }
        }
    }

    /// Takes in what became of a batch.
    fn batch_done(&mut self, joined: Result<BatchOutcome, tokio::task::JoinError>) {
        let handled = match joined {
            Ok(outcome) => settle_batch(outcome, &mut self.offset),
            Err(error) => {
                warn!(%error, "the handling of a batch ended abnormally; its updates will come again");
                false
            }
        };
        if handled {
            self.backoff.reset();
        } else {
            self.resume_at = Some(Instant::now() + self.backoff.next());
        }
    }

    /// Waits, within [`BATCH_GRACE`], for the batch in hand to be handled.
    async fn finish_batch(&mut self) {
        let Some(batch) = self.batch.take() else {
            return;
        };
        match tokio::time::timeout(BATCH_GRACE, batch).await {
            Ok(joined) => self.batch_done(joined),
            Err(_) => {
                warn!("updates in hand did not finish within {BATCH_GRACE:?}; they will come again")
            }
        }
    }

    /// The machine's [`Action::ConfirmOffset`]: finish the batch in hand, then tell Telegram
    /// what was handled.
    async fn confirm(&mut self) {
        self.finish_batch().await;
        let Some(offset) = self.offset else {
            return;
        };
        if let Some(at) = self
            .resume_at
            .filter(|at| *at <= Instant::now() + LeaderConfig::CANCEL_SETTLE)
        {
            tokio::time::sleep_until(at).await;
        }
        let telegram = self.dispatcher.telegram();
        if tokio::time::timeout(CONFIRM_LIMIT, confirm_offset(telegram, offset))
            .await
            .is_err()
        {
            warn!(
                offset,
                "confirming the offset took over {CONFIRM_LIMIT:?}; the next leader will skip the repeats"
            );
        }
    }
}

/// The output of `future`, or never when there is none.
async fn maybe<F: Future + Unpin>(future: Option<&mut F>) -> F::Output {
    match future {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}

/// Sleeps until `at`, or forever when there is no instant.
async fn maybe_sleep(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    use tokio::task::JoinHandle;
    use vitrina_dialog::{Dialog, Settings};
    use vitrina_fake_bot_api::{Config, FakeBotApi, Handle, LOAD_USER_BASE, RunningServer};
    use vitrina_i18n::Catalog;
    use vitrina_storage::Db;
    use vitrina_telegram::TelegramClient;
    use vitrina_update_source::memory::{MemoryLease, MemoryLeaseStore};
    use vitrina_update_source::{InstanceId, Lease, LeaseHolder, RenewOutcome};

    use super::*;

    const TTL: Duration = Duration::from_secs(5);
    const WAIT: Duration = Duration::from_secs(20);

    /// The lease store the instances of a test share, on tokio's clock.
    type LeaseStore = MemoryLeaseStore<TokioClock>;

    /// What the instances' leases were seen doing.
    #[derive(Default)]
    struct Observations {
        renewals: AtomicU64,
        /// What the double had pending at each release.
        pending_at_release: Mutex<Vec<usize>>,
    }

    /// An instance's in-memory lease, observed.
    struct ObservedLease {
        lease: MemoryLease<TokioClock>,
        api: Handle,
        observations: Arc<Observations>,
    }

    impl LeaderLease for ObservedLease {
        async fn acquire(&self) -> Result<Option<Lease>, LeaseError> {
            self.lease.acquire().await
        }

        async fn preempt(&self) -> Result<Lease, LeaseError> {
            self.lease.preempt().await
        }

        async fn renew(&self, lease: &Lease) -> Result<RenewOutcome, LeaseError> {
            self.observations.renewals.fetch_add(1, Ordering::SeqCst);
            self.lease.renew(lease).await
        }

        async fn release(&self, lease: &Lease) -> Result<bool, LeaseError> {
            let pending = self.api.stats().pending_updates;
            self.observations
                .pending_at_release
                .lock()
                .unwrap()
                .push(pending);
            self.lease.release(lease).await
        }

        async fn holder(&self) -> Result<Option<LeaseHolder>, LeaseError> {
            self.lease.holder().await
        }
    }

    /// The double, a database, and the instances started on them.
    struct World {
        server: RunningServer,
        dispatcher: Arc<Dispatcher<Db>>,
        store: Arc<LeaseStore>,
        observed: Arc<Observations>,
        _dir: tempfile::TempDir,
    }

    struct Instance {
        name: InstanceId,
        stop: CancellationToken,
        task: JoinHandle<ExitReason>,
    }

    impl World {
        async fn new() -> World {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
            let db = Db::connect(&url).await.unwrap();
            db.migrate().await.unwrap();
            let server = FakeBotApi::start(Config::default()).await.unwrap();
            let catalog = Arc::new(Catalog::load().unwrap());
            let dialog = Dialog::new(catalog, Settings::default());
            let telegram = TelegramClient::new(&server.base_url(), server.token())
                .unwrap()
                .with_rate_limits(None);
            World {
                dispatcher: Arc::new(Dispatcher::new(db, dialog, telegram, 8)),
                server,
                store: Arc::new(MemoryLeaseStore::new(TokioClock::new())),
                observed: Arc::default(),
                _dir: dir,
            }
        }

        fn api(&self) -> &Handle {
            self.server.handle()
        }

        /// The instance holding the lease now.
        fn holder(&self) -> Option<InstanceId> {
            self.store
                .stored()
                .map(|(lease, _)| lease.instance().clone())
        }

        /// An instance sharing the dispatcher (as processes share the database).
        fn start(&self, name: &str, config: LeaderConfig) -> Instance {
            let lease = ObservedLease {
                lease: self.store.lease(name, TTL),
                api: self.api().clone(),
                observations: Arc::clone(&self.observed),
            };
            let name = lease.lease.instance().clone();
            let stop = CancellationToken::new();
            let polling = PollingConfig {
                backoff: Duration::from_millis(100),
                ..PollingConfig::default()
            };
            let task = tokio::spawn(poll_as_leader(
                Arc::clone(&self.dispatcher),
                lease,
                config,
                polling,
                stop.clone(),
            ));
            Instance { name, stop, task }
        }

        async fn wait_for_holder(&self, expected: Option<&InstanceId>) {
            let deadline = Instant::now() + WAIT;
            while self.holder().as_ref() != expected {
                assert!(
                    Instant::now() < deadline,
                    "the lease is held by {:?}, not {expected:?}",
                    self.holder()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }

        /// Each user sends /start once; each gets exactly one answer, the language picker.
        async fn each_answered_once(&self, users: std::ops::Range<i64>) {
            for user in users.clone() {
                self.api().send_text(user, "/start").await;
            }
            for user in users {
                let chat = self
                    .api()
                    .wait_for_bot_messages(user, 1, WAIT)
                    .await
                    .unwrap();
                assert_eq!(chat.bot_messages().count(), 1, "{chat}");
            }
        }
    }

    impl Instance {
        async fn stop(self) -> ExitReason {
            self.stop.cancel();
            tokio::time::timeout(WAIT, self.task)
                .await
                .unwrap()
                .unwrap()
        }
    }

    fn config() -> LeaderConfig {
        LeaderConfig::new(TTL).unwrap()
    }

    /// The value of one sample of the dispatcher's metrics, e.g. `name{label="value"}`.
    fn metric(world: &World, sample: &str) -> f64 {
        let text = world.dispatcher.metrics().render();
        text.lines()
            .find_map(|line| line.strip_prefix(sample)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("no {sample} in\n{text}"))
            .parse()
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_stop_finishes_the_batch_in_hand_and_confirms_it_before_releasing_the_lease() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        world.each_answered_once(1..4).await;
        // A batch of 40 chats, queued at once so that one getUpdates takes them all; the stop
        // comes with its first answer, while it is in hand.
        world.api().inject_text_load(40, 40).await;
        world
            .api()
            .wait_for_stats(|stats| stats.calls_of("sendMessage") > 3, WAIT)
            .await
            .unwrap();
        assert_eq!(one.stop().await, ExitReason::Shutdown);
        for user in LOAD_USER_BASE..LOAD_USER_BASE + 40 {
            assert_eq!(world.api().chat(user).bot_messages().count(), 1, "{user}");
        }
        assert_eq!(world.holder(), None, "the lease was released");
        assert_eq!(
            *world.observed.pending_at_release.lock().unwrap(),
            [0],
            "every handled update was confirmed before the release"
        );
        assert_eq!(world.api().stats().peak_get_updates_in_flight, 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn only_the_holder_polls_and_a_standby_takes_over_after_a_clean_stop() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        let two = world.start("two", config());
        world.each_answered_once(1..6).await;

        let stopped_at = Instant::now();
        assert_eq!(one.stop().await, ExitReason::Shutdown);
        world.wait_for_holder(Some(&two.name)).await;
        // A standby retries every second: a released lease is taken at its next try.
        assert!(
            stopped_at.elapsed() < Duration::from_secs(4),
            "{:?}",
            stopped_at.elapsed()
        );
        world.each_answered_once(6..11).await;

        assert_eq!(two.stop().await, ExitReason::Shutdown);
        assert_eq!(world.api().stats().peak_get_updates_in_flight, 1);
        assert_eq!(world.api().stats().conflicts, 0);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_standby_exits_with_status_3_when_told_to_exit_on_conflict() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        let calls = world.api().stats().calls_of("getUpdates");
        let two = world.start("two", config().with_exit_on_conflict(true));
        let reason = tokio::time::timeout(WAIT, two.task).await.unwrap().unwrap();
        assert_eq!(reason, ExitReason::LeaseHeld);
        assert_eq!(reason.code(), 3);
        assert_eq!(world.holder(), Some(one.name.clone()));
        world.each_answered_once(1..3).await;
        assert_eq!(one.stop().await, ExitReason::Shutdown);
        assert!(world.api().stats().calls_of("getUpdates") > calls);
        assert_eq!(world.api().stats().peak_get_updates_in_flight, 1);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_leader_cut_off_from_the_store_stops_polling_before_its_lease_can_expire() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        world.each_answered_once(1..3).await;

        world.store.set_unreachable(true);
        let (_, expiry) = world.store.stored().unwrap();
        let clock = world.store.clock();
        // The last getUpdates the double saw start or end, watched until well past the expiry.
        let mut last_poll = clock.now();
        let mut seen = world.api().stats().calls_of("getUpdates");
        while clock.now() < expiry.saturating_add(Duration::from_secs(2)) {
            let stats = world.api().stats();
            if stats.get_updates_in_flight > 0 || stats.calls_of("getUpdates") != seen {
                last_poll = clock.now();
                seen = stats.calls_of("getUpdates");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            last_poll < expiry,
            "polling went on {:?} past the expiry of the lease",
            last_poll.saturating_since(expiry)
        );

        // The store comes back: the lease expired meanwhile, and the instance leads again.
        world.store.set_unreachable(false);
        world.wait_for_holder(Some(&one.name)).await;
        world.each_answered_once(3..5).await;
        assert_eq!(one.stop().await, ExitReason::Shutdown);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_conflict_makes_the_leader_check_its_lease_and_go_on() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        world
            .api()
            .wait_for_stats(|stats| stats.get_updates_in_flight == 1, WAIT)
            .await
            .unwrap();
        let renewals = world.observed.renewals.load(Ordering::SeqCst);
        // Another poller with the same token: the leader's long poll ends with 409.
        let rogue = TelegramClient::new(&world.server.base_url(), world.server.token()).unwrap();
        rogue
            .get_updates(None, 1, 0, ALLOWED_UPDATES)
            .await
            .unwrap();
        world
            .api()
            .wait_for_stats(|stats| stats.conflicts >= 1, WAIT)
            .await
            .unwrap();
        let checked = Instant::now() + WAIT;
        while world.observed.renewals.load(Ordering::SeqCst) == renewals {
            assert!(Instant::now() < checked, "no renewal after the 409");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        world.each_answered_once(1..3).await;
        assert_eq!(world.holder(), Some(one.name.clone()));
        assert_eq!(
            metric(&world, "vitrina_conflicts_total{cause=\"other_poller\"}"),
            1.0
        );
        assert_eq!(one.stop().await, ExitReason::Shutdown);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_preempting_instance_takes_over_and_the_old_leader_stands_by() {
        let world = World::new().await;
        let one = world.start("one", config());
        world.wait_for_holder(Some(&one.name)).await;
        world.each_answered_once(1..3).await;
        let two = world.start("two", config().with_preempt(true));
        world.wait_for_holder(Some(&two.name)).await;
        // The old leader learns at its next renewal and stops polling before the new one
        // starts: the two never poll at once, and no 409 is needed.
        world.each_answered_once(3..8).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(world.api().stats().peak_get_updates_in_flight, 1);
        assert_eq!(world.api().stats().conflicts, 0);
        assert_eq!(world.holder(), Some(two.name.clone()));
        // Both instances count into the one dispatcher here.
        assert_eq!(
            metric(&world, "vitrina_leader_transitions_total{to=\"leader\"}"),
            2.0
        );
        assert_eq!(
            metric(&world, "vitrina_leader_transitions_total{to=\"standby\"}"),
            1.0
        );
        assert_eq!(one.stop().await, ExitReason::Shutdown);
        assert_eq!(
            world.holder(),
            Some(two.name.clone()),
            "a standby releases nothing"
        );
        assert_eq!(two.stop().await, ExitReason::Shutdown);
    }
}
