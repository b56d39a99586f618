//! Long polling in single mode: one process polls, handles each batch, then confirms it. The
//! pieces shared with the leader's loop ([`crate::leader`]) live here too.

use std::hash::{BuildHasher as _, RandomState};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tracing::{info, warn};
use vitrina_telegram::{ConflictCause, TelegramClient, TelegramError, UpdateKind};
use vitrina_update_source::{Jitter, Millis, OutageLog, OutageReport, RetryPolicy};

use crate::dispatcher::{BatchOutcome, DeliveryStore, Dispatcher};
use crate::metrics::Metrics;

/// The update kinds the bot asks for; everything else stays on Telegram's side.
pub const ALLOWED_UPDATES: &[UpdateKind] = &[
    UpdateKind::Message,
    UpdateKind::CallbackQuery,
    UpdateKind::InlineQuery,
];

/// How the polling loop behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollingConfig {
    /// The long-poll timeout of each getUpdates (Telegram clamps it to 50 s). In leader mode
    /// the lease decides it instead.
    pub timeout: Duration,
    /// Updates asked for at once (1–100).
    pub limit: u32,
    /// The pause after a failed getUpdates or a batch that could not be handled, doubling up
    /// to `max_backoff`.
    pub backoff: Duration,
    /// The longest pause.
    pub max_backoff: Duration,
}

impl Default for PollingConfig {
    fn default() -> PollingConfig {
        PollingConfig {
            timeout: Duration::from_secs(25),
            limit: 100,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// Polls until `stop` is cancelled, then confirms what was handled and returns.
///
/// An update is confirmed (by the `offset` of the next getUpdates) only after it was handled,
/// so a crash repeats updates rather than loses them; the journal makes the repeat harmless.
/// A 409 is never fatal: its cause is logged once and polling goes on after a pause.
pub async fn poll<S>(dispatcher: Arc<Dispatcher<S>>, config: PollingConfig, stop: CancellationToken)
where
    S: DeliveryStore,
{
    let telegram: &TelegramClient = dispatcher.telegram();
    let mut offset: Option<i64> = None;
    let mut backoff = Backoff::new(&config);
    let mut failures = FetchFailures::default();
    let timeout = whole_seconds(config.timeout);
    info!(timeout_secs = timeout, "polling started");
    loop {
        let batch = tokio::select! {
            () = stop.cancelled() => break,
            batch = telegram.get_updates(offset, config.limit, timeout, ALLOWED_UPDATES) => batch,
        };
        let pause = match batch {
            Ok(batch) => {
                failures.clear(dispatcher.metrics());
                if batch.is_empty() {
                    backoff.reset();
                    continue;
                }
                // A batch in hand is finished even when a stop is asked for meanwhile.
                let outcome = dispatcher.handle_batch(batch).await;
                if settle_batch(outcome, &mut offset) {
                    backoff.reset();
                    continue;
                }
                true
            }
            Err(error) => {
                failures.failed(&error, dispatcher.metrics());
                true
            }
        };
        if pause {
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(backoff.next()) => {}
            }
        }
    }
    if let Some(offset) = offset {
        // Confirm the last batch so that the next poller does not repeat it.
        confirm_offset(telegram, offset).await;
    }
    info!("polling stopped");
}

/// The long-poll timeout in whole seconds, as getUpdates takes it.
pub(crate) fn whole_seconds(timeout: Duration) -> u32 {
    u32::try_from(timeout.as_secs()).unwrap_or(50)
}

/// The pause after failures: the configured backoff, doubling up to its maximum, jittered,
/// back to the start after a success ([`vitrina_update_source::Backoff`] with a random draw).
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    pauses: vitrina_update_source::Backoff,
    draws: RandomState,
    drawn: u64,
}

impl Backoff {
    pub(crate) fn new(config: &PollingConfig) -> Backoff {
        Backoff {
            pauses: vitrina_update_source::Backoff::new(RetryPolicy {
                initial: config.backoff,
                max: config.max_backoff,
            }),
            draws: RandomState::new(),
            drawn: 0,
        }
    }

    /// After a success: the next failure pauses briefly again.
    pub(crate) fn reset(&mut self) {
        self.pauses.succeeded();
    }

    /// The pause after this failure; the one after the next is about twice as long.
    pub(crate) fn next(&mut self) -> Duration {
        self.drawn = self.drawn.wrapping_add(1);
        // A random draw without a dependency: the process's random hash keys over a counter.
        let bits = self.draws.hash_one(self.drawn) >> 11;
        #[allow(clippy::cast_precision_loss, reason = "53 bits fit an f64 exactly")]
        let draw = bits as f64 / (1u64 << 53) as f64;
        self.pauses.failed(Jitter::new(draw))
    }
}

/// How long an outage of Telegram goes without a line in the log.
const OUTAGE_SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// Logs failed getUpdates calls: a 409 once per cause in a row (the server may send one every
/// few seconds for as long as the other poller or the webhook stays); Telegram or the network
/// being down at its start, once a minute while it lasts, and at its end.
#[derive(Debug)]
pub(crate) struct FetchFailures {
    last_conflict: Option<ConflictCause>,
    outage: OutageLog,
    started: Instant,
}

impl Default for FetchFailures {
    fn default() -> FetchFailures {
        FetchFailures {
            last_conflict: None,
            outage: OutageLog::new(OUTAGE_SUMMARY_EVERY),
            started: Instant::now(),
        }
    }
}

impl FetchFailures {
    /// The instant the outage log counts in.
    fn now(&self) -> Millis {
        Millis::from_millis(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    /// A getUpdates succeeded: the next 409 is news again, and an outage is over.
    pub(crate) fn clear(&mut self, metrics: &Metrics) {
        self.last_conflict = None;
        if let Some(OutageReport::Ended { failures, lasted }) = self.outage.succeeded(self.now()) {
            info!(
                failures,
                lasted_secs = lasted.as_secs(),
                "Telegram is reachable again"
            );
        }
        metrics.set_telegram_reachable(true);
    }

    /// Logs a failed getUpdates and counts a 409 in `metrics`; the cause of a 409.
    pub(crate) fn failed(
        &mut self,
        error: &TelegramError,
        metrics: &Metrics,
    ) -> Option<ConflictCause> {
        let cause = error.conflict_cause();
        match cause {
            Some(cause) => {
                metrics.conflict(cause);
                // Telegram answered: it is reachable.
                metrics.set_telegram_reachable(true);
                if self.last_conflict != Some(cause) {
                    warn!(?cause, "getUpdates answered 409: {error}");
                    self.last_conflict = Some(cause);
                }
            }
            None => {
                metrics.set_telegram_reachable(false);
                match self.outage.failed(self.now()) {
                    OutageReport::Started => warn!(
                        %error,
                        "getUpdates failed: Telegram is unreachable; retrying with growing pauses"
                    ),
                    OutageReport::Continuing { failures, since } => warn!(
                        %error,
                        failures,
                        for_secs = self.now().as_millis().saturating_sub(since.as_millis()) / 1000,
                        "Telegram is still unreachable"
                    ),
                    OutageReport::Quiet | OutageReport::Ended { .. } => {}
                }
            }
        }
        cause
    }
}

/// Takes in what became of a batch: moves `offset` past the updates that may be confirmed
/// and tells whether every update was handled (otherwise the rest come again, after a pause).
pub(crate) fn settle_batch(outcome: BatchOutcome, offset: &mut Option<i64>) -> bool {
    if let Some(next) = outcome.next_offset {
        *offset = Some(next);
    }
    match outcome.failure {
        None => true,
        Some(failure) => {
            warn!(%failure, "updates could not be handled; they will come again");
            false
        }
    }
}

/// Tells Telegram that the updates before `offset` were handled, with a getUpdates that waits
/// for nothing; whether it got through. Any update it returns stays unconfirmed.
pub(crate) async fn confirm_offset(telegram: &TelegramClient, offset: i64) -> bool {
    match telegram
        .get_updates(Some(offset), 1, 0, ALLOWED_UPDATES)
        .await
    {
        Ok(_) => {
            info!(offset, "offset confirmed");
            true
        }
        Err(error) => {
            warn!(%error, offset, "could not confirm the offset");
            false
        }
    }
}
