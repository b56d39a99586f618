//! # vitrina-moderation
//!
//! How admins moderate Vitrina's cards: the queue (oldest pending first), the decisions
//! (approve; reject with a reason from a fixed set or a custom text of 10–500 characters), who
//! may decide, the moderation log, and the [`ModerationRepository`] port through which a
//! decision applies only to a card that is still pending — so that when two admins decide at
//! once, exactly one decision counts.
//!
//! Pure domain: no Telegram, network, database or async runtime.
//!
//! ```
//! use vitrina_cards::{CardId, CardStatus, Timestamp, UserId};
//! use vitrina_moderation::{Admins, Decision, RejectionReason, Verdict};
//!
//! let admins = Admins::new([UserId(1)], [UserId(2)]);
//! assert!(admins.may_moderate(UserId(2)) && !admins.may_moderate(UserId(3)));
//!
//! let reason = RejectionReason::custom("Photos show another place")?;
//! let decision = Decision::new(CardId(7), UserId(1), Verdict::Reject(reason), Timestamp(0));
//! assert_eq!(decision.verdict.target(), CardStatus::Rejected);
//! assert!(RejectionReason::custom("too short").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod admins;
mod decision;
#[cfg(feature = "memory")]
pub mod memory;
mod repository;

pub use admins::Admins;
pub use decision::{Decision, LogEntry, ReasonError, RejectionReason, StandardReason, Verdict};
pub use repository::{AdminRepository, DecisionOutcome, ModerationRepository};
