use std::future::Future;

use crate::source::UpdateId;

/// The store of handled update ids, through which a redelivered update changes nothing twice.
///
/// Delivery is at least once (a poll offset is confirmed only after its updates were handled;
/// Telegram repeats a webhook delivery that did not get a 2xx), so the same `update_id` can
/// arrive again — on this instance or another. An update is *claimed* before it is handled
/// and the claim is given back if handling could not finish, so that exactly one delivery
/// takes effect.
pub trait UpdateJournal: Send + Sync {
    /// Records `update` as taken at `now_millis` (Unix milliseconds); `true` when it was not
    /// recorded before — the caller handles it — and `false` for a repeat. Atomic across
    /// instances: of two concurrent claims of one id exactly one is `true`.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached; the update must then
    /// not be confirmed.
    fn claim(
        &self,
        update: UpdateId,
        now_millis: i64,
    ) -> impl Future<Output = Result<bool, JournalError>> + Send;

    /// Gives a claim back after handling failed, so that a redelivery is handled.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn release(&self, update: UpdateId) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Forgets the ids claimed before `before_millis` (Unix milliseconds); returns how many.
    /// Telegram keeps an unconfirmed update for 24 hours, so a day's ids are enough.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn sweep(&self, before_millis: i64) -> impl Future<Output = Result<u64, JournalError>> + Send;
}

/// Why the journal could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The store cannot be reached; try again later.
    #[error("update journal unavailable: {0}")]
    Unavailable(String),
}
