//! What an admin does to a card outside the queue: take it down, mark it featured or not.

use vitrina_cards::{Card, CardId, Timestamp, UserId};

use crate::decision::{LogEntry, RejectionReason};

/// An admin's action on a card outside the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAction {
    /// Take a published card out of the catalog: it becomes rejected with this reason, so its
    /// partner may fix it and submit it again.
    Unpublish(RejectionReason),
    /// Show the card first in its catalog lists.
    Feature,
    /// Stop showing it first.
    Unfeature,
}

impl AdminAction {
    /// The action's name in the log (`unpublish`, `feature`, `unfeature`).
    pub const fn action(&self) -> &'static str {
        match self {
            AdminAction::Unpublish(_) => "unpublish",
            AdminAction::Feature => "feature",
            AdminAction::Unfeature => "unfeature",
        }
    }

    /// The reason, for a takedown.
    pub fn reason(&self) -> Option<&RejectionReason> {
        match self {
            AdminAction::Unpublish(reason) => Some(reason),
            AdminAction::Feature | AdminAction::Unfeature => None,
        }
    }
}

/// One admin action on one card, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminDecision {
    /// The card.
    pub card: CardId,
    /// Who acted: an admin's Telegram id, or [`AdminDecision::OPERATOR`].
    pub admin: UserId,
    /// What.
    pub action: AdminAction,
    /// When.
    pub at: Timestamp,
}

impl AdminDecision {
    /// The actor of an operator's command line (`bot card …`), which is no Telegram account;
    /// the log also shows it for the actions of an admin who had their data deleted.
    pub const OPERATOR: UserId = UserId(0);

    /// An action.
    pub fn new(card: CardId, admin: UserId, action: AdminAction, at: Timestamp) -> AdminDecision {
        AdminDecision {
            card,
            admin,
            action,
            at,
        }
    }
}

impl From<&AdminDecision> for LogEntry {
    fn from(decision: &AdminDecision) -> LogEntry {
        LogEntry {
            card: decision.card,
            moderator: decision.admin,
            action: decision.action.action().to_owned(),
            reason: decision.action.reason().map(RejectionReason::to_stored),
            at: decision.at,
        }
    }
}

/// What became of an admin action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminOutcome {
    /// The card changed, and the log has the entry; the card as it is now.
    Applied(Box<Card>),
    /// Nothing to do: the card is not published (for a takedown), or already featured or not
    /// (for the others). Nothing changed and nothing was logged; the card as it is.
    Unchanged(Box<Card>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StandardReason;

    #[test]
    fn each_action_is_logged_under_its_name_with_its_reason() {
        let reason = RejectionReason::Standard(StandardReason::Inappropriate);
        let cases = [
            (
                AdminAction::Unpublish(reason),
                "unpublish",
                Some("std:inappropriate"),
            ),
            (AdminAction::Feature, "feature", None),
            (AdminAction::Unfeature, "unfeature", None),
        ];
        for (action, name, stored) in cases {
            let decision = AdminDecision::new(CardId(3), UserId(9), action, Timestamp(5));
            let entry = LogEntry::from(&decision);
            assert_eq!(entry.action, name);
            assert_eq!(entry.reason.as_deref(), stored);
            assert_eq!(
                (entry.card, entry.moderator, entry.at),
                (CardId(3), UserId(9), Timestamp(5))
            );
        }
    }
}
