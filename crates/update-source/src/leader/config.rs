//! The timings of leadership, all derived from the lease ttl.

use std::time::Duration;

/// How long the leader keeps polling past the last instant it could trust the lease by,
/// counted backwards: room for network latency and for the store's clock running a little
/// faster than ours.
pub(crate) const GRACE: Duration = Duration::from_secs(1);

// The answer of the last poll must still arrive within the grace.
const _: () = assert!(LeaderConfig::ANSWER_ALLOWANCE.as_millis() < GRACE.as_millis());

/// Telegram holds a long poll for at most 50 s whatever is asked.
pub(crate) const TELEGRAM_MAX_POLL: Duration = Duration::from_secs(50);

/// The settings of a [`LeaderMachine`](crate::LeaderMachine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaderConfig {
    ttl: Duration,
    preempt: bool,
    exit_on_conflict: bool,
    retry_interval: Duration,
}

impl LeaderConfig {
    /// The shortest ttl accepted: it leaves room for a renewal, a retry after a failed
    /// one, and a long poll of at least a second before the lease can run out.
    pub const MIN_TTL: Duration = Duration::from_secs(5);
    /// The longest ttl accepted.
    pub const MAX_TTL: Duration = Duration::from_secs(24 * 60 * 60);
    /// The default pause between attempts: a standby's attempts to acquire, and a leader's
    /// renewals after a failed one.
    pub const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_secs(1);
    /// How long the answer of a getUpdates may take to arrive after the instant by which
    /// Telegram has ended it; the driver gives the poll up after that. Half of the grace
    /// second kept between the last poll's end and the earliest expiry of the lease, so that
    /// a poll that ends on time is read rather than cut off.
    pub const ANSWER_ALLOWANCE: Duration = Duration::from_millis(500);
    /// The pause after the driver cancelled a getUpdates before it starts another: time for
    /// Telegram to see the cancelled request end, so that the two never look simultaneous
    /// to it (a getUpdates that arrives while another is pending ends that one with 409).
    pub const CANCEL_SETTLE: Duration = Duration::from_millis(200);

    /// Settings for a lease of length `ttl`: no preemption, a standby waits rather than
    /// exits, attempts are [`DEFAULT_RETRY_INTERVAL`](Self::DEFAULT_RETRY_INTERVAL) apart.
    ///
    /// # Errors
    ///
    /// [`ConfigError::TtlOutOfRange`] when `ttl` is not between
    /// [`MIN_TTL`](Self::MIN_TTL) and [`MAX_TTL`](Self::MAX_TTL).
    pub fn new(ttl: Duration) -> Result<Self, ConfigError> {
        if !(Self::MIN_TTL..=Self::MAX_TTL).contains(&ttl) {
            return Err(ConfigError::TtlOutOfRange { ttl });
        }
        Ok(Self {
            ttl,
            preempt: false,
            exit_on_conflict: false,
            retry_interval: Self::DEFAULT_RETRY_INTERVAL,
        })
    }

    /// `PREEMPT_LEADER`: whether the first acquisition overwrites the lease whoever holds it.
    #[must_use]
    pub fn with_preempt(mut self, preempt: bool) -> Self {
        self.preempt = preempt;
        self
    }

    /// `EXIT_ON_CONFLICT`: whether a standby that finds the lease held exits (with status 3)
    /// instead of waiting for it.
    #[must_use]
    pub fn with_exit_on_conflict(mut self, exit_on_conflict: bool) -> Self {
        self.exit_on_conflict = exit_on_conflict;
        self
    }

    /// Sets the pause between attempts.
    ///
    /// # Errors
    ///
    /// [`ConfigError::RetryIntervalOutOfRange`] when `interval` is zero, or so long that a
    /// renewal that failed when due would not be retried before the leader has to stop
    /// polling.
    pub fn with_retry_interval(mut self, interval: Duration) -> Result<Self, ConfigError> {
        let limit = self
            .ttl
            .saturating_sub(self.stop_margin())
            .saturating_sub(self.renew_period());
        if interval.is_zero() || interval >= limit {
            return Err(ConfigError::RetryIntervalOutOfRange { interval, limit });
        }
        self.retry_interval = interval;
        Ok(self)
    }

    /// The length of the lease.
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Whether the first acquisition preempts.
    #[must_use]
    pub fn preempt(&self) -> bool {
        self.preempt
    }

    /// Whether a standby that finds the lease held exits.
    #[must_use]
    pub fn exit_on_conflict(&self) -> bool {
        self.exit_on_conflict
    }

    /// The pause between attempts.
    #[must_use]
    pub fn retry_interval(&self) -> Duration {
        self.retry_interval
    }

    /// How long a store call may take: the driver counts a slower one as failed, so that it
    /// never delays the next attempt. The retry interval.
    #[must_use]
    pub fn store_call_limit(&self) -> Duration {
        self.retry_interval
    }

    /// How long a leader that took the lease over by preemption waits before its first
    /// poll: the previous holder learns of the takeover at its next renewal, at most a
    /// renewal period away, within a store call, and then cancels its long poll. Polling at
    /// once would overlap that long poll; Telegram would end one of the two with 409 and
    /// might hand both the same updates.
    ///
    /// This covers a previous holder whose renewals reach the store. One cut off from the
    /// store learns nothing, but stops by itself before the lease it had could run out.
    #[must_use]
    pub fn takeover_wait(&self) -> Duration {
        self.renew_period() + self.store_call_limit() + Self::CANCEL_SETTLE
    }

    /// How long after a successful acquisition or renewal the next renewal is due: a third
    /// of the ttl, so that two renewals in a row can fail before the lease runs out.
    #[must_use]
    pub fn renew_period(&self) -> Duration {
        self.ttl / 3
    }

    /// The shortest long-poll timeout of a leader's getUpdates: whole seconds, at least one,
    /// shorter than the renewal period (and within Telegram's 50 s). A poll started when the
    /// lease was last confirmed is longer ([`LeaderMachine::poll_timeout`]); this is what is
    /// left to one started at the last instant polling is allowed, which keeps that far
    /// ([`stop_margin`](Self::stop_margin)) from the earliest expiry of the lease.
    ///
    /// [`LeaderMachine::poll_timeout`]: crate::LeaderMachine::poll_timeout
    #[must_use]
    pub fn max_poll_timeout(&self) -> Duration {
        let whole_seconds = Duration::from_secs(self.renew_period().as_secs());
        whole_seconds
            .saturating_sub(Duration::from_secs(1))
            .clamp(Duration::from_secs(1), TELEGRAM_MAX_POLL)
    }

    /// How long before the lease could run out the leader stops starting polls: a whole
    /// long poll plus [`GRACE`], so that a poll started at the last moment still ends in
    /// time.
    pub(crate) fn stop_margin(&self) -> Duration {
        self.max_poll_timeout() + GRACE
    }
}

/// Settings that cannot work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The lease ttl is outside [`LeaderConfig::MIN_TTL`]..=[`LeaderConfig::MAX_TTL`].
    #[error("the lease ttl must be between 5 s and 24 h, not {ttl:?}")]
    TtlOutOfRange {
        /// The ttl asked for.
        ttl: Duration,
    },
    /// The retry interval is zero, or too long to retry a failed renewal before the leader
    /// has to stop polling.
    #[error("the retry interval must be above zero and below {limit:?}, not {interval:?}")]
    RetryIntervalOutOfRange {
        /// The interval asked for.
        interval: Duration,
        /// The ttl less the renewal period and the stop margin: intervals must be shorter.
        limit: Duration,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    /// `(ttl, renew period, max poll timeout, stop margin, takeover wait)`
    fn check(ttl: Duration, renew: Duration, poll: Duration, margin: Duration, takeover: Duration) {
        let config = LeaderConfig::new(ttl).expect("valid ttl");
        assert_eq!(config.renew_period(), renew, "renew period of {ttl:?}");
        assert_eq!(config.max_poll_timeout(), poll, "max poll of {ttl:?}");
        assert_eq!(config.stop_margin(), margin, "stop margin of {ttl:?}");
        assert_eq!(config.takeover_wait(), takeover, "takeover wait of {ttl:?}");
        // The invariants the machine relies on.
        assert!(config.max_poll_timeout() < config.renew_period(), "{ttl:?}");
        assert!(
            ttl - config.stop_margin() > config.renew_period() + config.retry_interval(),
            "{ttl:?} leaves no room for a retry"
        );
    }

    #[test]
    fn timings_derive_from_the_ttl() {
        let ms = Duration::from_millis;
        check(
            secs(5),
            Duration::from_nanos(1_666_666_666),
            secs(1),
            secs(2),
            Duration::from_nanos(2_866_666_666),
        );
        check(secs(6), secs(2), secs(1), secs(2), ms(3_200));
        check(secs(15), secs(5), secs(4), secs(5), ms(6_200));
        check(secs(30), secs(10), secs(9), secs(10), ms(11_200));
        check(secs(600), secs(200), secs(50), secs(51), ms(201_200));
    }

    #[test]
    fn ttl_outside_the_range_is_refused() {
        for ttl in [
            Duration::ZERO,
            secs(3),
            Duration::from_millis(4999),
            secs(86_401),
        ] {
            assert_eq!(
                LeaderConfig::new(ttl),
                Err(ConfigError::TtlOutOfRange { ttl }),
                "{ttl:?}"
            );
        }
        for ttl in [LeaderConfig::MIN_TTL, LeaderConfig::MAX_TTL] {
            assert!(LeaderConfig::new(ttl).is_ok(), "{ttl:?}");
        }
    }

    #[test]
    fn retry_interval_must_fit_in_the_renewal_period() {
        let config = LeaderConfig::new(secs(15)).expect("valid ttl");
        // 15 s less a renewal period of 5 s and a stop margin of 5 s.
        let limit = secs(5);
        for interval in [Duration::ZERO, secs(5), secs(6)] {
            assert_eq!(
                config.with_retry_interval(interval),
                Err(ConfigError::RetryIntervalOutOfRange { interval, limit }),
            );
        }
        let interval = Duration::from_millis(4999);
        let accepted = config.with_retry_interval(interval).expect("fits");
        assert_eq!(accepted.retry_interval(), interval);
        assert_eq!(accepted.store_call_limit(), interval);
        assert_eq!(accepted.takeover_wait(), Duration::from_millis(10_199));
    }
}
