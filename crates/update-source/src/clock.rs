//! Time as the leader machine sees it: instants on one monotonic line, injected by the caller.

use std::fmt;
use std::time::Duration;

/// An instant, in milliseconds since the origin of the [`Clock`] that produced it.
///
/// Only instants of the same clock can be compared. Arithmetic saturates instead of
/// overflowing: an instant about 584 million years away is as good as never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Millis(u64);

impl Millis {
    /// The origin of the clock.
    pub const ZERO: Self = Self(0);

    /// The instant `millis` milliseconds after the origin.
    #[must_use]
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// Milliseconds since the origin.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The instant `duration` later, or the last representable instant.
    #[must_use]
    pub fn saturating_add(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(duration_millis(duration)))
    }

    /// The instant `duration` earlier, or the origin.
    #[must_use]
    pub fn saturating_sub(self, duration: Duration) -> Self {
        Self(self.0.saturating_sub(duration_millis(duration)))
    }

    /// How long after `earlier` this instant is; zero when it is not later.
    #[must_use]
    pub fn saturating_since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

/// Whole milliseconds of `duration`, rounded down, saturating at `u64::MAX`.
pub(crate) fn duration_millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A source of [`Millis`]: monotonic, never going backwards.
///
/// The leader machine never reads a clock itself; its driver reads one and passes the
/// instant along with every event, so that tests can replay any timing exactly.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Millis;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_at_both_ends() {
        let cases = [
            (Millis(5), Duration::from_millis(3), Millis(8), Millis(2)),
            (Millis(1), Duration::from_millis(3), Millis(4), Millis(0)),
            (
                Millis(u64::MAX - 1),
                Duration::from_millis(3),
                Millis(u64::MAX),
                Millis(u64::MAX - 4),
            ),
            (Millis(7), Duration::MAX, Millis(u64::MAX), Millis(0)),
        ];
        for (at, by, later, earlier) in cases {
            assert_eq!(at.saturating_add(by), later, "{at} + {by:?}");
            assert_eq!(at.saturating_sub(by), earlier, "{at} - {by:?}");
        }
    }

    #[test]
    fn saturating_since_is_zero_for_a_later_instant() {
        assert_eq!(
            Millis(9).saturating_since(Millis(4)),
            Duration::from_millis(5)
        );
        assert_eq!(Millis(4).saturating_since(Millis(9)), Duration::ZERO);
    }
}
