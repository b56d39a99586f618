//! Long polling in single mode: one process polls, handles each batch, then confirms it. The
//! pieces shared with the leader's loop ([`crate::leader`]) live here too.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};
use vitrina_telegram::{ConflictCause, TelegramClient, TelegramError, UpdateKind};

use crate::dispatcher::{BatchOutcome, DeliveryStore, Dispatcher};
use crate::metrics::Metrics;

/// The update kinds the bot asks for; everything else stays on Telegram's side.
pub const ALLOWED_UPDATES: &[UpdateKind] = &[UpdateKind::Message, UpdateKind::CallbackQuery];

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
    let mut conflicts = ConflictLog::default();
    let timeout = whole_seconds(config.timeout);
    info!(timeout_secs = timeout, "polling started");
    loop {
        let batch = tokio::select! {
            () = stop.cancelled() => break,
            batch = telegram.get_updates(offset, config.limit, timeout, ALLOWED_UPDATES) => batch,
        };
        let pause = match batch {
            Ok(batch) => {
                conflicts.clear();
                if batch.is_empty() {
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
                conflicts.failed(&error, dispatcher.metrics());
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

/// The pause after failures: the configured backoff, doubling up to its maximum, back to the
/// start after a success.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub(crate) fn new(config: &PollingConfig) -> Backoff {
        Backoff {
            initial: config.backoff,
            max: config.max_backoff,
            next: config.backoff,
        }
    }

    /// After a success: the next failure pauses briefly again.
    pub(crate) fn reset(&mut self) {
        self.next = self.initial;
    }

    /// The pause after this failure; the one after the next is twice as long.
    pub(crate) fn next(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(self.max);
        pause
    }
}

/// Logs failed getUpdates calls, a 409 once per cause in a row: the server may send one every
/// few seconds for as long as the other poller or the webhook stays.
#[derive(Debug, Default)]
pub(crate) struct ConflictLog {
    last: Option<ConflictCause>,
}

impl ConflictLog {
    /// A getUpdates succeeded: the next 409 is news again.
    pub(crate) fn clear(&mut self) {
        self.last = None;
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
                if self.last != Some(cause) {
                    warn!(?cause, "getUpdates answered 409: {error}");
                    self.last = Some(cause);
                }
            }
            None => error!(%error, "getUpdates failed"),
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
