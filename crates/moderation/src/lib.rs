#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod admin_action;
mod admins;
mod decision;
#[cfg(feature = "memory")]
pub mod memory;
mod repository;

pub use admin_action::{AdminAction, AdminDecision, AdminOutcome};
pub use admins::Admins;
pub use decision::{Decision, LogEntry, ReasonError, RejectionReason, StandardReason, Verdict};
pub use repository::{AdminRepository, DecisionOutcome, ModerationRepository};
