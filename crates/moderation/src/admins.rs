use std::collections::BTreeSet;

use vitrina_cards::UserId;

/// Who may moderate: the admins of the configuration, who always are, and those added at run
/// time (kept through an [`AdminRepository`](crate::AdminRepository)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Admins {
    configured: BTreeSet<UserId>,
    added: BTreeSet<UserId>,
}

impl Admins {
    /// The admins from the configuration and from the storage.
    pub fn new(
        configured: impl IntoIterator<Item = UserId>,
        added: impl IntoIterator<Item = UserId>,
    ) -> Admins {
        Admins {
            configured: configured.into_iter().collect(),
            added: added.into_iter().collect(),
        }
    }

    /// Whether `user` may see the queue and decide.
    pub fn may_moderate(&self, user: UserId) -> bool {
        self.configured.contains(&user) || self.added.contains(&user)
    }

    /// Whether `user` is an admin by the configuration, so that removing a stored admin
    /// cannot take the right away.
    pub fn is_configured(&self, user: UserId) -> bool {
        self.configured.contains(&user)
    }

    /// Every admin, once, in id order: the people told of submissions and of starts and stops.
    pub fn all(&self) -> BTreeSet<UserId> {
        self.configured.union(&self.added).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_and_added_admins_may_moderate_and_nobody_else() {
        let admins = Admins::new([UserId(1), UserId(2)], [UserId(2), UserId(3)]);
        for (user, may) in [(1, true), (2, true), (3, true), (4, false), (0, false)] {
            assert_eq!(admins.may_moderate(UserId(user)), may, "user {user}");
        }
        assert!(admins.is_configured(UserId(2)) && !admins.is_configured(UserId(3)));
        assert_eq!(admins.all().len(), 3);
        assert!(!Admins::default().may_moderate(UserId(1)));
    }
}
