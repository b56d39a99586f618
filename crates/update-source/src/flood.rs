//! Incoming flood control: a token bucket per person, decided before an update costs a
//! database transaction.
//!
//! A person may send `burst` updates at once and then `rate` a second, which no one tapping
//! buttons or typing reaches; a script or a stuck client does, and its excess is dropped
//! without touching the database. The person is told once per flood ([`Admission::Warn`]),
//! and again only in a later flood, after their bucket has filled up again.

use std::collections::HashMap;

use thiserror::Error;

/// How much one person may send.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloodLimit {
    rate_per_second: f64,
    burst: u32,
}

/// A flood limit that cannot work.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FloodLimitError {
    /// The rate is not a positive finite number.
    #[error("the rate must be a positive number of updates per second, not {0}")]
    Rate(f64),
    /// The burst is zero.
    #[error("the burst must be at least 1 update")]
    Burst,
}

impl FloodLimit {
    /// `burst` updates at once, then `rate_per_second` (fractions allowed: 0.5 is one update
    /// every two seconds).
    ///
    /// # Errors
    /// A rate that is not positive and finite, or a burst of zero.
    pub fn new(rate_per_second: f64, burst: u32) -> Result<FloodLimit, FloodLimitError> {
        if !(rate_per_second.is_finite() && rate_per_second > 0.0) {
            return Err(FloodLimitError::Rate(rate_per_second));
        }
        if burst == 0 {
            return Err(FloodLimitError::Burst);
        }
        Ok(FloodLimit {
            rate_per_second,
            burst,
        })
    }

    /// Updates per second once the burst is spent.
    pub fn rate_per_second(&self) -> f64 {
        self.rate_per_second
    }

    /// Updates at once.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The rate in thousandths of an update per second, at least one: bucket arithmetic is
    /// done in integers, so that a token earned is earned exactly.
    fn rate_millis(&self) -> i64 {
        // Finite and positive (checked in `new`); anything above i64 saturates.
        #[allow(clippy::cast_possible_truncation)]
        let rate = (self.rate_per_second * 1000.0).round() as i64;
        rate.max(1)
    }

    /// A full bucket, in millionths of an update.
    fn full_micros(&self) -> i64 {
        i64::from(self.burst) * TOKEN
    }

    /// Milliseconds for an empty bucket to fill up again.
    fn refill_millis(&self) -> i64 {
        let rate = self.rate_millis();
        (self.full_micros() + rate - 1) / rate
    }
}

/// One update's token, in millionths: `elapsed ms × rate in thousandths per second` gives
/// millionths exactly.
const TOKEN: i64 = 1_000_000;

/// What to do with one update of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Handle it.
    Admit,
    /// Drop it, and tell the person to slow down: the first dropped update of this flood.
    Warn,
    /// Drop it silently: the person was told already.
    Drop,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Millionths of an update.
    tokens: i64,
    at_millis: i64,
    warned: bool,
}

/// The buckets of everyone who wrote lately. Memory stays bounded by the people active within
/// one refill time: a full bucket is the same as none, so idle ones are forgotten.
#[derive(Debug)]
pub struct FloodGate {
    limit: FloodLimit,
    buckets: HashMap<i64, Bucket>,
    /// When idle buckets were last forgotten.
    swept_at_millis: i64,
}

impl FloodGate {
    /// Everyone starts with a full bucket.
    pub fn new(limit: FloodLimit) -> FloodGate {
        FloodGate {
            limit,
            buckets: HashMap::new(),
            swept_at_millis: i64::MIN,
        }
    }

    /// Whether to handle an update of `person` arriving at `now_millis` (any monotonic
    /// milliseconds; a clock that steps back counts as no time passed).
    pub fn admit(&mut self, person: i64, now_millis: i64) -> Admission {
        self.sweep(now_millis);
        let (rate, full) = (self.limit.rate_millis(), self.limit.full_micros());
        let bucket = self.buckets.entry(person).or_insert(Bucket {
            tokens: full,
            at_millis: now_millis,
            warned: false,
        });
        let earned = earned(bucket, now_millis, rate);
        bucket.tokens = bucket.tokens.saturating_add(earned).min(full);
        bucket.at_millis = bucket.at_millis.max(now_millis);
        if bucket.tokens >= full {
            // A bucket that filled up ends the flood: the next one is told again.
            bucket.warned = false;
        }
        if bucket.tokens >= TOKEN {
            bucket.tokens -= TOKEN;
            Admission::Admit
        } else if bucket.warned {
            Admission::Drop
        } else {
            bucket.warned = true;
            Admission::Warn
        }
    }

    /// How many people's buckets are kept.
    pub fn tracked(&self) -> usize {
        self.buckets.len()
    }

    /// Forgets, at most once per refill time, the buckets that have filled up since.
    fn sweep(&mut self, now_millis: i64) {
        if now_millis.saturating_sub(self.swept_at_millis) < self.limit.refill_millis() {
            return;
        }
        self.swept_at_millis = now_millis;
        let (rate, full) = (self.limit.rate_millis(), self.limit.full_micros());
        self.buckets.retain(|_, bucket| {
            bucket
                .tokens
                .saturating_add(earned(bucket, now_millis, rate))
                < full
        });
    }
}

/// The millionths of an update `bucket` earned from its last update to `now_millis`, at
/// `rate` thousandths per second; none when the clock stepped back.
fn earned(bucket: &Bucket, now_millis: i64, rate: i64) -> i64 {
    now_millis
        .saturating_sub(bucket.at_millis)
        .max(0)
        .saturating_mul(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(rate: f64, burst: u32) -> FloodGate {
        FloodGate::new(FloodLimit::new(rate, burst).expect("a valid limit"))
    }

    #[test]
    fn a_burst_passes_then_the_first_excess_is_warned_and_the_rest_dropped() {
        let mut gate = gate(1.0, 3);
        let seen: Vec<Admission> = (0..6).map(|_| gate.admit(7, 1_000)).collect();
        assert_eq!(
            seen,
            [
                Admission::Admit,
                Admission::Admit,
                Admission::Admit,
                Admission::Warn,
                Admission::Drop,
                Admission::Drop
            ]
        );
    }

    #[test]
    fn tokens_come_back_at_the_rate_without_a_second_warning_mid_flood() {
        let mut gate = gate(2.0, 2);
        assert_eq!(gate.admit(1, 0), Admission::Admit);
        assert_eq!(gate.admit(1, 0), Admission::Admit);
        assert_eq!(gate.admit(1, 0), Admission::Warn);
        // Half a second: one token back at 2/s.
        assert_eq!(gate.admit(1, 499), Admission::Drop);
        assert_eq!(gate.admit(1, 500), Admission::Admit);
        assert_eq!(gate.admit(1, 500), Admission::Drop, "told once per flood");
    }

    #[test]
    fn a_new_flood_after_the_bucket_filled_up_is_warned_again() {
        let mut gate = gate(1.0, 2);
        for _ in 0..2 {
            assert_eq!(gate.admit(1, 0), Admission::Admit);
        }
        assert_eq!(gate.admit(1, 0), Admission::Warn);
        // Two seconds at 1/s fill a bucket of two.
        for _ in 0..2 {
            assert_eq!(gate.admit(1, 2_000), Admission::Admit);
        }
        assert_eq!(gate.admit(1, 2_000), Admission::Warn);
    }

    #[test]
    fn people_have_buckets_of_their_own() {
        let mut gate = gate(1.0, 1);
        assert_eq!(gate.admit(1, 0), Admission::Admit);
        assert_eq!(gate.admit(1, 0), Admission::Warn);
        assert_eq!(gate.admit(2, 0), Admission::Admit);
    }

    #[test]
    fn a_clock_that_steps_back_gives_no_tokens() {
        let mut gate = gate(1.0, 1);
        assert_eq!(gate.admit(1, 10_000), Admission::Admit);
        assert_eq!(gate.admit(1, 5_000), Admission::Warn);
        assert_eq!(gate.admit(1, 10_999), Admission::Drop);
        assert_eq!(gate.admit(1, 11_000), Admission::Admit);
    }

    #[test]
    fn idle_people_are_forgotten_so_memory_follows_the_active_ones() {
        let mut gate = gate(10.0, 5);
        for person in 0..1_000 {
            assert_eq!(gate.admit(person, 0), Admission::Admit);
        }
        assert_eq!(gate.tracked(), 1_000);
        // Refill takes 0.5 s; a second later every bucket is full, and one new person's
        // update sweeps them.
        assert_eq!(gate.admit(5_000, 1_000), Admission::Admit);
        assert_eq!(gate.tracked(), 1);
    }

    #[test]
    fn a_limit_that_cannot_work_is_refused() {
        assert_eq!(FloodLimit::new(0.0, 5), Err(FloodLimitError::Rate(0.0)));
        assert!(matches!(
            FloodLimit::new(f64::NAN, 5),
            Err(FloodLimitError::Rate(_))
        ));
        assert_eq!(FloodLimit::new(1.0, 0), Err(FloodLimitError::Burst));
        let limit = FloodLimit::new(0.5, 4).expect("valid");
        assert_eq!((limit.rate_per_second(), limit.burst()), (0.5, 4));
    }
}
