use std::future::Future;

use crate::source::UpdateId;

/// What a claim on an update found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The update is this caller's to handle: nobody had claimed it, or the claim there was
    /// stale (its holder died before finishing).
    Taken,
    /// It was handled to the end before: a redelivery, to confirm and skip.
    Handled,
    /// Someone else is handling it now: do not confirm it; it will come again.
    InProgress,
}

/// The store of handled update ids, through which a redelivered update changes nothing twice.
///
/// Delivery is at least once (a poll offset is confirmed only after its updates were handled;
/// Telegram repeats a webhook delivery that did not get a 2xx), so the same `update_id` can
/// arrive again — on this instance or another. An update is *claimed* before it is handled,
/// *completed* after its effects were sent, and *released* when handling could not finish.
/// A claim that is never completed — its instance was killed — goes stale and can be taken
/// over, so a crash delays an update instead of losing it.
pub trait UpdateJournal: Send + Sync {
    /// Claims `update` at `now_millis` (Unix milliseconds), taking over a claim made before
    /// `stale_before_millis` that was never completed. Atomic across instances: of two
    /// concurrent claims of one id exactly one is [`Claim::Taken`].
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached; the update must then
    /// not be confirmed.
    fn claim(
        &self,
        update: UpdateId,
        now_millis: i64,
        stale_before_millis: i64,
    ) -> impl Future<Output = Result<Claim, JournalError>> + Send;

    /// Records that `update` was handled to the end.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn complete(&self, update: UpdateId) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Gives an unfinished claim back after handling failed, so that a redelivery is handled
    /// at once.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn release(&self, update: UpdateId) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Gives back every unfinished claim; returns how many. Only for a process that knows it
    /// is the only one handling updates (single polling mode, at start), where an unfinished
    /// claim can only be a crashed predecessor's.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn release_unfinished(&self) -> impl Future<Output = Result<u64, JournalError>> + Send;

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
