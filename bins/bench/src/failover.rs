//! Leader failover: two `bot run` instances in leader mode on one Redis lease and one
//! database. The leader is stopped (SIGTERM, or SIGKILL), and the time to the standby's first
//! getUpdates is taken; a fresh standby then joins, and the next run stops the new leader.
//!
//! Each instance reaches the Bot API double through a proxy of its own, which is how the
//! standby's first getUpdates is told from the old leader's last one (a leader stopping
//! cleanly confirms its offset with one more getUpdates).

use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio::time::Instant;

use crate::double::Double;
use crate::engine::{Setup, bot_env, free_port, migrate};
use crate::http::{Call, Client, Polls, proxy};
use crate::plan::Plan;
use crate::process::BotProcess;
use crate::report::{Failover, round, spread};
use crate::workload::{Labels, MIN_USERS, Workload};

const START_LIMIT: Duration = Duration::from_secs(60);

/// One instance and the proxy that watches its polls.
struct Instance {
    bot: BotProcess,
    polls: std::sync::Arc<Polls>,
    http: std::net::SocketAddr,
    _proxy: tokio::task::JoinHandle<()>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self._proxy.abort();
    }
}

struct Cluster<'a> {
    setup: &'a Setup,
    dir: tempfile::TempDir,
    double: Double,
    env: std::collections::BTreeMap<String, String>,
    started: usize,
}

impl Cluster<'_> {
    async fn start(&mut self) -> anyhow::Result<Instance> {
        let (proxy_addr, polls, task) = proxy(self.double.addr()).await?;
        let mut env = self.env.clone();
        env.insert(
            "TELEGRAM_API_URL".to_owned(),
            format!("http://{proxy_addr}"),
        );
        let http = std::net::SocketAddr::from(([127, 0, 0, 1], free_port()?));
        env.insert("HTTP_ADDR".to_owned(), http.to_string());
        self.started += 1;
        let name = format!("leader-{}", self.started);
        let bot = BotProcess::spawn(&self.setup.bot, self.dir.path(), &name, &["run"], &env)?;
        Ok(Instance {
            bot,
            polls,
            http,
            _proxy: task,
        })
    }

    /// Until the instance reports `role` on `/readyz`.
    async fn wait_role(&self, instance: &mut Instance, role: &str) -> anyhow::Result<()> {
        let client = Client::new(instance.http);
        let deadline = Instant::now() + START_LIMIT;
        let wanted = format!("role: {role}");
        loop {
            if let Some(status) = instance.bot.exited() {
                bail!(
                    "an instance exited with {status}:\n{}",
                    instance.bot.log_tail()
                );
            }
            if let Ok((_, body)) = client.send(Call::get("/readyz")).await
                && String::from_utf8_lossy(&body).contains(&wanted)
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "an instance never became {role}:\n{}",
                    instance.bot.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Runs `plan.failover_runs` failovers per signal against the Redis at `redis_url`.
pub async fn measure(setup: &Setup, plan: &Plan, redis_url: &str) -> anyhow::Result<Vec<Failover>> {
    let dir = tempfile::Builder::new()
        .prefix("vitrina-bench-failover-")
        .tempdir()?;
    let workload = Workload::new(plan.seed, MIN_USERS, Labels::load()?);
    let double = Double::start(&workload).await?;
    let database = format!("sqlite://{}", dir.path().join("vitrina.db").display());
    let mut env = bot_env(&double, &database, &workload.admin_ids());
    env.extend(
        [
            ("ENABLE_POLLING_LEADER_LOCK", "1".to_owned()),
            ("REDIS_URL", redis_url.to_owned()),
            ("POLLING_LEADER_LOCK_TTL", plan.lease_ttl.to_string()),
            // A lease key of this run's own, so that nothing else holding one interferes.
            (
                "ENVIRONMENT",
                format!("vitrina-bench-{}", std::process::id()),
            ),
        ]
        .map(|(name, value)| (name.to_owned(), value)),
    );
    migrate(setup, dir.path(), &env).await?;
    let mut cluster = Cluster {
        setup,
        dir,
        double,
        env,
        started: 0,
    };
    let mut leader = cluster.start().await?;
    if leader
        .polls
        .first_after(leader.bot.started, START_LIMIT)
        .await
        .is_none()
    {
        bail!(
            "the first instance never polled:\n{}",
            leader.bot.log_tail()
        );
    }
    let mut standby = cluster.start().await?;
    cluster.wait_role(&mut standby, "standby").await?;
    let mut results = Vec::new();
    for signal in ["SIGTERM", "SIGKILL"] {
        let mut runs = Vec::new();
        let mut missed = 0;
        for run in 0..plan.failover_runs {
            eprintln!("[failover] {signal} {}/{}", run + 1, plan.failover_runs);
            cluster
                .double
                .wait_for(|stats| stats.get_updates_in_flight >= 1, START_LIMIT)
                .await
                .context("the leader is not polling")?;
            // At moments spread evenly over a renewal period, as a crash or a deploy falls
            // anywhere in the lease's cycle.
            let renewal = Duration::from_millis(plan.lease_ttl * 1000 / 3);
            tokio::time::sleep(renewal * run as u32 / plan.failover_runs.max(1) as u32).await;
            let stopped = Instant::now();
            if signal == "SIGTERM" {
                leader.bot.terminate()?;
            } else {
                leader.bot.kill()?;
            }
            let limit = Duration::from_secs(plan.lease_ttl * 3 + 10);
            match standby.polls.first_after(stopped, limit).await {
                Some(polled) => runs.push(round(
                    polled.duration_since(stopped).as_secs_f64() * 1000.0,
                    1,
                )),
                None => missed += 1,
            }
            leader.bot.wait(Duration::from_secs(30)).await.ok();
            // The standby leads now; a fresh instance stands by.
            let mut fresh = cluster.start().await?;
            cluster.wait_role(&mut fresh, "standby").await?;
            leader = std::mem::replace(&mut standby, fresh);
        }
        let (median_ms, min_ms, max_ms) = spread(&runs);
        results.push(Failover {
            signal: signal.to_owned(),
            lease_ttl_seconds: plan.lease_ttl,
            runs_ms: runs,
            median_ms,
            min_ms,
            max_ms,
            missed,
        });
    }
    for instance in [&mut leader, &mut standby] {
        let _ = instance.bot.stop(Duration::from_secs(30)).await;
    }
    Ok(results)
}
