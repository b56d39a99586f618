//! # vitrina-update-source
//!
//! Which instance fetches Vitrina's Telegram updates, and how each is handled only once.
//!
//! - [`LeaderLease`] is the port of the lease that lets one instance out of several poll
//!   (Redis, in production): acquire, preempt, renew, release, and who holds it. A
//!   [`Lease`] names its instance and carries a [`FencingToken`].
//! - [`LeaderMachine`] decides, as pure code over instants it is given, when to acquire,
//!   renew and release the lease and when polling is safe: standby, leader, stepping down.
//!   [`LeaderConfig`] derives every timing of it from the lease ttl, including the
//!   allowances of the driver: how long a store call and the answer of a poll may take, the
//!   pause after cancelling a poll, the wait after a takeover.
//! - [`UpdateJournal`] is the port of the store of handled update ids, through which a
//!   redelivered update changes nothing twice: an update is handled in a unit of work that
//!   records its id and queues its answers in the [`Outbox`] at once.
//! - [`FloodGate`] decides, before an update costs a transaction, whether a person is sending
//!   more than a [`FloodLimit`] allows (a token bucket each): admit, warn once, or drop.
//! - [`Backoff`] spaces the tries to reach a service that is down (exponential, jittered,
//!   capped by a [`RetryPolicy`]) and [`OutageLog`] decides what of an outage to log: its
//!   start, a summary now and then, its end — never a line per failed try.
//! - With the `memory` feature, the `memory` module holds a [`LeaderLease`] kept in
//!   memory, for the tests of what runs on the lease.
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
//! // Each getUpdates is as long as the lease allows and ends before the lease could: at
//! // 1 s, a 13 s long poll (the lease may end at 15 s, less a grace second), given up half
//! // a second later should its answer not have come. None is shorter than 4 s.
//! assert_eq!(machine.poll_timeout(ms(1_000)), Some(Duration::from_secs(13)));
//! assert_eq!(machine.poll_deadline(ms(1_000)), Some(ms(14_500)));
//! assert_eq!(config.max_poll_timeout(), Duration::from_secs(4));
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
//! The binary runs one loop per process (`vitrina_delivery::poll_as_leader`). It feeds
//! [`Event::Tick`] to start, then, in the order given, carries out each [`Action`]:
//! - a store request becomes a call of [`LeaderLease`], bounded by
//!   [`LeaderConfig::store_call_limit`], whose answer is fed back through
//!   [`Event::from_acquire`], [`Event::from_preempt`] or [`Event::from_renew`];
//! - [`Action::SleepUntil`] sets the timer that feeds the next [`Event::Tick`];
//! - [`Action::StartPolling`] and [`Action::StopPolling`] start and cancel the getUpdates
//!   loop. That loop starts each getUpdates only while [`LeaderMachine::is_polling_allowed`]
//!   (and no sooner than [`LeaderConfig::CANCEL_SETTLE`] after cancelling one), with
//!   [`LeaderMachine::poll_timeout`] as its long-poll timeout, gives it up at
//!   [`LeaderMachine::poll_deadline`], and reports a 409 as [`Event::Conflict`];
//! - [`Action::ConfirmOffset`] tells Telegram which updates were handled, with a getUpdates
//!   that waits for nothing, and is answered by [`Event::OffsetConfirmed`];
//! - the process exits with the status of [`Action::Exit`].
//!
//! A signal becomes [`Event::ShutdownRequested`]. The timings that keep two instances from
//! polling at once are the machine's, not the driver's: after a takeover by preemption, for
//! one, the machine answers [`Action::StartPolling`] only once the [takeover
//! wait](LeaderConfig::takeover_wait) is over.
#![deny(missing_docs)]

mod clock;
mod flood;
mod journal;
mod leader;
mod lease;
#[cfg(any(test, feature = "memory"))]
pub mod memory;
mod retry;

pub use clock::{Clock, Millis};
pub use flood::{Admission, FloodGate, FloodLimit, FloodLimitError};
pub use journal::{
    JournalError, Opened, Outbox, Outgoing, Queued, QueuedId, UpdateId, UpdateJournal,
};
pub use leader::{Action, ConfigError, Event, ExitReason, LeaderConfig, LeaderMachine, Phase};
pub use lease::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};
pub use retry::{Backoff, Jitter, OutageLog, OutageReport, RetryPolicy};
