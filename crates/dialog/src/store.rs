use std::future::Future;

use vitrina_cards::{RepositoryResult, Timestamp, UserId};

use crate::user::{UserProfile, UserRepository};

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

    /// The profile of `user` (created empty on first sight, as [`UserRepository::user`]) and
    /// their state (as [`DialogStore::load_dialog`] at `now`): what every update reads first.
    /// One call, so that a store can read both in one query; by default the two calls.
    ///
    /// # Errors
    /// `Unavailable`.
    fn person_and_dialog(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<(UserProfile, Option<String>)>> + Send
    where
        Self: UserRepository,
    {
        async move {
            let profile = self.user(user).await?;
            let state = self.load_dialog(user, now).await?;
            Ok((profile, state))
        }
    }
}
