use std::fmt;

/// Where a card is in its life.
///
/// The moves between statuses are [`CardStatus::transition`]'s table and nothing else:
/// `draft → pending → published | rejected`, `published ↔ archived`, `rejected → pending`,
/// `published | archived → pending` (an edit, moderated again), any → `deleted`. [`CardStatus::Approved`] is a legacy value that behaves as `published`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardStatus {
    /// Being written; not yet submitted.
    Draft,
    /// Submitted, waiting for a moderator.
    Pending,
    /// Visible in the catalog.
    Published,
    /// Refused by a moderator, with a reason; the partner may edit and resubmit.
    Rejected,
    /// Hidden by its partner; out of the catalog until shown again.
    Archived,
    /// Deleted by its partner; never shown again, kept for the audit log.
    Deleted,
    /// The old system's word for published; read from old data, never written.
    Approved,
}

/// A move the transition table does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a card cannot move from {from} to {to}")]
pub struct TransitionError {
    /// The status the card has.
    pub from: CardStatus,
    /// The status that was asked for.
    pub to: CardStatus,
}

/// The error of [`CardStatus::parse`]: the stored text names no status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown card status {0:?}")]
pub struct UnknownStatus(pub String);

impl CardStatus {
    /// Every status, the legacy one last.
    pub const ALL: [CardStatus; 7] = [
        CardStatus::Draft,
        CardStatus::Pending,
        CardStatus::Published,
        CardStatus::Rejected,
        CardStatus::Archived,
        CardStatus::Deleted,
        CardStatus::Approved,
    ];

    /// The stored name (`draft`, `pending`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            CardStatus::Draft => "draft",
            CardStatus::Pending => "pending",
            CardStatus::Published => "published",
            CardStatus::Rejected => "rejected",
            CardStatus::Archived => "archived",
            CardStatus::Deleted => "deleted",
            CardStatus::Approved => "approved",
        }
    }

    /// Reads a stored name.
    ///
    /// # Errors
    /// [`UnknownStatus`] when `text` is not one of the names of [`CardStatus::as_str`].
    pub fn parse(text: &str) -> Result<CardStatus, UnknownStatus> {
        CardStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
            .ok_or_else(|| UnknownStatus(text.to_owned()))
    }

    /// The status as people see it: the legacy `approved` is `published`.
    pub const fn shown(self) -> CardStatus {
        match self {
            CardStatus::Approved => CardStatus::Published,
            other => other,
        }
    }

    /// Whether the catalog shows a card in this status.
    pub const fn is_public(self) -> bool {
        matches!(self.shown(), CardStatus::Published)
    }

    /// Whether `self → to` is a move of the table.
    pub fn can_move_to(self, to: CardStatus) -> bool {
        use CardStatus::*;
        match (self.shown(), to) {
            (Deleted, _) | (_, Approved) | (_, Draft) => false,
            (_, Deleted) => true,
            (Draft, Pending) | (Rejected, Pending) => true,
            // An edited published or hidden card is moderated again, out of the catalog.
            (Published, Pending) | (Archived, Pending) => true,
            (Pending, Published) | (Pending, Rejected) => true,
            (Published, Archived) | (Archived, Published) => true,
            _ => false,
        }
    }

    /// Checks the move `self → to` and returns `to`.
    ///
    /// # Errors
    /// [`TransitionError`] for every move outside the table.
    pub fn transition(self, to: CardStatus) -> Result<CardStatus, TransitionError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

impl fmt::Display for CardStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a partner or a moderator does to a card; each names one move of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardAction {
    /// The partner submits a new card or resubmits a rejected one.
    Submit,
    /// A moderator publishes a pending card.
    Approve,
    /// A moderator refuses a pending card.
    Reject,
    /// The partner takes a published card out of the catalog.
    Hide,
    /// The partner puts an archived card back.
    Show,
    /// The partner deletes the card.
    Delete,
    /// The partner changes a published or hidden card: it goes back to moderation and stays
    /// out of the catalog until a moderator approves the new content.
    Edit,
}

impl CardAction {
    /// The status the action leads to.
    pub const fn target(self) -> CardStatus {
        match self {
            CardAction::Submit | CardAction::Edit => CardStatus::Pending,
            CardAction::Approve | CardAction::Show => CardStatus::Published,
            CardAction::Reject => CardStatus::Rejected,
            CardAction::Hide => CardStatus::Archived,
            CardAction::Delete => CardStatus::Deleted,
        }
    }

    /// Checks the action against a card's status and returns the new status.
    ///
    /// # Errors
    /// [`TransitionError`] when the table has no such move from `from`.
    pub fn apply(self, from: CardStatus) -> Result<CardStatus, TransitionError> {
        // The table allows pending → published for a moderator; *Show* must not reach it.
        let source_fits = match self {
            CardAction::Submit => matches!(from, CardStatus::Draft | CardStatus::Rejected),
            CardAction::Approve | CardAction::Reject => from == CardStatus::Pending,
            CardAction::Hide => from.shown() == CardStatus::Published,
            CardAction::Show => from == CardStatus::Archived,
            CardAction::Delete => true,
            CardAction::Edit => {
                matches!(from.shown(), CardStatus::Published | CardStatus::Archived)
            }
        };
        if source_fits {
            from.transition(self.target())
        } else {
            Err(TransitionError {
                from,
                to: self.target(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CardStatus::{self, *};
    use super::*;

    /// The table of PRODUCT.md, written out move by move.
    const ALLOWED: &[(CardStatus, CardStatus)] = &[
        (Draft, Pending),
        (Pending, Published),
        (Pending, Rejected),
        (Published, Archived),
        (Archived, Published),
        (Rejected, Pending),
        (Published, Pending),
        (Archived, Pending),
        (Approved, Pending),
        (Approved, Archived),
        (Draft, Deleted),
        (Pending, Deleted),
        (Published, Deleted),
        (Rejected, Deleted),
        (Archived, Deleted),
        (Approved, Deleted),
    ];

    #[test]
    fn every_move_of_the_table_is_allowed_and_every_other_refused() {
        for from in CardStatus::ALL {
            for to in CardStatus::ALL {
                let expected = ALLOWED.contains(&(from, to));
                let got = from.transition(to);
                match (expected, got) {
                    (true, Ok(status)) => assert_eq!(status, to),
                    (false, Err(error)) => assert_eq!(error, TransitionError { from, to }),
                    (true, Err(error)) => panic!("{from} → {to} refused: {error}"),
                    (false, Ok(_)) => panic!("{from} → {to} allowed but not in the table"),
                }
            }
        }
    }

    #[test]
    fn refusal_names_both_statuses() {
        let error = Deleted.transition(Published).expect_err("deleted is final");
        assert_eq!(
            error.to_string(),
            "a card cannot move from deleted to published"
        );
    }

    #[test]
    fn actions_lead_where_the_product_says() {
        let cases = [
            (CardAction::Submit, Draft, Ok(Pending)),
            (CardAction::Submit, Rejected, Ok(Pending)),
            (CardAction::Submit, Published, Err(())),
            (CardAction::Approve, Pending, Ok(Published)),
            (CardAction::Approve, Rejected, Err(())),
            (CardAction::Reject, Pending, Ok(Rejected)),
            (CardAction::Reject, Published, Err(())),
            (CardAction::Hide, Published, Ok(Archived)),
            (CardAction::Hide, Approved, Ok(Archived)),
            (CardAction::Hide, Pending, Err(())),
            (CardAction::Show, Archived, Ok(Published)),
            (CardAction::Show, Published, Err(())),
            (CardAction::Show, Pending, Err(())),
            (CardAction::Hide, Rejected, Err(())),
            (CardAction::Submit, Archived, Err(())),
            (CardAction::Delete, Archived, Ok(Deleted)),
            (CardAction::Delete, Deleted, Err(())),
            (CardAction::Edit, Published, Ok(Pending)),
            (CardAction::Edit, Approved, Ok(Pending)),
            (CardAction::Edit, Archived, Ok(Pending)),
            (CardAction::Edit, Rejected, Err(())),
            (CardAction::Edit, Pending, Err(())),
            (CardAction::Edit, Draft, Err(())),
        ];
        for (action, from, expected) in cases {
            assert_eq!(
                action.apply(from).map_err(|_| ()),
                expected,
                "{action:?} from {from}"
            );
        }
    }

    #[test]
    fn stored_names_round_trip_and_legacy_approved_is_shown_as_published() {
        for status in CardStatus::ALL {
            assert_eq!(CardStatus::parse(status.as_str()), Ok(status));
        }
        assert!(CardStatus::parse("APPROVED").is_err());
        assert_eq!(Approved.shown(), Published);
        assert!(Approved.is_public() && Published.is_public());
        assert!(!Archived.is_public() && !Pending.is_public());
    }
}
