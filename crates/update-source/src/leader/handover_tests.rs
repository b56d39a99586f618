//! Several instances, each a machine and a driver, sharing one in-memory lease store on one
//! clock: what the instances do together, checked every 100 ms.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::clock::Clock;
use crate::lease::LeaderLease;
use crate::memory::{ManualClock, MemoryLease, MemoryLeaseStore, block_on};

const TTL: Duration = Duration::from_secs(15);
const STEP: Duration = Duration::from_millis(100);

fn at(millis: u64) -> Millis {
    Millis::from_millis(millis)
}

fn config() -> LeaderConfig {
    LeaderConfig::new(TTL).expect("valid ttl")
}

/// An instance with a driver as the binary's, except that store calls complete at once.
struct Instance {
    lease: MemoryLease<ManualClock>,
    machine: LeaderMachine,
    polling: bool,
    wake: Option<Millis>,
    /// What the driver did, timers left out.
    log: Vec<String>,
}

impl Instance {
    fn feed(&mut self, now: Millis, event: Event) {
        let mut events = VecDeque::from([event]);
        while let Some(event) = events.pop_front() {
            let actions = self.machine.handle(now, event);
            self.wake = None;
            for action in actions {
                match action {
                    Action::TryAcquire => {
                        events.push_back(Event::from_acquire(block_on(self.lease.acquire())));
                    }
                    Action::Preempt => {
                        events.push_back(Event::from_preempt(block_on(self.lease.preempt())));
                    }
                    Action::Renew(ref lease) => {
                        events.push_back(Event::from_renew(block_on(self.lease.renew(lease))));
                    }
                    Action::Release(ref lease) => {
                        let released = block_on(self.lease.release(lease));
                        assert_eq!(released.ok(), Some(true), "the lease was ours to release");
                        events.push_back(Event::Released);
                    }
                    Action::StartPolling => self.polling = true,
                    Action::StopPolling => self.polling = false,
                    Action::ConfirmOffset => events.push_back(Event::OffsetConfirmed),
                    Action::SleepUntil(wake) => self.wake = Some(wake),
                    Action::Exit(_) => {}
                }
                if !matches!(action, Action::SleepUntil(_)) {
                    self.log.push(format!("{action:?}"));
                }
            }
            assert_eq!(
                self.polling,
                self.machine.is_polling_allowed(now),
                "at {now}, the driver polls exactly when the machine allows it"
            );
        }
    }
}

struct Cluster {
    shared: Arc<MemoryLeaseStore<ManualClock>>,
    instances: Vec<Instance>,
}

impl Cluster {
    fn new() -> Self {
        Self {
            shared: Arc::new(MemoryLeaseStore::new(ManualClock::default())),
            instances: Vec::new(),
        }
    }

    fn now(&self) -> Millis {
        self.shared.clock().now()
    }

    /// Starts an instance now and returns its index.
    fn start(&mut self, name: &str, config: LeaderConfig) -> usize {
        let mut instance = Instance {
            lease: self.shared.lease(name, TTL),
            machine: LeaderMachine::new(config),
            polling: false,
            wake: None,
            log: Vec::new(),
        };
        instance.feed(self.now(), Event::Tick);
        self.instances.push(instance);
        self.instances.len() - 1
    }

    fn feed(&mut self, index: usize, event: Event) {
        let now = self.now();
        self.instances[index].feed(now, event);
    }

    /// Moves the clock to `until` step by step, firing the timers that come due, and runs
    /// `check` after each step.
    fn run_until(&mut self, until: Millis, mut check: impl FnMut(&Self, Millis)) {
        while self.now() < until {
            let now = self.now().saturating_add(STEP);
            self.shared.clock().set(now);
            for instance in &mut self.instances {
                if instance.wake.is_some_and(|wake| wake <= now) {
                    instance.feed(now, Event::Tick);
                }
            }
            check(self, now);
        }
    }

    fn pollers(&self) -> Vec<usize> {
        (0..self.instances.len())
            .filter(|&index| self.instances[index].polling)
            .collect()
    }

    fn fencing(&self, index: usize) -> u64 {
        self.instances[index]
            .machine
            .lease()
            .expect("a leader")
            .fencing()
            .get()
    }

    /// At most one instance polls, and its polls end before its stored lease does.
    fn assert_safe(&self, now: Millis) {
        let pollers = self.pollers();
        assert!(pollers.len() <= 1, "at {now}, {pollers:?} poll at once");
        for index in pollers {
            let machine = &self.instances[index].machine;
            let lease = machine.lease().expect("a poller leads");
            let expiry = self
                .shared
                .stored()
                .filter(|(stored, _)| stored == lease)
                .map(|(_, expiry)| expiry)
                .unwrap_or_else(|| panic!("at {now}, {index} polls without holding the lease"));
            let deadline = machine.poll_deadline(now).expect("a poller may poll");
            assert!(
                deadline < expiry,
                "at {now}, a poll may run to {deadline}, the lease ends at {expiry}"
            );
        }
    }
}

#[test]
fn a_clean_stop_hands_over_within_one_retry_interval() {
    let mut cluster = Cluster::new();
    let a = cluster.start("a", config());
    cluster.shared.clock().set(at(300));
    let b = cluster.start("b", config());
    cluster.run_until(at(20_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [a]);
    assert_eq!(cluster.instances[b].machine.phase(), Phase::Standby);

    cluster.feed(a, Event::ShutdownRequested);
    let shutdown: Vec<&str> = cluster.instances[a]
        .log
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(String::as_str)
        .collect();
    let fencing_of_a = "FencingToken(1)";
    assert_eq!(shutdown[..2], ["StopPolling", "ConfirmOffset"]);
    assert!(
        shutdown[2].starts_with("Release(") && shutdown[2].contains(fencing_of_a),
        "{shutdown:?}"
    );
    assert_eq!(shutdown[3], "Exit(Shutdown)");
    assert_eq!(
        cluster.instances[a].machine.phase(),
        Phase::Exited(ExitReason::Shutdown)
    );

    // b tries at 300 past each second.
    cluster.run_until(at(20_200), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), []);
    cluster.run_until(at(20_300), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [b]);
    assert!(cluster.fencing(b) > 1);
    cluster.run_until(at(60_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [b]);
}

#[test]
fn a_preempting_instance_polls_only_once_the_old_leader_has_stopped() {
    let mut cluster = Cluster::new();
    let a = cluster.start("a", config());
    cluster.run_until(at(7_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [a]);

    let b = cluster.start("b", config().with_preempt(true));
    assert_eq!(cluster.instances[b].machine.phase(), Phase::Leader);
    assert!(cluster.fencing(b) > cluster.fencing(a));
    // a renewed at 5 000; it learns of the takeover at its renewal at 10 000. b waits a
    // renewal period, a store call and the settling of a cancelled poll: 6.2 s.
    assert_eq!(cluster.instances[b].machine.polls_from(), Some(at(13_200)));

    let mut a_stopped_at = None;
    let mut b_started_at = None;
    cluster.run_until(at(30_000), |cluster, now| {
        if !cluster.instances[a].polling && a_stopped_at.is_none() {
            a_stopped_at = Some(now);
        }
        if cluster.instances[b].polling && b_started_at.is_none() {
            b_started_at = Some(now);
        }
        if a_stopped_at.is_none() {
            // a polls on a lease it no longer holds, not knowing yet; b must not.
            assert_eq!(cluster.pollers(), [a], "at {now}");
        } else {
            cluster.assert_safe(now);
        }
    });
    assert_eq!(a_stopped_at, Some(at(10_000)));
    assert_eq!(b_started_at, Some(at(13_200)));
    assert_eq!(cluster.instances[a].machine.phase(), Phase::Standby);
    assert_eq!(cluster.pollers(), [b]);
}

#[test]
fn an_outage_of_the_store_stops_polling_in_time_and_leadership_resumes_after() {
    let mut cluster = Cluster::new();
    let a = cluster.start("a", config());
    cluster.shared.clock().set(at(500));
    cluster.start("b", config());
    cluster.run_until(at(12_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [a]);

    // a renewed at 10 000 for the last time: the lease may end at 25 000, so a stops polling
    // at 20 000, a long poll and a grace second before.
    cluster.shared.set_unreachable(true);
    cluster.run_until(at(19_900), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [a]);
    cluster.run_until(at(40_000), |cluster, now| {
        cluster.assert_safe(now);
        assert_eq!(cluster.pollers(), [], "at {now}, nobody can hold the lease");
    });

    cluster.shared.set_unreachable(false);
    cluster.run_until(at(41_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers().len(), 1);
    cluster.run_until(at(80_000), |cluster, now| {
        cluster.assert_safe(now);
        assert_eq!(cluster.pollers().len(), 1, "at {now}, one instance polls");
    });
}

#[test]
fn a_standby_with_exit_on_conflict_exits_while_another_leads() {
    let mut cluster = Cluster::new();
    let a = cluster.start("a", config());
    cluster.shared.clock().set(at(2_000));
    let b = cluster.start("b", config().with_exit_on_conflict(true));
    assert_eq!(
        cluster.instances[b].machine.phase(),
        Phase::Exited(ExitReason::LeaseHeld)
    );
    assert_eq!(cluster.instances[b].log, ["TryAcquire", "Exit(LeaseHeld)"]);
    cluster.run_until(at(10_000), Cluster::assert_safe);
    assert_eq!(cluster.pollers(), [a]);
}
