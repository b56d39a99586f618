use std::future::Future;

use vitrina_cards::{RepositoryResult, Timestamp, UserId};

/// Where each person's dialog state lives between updates, so that a restart or another
/// instance continues a conversation where it stopped.
///
/// The state is opaque text (the dialog serializes it); each saved state carries its expiry,
/// after which it reads as absent — a wizard draft lives 24 hours.
pub trait DialogStore: Send + Sync {
    /// The state of `user`, unless absent or expired at `now`.
    ///
    /// # Errors
    /// `Unavailable`.
    fn load_dialog(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<Option<String>>> + Send;

    /// Replaces the state of `user`.
    ///
    /// # Errors
    /// `Unavailable`.
    fn save_dialog(
        &self,
        user: UserId,
        state: &str,
        expires_at: Timestamp,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Forgets the state of `user`.
    ///
    /// # Errors
    /// `Unavailable`.
    fn clear_dialog(&self, user: UserId) -> impl Future<Output = RepositoryResult<()>> + Send;
}
