//! Retrying a service that is down (Telegram, the network): how long to wait before the next
//! try, and what to tell the operator about it.
//!
//! Both are pure: the caller gives the random draw for the jitter and the instant of each
//! failure, so a test can script an outage of hours in microseconds.

use std::time::Duration;

use crate::Millis;

/// How the pauses between tries grow: from `initial`, doubling after each failure in a row, up
/// to `max`. Each pause is then jittered into its upper half, so that instances cut off
/// together do not all come back in the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The pause after the first failure (before jitter).
    pub initial: Duration,
    /// The longest pause.
    pub max: Duration,
}

impl Default for RetryPolicy {
    /// Half a second, doubling up to 30 seconds.
    fn default() -> RetryPolicy {
        RetryPolicy {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(30),
        }
    }
}

/// A random draw in `[0, 1)` that spreads a pause: 0 gives half of it, just under 1 all of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jitter(f64);

impl Jitter {
    /// The draw `value`, brought into `[0, 1)` (a value outside, or NaN, counts as 0).
    pub fn new(value: f64) -> Jitter {
        if (0.0..1.0).contains(&value) {
            Jitter(value)
        } else {
            Jitter(0.0)
        }
    }

    /// No spreading: always half the pause. For tests and for callers without randomness.
    pub const NONE: Jitter = Jitter(0.0);
}

/// The pauses of one sequence of failures in a row, by a [`RetryPolicy`].
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: RetryPolicy,
    failures: u32,
}

impl Backoff {
    /// No failure yet.
    pub fn new(policy: RetryPolicy) -> Backoff {
        Backoff {
            policy,
            failures: 0,
        }
    }

    /// Another failure in a row: the pause before the next try. The `n`th failure waits
    /// between half and all of `initial × 2ⁿ⁻¹`, never more than `max`.
    pub fn failed(&mut self, jitter: Jitter) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let doublings = self.failures.saturating_sub(1).min(31);
        let base = self
            .policy
            .initial
            .saturating_mul(1u32 << doublings)
            .min(self.policy.max);
        base / 2 + base.mul_f64(jitter.0 / 2.0)
    }

    /// A try succeeded: the next failure starts from `initial` again.
    pub fn succeeded(&mut self) {
        self.failures = 0;
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// What to log about a failure or a recovery, decided by an [`OutageLog`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutageReport {
    /// The first failure after a success: log it, with its error.
    Started,
    /// A failure the operator was told about recently: log nothing.
    Quiet,
    /// Still failing: log one line saying so.
    Continuing {
        /// Failures since the outage started, this one included.
        failures: u64,
        /// Since when.
        since: Millis,
    },
    /// The service answers again after an outage.
    Ended {
        /// Failures the outage counted.
        failures: u64,
        /// How long it lasted, from its first failure to this success.
        lasted: Duration,
    },
}

/// Turns a stream of failures and successes into a few log lines: the first failure, then one
/// summary per `summary_every` while it lasts, then its end; not one line per failure.
#[derive(Debug, Clone)]
pub struct OutageLog {
    summary_every: Duration,
    outage: Option<Outage>,
}

#[derive(Debug, Clone, Copy)]
struct Outage {
    since: Millis,
    failures: u64,
    last_report: Millis,
}

impl OutageLog {
    /// A log that repeats itself at most once per `summary_every` during an outage.
    pub fn new(summary_every: Duration) -> OutageLog {
        OutageLog {
            summary_every,
            outage: None,
        }
    }

    /// A try failed at `now`.
    pub fn failed(&mut self, now: Millis) -> OutageReport {
        match &mut self.outage {
            None => {
                self.outage = Some(Outage {
                    since: now,
                    failures: 1,
                    last_report: now,
                });
                OutageReport::Started
            }
            Some(outage) => {
                outage.failures = outage.failures.saturating_add(1);
                if now
                    .as_millis()
                    .saturating_sub(outage.last_report.as_millis())
                    >= duration_millis(self.summary_every)
                {
                    outage.last_report = now;
                    OutageReport::Continuing {
                        failures: outage.failures,
                        since: outage.since,
                    }
                } else {
                    OutageReport::Quiet
                }
            }
        }
    }

    /// A try succeeded at `now`: [`OutageReport::Ended`] when it ends an outage.
    pub fn succeeded(&mut self, now: Millis) -> Option<OutageReport> {
        self.outage.take().map(|outage| OutageReport::Ended {
            failures: outage.failures,
            lasted: Duration::from_millis(now.as_millis().saturating_sub(outage.since.as_millis())),
        })
    }

    /// Whether the last try failed.
    pub fn is_down(&self) -> bool {
        self.outage.is_some()
    }
}

fn duration_millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    /// Runs `failures` failures with the draws in `jitters` (cycled) and returns the pauses.
    fn pauses(policy: RetryPolicy, jitters: &[f64], failures: usize) -> Vec<Duration> {
        let mut backoff = Backoff::new(policy);
        jitters
            .iter()
            .cycle()
            .take(failures)
            .map(|&draw| backoff.failed(Jitter::new(draw)))
            .collect()
    }

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn pauses_double_up_to_the_cap_within_their_upper_half() {
        let policy = RetryPolicy::default();
        // Without spread: half of 0.5, 1, 2, 4, 8, 16, 30, 30 s.
        assert_eq!(
            pauses(policy, &[0.0], 9),
            ms(&[250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000])
        );
        // With the largest spread: all of it.
        let longest = pauses(policy, &[0.999_999], 9);
        let expected = ms(&[
            500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
        ]);
        for (got, full) in longest.iter().zip(&expected) {
            assert!(
                *got <= *full && *got > full.mul_f64(0.999),
                "{got:?} vs {full:?}"
            );
        }
        // Half way.
        assert_eq!(pauses(policy, &[0.5], 3), ms(&[375, 750, 1_500]));
    }

    #[test]
    fn no_pause_exceeds_the_cap_however_long_the_outage() {
        let policy = RetryPolicy {
            initial: SECOND,
            max: 30 * SECOND,
        };
        let draws = [0.0, 0.3, 0.7, 0.999];
        for pause in pauses(policy, &draws, 10_000) {
            assert!(pause <= 30 * SECOND, "{pause:?}");
        }
        // And the last ones stay near the cap, not back at the start.
        let tail = pauses(policy, &[0.0], 200);
        assert_eq!(tail.last(), Some(&(15 * SECOND)));
    }

    #[test]
    fn a_success_starts_the_pauses_over() {
        let mut backoff = Backoff::new(RetryPolicy::default());
        for _ in 0..5 {
            backoff.failed(Jitter::NONE);
        }
        assert_eq!(backoff.failures(), 5);
        backoff.succeeded();
        assert_eq!(backoff.failures(), 0);
        assert_eq!(backoff.failed(Jitter::NONE), Duration::from_millis(250));
    }

    #[test]
    fn draws_outside_the_unit_interval_do_not_stretch_a_pause() {
        let policy = RetryPolicy::default();
        for draw in [1.0, 7.5, -0.5, f64::NAN, f64::INFINITY] {
            assert_eq!(pauses(policy, &[draw], 1), ms(&[250]), "{draw}");
        }
    }

    /// Plays `script` — `(instant in ms, whether the try succeeded)` — and returns what was
    /// reported.
    fn play(log: &mut OutageLog, script: &[(u64, bool)]) -> Vec<OutageReport> {
        script
            .iter()
            .filter_map(|&(at, ok)| {
                let now = Millis::from_millis(at);
                if ok {
                    log.succeeded(now)
                } else {
                    Some(log.failed(now))
                }
            })
            .collect()
    }

    #[test]
    fn an_outage_is_reported_at_its_start_once_a_minute_and_at_its_end() {
        let mut log = OutageLog::new(60 * SECOND);
        let reports = play(
            &mut log,
            &[
                (0, true),
                (1_000, false),
                (1_500, false),
                (2_500, false),
                (60_999, false),
                (61_000, false),
                (90_000, false),
                (121_000, false),
                (130_000, true),
                (131_000, true),
            ],
        );
        assert_eq!(
            reports,
            vec![
                OutageReport::Started,
                OutageReport::Quiet,
                OutageReport::Quiet,
                OutageReport::Quiet,
                OutageReport::Continuing {
                    failures: 5,
                    since: Millis::from_millis(1_000)
                },
                OutageReport::Quiet,
                OutageReport::Continuing {
                    failures: 7,
                    since: Millis::from_millis(1_000)
                },
                OutageReport::Ended {
                    failures: 7,
                    lasted: Duration::from_millis(129_000)
                },
            ]
        );
        assert!(!log.is_down());
    }

    #[test]
    fn a_new_outage_after_a_success_is_news_again() {
        let mut log = OutageLog::new(60 * SECOND);
        let reports = play(&mut log, &[(0, false), (10, true), (20, false)]);
        assert_eq!(
            reports,
            vec![
                OutageReport::Started,
                OutageReport::Ended {
                    failures: 1,
                    lasted: Duration::from_millis(10)
                },
                OutageReport::Started,
            ]
        );
        assert!(log.is_down());
    }

    #[test]
    fn a_clock_going_backwards_neither_panics_nor_reports_twice() {
        let mut log = OutageLog::new(60 * SECOND);
        let reports = play(
            &mut log,
            &[(100_000, false), (50_000, false), (40_000, true)],
        );
        assert_eq!(
            reports,
            vec![
                OutageReport::Started,
                OutageReport::Quiet,
                OutageReport::Ended {
                    failures: 2,
                    lasted: Duration::ZERO
                },
            ]
        );
    }
}
