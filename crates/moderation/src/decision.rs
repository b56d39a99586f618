use vitrina_cards::{CardId, CardStatus, Timestamp, UserId};

/// A reason from the fixed set offered as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandardReason {
    /// Information is missing.
    Incomplete,
    /// The content is inappropriate.
    Inappropriate,
    /// A photo is bad.
    BadPhoto,
    /// The card is in the wrong category.
    WrongCategory,
}

impl StandardReason {
    /// Every standard reason, in button order.
    pub const ALL: [StandardReason; 4] = [
        StandardReason::Incomplete,
        StandardReason::Inappropriate,
        StandardReason::BadPhoto,
        StandardReason::WrongCategory,
    ];

    /// The compact code used in callback data and storage.
    pub const fn code(self) -> &'static str {
        match self {
            StandardReason::Incomplete => "incomplete",
            StandardReason::Inappropriate => "inappropriate",
            StandardReason::BadPhoto => "bad_photo",
            StandardReason::WrongCategory => "wrong_category",
        }
    }

    /// Reads a code of [`StandardReason::code`].
    pub fn parse(code: &str) -> Option<StandardReason> {
        StandardReason::ALL
            .into_iter()
            .find(|reason| reason.code() == code)
    }
}

/// Why a card was rejected: a standard reason (the application words it, in the partner's
/// language) or a moderator's own words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RejectionReason {
    /// One of the fixed set.
    Standard(StandardReason),
    /// Free text of 10–500 characters.
    Custom(String),
}

/// A custom reason outside its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    /// Fewer than [`RejectionReason::CUSTOM_MIN`] characters after trimming.
    #[error("a rejection reason needs at least {min} characters")]
    TooShort {
        /// The least number of characters.
        min: usize,
    },
    /// More than [`RejectionReason::CUSTOM_MAX`] characters after trimming.
    #[error("a rejection reason allows at most {max} characters")]
    TooLong {
        /// The greatest number of characters.
        max: usize,
    },
}

impl RejectionReason {
    /// The least length of a custom reason, in characters.
    pub const CUSTOM_MIN: usize = 10;
    /// The greatest length of a custom reason, in characters.
    pub const CUSTOM_MAX: usize = 500;

    /// A moderator's own reason, trimmed, with its bidi controls balanced (it is shown to
    /// the partner inside a message of the bot's), and counted: the least in characters a
    /// person sees, the most in all characters.
    ///
    /// # Errors
    /// [`ReasonError`] naming the bound the text breaks.
    pub fn custom(text: &str) -> Result<RejectionReason, ReasonError> {
        let text = vitrina_cards::visible::balanced(text.trim());
        let length = text.chars().count();
        if vitrina_cards::visible::count(&text) < Self::CUSTOM_MIN {
            Err(ReasonError::TooShort {
                min: Self::CUSTOM_MIN,
            })
        } else if length > Self::CUSTOM_MAX {
            Err(ReasonError::TooLong {
                max: Self::CUSTOM_MAX,
            })
        } else {
            Ok(RejectionReason::Custom(text))
        }
    }

    /// The stored form: `std:<code>` for a standard reason, the text itself otherwise.
    pub fn to_stored(&self) -> String {
        match self {
            RejectionReason::Standard(reason) => format!("std:{}", reason.code()),
            RejectionReason::Custom(text) => text.clone(),
        }
    }

    /// Reads the stored form back.
    pub fn from_stored(stored: &str) -> RejectionReason {
        stored
            .strip_prefix("std:")
            .and_then(StandardReason::parse)
            .map_or_else(
                || RejectionReason::Custom(stored.to_owned()),
                RejectionReason::Standard,
            )
    }
}

/// What a moderator decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Publish the card.
    Approve,
    /// Send it back to the partner with a reason.
    Reject(RejectionReason),
}

impl Verdict {
    /// The status the card gets.
    pub const fn target(&self) -> CardStatus {
        match self {
            Verdict::Approve => CardStatus::Published,
            Verdict::Reject(_) => CardStatus::Rejected,
        }
    }

    /// The action's name in the log (`approve`, `reject`).
    pub const fn action(&self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::Reject(_) => "reject",
        }
    }

    /// The reason, for a rejection.
    pub fn reason(&self) -> Option<&RejectionReason> {
        match self {
            Verdict::Approve => None,
            Verdict::Reject(reason) => Some(reason),
        }
    }
}

/// A moderator's decision on one card. It applies only while the card is pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The card.
    pub card: CardId,
    /// Who decided.
    pub moderator: UserId,
    /// What.
    pub verdict: Verdict,
    /// When.
    pub at: Timestamp,
}

impl Decision {
    /// A decision.
    pub fn new(card: CardId, moderator: UserId, verdict: Verdict, at: Timestamp) -> Decision {
        Decision {
            card,
            moderator,
            verdict,
            at,
        }
    }
}

/// One line of the moderation log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The card.
    pub card: CardId,
    /// Who decided.
    pub moderator: UserId,
    /// `approve` or `reject`.
    pub action: String,
    /// The reason of a rejection, in its stored form.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

impl From<&Decision> for LogEntry {
    fn from(decision: &Decision) -> LogEntry {
        LogEntry {
            card: decision.card,
            moderator: decision.moderator,
            action: decision.verdict.action().to_owned(),
            reason: decision.verdict.reason().map(RejectionReason::to_stored),
            at: decision.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_reasons_are_10_to_500_characters_in_any_script() {
        let of = |unit: char, n: usize| std::iter::repeat_n(unit, n).collect::<String>();
        for unit in ['a', 'ж', 'ệ', '한'] {
            assert!(RejectionReason::custom(&of(unit, 10)).is_ok());
            assert!(RejectionReason::custom(&of(unit, 500)).is_ok());
            assert_eq!(
                RejectionReason::custom(&of(unit, 9)),
                Err(ReasonError::TooShort { min: 10 })
            );
            assert_eq!(
                RejectionReason::custom(&of(unit, 501)),
                Err(ReasonError::TooLong { max: 500 })
            );
        }
        assert_eq!(
            RejectionReason::custom(&format!("  {}  ", of('x', 9))),
            Err(ReasonError::TooShort { min: 10 }),
            "spaces do not count"
        );
    }

    #[test]
    fn a_custom_reason_counts_what_a_person_sees_and_cannot_flip_what_follows() {
        assert_eq!(
            RejectionReason::custom(&"\u{200B}\u{00AD}\u{202E}\u{2066}".repeat(5)),
            Err(ReasonError::TooShort { min: 10 })
        );
        assert_eq!(
            RejectionReason::custom("too\u{200B}\u{200B}\u{200B}short"),
            Err(ReasonError::TooShort { min: 10 })
        );
        assert_eq!(
            RejectionReason::custom("\u{202E}Photos are not of the place"),
            Ok(RejectionReason::Custom(
                "\u{202E}Photos are not of the place\u{202C}".into()
            ))
        );
    }

    #[test]
    fn reasons_round_trip_through_their_stored_form() {
        let mut reasons: Vec<_> = StandardReason::ALL
            .into_iter()
            .map(RejectionReason::Standard)
            .collect();
        reasons.push(RejectionReason::Custom(
            "Please add the opening hours".into(),
        ));
        reasons.push(RejectionReason::Custom("std:unknown code".into()));
        for reason in reasons {
            assert_eq!(RejectionReason::from_stored(&reason.to_stored()), reason);
        }
        for reason in StandardReason::ALL {
            assert_eq!(StandardReason::parse(reason.code()), Some(reason));
            assert!(reason.code().len() <= 16, "fits callback data");
        }
    }

    #[test]
    fn a_decision_becomes_a_log_entry_with_its_action_and_reason() {
        let reject = Verdict::Reject(RejectionReason::Standard(StandardReason::BadPhoto));
        let entry = LogEntry::from(&Decision::new(CardId(3), UserId(9), reject, Timestamp(5)));
        assert_eq!(entry.action, "reject");
        assert_eq!(entry.reason.as_deref(), Some("std:bad_photo"));
        let entry = LogEntry::from(&Decision::new(
            CardId(3),
            UserId(9),
            Verdict::Approve,
            Timestamp(6),
        ));
        assert_eq!((entry.action.as_str(), entry.reason), ("approve", None));
        assert_eq!(Verdict::Approve.target(), CardStatus::Published);
    }
}
