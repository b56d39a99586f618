//! `bot run` in leader mode: only the holder of the Redis lease polls.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tracing::info;
use vitrina_delivery::{Dispatcher, PollingConfig, poll_as_leader};
use vitrina_redis_lease::{DEFAULT_TIMEOUT, InstanceName, RedisLeaderLease, RedisLeaseConfig};
use vitrina_storage::Db;
use vitrina_update_source::LeaderConfig;

use super::run::remove_webhook;
use crate::config::{Config, ConfigError};

pub async fn run(
    config: &Config,
    dispatcher: Arc<Dispatcher<Db>>,
    stop: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let leader = leader_config(config)?;
    let me = InstanceName::current();
    let lease = RedisLeaderLease::connect_with_ca(
        config.redis_url("by leader mode")?.expose(),
        RedisLeaseConfig {
            key: config.leader_lock_key(),
            instance: me.instance_id(),
            ttl: leader.ttl(),
            timeout: DEFAULT_TIMEOUT,
        },
        config.operations().redis_ca_file.as_deref(),
    )
    .context("cannot set up the Redis polling lease")?;
    info!(key = lease.key(), instance = %me, "leader mode");
    remove_webhook(dispatcher.telegram()).await?;
    let reason = poll_as_leader(dispatcher, lease, leader, PollingConfig::default(), stop).await;
    Ok(ExitCode::from(reason.code()))
}

/// The machine's settings from `POLLING_LEADER_LOCK_TTL`, `PREEMPT_LEADER` and
/// `EXIT_ON_CONFLICT`.
pub(super) fn leader_config(config: &Config) -> Result<LeaderConfig, ConfigError> {
    let lock = config.leader_lock();
    let leader = LeaderConfig::new(lock.ttl).map_err(|_| ConfigError::Invalid {
        var: "POLLING_LEADER_LOCK_TTL",
        value: lock.ttl.as_secs().to_string(),
        expected: "at least 5 seconds in leader mode, so that a renewal can fail and be retried \
                   before the lease runs out",
    })?;
    Ok(leader
        .with_preempt(lock.preempt)
        .with_exit_on_conflict(lock.exit_on_conflict))
}
