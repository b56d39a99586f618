//! The leader state machine: pure, synchronous, driven by events stamped with the time.

mod config;

pub use config::{ConfigError, LeaderConfig};

use crate::clock::Millis;
use crate::lease::{Lease, LeaseError, RenewOutcome};
use std::time::Duration;

/// Something that happened, fed to [`LeaderMachine::handle`] with the instant it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Nothing happened, but time went by: the instant of the last
    /// [`Action::SleepUntil`] has come. Also the first event, to start the machine.
    Tick,
    /// The [`Action::TryAcquire`] or [`Action::Preempt`] obtained this lease.
    Acquired(Lease),
    /// The [`Action::TryAcquire`] found the lease held by another instance.
    LeaseBusy,
    /// The [`Action::TryAcquire`] or [`Action::Preempt`] failed.
    AcquireFailed,
    /// The [`Action::Renew`] extended the lease.
    Renewed,
    /// The [`Action::Renew`] found the lease no longer this instance's.
    LeaseLost,
    /// The [`Action::Renew`] failed: whether the lease is still held is unknown.
    RenewFailed,
    /// A getUpdates ended with 409: another getUpdates (or a setWebhook) began elsewhere.
    Conflict,
    /// The process was asked to stop (SIGTERM, SIGINT).
    ShutdownRequested,
    /// The [`Action::ConfirmOffset`] finished, successfully or not: an update whose
    /// confirmation did not reach Telegram is delivered again and de-duplicated.
    OffsetConfirmed,
    /// The [`Action::Release`] finished, successfully or not: an unreleased lease expires.
    Released,
}

impl Event {
    /// The event for the answer of [`LeaderLease::acquire`](crate::LeaderLease::acquire).
    /// Log the error first: the event does not keep it.
    #[must_use]
    pub fn from_acquire(result: Result<Option<Lease>, LeaseError>) -> Self {
        match result {
            Ok(Some(lease)) => Self::Acquired(lease),
            Ok(None) => Self::LeaseBusy,
            Err(_) => Self::AcquireFailed,
        }
    }

    /// The event for the answer of [`LeaderLease::preempt`](crate::LeaderLease::preempt).
    /// Log the error first: the event does not keep it.
    #[must_use]
    pub fn from_preempt(result: Result<Lease, LeaseError>) -> Self {
        match result {
            Ok(lease) => Self::Acquired(lease),
            Err(_) => Self::AcquireFailed,
        }
    }

    /// The event for the answer of [`LeaderLease::renew`](crate::LeaderLease::renew).
    /// Log the error first: the event does not keep it.
    #[must_use]
    pub fn from_renew(result: Result<RenewOutcome, LeaseError>) -> Self {
        match result {
            Ok(RenewOutcome::Renewed) => Self::Renewed,
            Ok(RenewOutcome::Lost) => Self::LeaseLost,
            Err(_) => Self::RenewFailed,
        }
    }
}

/// What the driver is to do, in the order given.
///
/// The store requests ([`TryAcquire`](Self::TryAcquire), [`Preempt`](Self::Preempt),
/// [`Renew`](Self::Renew), [`Release`](Self::Release)) are made one at a time: the machine
/// asks for the next only after it was fed the answer to the previous one. The driver bounds
/// each by a timeout and reports a timeout as a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Call [`LeaderLease::acquire`](crate::LeaderLease::acquire) and feed
    /// [`Event::from_acquire`] of its answer.
    TryAcquire,
    /// Call [`LeaderLease::preempt`](crate::LeaderLease::preempt) and feed
    /// [`Event::from_preempt`] of its answer.
    Preempt,
    /// Call [`LeaderLease::renew`](crate::LeaderLease::renew) for this lease and feed
    /// [`Event::from_renew`] of its answer.
    Renew(Lease),
    /// Call [`LeaderLease::release`](crate::LeaderLease::release) for this lease and feed
    /// [`Event::Released`].
    Release(Lease),
    /// Start polling: getUpdates in a loop, each started only while
    /// [`LeaderMachine::is_polling_allowed`] and given up at its
    /// [`LeaderMachine::poll_deadline`]. Feed [`Event::Conflict`] on a 409.
    StartPolling,
    /// Stop polling, and cancel the getUpdates in flight; after a cancelled one, the next
    /// starts no sooner than [`LeaderConfig::CANCEL_SETTLE`] later.
    StopPolling,
    /// Tell Telegram which updates were handled (a getUpdates with the next offset that
    /// waits for nothing), then feed [`Event::OffsetConfirmed`].
    ConfirmOffset,
    /// Feed [`Event::Tick`] at this instant unless another event comes first. It replaces
    /// any earlier one; an answer without it leaves no timer, only requests to wait for.
    SleepUntil(Millis),
    /// Exit the process with [`ExitReason::code`]. The machine answers nothing more.
    Exit(ExitReason),
}

/// Why the machine ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitReason {
    /// A requested shutdown completed: polling stopped, offset confirmed, lease released.
    Shutdown,
    /// `EXIT_ON_CONFLICT`: a standby found the lease held by another instance.
    LeaseHeld,
}

impl ExitReason {
    /// The process exit status: 0 for [`Shutdown`](Self::Shutdown), 3 for
    /// [`LeaseHeld`](Self::LeaseHeld).
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Self::Shutdown => 0,
            Self::LeaseHeld => 3,
        }
    }
}

/// Where the machine is, as an operator would describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not polling; trying to obtain the lease every retry interval.
    Standby,
    /// Holding the lease, renewing it, and polling while that is safe.
    Leader,
    /// Shutting down: polling stopped, confirming the offset, releasing the lease.
    SteppingDown,
    /// Done; the process is to exit.
    Exited(ExitReason),
}

/// The store request in flight, with the instant it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Acquire { sent_at: Millis, preempt: bool },
    Renew { sent_at: Millis },
    Release,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Leadership {
    lease: Lease,
    /// A lower bound of the instant from which the store counts the ttl: the instant the
    /// last successful acquisition or renewal was *asked for*, since the store may have
    /// applied it at any moment until its answer arrived.
    valid_from: Millis,
    next_renew: Millis,
    /// No poll before this instant: the [takeover wait](LeaderConfig::takeover_wait) after a
    /// preemption, the acquisition otherwise.
    polls_from: Millis,
    /// Whether the driver was last told to poll.
    polling: bool,
    /// A 409 paused polling until a renewal shows the lease is still this instance's.
    checking: bool,
    /// The 409 came while a renewal was already in flight, possibly asked for before the
    /// other instance took over: its success proves nothing, so another one is needed.
    recheck: bool,
}

impl Leadership {
    /// The earliest instant the store may let the lease expire.
    fn expires_at(&self, config: &LeaderConfig) -> Millis {
        self.valid_from.saturating_add(config.ttl())
    }

    /// The instant from which no poll may start: one started just before still ends
    /// [`config::GRACE`] before the lease can expire.
    fn stop_polling_at(&self, config: &LeaderConfig) -> Millis {
        self.expires_at(config).saturating_sub(config.stop_margin())
    }

    /// Whether a poll may start at `now`.
    fn may_poll(&self, now: Millis, config: &LeaderConfig) -> bool {
        !self.checking && self.polls_from <= now && now < self.stop_polling_at(config)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Standby {
        next_try: Millis,
        /// A lease this instance held when it stopped polling for want of a renewal, which
        /// may still be stored: renewing it gives leadership back without waiting for it to
        /// expire.
        reclaim: Option<Lease>,
    },
    Leader(Leadership),
    SteppingDown {
        confirmed: bool,
        /// The lease still to release.
        lease: Option<Lease>,
    },
    Exited(ExitReason),
}

/// The leader state machine: who polls, when to renew, when to stop.
///
/// It performs no I/O and reads no clock. The driver feeds it [`Event`]s with the current
/// instant and carries out the [`Action`]s it answers with; between events it asks
/// [`is_polling_allowed`](Self::is_polling_allowed) before each getUpdates and gives each up
/// at [`poll_deadline`](Self::poll_deadline).
///
/// The rules:
/// - a standby tries to acquire the lease every retry interval (with `PREEMPT_LEADER`, the
///   tries until the first success preempt); with `EXIT_ON_CONFLICT`, finding the lease
///   held makes it exit with status 3 instead;
/// - a leader renews every ttl/3 after the last successful acquisition or renewal, and every
///   retry interval after a failed renewal;
/// - a leader polls only while the lease certainly outlasts any poll it starts: it stops a
///   long poll plus a grace second before the ttl since the last success runs out, then
///   stands by, trying to renew its old lease until it learns it lost it;
/// - a leader that took the lease over by preemption starts polling only after the
///   [takeover wait](LeaderConfig::takeover_wait), once the previous holder has stopped;
/// - a renewal that finds the lease lost stops polling at once;
/// - a 409 pauses polling and checks the lease with a renewal at once;
/// - a shutdown stops polling, confirms the offset, releases the lease and exits with 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaderMachine {
    config: LeaderConfig,
    state: State,
    pending: Option<Pending>,
    /// `PREEMPT_LEADER` applies until the first lease is obtained.
    preempt_next: bool,
}

impl LeaderMachine {
    /// A standby that makes its first attempt at the first event.
    #[must_use]
    pub fn new(config: LeaderConfig) -> Self {
        Self {
            config,
            state: State::Standby {
                next_try: Millis::ZERO,
                reclaim: None,
            },
            pending: None,
            preempt_next: config.preempt(),
        }
    }

    /// The settings.
    #[must_use]
    pub fn config(&self) -> &LeaderConfig {
        &self.config
    }

    /// The current phase.
    #[must_use]
    pub fn phase(&self) -> Phase {
        match &self.state {
            State::Standby { .. } => Phase::Standby,
            State::Leader(_) => Phase::Leader,
            State::SteppingDown { .. } => Phase::SteppingDown,
            State::Exited(reason) => Phase::Exited(*reason),
        }
    }

    /// The lease held while leader.
    #[must_use]
    pub fn lease(&self) -> Option<&Lease> {
        match &self.state {
            State::Leader(leadership) => Some(&leadership.lease),
            _ => None,
        }
    }

    /// While leader, the instant from which polls may start: when the lease was obtained,
    /// or, after a takeover by preemption, the [takeover
    /// wait](LeaderConfig::takeover_wait) later.
    #[must_use]
    pub fn polls_from(&self) -> Option<Millis> {
        match &self.state {
            State::Leader(leadership) => Some(leadership.polls_from),
            _ => None,
        }
    }

    /// Whether a getUpdates may start at `now`.
    #[must_use]
    pub fn is_polling_allowed(&self, now: Millis) -> bool {
        match &self.state {
            State::Leader(leadership) => leadership.may_poll(now, &self.config),
            _ => false,
        }
    }

    /// The long-poll timeout of a getUpdates started at `now`, or `None` when none may start:
    /// as long as the lease allows — the whole seconds left until [`config::GRACE`] before
    /// the lease could expire, within Telegram's 50 s — so that an idle leader waits in long
    /// polls rather than asks again and again. Never shorter than
    /// [`max_poll_timeout`](LeaderConfig::max_poll_timeout), the length a poll started at the
    /// last allowed instant still has.
    ///
    /// Renewals go on during the poll; should they fail, the poll still ends before the lease
    /// it started under can have expired.
    #[must_use]
    pub fn poll_timeout(&self, now: Millis) -> Option<Duration> {
        let State::Leader(leadership) = &self.state else {
            return None;
        };
        if !leadership.may_poll(now, &self.config) {
            return None;
        }
        let lease_end = leadership
            .expires_at(&self.config)
            .saturating_sub(config::GRACE);
        let left = Duration::from_secs(lease_end.saturating_since(now).as_secs());
        Some(left.clamp(self.config.max_poll_timeout(), config::TELEGRAM_MAX_POLL))
    }

    /// The instant at which the driver gives up a getUpdates started at `now`, or `None`
    /// when none may start: the end of its long poll of
    /// [`poll_timeout`](Self::poll_timeout), plus
    /// [`ANSWER_ALLOWANCE`](LeaderConfig::ANSWER_ALLOWANCE) for its answer to arrive. Always
    /// before the lease can have expired.
    #[must_use]
    pub fn poll_deadline(&self, now: Millis) -> Option<Millis> {
        let timeout = self.poll_timeout(now)?;
        Some(
            now.saturating_add(timeout)
                .saturating_add(LeaderConfig::ANSWER_ALLOWANCE),
        )
    }

    /// Takes in `event`, which happened at `now`, and answers what to do.
    ///
    /// A result event that answers no request in flight (a late or repeated one) is
    /// ignored, and so is everything once the machine has exited.
    #[must_use = "the actions are what the driver is to do"]
    pub fn handle(&mut self, now: Millis, event: Event) -> Vec<Action> {
        let mut actions = Vec::new();
        if matches!(self.state, State::Exited(_)) {
            return actions;
        }
        self.apply(now, event, &mut actions);
        self.settle(now, &mut actions);
        actions
    }

    /// The next attempt after one asked for at `sent_at` failed, answered at `now`.
    fn retry_after(&self, sent_at: Millis, now: Millis) -> Millis {
        sent_at
            .saturating_add(self.config.retry_interval())
            .max(now)
    }

    /// Ends the acquisition in flight: when it was asked for, and whether it preempts.
    fn take_acquire(&mut self) -> Option<(Millis, bool)> {
        match self.pending {
            Some(Pending::Acquire { sent_at, preempt }) => {
                self.pending = None;
                Some((sent_at, preempt))
            }
            _ => None,
        }
    }

    fn take_renew(&mut self) -> Option<Millis> {
        match self.pending {
            Some(Pending::Renew { sent_at }) => {
                self.pending = None;
                Some(sent_at)
            }
            _ => None,
        }
    }

    /// The immediate consequences of `event`.
    fn apply(&mut self, now: Millis, event: Event, actions: &mut Vec<Action>) {
        match event {
            Event::Tick => {}
            Event::Acquired(lease) => {
                if let Some((sent_at, preempted)) = self.take_acquire() {
                    self.acquired(sent_at, now, preempted, lease);
                }
            }
            Event::LeaseBusy => {
                if let Some((sent_at, _)) = self.take_acquire() {
                    self.busy(sent_at, now, actions);
                }
            }
            Event::AcquireFailed => {
                if let Some((sent_at, _)) = self.take_acquire() {
                    let retry = self.retry_after(sent_at, now);
                    if let State::Standby { next_try, .. } = &mut self.state {
                        *next_try = retry;
                    }
                }
            }
            Event::Renewed => {
                if let Some(sent_at) = self.take_renew() {
                    self.renewed(sent_at, now);
                }
            }
            Event::LeaseLost => {
                if self.take_renew().is_some() {
                    self.lost(now, actions);
                }
            }
            Event::RenewFailed => {
                if let Some(sent_at) = self.take_renew() {
                    let retry = self.retry_after(sent_at, now);
                    match &mut self.state {
                        State::Leader(leadership) => leadership.next_renew = retry,
                        State::Standby { next_try, .. } => *next_try = retry,
                        State::SteppingDown { .. } | State::Exited(_) => {}
                    }
                }
            }
            Event::Conflict => {
                let renewing = matches!(self.pending, Some(Pending::Renew { .. }));
                if let State::Leader(leadership) = &mut self.state
                    && !leadership.checking
                {
                    leadership.checking = true;
                    if renewing {
                        leadership.recheck = true;
                    } else {
                        leadership.next_renew = now;
                    }
                }
            }
            Event::ShutdownRequested => self.shutdown(actions),
            Event::OffsetConfirmed => {
                if let State::SteppingDown { confirmed, .. } = &mut self.state {
                    *confirmed = true;
                }
            }
            Event::Released => {
                if self.pending == Some(Pending::Release) {
                    self.pending = None;
                }
            }
        }
    }

    /// The lease asked for at `sent_at` was obtained at `now`, by preemption if `preempted`.
    fn acquired(&mut self, sent_at: Millis, now: Millis, preempted: bool, lease: Lease) {
        match &mut self.state {
            State::Standby { .. } => {
                self.preempt_next = false;
                // The previous holder, if any, learns of a preemption only from its answer.
                let polls_from = if preempted {
                    now.saturating_add(self.config.takeover_wait())
                } else {
                    sent_at
                };
                self.state = State::Leader(Leadership {
                    lease,
                    valid_from: sent_at,
                    next_renew: sent_at.saturating_add(self.config.renew_period()),
                    polls_from,
                    polling: false,
                    checking: false,
                    recheck: false,
                });
            }
            // The shutdown came while the acquisition was in flight: give the lease back.
            State::SteppingDown { lease: slot, .. } => *slot = Some(lease),
            State::Leader(_) | State::Exited(_) => {}
        }
    }

    fn busy(&mut self, sent_at: Millis, now: Millis, actions: &mut Vec<Action>) {
        let retry = self.retry_after(sent_at, now);
        if let State::Standby { next_try, .. } = &mut self.state {
            if self.config.exit_on_conflict() {
                self.state = State::Exited(ExitReason::LeaseHeld);
                actions.push(Action::Exit(ExitReason::LeaseHeld));
            } else {
                *next_try = retry;
            }
        }
    }

    fn renewed(&mut self, sent_at: Millis, now: Millis) {
        let renew_period = self.config.renew_period();
        match &mut self.state {
            State::Leader(leadership) => {
                leadership.valid_from = sent_at;
                leadership.next_renew = sent_at.saturating_add(renew_period);
                if leadership.recheck {
                    leadership.recheck = false;
                    leadership.next_renew = now;
                } else {
                    leadership.checking = false;
                }
            }
            State::Standby {
                reclaim: Some(lease),
                ..
            } => {
                self.state = State::Leader(Leadership {
                    lease: lease.clone(),
                    valid_from: sent_at,
                    next_renew: sent_at.saturating_add(renew_period),
                    polls_from: sent_at,
                    polling: false,
                    checking: false,
                    recheck: false,
                });
            }
            State::Standby { reclaim: None, .. }
            | State::SteppingDown { .. }
            | State::Exited(_) => {}
        }
    }

    fn lost(&mut self, now: Millis, actions: &mut Vec<Action>) {
        match &mut self.state {
            State::Leader(leadership) => {
                if leadership.polling {
                    actions.push(Action::StopPolling);
                }
                self.state = State::Standby {
                    next_try: now,
                    reclaim: None,
                };
            }
            State::Standby { reclaim, next_try } => {
                *reclaim = None;
                *next_try = now;
            }
            // Nothing left to release.
            State::SteppingDown { lease, .. } => *lease = None,
            State::Exited(_) => {}
        }
    }

    fn shutdown(&mut self, actions: &mut Vec<Action>) {
        match &mut self.state {
            State::Leader(leadership) => {
                if leadership.polling {
                    actions.push(Action::StopPolling);
                }
                actions.push(Action::ConfirmOffset);
                self.state = State::SteppingDown {
                    confirmed: false,
                    lease: Some(leadership.lease.clone()),
                };
            }
            // A standby has polled nothing since it last stopped; the lease it may still
            // hold is released all the same, so that the next leader need not wait for it.
            State::Standby { reclaim, .. } => {
                self.state = State::SteppingDown {
                    confirmed: true,
                    lease: reclaim.take(),
                };
            }
            State::SteppingDown { .. } | State::Exited(_) => {}
        }
    }

    /// The consequences of the time: due attempts, the polling deadline, the next timer.
    fn settle(&mut self, now: Millis, actions: &mut Vec<Action>) {
        if let State::Leader(leadership) = &self.state
            && now >= leadership.stop_polling_at(&self.config)
        {
            if leadership.polling {
                actions.push(Action::StopPolling);
            }
            self.state = State::Standby {
                next_try: leadership.next_renew,
                reclaim: Some(leadership.lease.clone()),
            };
        }
        match &mut self.state {
            State::Standby { next_try, reclaim } => {
                if self.pending.is_none() && now >= *next_try {
                    self.pending = Some(if let Some(lease) = reclaim {
                        actions.push(Action::Renew(lease.clone()));
                        Pending::Renew { sent_at: now }
                    } else {
                        actions.push(if self.preempt_next {
                            Action::Preempt
                        } else {
                            Action::TryAcquire
                        });
                        Pending::Acquire {
                            sent_at: now,
                            preempt: self.preempt_next,
                        }
                    });
                }
                if self.pending.is_none() {
                    actions.push(Action::SleepUntil(*next_try));
                }
            }
            State::Leader(leadership) => {
                let poll = leadership.may_poll(now, &self.config);
                if poll != leadership.polling {
                    leadership.polling = poll;
                    actions.push(if poll {
                        Action::StartPolling
                    } else {
                        Action::StopPolling
                    });
                }
                if self.pending.is_none() && now >= leadership.next_renew {
                    actions.push(Action::Renew(leadership.lease.clone()));
                    self.pending = Some(Pending::Renew { sent_at: now });
                }
                let mut wake = leadership.stop_polling_at(&self.config);
                if self.pending.is_none() {
                    wake = wake.min(leadership.next_renew);
                }
                if now < leadership.polls_from {
                    wake = wake.min(leadership.polls_from);
                }
                actions.push(Action::SleepUntil(wake));
            }
            State::SteppingDown { confirmed, lease } => {
                if !*confirmed || self.pending.is_some() {
                    return;
                }
                if let Some(lease) = lease.take() {
                    actions.push(Action::Release(lease));
                    self.pending = Some(Pending::Release);
                } else {
                    self.state = State::Exited(ExitReason::Shutdown);
                    actions.push(Action::Exit(ExitReason::Shutdown));
                }
            }
            State::Exited(_) => {}
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod handover_tests;
