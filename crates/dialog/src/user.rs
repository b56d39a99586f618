//! A person as the dialog knows them, and the port that keeps them.

use std::future::Future;

use vitrina_cards::{CityId, RepositoryResult, UserId};

/// What Vitrina remembers of a person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserProfile {
    /// The Telegram id.
    pub id: UserId,
    /// The chosen language as a locale code (`ru`, `en`, `vi`, `ko`); `None` until chosen.
    /// Kept as the stored text: a code no longer offered reads as "not chosen".
    pub locale: Option<String>,
    /// The city last chosen in the catalog or the wizard.
    pub city: Option<CityId>,
    /// The version of the usage policy the person accepted.
    pub accepted_policy: Option<u32>,
    /// Telegram answered 403: the person blocked the bot, so nothing is sent until they write.
    pub blocked_bot: bool,
    /// Banned by an admin.
    pub banned: bool,
    /// Pressed *Become partner*.
    pub is_partner: bool,
    /// Their first name in Telegram when they last submitted a card.
    pub first_name: Option<String>,
    /// Their `@username` (without the `@`) when they last submitted a card.
    pub username: Option<String>,
}

impl UserProfile {
    /// Whether the person has accepted `current`, the policy version in force.
    pub fn has_accepted(&self, current: u32) -> bool {
        self.accepted_policy
            .is_some_and(|accepted| accepted >= current)
    }
}

/// What deleting a person's data removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forgotten {
    /// Whether there was a profile.
    pub profile: bool,
    /// How many of their cards were removed, whatever their status.
    pub cards: u64,
}

/// People: their language, city, consent and standing.
pub trait UserRepository: Send + Sync {
    /// The profile of `id`, created empty on first sight.
    ///
    /// # Errors
    /// `Unavailable`.
    fn user(&self, id: UserId) -> impl Future<Output = RepositoryResult<UserProfile>> + Send;

    /// The profile of `id` if they ever used the bot, created for nobody: for what a person
    /// does without opening the bot (an inline query in another chat), which must leave
    /// nothing about them behind.
    ///
    /// # Errors
    /// `Unavailable`.
    fn known_user(
        &self,
        id: UserId,
    ) -> impl Future<Output = RepositoryResult<Option<UserProfile>>> + Send;

    /// Remembers the chosen locale code.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_locale(
        &self,
        id: UserId,
        locale: &str,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Remembers the chosen city.
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` for a city that is not in the reference data.
    fn set_city(
        &self,
        id: UserId,
        city: CityId,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Records consent to policy `version`.
    ///
    /// # Errors
    /// `Unavailable`.
    fn accept_policy(
        &self,
        id: UserId,
        version: u32,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Remembers the name and `@username` the person has in Telegram, for the admins who
    /// review their cards.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_name(
        &self,
        id: UserId,
        first_name: &str,
        username: Option<&str>,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Marks (or clears) that the person blocked the bot.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_blocked_bot(
        &self,
        id: UserId,
        blocked: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Bans or unbans the person.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_banned(
        &self,
        id: UserId,
        banned: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Makes the person a partner; returns `true` when the partner row was created now.
    ///
    /// # Errors
    /// `Unavailable`.
    fn become_partner(&self, id: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send;

    /// Deletes everything kept about the person, in one transaction: their profile (name,
    /// language, city, consent, standing), partner row, dialog state, stored admin row and
    /// every card of theirs with its photos. The moderation log keeps its entries, anonymised:
    /// an entry about a removed card loses the card and a typed reason (a standard reason's
    /// code stays), and the person's own decisions as an admin name the operator (id 0).
    /// Seeing the person again later creates a new, empty profile.
    ///
    /// # Errors
    /// `Unavailable`; nothing is deleted then.
    fn forget(&self, id: UserId) -> impl Future<Output = RepositoryResult<Forgotten>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_the_policy_version_asks_again() {
        let mut user = UserProfile::default();
        assert!(!user.has_accepted(1));
        user.accepted_policy = Some(1);
        assert!(user.has_accepted(1));
        assert!(!user.has_accepted(2));
    }
}
