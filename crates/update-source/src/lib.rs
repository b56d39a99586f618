//! # vitrina-update-source
//!
//! Where Vitrina's Telegram updates come from, and which instance may fetch them.
//!
//! - [`UpdateSource`] is the port a long-polling client or a webhook endpoint implements:
//!   it yields batches of [`RawUpdate`]s and takes confirmations of handled ones.
//! - [`LeaderLease`] is the port of the lease that lets one instance out of several poll
//!   (Redis, in production): acquire, preempt, renew, release, and who holds it. A
//!   [`Lease`] names its instance and carries a [`FencingToken`].
//! - [`UpdateJournal`] is the port of the store of handled update ids, through which a
//!   redelivered update changes nothing twice: an update is handled in a unit of work that
//!   records its id and queues its answers in the [`Outbox`] at once.
//! - [`LeaderMachine`] decides, as pure code over instants it is given, when to acquire,
//!   renew and release the lease and when polling is safe: standby, leader, stepping down.
//!
//! The crate does no I/O, reads no clock ([`Clock`] is injected) and depends on no async
//! runtime: the ports return `Send` futures that the binary drives.
//!
//! ```
//! use std::time::Duration;
//! use vitrina_update_source::{
//!     Action, Event, FencingToken, InstanceId, LeaderConfig, LeaderMachine, Lease, Millis, Phase,
//! };
//!
//! let config = LeaderConfig::new(Duration::from_secs(15))?;
//! let mut machine = LeaderMachine::new(config);
//! let ms = Millis::from_millis;
//!
//! // The first event starts the machine; it asks for the lease.
//! assert_eq!(machine.handle(ms(0), Event::Tick), [Action::TryAcquire]);
//!
//! // Granted: poll, and come back at a third of the ttl to renew.
//! let instance = InstanceId::new("host-1/4242/1700000000");
//! let lease = Lease::new(instance, FencingToken::new(7), config.ttl());
//! let actions = machine.handle(ms(40), Event::Acquired(lease.clone()));
//! assert_eq!(actions, [Action::StartPolling, Action::SleepUntil(ms(5_000))]);
//! assert_eq!(machine.phase(), Phase::Leader);
//!
//! // Each getUpdates ends before the lease could: a 4 s long poll at most.
//! assert_eq!(config.max_poll_timeout(), Duration::from_secs(4));
//! assert_eq!(machine.poll_deadline(ms(1_000)), Some(ms(5_000)));
//!
//! // The store is down: renewals fail, and polling stops 5 s before the ttl since the
//! // last success (counted from when it was asked for) could run out.
//! let actions = machine.handle(ms(5_000), Event::Tick);
//! assert_eq!(actions, [Action::Renew(lease.clone()), Action::SleepUntil(ms(10_000))]);
//! let actions = machine.handle(ms(5_020), Event::RenewFailed);
//! assert_eq!(actions, [Action::SleepUntil(ms(6_000))]);
//! assert!(machine.is_polling_allowed(ms(9_999)));
//! let actions = machine.handle(ms(10_000), Event::Tick);
//! assert_eq!(actions, [Action::StopPolling, Action::Renew(lease)]);
//! assert_eq!(machine.phase(), Phase::Standby);
//! # Ok::<(), vitrina_update_source::ConfigError>(())
//! ```
//!
//! ## Driving the machine
//!
//! The binary runs one loop per process. It feeds [`Event::Tick`] to start, then, in the
//! order given, carries out each [`Action`]: a store request becomes a call of
//! [`LeaderLease`] (bounded by a timeout) whose answer is fed back through
//! [`Event::from_acquire`], [`Event::from_preempt`] or [`Event::from_renew`];
//! [`Action::SleepUntil`] sets the timer that feeds the next [`Event::Tick`];
//! [`Action::StartPolling`] and [`Action::StopPolling`] start and cancel the getUpdates
//! loop. That loop starts each getUpdates only while
//! [`LeaderMachine::is_polling_allowed`], with [`LeaderConfig::max_poll_timeout`] as its
//! long-poll timeout, cancels it at [`LeaderMachine::poll_deadline`], and reports a 409
//! as [`Event::Conflict`]. A signal becomes [`Event::ShutdownRequested`]; the answer to
//! [`Action::ConfirmOffset`] is [`Event::OffsetConfirmed`] after [`UpdateSource::flush`];
//! the process exits with the status of [`Action::Exit`].
#![deny(missing_docs)]

mod clock;
#[cfg(test)]
mod in_memory_lease;
mod journal;
mod leader;
mod lease;
mod source;

pub use clock::{Clock, Millis, MonotonicClock};
pub use journal::{JournalError, Opened, Outbox, Outgoing, Queued, QueuedId, UpdateJournal};
pub use leader::{Action, ConfigError, Event, ExitReason, LeaderConfig, LeaderMachine, Phase};
pub use lease::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};
pub use source::{RawUpdate, SourceError, UpdateId, UpdateSource};
