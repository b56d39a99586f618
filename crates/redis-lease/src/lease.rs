//! [`RedisLeaderLease`]: the [`LeaderLease`] port on Redis.

use std::future::Future;
use std::time::Duration;

use deadpool_redis::redis::{self, AsyncConnectionConfig, Script};
use deadpool_redis::{Connection, Manager, Pool, Runtime};
use vitrina_update_source::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};

use crate::config::RedisLeaseConfig;
use crate::error::{SetupError, TimedOut, UnexpectedReply, from_pool, from_redis};
use crate::value::{LeaseValue, value_of};

/// Extends the lease only while it is still the caller's, in one step: a separate GET and
/// PEXPIRE would let a lease taken over in between be extended for its new holder.
const RENEW_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
";

/// Deletes the lease only while it is still the caller's, in one step, for the same reason.
const RELEASE_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Deletes the lease only when its value is in this program's format (see `value.rs`) and
/// names the host in ARGV[1]. Replies `{0, ''}` when there is no lease, `{1, value}` when
/// it deleted it, `{2, value}` when it left it.
const RELEASE_IF_HOST_SCRIPT: &str = r"
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, ''}
end
local host = string.match(value, '^host=([^;]*);pid=%d+;started=%d+;fencing=%d+$')
if host == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {1, value}
end
return {2, value}
";

/// The standby and the leader each need one connection at a time; the rest is headroom
/// for the operator commands of a running process.
const POOL_SIZE: usize = 4;

/// What [`RedisLeaderLease::release_if_host`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostRelease {
    /// The lease named the host; it is deleted. Holds the value it had.
    Released(String),
    /// Nobody held the lease.
    NotHeld,
    /// The lease names another host, or its value is not in this program's format; it is
    /// left as it is. Holds its value.
    HeldElsewhere(String),
}

/// The leader lease on Redis.
///
/// The lease is the key `{ENVIRONMENT}:bot:polling:leader`, set with `SET key value NX PX
/// ttl`; its value names the holding instance and carries its fencing number
/// (`host=<hostname>;pid=<pid>;started=<unix ms>;fencing=<n>`, see
/// [`LeaseValue`](crate::LeaseValue)). The fencing numbers come from `INCR` on the key
/// `{ENVIRONMENT}:bot:polling:fencing`, which never expires, so they grow across every
/// acquisition and preemption by any instance. Renewal and release are Lua scripts that
/// compare the stored value with the lease's before they extend or delete it.
///
/// Every request is bounded by the configured timeout, waiting for a pooled connection
/// included. Connection, pool, timeout and I/O failures are
/// [`LeaseError::Unavailable`]; errors Redis answers with, and replies that do not decode,
/// are [`LeaseError::Store`].
#[derive(Clone)]
pub struct RedisLeaderLease {
    pool: Pool,
    key: String,
    fencing_key: String,
    instance: InstanceId,
    ttl: Duration,
    timeout: Duration,
    renew_script: Script,
    release_script: Script,
    release_if_host_script: Script,
}

impl std::fmt::Debug for RedisLeaderLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLeaderLease")
            .field("key", &self.key)
            .field("fencing_key", &self.fencing_key)
            .field("instance", &self.instance)
            .field("ttl", &self.ttl)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisLeaderLease {
    /// The lease key of `environment`: `{environment}:bot:polling:leader`.
    #[must_use]
    pub fn key_for(environment: &str) -> String {
        format!("{environment}:bot:polling:leader")
    }

    /// Sets up the lease on the Redis at `url` (`redis://[:password@]host[:port][/db]`).
    ///
    /// Connections are opened on first use: a Redis that is down shows up as
    /// [`LeaseError::Unavailable`] from the first request, not here. The fencing counter
    /// is kept beside the lease key: a key ending in `:leader` has that suffix replaced by
    /// `:fencing`, any other key gets `:fencing` appended.
    ///
    /// # Errors
    ///
    /// [`SetupError`] when the URL cannot be read, the key is empty, the ttl is under a
    /// millisecond or the timeout is zero.
    pub fn connect(url: &str, config: RedisLeaseConfig) -> Result<Self, SetupError> {
        Self::connect_with_ca(url, config, None)
    }

    /// [`RedisLeaderLease::connect`], trusting for a `rediss://` URL the CA certificates of the
    /// PEM file `ca_file` instead of the system's.
    ///
    /// # Errors
    /// As [`RedisLeaderLease::connect`], and [`SetupError::CaFile`] when the file cannot be
    /// read.
    pub fn connect_with_ca(
        url: &str,
        config: RedisLeaseConfig,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Self, SetupError> {
        let RedisLeaseConfig {
            key,
            instance,
            ttl,
            timeout,
        } = config;
        if key.is_empty() {
            return Err(SetupError::EmptyKey);
        }
        if ttl < Duration::from_millis(1) {
            return Err(SetupError::Ttl(ttl));
        }
        if timeout.is_zero() {
            return Err(SetupError::Timeout);
        }
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        let manager = match ca_file {
            None => Manager::new_with_config(url, connection),
            Some(path) => {
                let root_cert = std::fs::read(path).map_err(|source| SetupError::CaFile {
                    path: std::path::absolute(path).unwrap_or_else(|_| path.to_owned()),
                    source,
                })?;
                // The client keeps the trusted roots in its connection info, which the pool's
                // manager takes over.
                let client = redis::Client::build_with_tls(
                    url,
                    redis::TlsCertificates {
                        client_tls: None,
                        root_cert: Some(root_cert),
                    },
                )
                .map_err(SetupError::Url)?;
                Manager::new_with_config(client.get_connection_info().clone(), connection)
            }
        }
        .map_err(SetupError::Url)?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .recycle_timeout(Some(timeout))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(SetupError::Pool)?;
        let fencing_key = match key.strip_suffix(":leader") {
            Some(prefix) => format!("{prefix}:fencing"),
            None => format!("{key}:fencing"),
        };
        Ok(Self {
            pool,
            key,
            fencing_key,
            instance,
            ttl,
            timeout,
            renew_script: Script::new(RENEW_SCRIPT),
            release_script: Script::new(RELEASE_SCRIPT),
            release_if_host_script: Script::new(RELEASE_IF_HOST_SCRIPT),
        })
    }

    /// The key the lease is stored under.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key of the fencing counter.
    #[must_use]
    pub fn fencing_key(&self) -> &str {
        &self.fencing_key
    }

    /// The instance named in the leases this one takes.
    #[must_use]
    pub fn instance(&self) -> &InstanceId {
        &self.instance
    }

    /// How long a lease lasts after each acquisition or renewal.
    #[must_use]
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// The longest any one request may take.
    #[must_use]
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Checks that Redis answers.
    ///
    /// # Errors
    ///
    /// [`LeaseError::Unavailable`] when it cannot be reached or does not answer in time,
    /// [`LeaseError::Store`] when it answers with an error or something other than `PONG`.
    pub async fn ping(&self) -> Result<(), LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let reply: String = redis::cmd("PING")
                .query_async(&mut conn)
                .await
                .map_err(from_redis)?;
            if reply == "PONG" {
                Ok(())
            } else {
                Err(LeaseError::Store(Box::new(UnexpectedReply(reply))))
            }
        })
        .await
    }

    /// Deletes the lease whoever holds it (`bot lock release --force`). A leader that
    /// still runs finds out at its next renewal and stops polling.
    ///
    /// Returns whether there was a lease to delete.
    ///
    /// # Errors
    ///
    /// As for [`LeaderLease::holder`].
    pub async fn force_release(&self) -> Result<bool, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let deleted: i64 = redis::cmd("DEL")
                .arg(&self.key)
                .query_async(&mut conn)
                .await
                .map_err(from_redis)?;
            Ok(deleted > 0)
        })
        .await
    }

    /// Deletes the lease only when its value is in this program's format and names `host`
    /// (`bot lock release` without `--force`, run on the host of a leader that is gone).
    /// The check and the deletion are one script, so a lease taken over meanwhile by
    /// another host is never deleted.
    ///
    /// # Errors
    ///
    /// As for [`LeaderLease::holder`].
    pub async fn release_if_host(&self, host: &str) -> Result<HostRelease, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let (outcome, value): (i64, Vec<u8>) = self
                .release_if_host_script
                .key(&self.key)
                .arg(host)
                .invoke_async(&mut conn)
                .await
                .map_err(from_redis)?;
            let value = String::from_utf8_lossy(&value).into_owned();
            match outcome {
                0 => Ok(HostRelease::NotHeld),
                1 => Ok(HostRelease::Released(value)),
                2 => Ok(HostRelease::HeldElsewhere(value)),
                other => Err(LeaseError::Store(Box::new(UnexpectedReply(format!(
                    "release-if-host outcome {other}"
                ))))),
            }
        })
        .await
    }

    /// Runs one request under the timeout, so that a Redis that accepts connections but
    /// never answers fails the request instead of stalling the leader.
    async fn bounded<T>(
        &self,
        request: impl Future<Output = Result<T, LeaseError>>,
    ) -> Result<T, LeaseError> {
        tokio::time::timeout(self.timeout, request)
            .await
            .unwrap_or_else(|_| Err(LeaseError::Unavailable(Box::new(TimedOut(self.timeout)))))
    }

    async fn connection(&self) -> Result<Connection, LeaseError> {
        self.pool.get().await.map_err(from_pool)
    }

    /// The next fencing number. Numbers taken by an acquisition that then finds the lease
    /// held are never used: fencing needs them to grow, not to be consecutive.
    async fn next_fencing(&self, conn: &mut Connection) -> Result<FencingToken, LeaseError> {
        let next: u64 = redis::cmd("INCR")
            .arg(&self.fencing_key)
            .query_async(conn)
            .await
            .map_err(from_redis)?;
        Ok(FencingToken::new(next))
    }

    async fn take(&self, overwrite: bool) -> Result<Option<Lease>, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let fencing = self.next_fencing(&mut conn).await?;
            let mut set = redis::cmd("SET");
            set.arg(&self.key).arg(value_of(&self.instance, fencing));
            if !overwrite {
                set.arg("NX");
            }
            set.arg("PX").arg(millis(self.ttl));
            let reply: Option<String> = set.query_async(&mut conn).await.map_err(from_redis)?;
            Ok(reply.map(|_| Lease::new(self.instance.clone(), fencing, self.ttl)))
        })
        .await
    }
}

impl LeaderLease for RedisLeaderLease {
    async fn acquire(&self) -> Result<Option<Lease>, LeaseError> {
        self.take(false).await
    }

    async fn preempt(&self) -> Result<Lease, LeaseError> {
        self.take(true).await?.ok_or_else(|| {
            LeaseError::Store(Box::new(UnexpectedReply(
                "SET without NX did not set the lease".to_owned(),
            )))
        })
    }

    async fn renew(&self, lease: &Lease) -> Result<RenewOutcome, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let extended: i64 = self
                .renew_script
                .key(&self.key)
                .arg(value_of(lease.instance(), lease.fencing()))
                .arg(millis(lease.ttl()))
                .invoke_async(&mut conn)
                .await
                .map_err(from_redis)?;
            Ok(if extended == 1 {
                RenewOutcome::Renewed
            } else {
                RenewOutcome::Lost
            })
        })
        .await
    }

    async fn release(&self, lease: &Lease) -> Result<bool, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            let deleted: i64 = self
                .release_script
                .key(&self.key)
                .arg(value_of(lease.instance(), lease.fencing()))
                .invoke_async(&mut conn)
                .await
                .map_err(from_redis)?;
            Ok(deleted == 1)
        })
        .await
    }

    async fn holder(&self) -> Result<Option<LeaseHolder>, LeaseError> {
        self.bounded(async {
            let mut conn = self.connection().await?;
            // One transaction, so that the time left belongs to the value read.
            let (value, pttl): (Option<Vec<u8>>, i64) = redis::pipe()
                .atomic()
                .cmd("GET")
                .arg(&self.key)
                .cmd("PTTL")
                .arg(&self.key)
                .query_async(&mut conn)
                .await
                .map_err(from_redis)?;
            Ok(value.map(|value| {
                let value = String::from_utf8_lossy(&value).into_owned();
                LeaseHolder {
                    fencing: LeaseValue::parse(&value).map(|parsed| parsed.fencing),
                    value,
                    // -1: no expiry; -2 cannot happen here, the key was just read.
                    time_left: u64::try_from(pttl).ok().map(Duration::from_millis),
                }
            }))
        })
        .await
    }
}

/// A ttl in whole milliseconds for PX and PEXPIRE, at least 1: Redis rejects `PX 0`, and
/// `PEXPIRE key 0` would delete the lease instead of extending it.
fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}
