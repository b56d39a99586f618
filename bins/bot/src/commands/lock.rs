//! `bot lock status|release`: the Redis polling lease, for the operator.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use vitrina_redis_lease::{
    DEFAULT_TIMEOUT, HostRelease, InstanceName, LeaseValue, RedisLeaderLease, RedisLeaseConfig,
};
use vitrina_update_source::{LeaderLease as _, LeaseHolder};

use crate::cli::LockCommand;
use crate::config::Config;

pub async fn lock(command: LockCommand, config: &Config) -> anyhow::Result<ExitCode> {
    let store = lease_store(config, "by `bot lock`")?;
    let me = InstanceName::current();
    let mut out = std::io::stdout().lock();
    match command {
        LockCommand::Status => {
            let holder = store.holder().await.context("cannot read the lease")?;
            write!(out, "{}", status_report(store.key(), holder.as_ref(), &me))?;
        }
        LockCommand::Release { force: true } => {
            let holder = store.holder().await.context("cannot read the lease")?;
            let deleted = store
                .force_release()
                .await
                .context("cannot delete the lease")?;
            match (deleted, holder) {
                (true, Some(holder)) => writeln!(out, "lease released (it was {})", holder.value)?,
                (true, None) => writeln!(out, "lease released")?,
                (false, _) => writeln!(out, "the lease is free: nothing to release")?,
            }
        }
        LockCommand::Release { force: false } => {
            if let Some(holder) = store.holder().await.context("cannot read the lease")?
                && let Some(value) = LeaseValue::parse(&holder.value)
                && value.instance.host() == me.host()
                && running_here(value.instance.pid())
            {
                anyhow::bail!(
                    "the lease is held by a running instance of this host (pid {}): {}; it is \
                     left as it is (stopping that instance releases it; `bot lock release \
                     --force` deletes it anyway)",
                    value.instance.pid(),
                    holder.value
                );
            }
            match store
                .release_if_host(me.host())
                .await
                .context("cannot release the lease")?
            {
                HostRelease::Released(value) => writeln!(out, "lease released (it was {value})")?,
                HostRelease::NotHeld => writeln!(out, "the lease is free: nothing to release")?,
                HostRelease::HeldElsewhere(value) => anyhow::bail!(
                    "the lease is held by {value}, not by an instance of this host ({}); it is \
                     left as it is (`bot lock release --force` deletes it anyway)",
                    me.host()
                ),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The lease of this configuration, for reading and deleting it (never for taking it).
pub fn lease_store(config: &Config, needed_for: &'static str) -> anyhow::Result<RedisLeaderLease> {
    let url = config.redis_url(needed_for)?;
    let lock = config.leader_lock();
    RedisLeaderLease::connect_with_ca(
        url.expose(),
        RedisLeaseConfig {
            key: config.leader_lock_key(),
            instance: InstanceName::current().instance_id(),
            ttl: lock.ttl,
            timeout: DEFAULT_TIMEOUT,
        },
        config.operations().redis_ca_file.as_deref(),
    )
    .with_context(|| format!("cannot use REDIS_URL {url}"))
}

/// `bot lock status`: one `name: value` line each.
fn status_report(key: &str, holder: Option<&LeaseHolder>, me: &InstanceName) -> String {
    let mut report = format!("key: {key}\n");
    let Some(holder) = holder else {
        report.push_str("state: free (nobody holds the lease)\n");
        return report;
    };
    report.push_str("state: held\n");
    report.push_str(&format!("value: {}\n", holder.value));
    match LeaseValue::parse(&holder.value) {
        Some(value) => {
            let instance = &value.instance;
            let here = instance.host() == me.host();
            report.push_str(&format!(
                "host: {}{}\n",
                instance.host(),
                if here { " (this host)" } else { "" }
            ));
            let running = match (here, running_here(instance.pid())) {
                (false, _) => "",
                (true, true) => " (running)",
                (true, false) => " (not running)",
            };
            report.push_str(&format!("pid: {}{running}\n", instance.pid()));
            report.push_str(&format!(
                "started: {}\n",
                started(instance.started_unix_ms())
            ));
        }
        None => report
            .push_str("format: not this program's (left by another program or an older system)\n"),
    }
    match holder.fencing {
        Some(fencing) => report.push_str(&format!("fencing: {fencing}\n")),
        None => report.push_str("fencing: none\n"),
    }
    report.push_str(&format!("time left: {}\n", time_left(holder.time_left)));
    report
}

/// One line about the holder, for `bot check`.
pub fn holder_summary(holder: &LeaseHolder) -> String {
    format!(
        "held by {} ({} left)",
        holder.value,
        time_left(holder.time_left)
    )
}

fn time_left(left: Option<Duration>) -> String {
    match left {
        Some(left) => format!("{:.1} s", left.as_secs_f64()),
        None => "no expiry".to_owned(),
    }
}

/// A start time as UTC, with how long ago it was.
fn started(unix_ms: u64) -> String {
    let at = i64::try_from(unix_ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || format!("{unix_ms} ms after the Unix epoch"),
            |at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        });
    match now_ms.checked_sub(unix_ms) {
        Some(ago) => format!("{at} ({} s ago)", ago / 1000),
        None => at,
    }
}

/// Whether a process with this id runs on this machine (Linux: it has a `/proc` entry).
fn running_here(pid: u32) -> bool {
    std::path::Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares the report line by line; an expected line ending in `…` is a prefix.
    fn check(holder: Option<LeaseHolder>, expected: &[&str]) {
        let me = InstanceName::new("this-host", 1, 0);
        let report = status_report("env:bot:polling:leader", holder.as_ref(), &me);
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{report}");
        for (line, expected) in lines.iter().zip(expected) {
            match expected.strip_suffix('…') {
                Some(prefix) => assert!(line.starts_with(prefix), "{line:?} in {report}"),
                None => assert_eq!(line, expected, "in {report}"),
            }
        }
    }

    #[test]
    fn status_describes_a_free_a_held_and_a_foreign_lease() {
        check(
            None,
            &[
                "key: env:bot:polling:leader",
                "state: free (nobody holds the lease)",
            ],
        );
        let pid = std::process::id();
        let value = format!("host=this-host;pid={pid};started=1700000000000;fencing=7");
        check(
            Some(LeaseHolder {
                value: value.clone(),
                fencing: Some(vitrina_update_source::FencingToken::new(7)),
                time_left: Some(Duration::from_millis(4_300)),
            }),
            &[
                "key: env:bot:polling:leader",
                "state: held",
                &format!("value: {value}"),
                "host: this-host (this host)",
                &format!("pid: {pid} (running)"),
                "started: 2023-11-14T22:13:20Z (…",
                "fencing: 7",
                "time left: 4.3 s",
            ],
        );
        check(
            Some(LeaseHolder {
                value: "old-system-instance".to_owned(),
                fencing: None,
                time_left: None,
            }),
            &[
                "key: env:bot:polling:leader",
                "state: held",
                "value: old-system-instance",
                "format: not this program's (left by another program or an older system)",
                "fencing: none",
                "time left: no expiry",
            ],
        );
    }
}
