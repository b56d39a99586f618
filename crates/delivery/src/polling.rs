//! Long polling in single mode: one process polls, handles each batch, then confirms it.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};
use vitrina_dialog::DialogPorts;
use vitrina_telegram::{ConflictCause, TelegramClient, UpdateKind};
use vitrina_update_source::UpdateJournal;

use crate::dispatcher::Dispatcher;

/// The update kinds the bot asks for; everything else stays on Telegram's side.
pub const ALLOWED_UPDATES: &[UpdateKind] = &[UpdateKind::Message, UpdateKind::CallbackQuery];

/// How the polling loop behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollingConfig {
    /// The long-poll timeout of each getUpdates (Telegram clamps it to 50 s).
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
    S: DialogPorts + UpdateJournal + 'static,
{
    let telegram: &TelegramClient = dispatcher.telegram();
    let mut offset: Option<i64> = None;
    let mut backoff = config.backoff;
    let mut last_conflict: Option<ConflictCause> = None;
    let timeout = u32::try_from(config.timeout.as_secs()).unwrap_or(50);
    info!(timeout_secs = timeout, "polling started");
    loop {
        let batch = tokio::select! {
            () = stop.cancelled() => break,
            batch = telegram.get_updates(offset, config.limit, timeout, ALLOWED_UPDATES) => batch,
        };
        let pause = match batch {
            Ok(batch) => {
                last_conflict = None;
                if batch.is_empty() {
                    continue;
                }
                // A batch in hand is finished even when a stop is asked for meanwhile.
                let outcome = dispatcher.handle_batch(batch).await;
                if let Some(next) = outcome.next_offset {
                    offset = Some(next);
                }
                match outcome.failure {
                    None => {
                        backoff = config.backoff;
                        continue;
                    }
                    Some(failure) => {
                        warn!(%failure, "updates could not be handled; they will come again");
                        true
                    }
                }
            }
            Err(error) => match error.conflict_cause() {
                Some(cause) => {
                    if last_conflict != Some(cause) {
                        warn!(?cause, "getUpdates answered 409: {error}");
                        last_conflict = Some(cause);
                    }
                    true
                }
                None => {
                    error!(%error, "getUpdates failed");
                    true
                }
            },
        };
        if pause {
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(config.max_backoff);
        }
    }
    if let Some(offset) = offset {
        // Confirm the last batch so that the next poller does not repeat it.
        match telegram
            .get_updates(Some(offset), 1, 0, ALLOWED_UPDATES)
            .await
        {
            Ok(_) => info!(offset, "offset confirmed"),
            Err(error) => warn!(%error, offset, "could not confirm the offset"),
        }
    }
    info!("polling stopped");
}
