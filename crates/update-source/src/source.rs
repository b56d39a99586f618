//! The update-source port: where Telegram updates come from, by long polling or by webhook.

use std::fmt;
use std::future::Future;
use std::time::Duration;

/// Telegram's `update_id`: increasing within a run of updates, but after a quiet week the
/// next one may be anywhere, so a gap or a smaller id is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UpdateId(u32);

impl UpdateId {
    /// The id Telegram sent.
    #[must_use]
    pub const fn new(value: u32) -> Self {
        Self(value)
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The getUpdates `offset` that confirms this update and every earlier one.
    #[must_use]
    pub fn next_offset(self) -> i64 {
        i64::from(self.0) + 1
    }
}

impl fmt::Display for UpdateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One update as it arrived: its id, read on its own, and its body, left undecoded.
///
/// Decoding happens later and update by update, so that a kind of update this program does
/// not know yet is skipped alone instead of failing its whole batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawUpdate {
    id: UpdateId,
    payload: Vec<u8>,
}

impl RawUpdate {
    /// An update with id `id` and JSON body `payload`.
    #[must_use]
    pub fn new(id: UpdateId, payload: Vec<u8>) -> Self {
        Self { id, payload }
    }

    /// Its `update_id`.
    #[must_use]
    pub fn id(&self) -> UpdateId {
        self.id
    }

    /// Its JSON body.
    #[must_use]
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Its JSON body, by value.
    #[must_use]
    pub fn into_payload(self) -> Vec<u8> {
        self.payload
    }
}

/// Why a source yielded no batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Telegram ended this getUpdates because another one (or a setWebhook) began: another
    /// instance may be polling. The leader must check its lease before polling again.
    #[error("getUpdates was terminated by another request: {description}")]
    Conflict {
        /// Telegram's description of the conflict.
        description: String,
    },
    /// Telegram refuses getUpdates because a webhook is set.
    #[error("getUpdates is refused while a webhook is set")]
    WebhookActive,
    /// Telegram could not be reached, answered 5xx, or asked to slow down; trying again
    /// later may succeed.
    #[error("the update source is unavailable: {reason}")]
    Unavailable {
        /// What went wrong, for the log.
        reason: String,
        /// How long Telegram asked to wait (the `retry_after` of a 429), if it did.
        retry_after: Option<Duration>,
    },
    /// The source has stopped for good and yields nothing more.
    #[error("the update source is closed")]
    Closed,
}

/// Where updates come from: the long-polling client of getUpdates, or the webhook endpoint.
///
/// Delivery is at least once: a source yields an update again until it is confirmed, so the
/// caller confirms an update only after it was handled, and de-duplicates by [`UpdateId`].
pub trait UpdateSource: Send {
    /// Waits up to `wait` for updates and returns those that came, oldest first; possibly
    /// none. A polling source passes `wait` as its long-poll timeout (whole seconds, rounded
    /// down) and delivers the confirmations recorded so far with the request.
    ///
    /// # Errors
    ///
    /// MUST return [`SourceError::Conflict`] for Telegram's 409 "terminated by other
    /// getUpdates request" (or by setWebhook), [`SourceError::WebhookActive`] for its 409
    /// "can't use getUpdates method while webhook is active", [`SourceError::Unavailable`]
    /// for network errors, 5xx and 429, and [`SourceError::Closed`] once the source has
    /// stopped. No update is lost on error: unconfirmed ones come again.
    fn next_batch(
        &mut self,
        wait: Duration,
    ) -> impl Future<Output = Result<Vec<RawUpdate>, SourceError>> + Send;

    /// Records that update `id` has been handled (or skipped for good). A polling source
    /// moves its offset past the updates it has yielded that are all confirmed, and tells
    /// Telegram with its next request or [`flush`](Self::flush); a webhook source answers
    /// the request that carried the update.
    fn confirm(&mut self, id: UpdateId);

    /// Makes the recorded confirmations reach Telegram now, without waiting for updates:
    /// the last step before the leader releases its lease, so that the next leader repeats
    /// nothing.
    ///
    /// # Errors
    ///
    /// MUST return [`SourceError::Unavailable`] when Telegram could not be told; the updates
    /// concerned are then delivered again and de-duplicated.
    fn flush(&mut self) -> impl Future<Output = Result<(), SourceError>> + Send;
}
