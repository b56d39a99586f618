//! How Redis and pool failures become the port's [`LeaseError`], and what can go wrong
//! before any request is made.

use std::time::Duration;

use deadpool_redis::redis::RedisError;
use deadpool_redis::{BuildError, PoolError};
use vitrina_update_source::LeaseError;

/// Why a [`RedisLeaderLease`](crate::RedisLeaderLease) could not be set up. Nothing is
/// sent to Redis during setup, so none of these mean that Redis is down.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The Redis URL could not be read (its text is left out: it may carry a password).
    #[error("the Redis URL is not valid")]
    Url(#[source] RedisError),
    /// The lease key is empty.
    #[error("the lease key is empty")]
    EmptyKey,
    /// The lease ttl is shorter than the millisecond Redis counts in.
    #[error("the lease ttl must be at least 1 ms, not {0:?}")]
    Ttl(Duration),
    /// The timeout of each request is zero, which would fail every request.
    #[error("the request timeout must be longer than zero")]
    Timeout,
    /// The CA file for a `rediss://` URL could not be read.
    #[error("cannot read the Redis CA file {path}")]
    CaFile {
        /// The file's absolute path.
        path: std::path::PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The connection pool could not be built.
    #[error("the Redis connection pool could not be built")]
    Pool(#[source] BuildError),
}

/// A request that got no answer within the configured timeout.
#[derive(Debug, thiserror::Error)]
#[error("Redis did not answer within {0:?}")]
pub(crate) struct TimedOut(pub(crate) Duration);

/// A reply of a shape the scripts never produce.
#[derive(Debug, thiserror::Error)]
#[error("unexpected reply from Redis: {0}")]
pub(crate) struct UnexpectedReply(pub(crate) String);

/// Connection trouble means Redis could not be reached; an error Redis answered with, or
/// a reply that does not decode, means it failed.
pub(crate) fn from_redis(err: RedisError) -> LeaseError {
    if err.is_io_error()
        || err.is_timeout()
        || err.is_connection_dropped()
        || err.is_connection_refusal()
    {
        LeaseError::Unavailable(Box::new(err))
    } else {
        LeaseError::Store(Box::new(err))
    }
}

pub(crate) fn from_pool(err: PoolError) -> LeaseError {
    match err {
        PoolError::Backend(err) => from_redis(err),
        PoolError::Timeout(_) | PoolError::Closed => LeaseError::Unavailable(Box::new(err)),
        PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => {
            LeaseError::Store(Box::new(err))
        }
    }
}
