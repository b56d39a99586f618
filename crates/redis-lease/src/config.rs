//! What a [`RedisLeaderLease`](crate::RedisLeaderLease) is set up with.

use std::time::Duration;

use vitrina_update_source::InstanceId;

/// How long each request may take by default: far less than any sensible ttl, so that a
/// Redis that hangs counts as a failure long before the lease could expire.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// The settings of a [`RedisLeaderLease`](crate::RedisLeaderLease).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisLeaseConfig {
    /// The key the lease is stored under, normally
    /// [`RedisLeaderLease::key_for`](crate::RedisLeaderLease::key_for)`(environment)`.
    pub key: String,
    /// The instance named in the leases this one takes.
    pub instance: InstanceId,
    /// How long a lease lasts after each acquisition or renewal.
    pub ttl: Duration,
    /// The longest any one request may take, waiting for a connection included; a request
    /// that takes longer fails with
    /// [`LeaseError::Unavailable`](vitrina_update_source::LeaseError::Unavailable).
    pub timeout: Duration,
}

impl RedisLeaseConfig {
    /// The lease of `environment` (`{environment}:bot:polling:leader`), taken by
    /// `instance` for `ttl`, with the [`DEFAULT_TIMEOUT`].
    #[must_use]
    pub fn new(environment: &str, instance: InstanceId, ttl: Duration) -> Self {
        Self {
            key: crate::RedisLeaderLease::key_for(environment),
            instance,
            ttl,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}
