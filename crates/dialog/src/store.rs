use std::future::Future;

use vitrina_cards::{RepositoryResult, Timestamp, UserId};
use vitrina_moderation::AdminRepository;

use crate::user::{UserProfile, UserRepository};

/// What every update reads first ([`DialogStore::person_and_dialog`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonAndDialog {
    /// The person's profile, created empty on first sight.
    pub profile: UserProfile,
    /// Their dialog state, unless absent or expired.
    pub state: Option<String>,
    /// Whether they are an admin added in the storage (`bot admin add`); those of the
    /// configuration the dialog knows itself.
    pub stored_admin: bool,
}

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

    /// The profile of `user` (created empty on first sight, as [`UserRepository::user`]),
    /// their state (as [`DialogStore::load_dialog`] at `now`) and whether they are a stored
    /// admin: what every update reads first. One call, so that a store can read it all in one
    /// query; by default the three calls.
    ///
    /// # Errors
    /// `Unavailable`.
    fn person_and_dialog(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<PersonAndDialog>> + Send
    where
        Self: UserRepository + AdminRepository,
    {
        async move {
            let profile = self.user(user).await?;
            let state = self.load_dialog(user, now).await?;
            let stored_admin = self.admins().await?.contains(&user);
            Ok(PersonAndDialog {
                profile,
                state,
                stored_admin,
            })
        }
    }
}
