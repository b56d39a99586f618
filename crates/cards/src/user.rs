use crate::ids::{CityId, UserId};

/// What Vitrina remembers of a person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserProfile {
    /// The Telegram id.
    pub id: UserId,
    /// The chosen language as a locale code (`ru`, `en`, `vi`, `ko`); `None` until chosen.
    /// Kept as text so that this crate does not depend on the catalog of strings.
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
}

impl UserProfile {
    /// Whether the person has accepted `current`, the policy version in force.
    pub fn has_accepted(&self, current: u32) -> bool {
        self.accepted_policy
            .is_some_and(|accepted| accepted >= current)
    }
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
