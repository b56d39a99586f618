//! The figures: kept as they are measured, printed as tables, written as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;

use crate::load::{Outcome, quantile};
use crate::process::{Machine, Memory, OwnCpu};
use crate::workload::Kind;

/// Everything one run measured.
#[derive(Debug, Serialize)]
pub struct Report {
    pub machine: Machine,
    pub bot_binary: String,
    pub seed: u64,
    pub quick: bool,
    pub users: usize,
    /// Seconds since the Unix epoch when the run began.
    pub started_unix: u64,
    pub total_seconds: f64,
    /// `/proc/loadavg` when the run began and ended: other work on the machine shows here.
    pub load_average: [String; 2],
    /// This process (the double, the load generator, the runner) at its peak.
    pub runner_memory: Option<Memory>,
    pub cold_start: Vec<ColdStart>,
    pub polling: Vec<Drain>,
    pub webhook: Vec<LoadRow>,
    pub ceiling: Vec<LoadRow>,
    pub failover: Vec<Failover>,
    pub flows: Vec<FlowCheck>,
    /// Parts not measured, and why.
    pub skipped: Vec<String>,
}

/// Latencies in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub samples: usize,
}

impl Latency {
    pub fn of(micros: &mut [u32]) -> Latency {
        let ms = |us: u32| f64::from(us) / 1000.0;
        Latency {
            p50_ms: ms(quantile(micros, 0.50)),
            p99_ms: ms(quantile(micros, 0.99)),
            max_ms: ms(quantile(micros, 1.0)),
            samples: micros.len(),
        }
    }
}

/// CPU used during a measured window.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CpuUse {
    /// User + system seconds of the process under test (the bot, or the bare endpoint).
    pub server_seconds: f64,
    /// The same per 1,000 updates handled.
    pub server_per_1000_updates: f64,
    /// Seconds of the Bot API double's threads.
    pub double_seconds: f64,
    /// Seconds of the load generator and the runner.
    pub loadgen_seconds: f64,
    /// The double's part of all the CPU used in the window.
    pub double_share: f64,
    /// Cores kept busy on average by the three together.
    pub cores_busy: f64,
    /// Seconds of the PostgreSQL server's processes (PostgreSQL runs only; other clients of
    /// the server count too), and per 1,000 updates.
    pub database_seconds: Option<f64>,
    pub database_per_1000_updates: Option<f64>,
}

impl CpuUse {
    pub fn of(server: Duration, own: OwnCpu, updates: usize, wall: Duration) -> CpuUse {
        let server = server.as_secs_f64();
        let double = own.double.as_secs_f64();
        let loadgen = own.rest.as_secs_f64();
        let total = server + double + loadgen;
        CpuUse {
            server_seconds: round(server, 3),
            server_per_1000_updates: round(
                if updates == 0 {
                    0.0
                } else {
                    server * 1000.0 / updates as f64
                },
                4,
            ),
            double_seconds: round(double, 3),
            loadgen_seconds: round(loadgen, 3),
            double_share: round(if total > 0.0 { double / total } else { 0.0 }, 3),
            cores_busy: round(total / wall.as_secs_f64().max(1e-9), 2),
            database_seconds: None,
            database_per_1000_updates: None,
        }
    }

    /// With the database server's CPU time, where it runs apart from the bot.
    pub fn with_database(mut self, database: Option<Duration>, updates: usize) -> CpuUse {
        if let Some(database) = database {
            let seconds = database.as_secs_f64();
            self.database_seconds = Some(round(seconds, 3));
            self.database_per_1000_updates =
                Some(round(seconds * 1000.0 / updates.max(1) as f64, 4));
        }
        self
    }
}

/// One webhook (or ceiling) load run.
#[derive(Debug, Clone, Serialize)]
pub struct LoadRow {
    /// `sqlite`, `postgres`, or `bare hyper`.
    pub target: String,
    pub pace: String,
    pub offered_per_second: Option<f64>,
    pub posted: usize,
    pub answered_ok: usize,
    /// Answers by status; `0` counts posts that got none.
    pub statuses: BTreeMap<String, usize>,
    pub seconds: f64,
    /// 2xx answers per second, from the first post to the last answer.
    pub per_second: f64,
    pub latency: Latency,
    /// How late the 99th percentile of posts went out against the plan (fixed rates).
    pub schedule_lag_p99_ms: Option<f64>,
    pub cpu: CpuUse,
    pub memory: Option<Memory>,
    /// Bot API calls the bot made in the window.
    pub bot_api_calls: BTreeMap<String, u64>,
    pub mix: BTreeMap<Kind, usize>,
    /// Throughput as a fraction of the bare endpoint's at the same pace.
    pub of_ceiling: Option<f64>,
}

impl LoadRow {
    pub fn new(
        target: &str,
        pace: crate::load::Pace,
        outcome: &mut Outcome,
        cpu: CpuUse,
    ) -> LoadRow {
        let ok = outcome.ok();
        let seconds = outcome.elapsed.as_secs_f64();
        LoadRow {
            target: target.to_owned(),
            pace: pace.describe(),
            offered_per_second: match pace {
                crate::load::Pace::Rate(rate) => Some(rate),
                crate::load::Pace::FlatOut(_) => None,
            },
            posted: outcome.sent,
            answered_ok: ok,
            statuses: outcome
                .statuses
                .iter()
                .map(|(status, count)| (status.to_string(), *count))
                .collect(),
            seconds: round(seconds, 3),
            per_second: round(
                if seconds > 0.0 {
                    ok as f64 / seconds
                } else {
                    0.0
                },
                1,
            ),
            latency: Latency::of(&mut outcome.latencies),
            schedule_lag_p99_ms: (!outcome.lag.is_empty())
                .then(|| f64::from(quantile(&mut outcome.lag, 0.99)) / 1000.0),
            cpu,
            memory: None,
            bot_api_calls: BTreeMap::new(),
            mix: outcome.mix.clone(),
            of_ceiling: None,
        }
    }
}

/// A backlog taken by polling.
#[derive(Debug, Clone, Serialize)]
pub struct Drain {
    pub engine: String,
    /// `backlog` (the measured mix) or `warm-up` (the returning people's onboarding).
    pub what: String,
    pub updates: usize,
    /// From the first getUpdates to the last update confirmed.
    pub seconds: f64,
    pub per_second: f64,
    pub cpu: CpuUse,
    pub memory: Option<Memory>,
    pub bot_api_calls: BTreeMap<String, u64>,
    pub mix: BTreeMap<Kind, usize>,
}

/// Process start to the first getUpdates, migrations already applied.
#[derive(Debug, Clone, Serialize)]
pub struct ColdStart {
    pub engine: String,
    pub runs_ms: Vec<f64>,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// Resident memory a second after the first getUpdates, nothing to do.
    pub idle: Option<Memory>,
    /// CPU used in that second, per cent of one core.
    pub idle_cpu_percent: Option<f64>,
}

/// Leader failover: the leader is stopped, and the standby's first getUpdates is timed.
#[derive(Debug, Clone, Serialize)]
pub struct Failover {
    pub signal: String,
    pub lease_ttl_seconds: u64,
    pub runs_ms: Vec<f64>,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// Runs in which no standby polled within the time allowed.
    pub missed: usize,
}

/// How well the workload followed the bot: answers that would mean a confused script.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlowCheck {
    pub engine: String,
    pub callbacks_answered: usize,
    /// "This button is outdated" alerts.
    pub outdated_alerts: usize,
    /// "Not found" alerts.
    pub not_found_alerts: usize,
    /// "Didn't understand" replies.
    pub didnt_understand: usize,
    /// Texts the workload sent on purpose that no one could understand.
    pub didnt_understand_on_purpose: usize,
    pub bot_messages: usize,
}

/// The database server's CPU per 1,000 updates, where measured.
fn database(cpu: &CpuUse) -> String {
    cpu.database_per_1000_updates
        .map_or_else(|| "-".to_owned(), |seconds| format!("{seconds:.3}"))
}

pub fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

/// Summary statistics of a list of milliseconds: median, minimum, maximum.
pub fn spread(values: &[f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    (
        round(median, 1),
        round(sorted[0], 1),
        round(sorted[sorted.len() - 1], 1),
    )
}

impl Report {
    /// Writes `summary.json` and one file per part into `dir`.
    pub fn write(&self, dir: &Path) -> anyhow::Result<Vec<String>> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut written = Vec::new();
        let mut put = |name: &str, value: serde_json::Value| -> anyhow::Result<()> {
            let path = dir.join(format!("{name}.json"));
            std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n")
                .with_context(|| format!("cannot write {}", path.display()))?;
            written.push(path.display().to_string());
            Ok(())
        };
        let context = serde_json::json!({
            "machine": self.machine,
            "bot_binary": self.bot_binary,
            "seed": self.seed,
            "quick": self.quick,
            "users": self.users,
            "started_unix": self.started_unix,
        });
        let part = |name: &str, value: serde_json::Value| {
            let mut object = context.clone();
            object[name] = value;
            object
        };
        put("summary", serde_json::to_value(self)?)?;
        put(
            "cold-start",
            part("cold_start", serde_json::to_value(&self.cold_start)?),
        )?;
        put(
            "polling",
            part("polling", serde_json::to_value(&self.polling)?),
        )?;
        put(
            "webhook",
            part("webhook", serde_json::to_value(&self.webhook)?),
        )?;
        put(
            "ceiling",
            part("ceiling", serde_json::to_value(&self.ceiling)?),
        )?;
        put(
            "failover",
            part("failover", serde_json::to_value(&self.failover)?),
        )?;
        Ok(written)
    }

    /// The tables.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let _ = writeln!(
            out,
            "\nVitrina benchmark — {} processors ({}), {} GiB, Linux {}; seed {}, {} people{}",
            m.processors,
            m.cpu_model,
            m.memory_gib,
            m.kernel,
            self.seed,
            self.users,
            if self.quick { ", quick run" } else { "" }
        );
        if !self.webhook.is_empty() || !self.ceiling.is_empty() {
            let _ = writeln!(
                out,
                "\nWebhook: update posted → handled, its replies received by the Bot API double, 200 read"
            );
            let _ = writeln!(
                out,
                "{:<10} {:<24} {:>7} {:>9} {:>8} {:>8} {:>8} {:>9} {:>8} {:>9} {:>8} {:>7} {:>9}",
                "target",
                "pace",
                "ok",
                "upd/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "cpu s/1k",
                "db s/1k",
                "peak MiB",
                "double",
                "lag99",
                "x ceiling"
            );
            for row in self.webhook.iter().chain(&self.ceiling) {
                let _ = writeln!(
                    out,
                    "{:<10} {:<24} {:>7} {:>9.1} {:>8.2} {:>8.2} {:>8.2} {:>9.3} {:>8} {:>9} {:>7.0}% {:>7} {:>9}",
                    row.target,
                    row.pace,
                    row.answered_ok,
                    row.per_second,
                    row.latency.p50_ms,
                    row.latency.p99_ms,
                    row.latency.max_ms,
                    row.cpu.server_per_1000_updates,
                    database(&row.cpu),
                    row.memory.map_or_else(
                        || "-".to_owned(),
                        |m| format!("{:.1}", m.peak_kib as f64 / 1024.0)
                    ),
                    row.cpu.double_share * 100.0,
                    row.schedule_lag_p99_ms
                        .map_or_else(|| "-".to_owned(), |lag| format!("{lag:.1}")),
                    row.of_ceiling
                        .map_or_else(|| "-".to_owned(), |f| format!("{:.1}%", f * 100.0)),
                );
            }
        }
        if !self.polling.is_empty() {
            let _ = writeln!(
                out,
                "\nPolling: a backlog taken from the first getUpdates to the last confirmation"
            );
            let _ = writeln!(
                out,
                "{:<10} {:<10} {:>8} {:>8} {:>9} {:>9} {:>8} {:>9} {:>8}",
                "engine",
                "backlog",
                "updates",
                "seconds",
                "upd/s",
                "cpu s/1k",
                "db s/1k",
                "peak MiB",
                "double"
            );
            for drain in &self.polling {
                let _ = writeln!(
                    out,
                    "{:<10} {:<10} {:>8} {:>8.2} {:>9.1} {:>9.3} {:>8} {:>9} {:>7.0}%",
                    drain.engine,
                    drain.what,
                    drain.updates,
                    drain.seconds,
                    drain.per_second,
                    drain.cpu.server_per_1000_updates,
                    database(&drain.cpu),
                    drain.memory.map_or_else(
                        || "-".to_owned(),
                        |m| format!("{:.1}", m.peak_kib as f64 / 1024.0)
                    ),
                    drain.cpu.double_share * 100.0,
                );
            }
        }
        if !self.cold_start.is_empty() {
            let _ = writeln!(
                out,
                "\nCold start: process start → first getUpdates (migrations applied); then 1 s idle"
            );
            for cold in &self.cold_start {
                let _ = writeln!(
                    out,
                    "{:<10} median {:>7.1} ms  min {:>7.1}  max {:>7.1}  ({} runs)  idle: RSS {}, CPU {}",
                    cold.engine,
                    cold.median_ms,
                    cold.min_ms,
                    cold.max_ms,
                    cold.runs_ms.len(),
                    cold.idle.map_or_else(
                        || "-".to_owned(),
                        |m| format!("{:.1} MiB", m.rss_kib as f64 / 1024.0)
                    ),
                    cold.idle_cpu_percent
                        .map_or_else(|| "-".to_owned(), |cpu| format!("{cpu:.1}% of a core")),
                );
            }
        }
        if !self.failover.is_empty() {
            let _ = writeln!(
                out,
                "\nLeader failover: signal to the leader → first getUpdates of the standby"
            );
            for failover in &self.failover {
                let _ = writeln!(
                    out,
                    "{:<8} median {:>7.1} ms  min {:>7.1}  max {:>7.1}  ({} runs, {} missed; lease TTL {} s)",
                    failover.signal,
                    failover.median_ms,
                    failover.min_ms,
                    failover.max_ms,
                    failover.runs_ms.len(),
                    failover.missed,
                    failover.lease_ttl_seconds,
                );
            }
        }
        if !self.flows.is_empty() {
            let _ = writeln!(
                out,
                "\nScript check (answers that would mean the workload lost track of the bot)"
            );
            for flow in &self.flows {
                let _ = writeln!(
                    out,
                    "{:<10} {} callbacks answered: {} outdated alerts, {} not-found alerts; {} bot messages: {} \"didn't understand\" ({} texts sent on purpose)",
                    flow.engine,
                    flow.callbacks_answered,
                    flow.outdated_alerts,
                    flow.not_found_alerts,
                    flow.bot_messages,
                    flow.didnt_understand,
                    flow.didnt_understand_on_purpose,
                );
            }
        }
        for skipped in &self.skipped {
            let _ = writeln!(out, "skipped: {skipped}");
        }
        let _ = writeln!(
            out,
            "load average at the start: {}; at the end: {}",
            self.load_average[0], self.load_average[1]
        );
        let _ = writeln!(
            out,
            "total {:.0} s; the runner (double and load generator) peaked at {}",
            self.total_seconds,
            self.runner_memory.map_or_else(
                || "-".to_owned(),
                |m| format!("{:.0} MiB", m.peak_kib as f64 / 1024.0)
            )
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_gives_median_minimum_and_maximum() {
        let check = |values: &[f64], expected: (f64, f64, f64)| {
            assert_eq!(spread(values), expected, "{values:?}");
        };
        check(&[], (0.0, 0.0, 0.0));
        check(&[5.0], (5.0, 5.0, 5.0));
        check(&[3.0, 1.0, 2.0], (2.0, 1.0, 3.0));
        check(&[4.0, 1.0, 2.0, 3.0], (2.5, 1.0, 4.0));
    }
}
