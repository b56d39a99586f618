//! # vitrina-redis-lease
//!
//! The leader lease of Vitrina on Redis: [`RedisLeaderLease`] implements the
//! [`LeaderLease`](vitrina_update_source::LeaderLease) port, so that of several instances
//! of the bot exactly one polls Telegram at a time.
//!
//! ```
//! use std::time::Duration;
//! use vitrina_redis_lease::{InstanceName, LeaseValue, RedisLeaderLease, RedisLeaseConfig};
//! use vitrina_update_source::{LeaderLease, RenewOutcome};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // The example needs a Redis to talk to; without one it ends here.
//! let Ok(url) = std::env::var("TEST_REDIS_URL") else {
//!     return Ok(());
//! };
//! let environment = format!("example-{}", std::process::id());
//! let me = InstanceName::current();
//! let config = RedisLeaseConfig::new(&environment, me.instance_id(), Duration::from_secs(15));
//! let store = RedisLeaderLease::connect(&url, config)?;
//! assert_eq!(store.key(), format!("{environment}:bot:polling:leader"));
//!
//! // Nobody holds the lease yet: this instance gets it, with a fencing number.
//! let lease = store.acquire().await?.expect("the lease is free");
//! assert_eq!(store.renew(&lease).await?, RenewOutcome::Renewed);
//!
//! // `bot lock status`: the value names the holder and carries the same number.
//! let holder = store.holder().await?.expect("the lease is held");
//! let value = LeaseValue::parse(&holder.value).expect("written in this program's format");
//! assert_eq!(value.instance, me);
//! assert_eq!(holder.fencing, Some(lease.fencing()));
//! assert!(holder.time_left.is_some_and(|left| left <= Duration::from_secs(15)));
//!
//! // A clean stop gives the lease up, so that a standby takes over at once.
//! assert!(store.release(&lease).await?);
//! assert_eq!(store.holder().await?, None);
//! # let client = deadpool_redis::redis::Client::open(url.as_str())?;
//! # let mut conn = client.get_multiplexed_async_connection().await?;
//! # let _: i64 = deadpool_redis::redis::cmd("DEL")
//! #     .arg(store.fencing_key())
//! #     .query_async(&mut conn)
//! #     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## How the lease is kept
//! - The lease is the key `{ENVIRONMENT}:bot:polling:leader`
//!   ([`RedisLeaderLease::key_for`]); its value is
//!   `host=<hostname>;pid=<pid>;started=<unix ms>;fencing=<n>` ([`LeaseValue`],
//!   [`InstanceName`]). A value in another format, such as one left by an older system, is
//!   still reported by `holder()`, with no fencing number.
//! - Acquiring: `INCR {ENVIRONMENT}:bot:polling:fencing`, then `SET key value NX PX ttl`.
//!   Preempting: the same `SET` without `NX`. The counter never expires, so fencing
//!   numbers only grow; an acquisition that finds the lease held wastes one, which is
//!   harmless.
//! - Renewing and releasing are Lua scripts that compare the stored value with the lease's
//!   before they extend (`PEXPIRE`) or delete it: a lease that expired and was taken by
//!   another instance is never extended or deleted by the old holder.
//! - For the operator commands: [`RedisLeaderLease::force_release`] deletes whatever is
//!   stored; [`RedisLeaderLease::release_if_host`] deletes only a lease of a given host,
//!   checking and deleting in one script.
//! - Every request is bounded by [`RedisLeaseConfig::timeout`] ([`DEFAULT_TIMEOUT`], one
//!   second), connection included: a Redis that hangs is a failure long before a lease
//!   could expire. Connection, pool, timeout and I/O failures are
//!   [`LeaseError::Unavailable`](vitrina_update_source::LeaseError::Unavailable); errors
//!   Redis answers with are
//!   [`LeaseError::Store`](vitrina_update_source::LeaseError::Store).
#![deny(missing_docs)]

mod config;
mod error;
mod lease;
mod value;

pub use config::{DEFAULT_TIMEOUT, RedisLeaseConfig};
pub use error::SetupError;
pub use lease::{HostRelease, RedisLeaderLease};
pub use value::{InstanceName, LeaseValue};
