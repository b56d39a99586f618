use std::future::Future;

use vitrina_cards::{Card, CardId, CardStatus, RepositoryResult, UserId};

use crate::admin_action::{AdminDecision, AdminOutcome};
use crate::decision::{Decision, LogEntry};

/// What became of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionOutcome {
    /// The card was pending and now has the verdict's status; the log has the entry. Carries
    /// the card as it is now, so its partner can be told.
    Applied(Box<Card>),
    /// The card was no longer pending: another decision (or its partner) came first. Nothing
    /// changed and nothing was logged.
    AlreadyDecided {
        /// The status the card has.
        current: CardStatus,
    },
}

/// The moderation queue and log.
pub trait ModerationRepository: Send + Sync {
    /// The oldest pending card (by the time it became pending, then by id) that is not in
    /// `skipped`.
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` when the stored row cannot be read as a card.
    fn next_pending(
        &self,
        skipped: &[CardId],
    ) -> impl Future<Output = RepositoryResult<Option<Card>>> + Send;

    /// How many cards are pending.
    ///
    /// # Errors
    /// `Unavailable`.
    fn pending_count(&self) -> impl Future<Output = RepositoryResult<u64>> + Send;

    /// Applies `decision` if and only if the card is still pending — one conditional update
    /// and its log entry in one transaction — so that of two concurrent decisions exactly one
    /// is [`DecisionOutcome::Applied`] and the other [`DecisionOutcome::AlreadyDecided`].
    ///
    /// # Errors
    /// `NotFound` when there is no such card or it is deleted; `Unavailable`.
    fn decide(
        &self,
        decision: &Decision,
    ) -> impl Future<Output = RepositoryResult<DecisionOutcome>> + Send;

    /// The log of one card, oldest first.
    ///
    /// # Errors
    /// `Unavailable`.
    fn log(&self, card: CardId) -> impl Future<Output = RepositoryResult<Vec<LogEntry>>> + Send;

    /// Applies an admin's action outside the queue — a takedown only to a published card, as
    /// one conditional update; featuring only when it changes the flag — with its log entry,
    /// in one transaction. A takedown makes the card rejected with the reason.
    ///
    /// # Errors
    /// `NotFound` when there is no such card or it is deleted; `Unavailable`.
    fn act(
        &self,
        decision: &AdminDecision,
    ) -> impl Future<Output = RepositoryResult<AdminOutcome>> + Send;
}

/// Admins added at run time; the configured ones are not stored.
pub trait AdminRepository: Send + Sync {
    /// Every stored admin.
    ///
    /// # Errors
    /// `Unavailable`.
    fn admins(&self) -> impl Future<Output = RepositoryResult<Vec<UserId>>> + Send;

    /// Adds an admin; `true` when they were not one already.
    ///
    /// # Errors
    /// `Unavailable`.
    fn add_admin(&self, user: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send;

    /// Removes a stored admin; `true` when they were one.
    ///
    /// # Errors
    /// `Unavailable`.
    fn remove_admin(&self, user: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send;
}
