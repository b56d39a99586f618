//! Scenarios of the leader machine, one per rule, written as scripts:
//!
//! ```text
//! <ms> <event> -> <actions> | <phase>
//! ```
//!
//! Besides the answers and phases, [`check`] verifies at every step, and every 50 ms
//! between steps, that a poll is allowed only while the lease is held and that no poll may
//! run until the lease expires, taking the expiry at its earliest: the ttl counted from
//! when the successful acquisition or renewal was asked for. It also verifies that polls
//! are allowed exactly while the driver was last told to poll.

use std::io;
use std::time::Duration;

use super::*;
use crate::lease::{FencingToken, InstanceId};

fn ttl(seconds: u64) -> LeaderConfig {
    LeaderConfig::new(Duration::from_secs(seconds)).expect("valid ttl")
}

fn lease(fencing: u64) -> Lease {
    Lease::new(
        InstanceId::new("a"),
        FencingToken::new(fencing),
        Duration::from_secs(15),
    )
}

fn parse_event(word: &str) -> Event {
    if let Some(fencing) = word.strip_prefix("acquired#") {
        return Event::Acquired(lease(fencing.parse().expect("fencing number")));
    }
    match word {
        "tick" => Event::Tick,
        "busy" => Event::LeaseBusy,
        "acquire-failed" => Event::AcquireFailed,
        "renewed" => Event::Renewed,
        "lost" => Event::LeaseLost,
        "renew-failed" => Event::RenewFailed,
        "conflict" => Event::Conflict,
        "shutdown" => Event::ShutdownRequested,
        "confirmed" => Event::OffsetConfirmed,
        "released" => Event::Released,
        other => panic!("unknown event {other:?}"),
    }
}

fn show_action(action: &Action) -> String {
    match action {
        Action::TryAcquire => "try-acquire".to_owned(),
        Action::Preempt => "preempt".to_owned(),
        Action::Renew(lease) => format!("renew#{}", lease.fencing()),
        Action::Release(lease) => format!("release#{}", lease.fencing()),
        Action::StartPolling => "start-polling".to_owned(),
        Action::StopPolling => "stop-polling".to_owned(),
        Action::ConfirmOffset => "confirm-offset".to_owned(),
        Action::SleepUntil(at) => format!("sleep@{}", at.as_millis()),
        Action::Exit(reason) => format!("exit({})", reason.code()),
    }
}

fn show_phase(phase: Phase) -> String {
    match phase {
        Phase::Standby => "standby".to_owned(),
        Phase::Leader => "leader".to_owned(),
        Phase::SteppingDown => "stepping-down".to_owned(),
        Phase::Exited(reason) => format!("exited({})", reason.code()),
    }
}

/// What polling may do at `at`, given the earliest expiry of the lease held (if any).
fn assert_polls_within_lease(
    machine: &LeaderMachine,
    at: Millis,
    expiry: Option<Millis>,
    line: &str,
) {
    let deadline = machine.poll_deadline(at);
    if !machine.is_polling_allowed(at) {
        assert_eq!(
            deadline, None,
            "at {at}, after `{line}`: a deadline without polling"
        );
        return;
    }
    let expiry =
        expiry.unwrap_or_else(|| panic!("at {at}, after `{line}`: polling without a lease"));
    let deadline = deadline.unwrap_or_else(|| panic!("at {at}, after `{line}`: no deadline"));
    assert!(
        at < deadline && deadline < expiry,
        "at {at}, after `{line}`: a poll may run until {deadline}, the lease may end at {expiry}"
    );
}

/// Runs `script` on a new machine with `config`; returns the machine, for more checks.
fn check(config: LeaderConfig, script: &str) -> LeaderMachine {
    let mut machine = LeaderMachine::new(config);
    // Whether the driver was last told to poll.
    let mut polling = false;
    // When the store request in flight was asked for, and the earliest expiry of the lease.
    let mut asked_at: Option<Millis> = None;
    let mut expiry = None;
    let mut previous: Option<(Millis, &str)> = None;
    for line in script
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        let (input, expected) = line.split_once("->").expect("`->` in every line");
        let (expected_actions, expected_phase) =
            expected.split_once('|').expect("`|` in every line");
        let mut input = input.split_whitespace();
        let at = Millis::from_millis(input.next().expect("time").parse().expect("time in ms"));
        let event = parse_event(input.next().expect("event"));

        if let Some((before, previous_line)) = previous {
            assert!(before <= at, "`{line}` goes back in time");
            let mut probe = before;
            while probe < at {
                assert_polls_within_lease(&machine, probe, expiry, previous_line);
                assert_eq!(
                    machine.is_polling_allowed(probe),
                    polling,
                    "at {probe}, after `{previous_line}`: polls allowed unlike the actions said"
                );
                probe = probe.saturating_add(Duration::from_millis(50));
            }
        }

        // An answer to no request is one the machine ignores, so it changes nothing here.
        let answers = matches!(
            event,
            Event::Acquired(_)
                | Event::LeaseBusy
                | Event::AcquireFailed
                | Event::Renewed
                | Event::LeaseLost
                | Event::RenewFailed
        );
        if answers && let Some(asked) = asked_at.take() {
            match event {
                Event::Acquired(_) | Event::Renewed => {
                    expiry = Some(asked.saturating_add(config.ttl()));
                }
                Event::LeaseBusy | Event::LeaseLost => expiry = None,
                _ => {}
            }
        }
        let actions = machine.handle(at, event);
        let shown: Vec<String> = actions.iter().map(show_action).collect();
        assert_eq!(
            shown.join(" "),
            expected_actions.trim(),
            "actions of `{line}`"
        );
        assert_eq!(
            show_phase(machine.phase()),
            expected_phase.trim(),
            "phase after `{line}`"
        );
        if actions.iter().any(|action| {
            matches!(
                action,
                Action::TryAcquire | Action::Preempt | Action::Renew(_)
            )
        }) {
            asked_at = Some(at);
        }
        for action in &actions {
            match action {
                Action::StartPolling => polling = true,
                Action::StopPolling => polling = false,
                _ => {}
            }
        }
        assert_polls_within_lease(&machine, at, expiry, line);
        assert_eq!(
            machine.is_polling_allowed(at),
            polling,
            "at {at}, after `{line}`: polls allowed unlike the actions said"
        );
        previous = Some((at, line));
    }
    machine
}

#[test]
fn a_leader_polls_and_renews_every_third_of_the_ttl() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        20    acquired#1  -> start-polling sleep@5000     | leader
        3000  tick        -> sleep@5000                   | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5030  renewed     -> sleep@10000                  | leader
        10000 tick        -> renew#1 sleep@15000          | leader
        10010 renewed     -> sleep@15000                  | leader
        15000 tick        -> renew#1 sleep@20000          | leader
        ",
    );
}

#[test]
fn the_poll_deadline_ends_before_the_lease_can() {
    let mut machine = LeaderMachine::new(ttl(15));
    let _ = machine.handle(Millis::ZERO, Event::Tick);
    let _ = machine.handle(Millis::from_millis(30), Event::Acquired(lease(1)));
    // Asked for at 0: the lease may end at 15 000; a poll lasts the whole seconds left until
    // a second before that (at least 4 s), and none starts in the last 5 s. A poll is given
    // up half a second after its end, should its answer not have come.
    let cases = [
        (0, Some(14_500)),
        (30, Some(13_530)),
        (5_999, Some(14_499)),
        (9_999, Some(14_499)),
        (10_000, None),
        (14_999, None),
    ];
    for (at, deadline) in cases {
        let at = Millis::from_millis(at);
        assert_eq!(
            machine.poll_deadline(at),
            deadline.map(Millis::from_millis),
            "at {at}"
        );
        assert_eq!(
            machine.is_polling_allowed(at),
            deadline.is_some(),
            "at {at}"
        );
    }
}

/// getUpdates calls of a leader with nothing to fetch over `seconds`: every renewal
/// answered within 20 ms, every poll held by Telegram for its whole timeout.
fn idle_polls(config: LeaderConfig, seconds: u64) -> (usize, Vec<Duration>) {
    let mut machine = LeaderMachine::new(config);
    let mut now = Millis::ZERO;
    let mut wake = Millis::ZERO;
    let mut renewing = false;
    let mut poll_ends: Option<Millis> = None;
    let mut timeouts = Vec::new();
    let end = Millis::from_millis(seconds * 1000);
    // Carries out what the store and the clock are asked for.
    let feed = |machine: &mut LeaderMachine,
                at: Millis,
                event: Event,
                renewing: &mut bool,
                wake: &mut Millis| {
        for action in machine.handle(at, event) {
            match action {
                Action::TryAcquire | Action::Renew(_) => *renewing = true,
                Action::SleepUntil(until) => *wake = until,
                _ => {}
            }
        }
    };
    feed(&mut machine, now, Event::Tick, &mut renewing, &mut wake);
    while now < end {
        if renewing {
            renewing = false;
            now = now.saturating_add(Duration::from_millis(20));
            let event = if machine.phase() == Phase::Leader {
                Event::Renewed
            } else {
                Event::Acquired(lease(1))
            };
            feed(&mut machine, now, event, &mut renewing, &mut wake);
            continue;
        }
        if poll_ends.is_none_or(|at| at <= now) {
            poll_ends = None;
            if let Some(timeout) = machine.poll_timeout(now) {
                timeouts.push(timeout);
                poll_ends = Some(now.saturating_add(timeout));
            }
        }
        let next = poll_ends.map_or(wake, |at| at.min(wake)).max(now);
        if next == now && poll_ends != Some(now) {
            now = now.saturating_add(Duration::from_millis(1));
        } else {
            now = next;
        }
        if now >= wake {
            feed(&mut machine, now, Event::Tick, &mut renewing, &mut wake);
        }
    }
    (timeouts.len(), timeouts)
}

#[test]
fn an_idle_leader_polls_as_long_as_the_lease_allows() {
    // With the shortest ttl a poll used to last a second: about one getUpdates a second.
    let (polls, timeouts) = idle_polls(ttl(5), 600);
    assert!(polls <= 600 * 2 / 5, "{polls} polls in 600 s: {timeouts:?}");
    assert!(
        timeouts.iter().all(|t| *t >= Duration::from_secs(2)),
        "{timeouts:?}"
    );
    // The default ttl, 15 s: polls of 9 s and more, rather than 4 s.
    let (polls, timeouts) = idle_polls(ttl(15), 600);
    assert!(polls <= 600 / 9, "{polls} polls in 600 s: {timeouts:?}");
    // A long ttl: Telegram's 50 s.
    let (_, timeouts) = idle_polls(ttl(300), 600);
    assert!(
        timeouts.iter().all(|t| *t == Duration::from_secs(50)),
        "{timeouts:?}"
    );
}

#[test]
fn a_standby_retries_every_interval_and_takes_over_when_free() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        10    busy        -> sleep@1000                   | standby
        1000  tick        -> try-acquire                  | standby
        1500  busy        -> sleep@2000                   | standby
        2000  tick        -> try-acquire                  | standby
        3500  busy        -> try-acquire                  | standby
        3510  acquire-failed -> sleep@4500                | standby
        4500  tick        -> try-acquire                  | standby
        4520  acquired#2  -> start-polling sleep@9500     | leader
        ",
    );
}

#[test]
fn preempt_applies_to_the_first_acquisition_only() {
    check(
        ttl(15).with_preempt(true),
        "
        0     tick           -> preempt                   | standby
        10    acquire-failed -> sleep@1000                | standby
        1000  tick           -> preempt                   | standby
        1010  acquired#5     -> sleep@6000                | leader
        6000  tick           -> renew#5 sleep@7210        | leader
        6010  lost           -> try-acquire               | standby
        6020  busy           -> sleep@7010                | standby
        7010  tick           -> try-acquire               | standby
        7020  acquired#6     -> start-polling sleep@12010 | leader
        ",
    );
}

#[test]
fn a_takeover_by_preemption_waits_for_the_previous_holder_before_polling() {
    // The previous holder renews at most 5 s after the takeover, its renewal takes at most
    // the 1 s retry interval, and its cancelled long poll 200 ms to settle: polls from 6 220.
    let machine = check(
        ttl(15).with_preempt(true),
        "
        0     tick        -> preempt                      | standby
        20    acquired#5  -> sleep@5000                   | leader
        5000  tick        -> renew#5 sleep@6220           | leader
        5010  renewed     -> sleep@6220                   | leader
        6220  tick        -> start-polling sleep@10000    | leader
        ",
    );
    assert_eq!(machine.polls_from(), Some(Millis::from_millis(6_220)));
}

#[test]
fn the_takeover_wait_grows_with_the_retry_interval() {
    let config = ttl(15)
        .with_preempt(true)
        .with_retry_interval(Duration::from_secs(2))
        .expect("fits");
    check(
        config,
        "
        0     tick        -> preempt                      | standby
        20    acquired#5  -> sleep@5000                   | leader
        5000  tick        -> renew#5 sleep@7220           | leader
        5010  renewed     -> sleep@7220                   | leader
        7220  tick        -> start-polling sleep@10000    | leader
        ",
    );
}

#[test]
fn a_conflict_during_the_takeover_wait_checks_the_lease_and_keeps_waiting() {
    check(
        ttl(15).with_preempt(true),
        "
        0     tick        -> preempt                      | standby
        20    acquired#5  -> sleep@5000                   | leader
        1000  conflict    -> renew#5 sleep@6220           | leader
        1010  renewed     -> sleep@6000                   | leader
        6000  tick        -> renew#5 sleep@6220           | leader
        6010  renewed     -> sleep@6220                   | leader
        6220  tick        -> start-polling sleep@11000    | leader
        ",
    );
}

#[test]
fn a_lease_obtained_without_preemption_is_polled_at_once() {
    let machine = check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        20    acquired#1  -> start-polling sleep@5000     | leader
        ",
    );
    assert_eq!(machine.polls_from(), Some(Millis::ZERO));
    assert!(machine.is_polling_allowed(Millis::from_millis(20)));
}

#[test]
fn a_preempted_leader_stops_at_its_next_renewal() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5010  lost        -> stop-polling try-acquire     | standby
        5020  busy        -> sleep@6010                   | standby
        ",
    );
}

#[test]
fn a_conflict_checks_the_lease_and_stands_down_when_lost() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        2000  conflict    -> stop-polling renew#1 sleep@10000 | leader
        2005  conflict    -> sleep@10000                  | leader
        2010  lost        -> try-acquire                  | standby
        2020  busy        -> sleep@3010                   | standby
        ",
    );
}

#[test]
fn a_conflict_resumes_polling_when_the_lease_is_still_held() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        2000  conflict    -> stop-polling renew#1 sleep@10000 | leader
        2010  renewed     -> start-polling sleep@7000     | leader
        ",
    );
}

#[test]
fn a_conflict_during_a_renewal_is_checked_by_another_renewal() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5001  conflict    -> stop-polling sleep@10000     | leader
        5010  renewed     -> renew#1 sleep@15000          | leader
        5020  lost        -> try-acquire                  | standby
        ",
    );
}

#[test]
fn a_conflict_outside_leadership_changes_nothing() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        10    busy        -> sleep@1000                   | standby
        500   conflict    -> sleep@1000                   | standby
        ",
    );
}

#[test]
fn failed_renewals_stop_polling_before_the_lease_can_expire() {
    // Asked for at 0, the lease may end at 15 000: polling stops at 10 000, a whole poll
    // and a grace second before; the old lease is then tried again, as a standby.
    check(
        ttl(15),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@5000   | leader
        5000  tick          -> renew#1 sleep@10000        | leader
        5010  renew-failed  -> sleep@6000                 | leader
        6000  tick          -> renew#1 sleep@10000        | leader
        6010  renew-failed  -> sleep@7000                 | leader
        7000  tick          -> renew#1 sleep@10000        | leader
        7010  renew-failed  -> sleep@8000                 | leader
        8000  tick          -> renew#1 sleep@10000        | leader
        8010  renew-failed  -> sleep@9000                 | leader
        9000  tick          -> renew#1 sleep@10000        | leader
        9990  renew-failed  -> sleep@10000                | leader
        10000 tick          -> stop-polling renew#1       | standby
        10010 renew-failed  -> sleep@11000                | standby
        11000 tick          -> renew#1                    | standby
        11010 renewed       -> start-polling sleep@16000  | leader
        ",
    );
}

#[test]
fn a_renewal_hanging_past_the_deadline_stops_polling_on_time() {
    check(
        ttl(15),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@5000   | leader
        5000  tick          -> renew#1 sleep@10000        | leader
        5010  renew-failed  -> sleep@6000                 | leader
        6000  tick          -> renew#1 sleep@10000        | leader
        10000 tick          -> stop-polling               | standby
        12000 renew-failed  -> renew#1                    | standby
        12010 lost          -> try-acquire                | standby
        12020 acquired#2    -> start-polling sleep@17010  | leader
        ",
    );
}

#[test]
fn a_late_successful_renewal_resumes_polling_from_when_it_was_asked() {
    check(
        ttl(15),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@5000   | leader
        5000  tick          -> renew#1 sleep@10000        | leader
        5010  renew-failed  -> sleep@6000                 | leader
        9000  tick          -> renew#1 sleep@10000        | leader
        10000 tick          -> stop-polling               | standby
        10500 renewed       -> start-polling sleep@14000  | leader
        ",
    );
}

#[test]
fn renewal_failing_close_to_expiry_with_the_shortest_ttl() {
    // ttl 5 s: renew every 1 666 ms, polls of 1 s, stop 2 s before the earliest expiry.
    check(
        ttl(5),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@1666   | leader
        1666  tick          -> renew#1 sleep@3000         | leader
        1700  renew-failed  -> sleep@2666                 | leader
        2666  tick          -> renew#1 sleep@3000         | leader
        2990  renew-failed  -> sleep@3000                 | leader
        3000  tick          -> stop-polling sleep@3666    | standby
        3666  tick          -> renew#1                    | standby
        3670  lost          -> try-acquire                | standby
        3680  busy          -> sleep@4670                 | standby
        ",
    );
}

#[test]
fn polling_recovers_when_a_renewal_succeeds_in_time() {
    check(
        ttl(15),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@5000   | leader
        5000  tick          -> renew#1 sleep@10000        | leader
        5010  renew-failed  -> sleep@6000                 | leader
        6000  tick          -> renew#1 sleep@10000        | leader
        6010  renew-failed  -> sleep@7000                 | leader
        7000  tick          -> renew#1 sleep@10000        | leader
        7010  renewed       -> sleep@12000                | leader
        12000 tick          -> renew#1 sleep@17000        | leader
        ",
    );
}

#[test]
fn exit_on_conflict_exits_with_3_when_the_lease_is_held() {
    check(
        ttl(15).with_exit_on_conflict(true),
        "
        0     tick           -> try-acquire               | standby
        10    acquire-failed -> sleep@1000                | standby
        1000  tick           -> try-acquire               | standby
        1010  busy           -> exit(3)                   | exited(3)
        1020  tick           ->                           | exited(3)
        1030  shutdown       ->                           | exited(3)
        ",
    );
}

#[test]
fn exit_on_conflict_applies_to_a_leader_that_lost_the_lease() {
    check(
        ttl(15).with_exit_on_conflict(true),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5010  lost        -> stop-polling try-acquire     | standby
        5020  busy        -> exit(3)                      | exited(3)
        ",
    );
}

#[test]
fn shutdown_stops_polling_then_confirms_then_releases_then_exits() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        3000  shutdown    -> stop-polling confirm-offset  | stepping-down
        3001  shutdown    ->                              | stepping-down
        3050  tick        ->                              | stepping-down
        3100  confirmed   -> release#1                    | stepping-down
        3150  released    -> exit(0)                      | exited(0)
        ",
    );
}

#[test]
fn shutdown_waits_for_the_renewal_in_flight_before_releasing() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5001  shutdown    -> stop-polling confirm-offset  | stepping-down
        5002  confirmed   ->                              | stepping-down
        5010  renewed     -> release#1                    | stepping-down
        5020  released    -> exit(0)                      | exited(0)
        ",
    );
}

#[test]
fn shutdown_skips_the_release_of_a_lease_found_lost() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        0     acquired#1  -> start-polling sleep@5000     | leader
        5000  tick        -> renew#1 sleep@10000          | leader
        5001  shutdown    -> stop-polling confirm-offset  | stepping-down
        5010  lost        ->                              | stepping-down
        5020  confirmed   -> exit(0)                      | exited(0)
        ",
    );
}

#[test]
fn shutdown_of_a_standby_exits_at_once() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        10    busy        -> sleep@1000                   | standby
        500   shutdown    -> exit(0)                      | exited(0)
        ",
    );
}

#[test]
fn shutdown_during_an_acquisition_releases_what_it_obtains() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        1     shutdown    ->                              | stepping-down
        10    acquired#2  -> release#2                    | stepping-down
        20    released    -> exit(0)                      | exited(0)
        ",
    );
}

#[test]
fn shutdown_after_stepping_down_releases_the_old_lease() {
    check(
        ttl(15),
        "
        0     tick          -> try-acquire                | standby
        0     acquired#1    -> start-polling sleep@5000   | leader
        5000  tick          -> renew#1 sleep@10000        | leader
        5010  renew-failed  -> sleep@6000                 | leader
        6000  tick          -> renew#1 sleep@10000        | leader
        10000 tick          -> stop-polling               | standby
        10010 renew-failed  -> renew#1                    | standby
        10020 renew-failed  -> sleep@11010                | standby
        10500 shutdown      -> release#1                  | stepping-down
        10600 released      -> exit(0)                    | exited(0)
        ",
    );
}

#[test]
fn answers_to_no_request_are_ignored() {
    check(
        ttl(15),
        "
        0     tick        -> try-acquire                  | standby
        10    busy        -> sleep@1000                   | standby
        20    renewed     -> sleep@1000                   | standby
        30    busy        -> sleep@1000                   | standby
        40    released    -> sleep@1000                   | standby
        1000  tick        -> try-acquire                  | standby
        1010  acquired#1  -> start-polling sleep@6000     | leader
        2000  lost        -> sleep@6000                   | leader
        2010  confirmed   -> sleep@6000                   | leader
        ",
    );
}

#[test]
fn lease_results_convert_to_events() {
    fn unavailable() -> LeaseError {
        LeaseError::Unavailable(Box::new(io::Error::other("connection refused")))
    }
    let cases = [
        (
            Event::from_acquire(Ok(Some(lease(1)))),
            Event::Acquired(lease(1)),
        ),
        (Event::from_acquire(Ok(None)), Event::LeaseBusy),
        (
            Event::from_acquire(Err(unavailable())),
            Event::AcquireFailed,
        ),
        (Event::from_preempt(Ok(lease(2))), Event::Acquired(lease(2))),
        (
            Event::from_preempt(Err(unavailable())),
            Event::AcquireFailed,
        ),
        (Event::from_renew(Ok(RenewOutcome::Renewed)), Event::Renewed),
        (Event::from_renew(Ok(RenewOutcome::Lost)), Event::LeaseLost),
        (Event::from_renew(Err(unavailable())), Event::RenewFailed),
    ];
    for (converted, expected) in cases {
        assert_eq!(converted, expected);
    }
}

#[test]
fn exit_codes_are_0_and_3() {
    assert_eq!(ExitReason::Shutdown.code(), 0);
    assert_eq!(ExitReason::LeaseHeld.code(), 3);
}
