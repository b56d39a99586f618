//! The leader-lease port: who may poll Telegram right now.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::Duration;

/// The name an instance writes into the lease, so that an operator can tell who holds it
/// (for example `host-1/4242/1700000000`: host, process id, start time).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceId(String);

impl InstanceId {
    /// An instance name, taken as it is.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A number that grows with every acquisition of the lease, whoever acquires it.
///
/// Of two leases, the one with the larger token is the newer; anything the leader writes
/// elsewhere can carry it so that a stale leader's late writes can be told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FencingToken(u64);

impl FencingToken {
    /// The token with this number.
    #[must_use]
    pub const fn new(value: u64) -> Self {
        Self(value)
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for FencingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A lease this instance obtained: proof, until it expires, that it is the one that polls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lease {
    instance: InstanceId,
    fencing: FencingToken,
    ttl: Duration,
}

impl Lease {
    /// The lease `instance` obtained with `fencing`, valid for `ttl` after each acquisition
    /// or renewal.
    #[must_use]
    pub fn new(instance: InstanceId, fencing: FencingToken, ttl: Duration) -> Self {
        Self {
            instance,
            fencing,
            ttl,
        }
    }

    /// Who holds it.
    #[must_use]
    pub fn instance(&self) -> &InstanceId {
        &self.instance
    }

    /// Its fencing token.
    #[must_use]
    pub fn fencing(&self) -> FencingToken {
        self.fencing
    }

    /// How long it lasts after each acquisition or renewal.
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }
}

/// What a renewal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewOutcome {
    /// The lease was still this instance's and now lasts another ttl.
    Renewed,
    /// The lease is no longer this instance's: it expired, or another instance took it over.
    Lost,
}

/// Whoever holds the lease, as the store reports it (for `bot lock status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The value stored under the lease key, which names the holding instance.
    pub value: String,
    /// The fencing token read from the value; `None` when the value is not in this
    /// program's format (written by another program, or by hand).
    pub fencing: Option<FencingToken>,
    /// How long the lease lasts unless renewed; `None` when it has no expiry.
    pub time_left: Option<Duration>,
}

/// Why a lease operation failed. In every case the caller cannot tell whether the operation
/// took effect in the store.
#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// The store could not be reached or did not answer in time.
    #[error("the lease store is unavailable")]
    Unavailable(#[source] Box<dyn StdError + Send + Sync>),
    /// The store answered with an error or with something this program does not understand.
    #[error("the lease store failed")]
    Store(#[source] Box<dyn StdError + Send + Sync>),
}

impl LeaseError {
    /// The error and its causes on one line, for logs and reports: the variant's own message
    /// says only which kind of failure it was, the store's error what happened.
    pub fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut source = self.source();
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            // Some errors repeat their source in their own message.
            if !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        text
    }
}

/// A lease that at most one instance holds at a time, with an expiry, stored outside the
/// process (Redis, in production) so that instances on different machines agree.
///
/// Expiry is what lets a standby take over from a leader that crashed; renewal is what lets
/// a live leader keep the lease. The [`LeaderMachine`](crate::LeaderMachine) decides when to
/// call which.
pub trait LeaderLease: Send + Sync {
    /// Takes the lease if nobody holds it, with a fencing token larger than any before.
    ///
    /// Returns `Ok(None)` when another instance holds it.
    ///
    /// # Errors
    ///
    /// MUST return [`LeaseError::Unavailable`] when the store cannot be reached or does not
    /// answer in time, and [`LeaseError::Store`] when it answers with an error. The lease may
    /// then be held by this instance without its knowing; it expires after one ttl.
    fn acquire(&self) -> impl Future<Output = Result<Option<Lease>, LeaseError>> + Send;

    /// Takes the lease whoever holds it, with a fencing token larger than any before. The
    /// previous holder finds out at its next renewal.
    ///
    /// # Errors
    ///
    /// As for [`acquire`](Self::acquire).
    fn preempt(&self) -> impl Future<Output = Result<Lease, LeaseError>> + Send;

    /// Extends `lease` by another ttl if it is still the one stored (compare and extend).
    ///
    /// Returns [`RenewOutcome::Lost`], and MUST NOT extend anything, when the stored lease
    /// is another one or there is none.
    ///
    /// # Errors
    ///
    /// MUST return [`LeaseError::Unavailable`] when the store cannot be reached or does not
    /// answer in time, and [`LeaseError::Store`] when it answers with an error; whether the
    /// lease is still held is then unknown.
    fn renew(&self, lease: &Lease)
    -> impl Future<Output = Result<RenewOutcome, LeaseError>> + Send;

    /// Gives `lease` up if it is still the one stored (compare and delete), so that a standby
    /// can take over at once.
    ///
    /// Returns `true` when it was deleted, `false` when it was no longer stored.
    ///
    /// # Errors
    ///
    /// As for [`renew`](Self::renew); an unreleased lease expires after one ttl.
    fn release(&self, lease: &Lease) -> impl Future<Output = Result<bool, LeaseError>> + Send;

    /// Reports who holds the lease, or `None` when nobody does.
    ///
    /// # Errors
    ///
    /// MUST return [`LeaseError::Unavailable`] when the store cannot be reached or does not
    /// answer in time, and [`LeaseError::Store`] when it answers with an error.
    fn holder(&self) -> impl Future<Output = Result<Option<LeaseHolder>, LeaseError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error whose message repeats its source's, as some client errors do.
    #[derive(Debug, thiserror::Error)]
    #[error("request failed: connection refused")]
    struct Repeating(#[source] std::io::Error);

    #[test]
    fn an_error_is_described_with_its_causes_each_once() {
        let refused =
            || std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused");
        let plain = LeaseError::Unavailable(Box::new(refused()));
        assert_eq!(
            plain.with_causes(),
            "the lease store is unavailable: connection refused"
        );
        let repeating = LeaseError::Store(Box::new(Repeating(refused())));
        assert_eq!(
            repeating.with_causes(),
            "the lease store failed: request failed: connection refused"
        );
    }
}
