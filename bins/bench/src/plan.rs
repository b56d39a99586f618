//! How much of everything a run does: the full run and the quick one.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The parts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Part {
    /// Process start to first getUpdates, and idle memory.
    ColdStart,
    /// Draining a backlog by polling.
    Polling,
    /// Webhook load at fixed rates and flat out.
    Webhook,
    /// The same load against a bare hyper endpoint (needs `webhook`).
    Ceiling,
    /// Leader failover with Redis.
    Failover,
}

/// Sizes, rates and time limits.
#[derive(Debug, Clone)]
pub struct Plan {
    pub quick: bool,
    pub seed: u64,
    pub users: usize,
    /// Updates in the measured polling backlog.
    pub backlog: usize,
    /// Fixed webhook rates, updates per second.
    pub rates: Vec<f64>,
    /// Seconds each fixed rate is offered.
    pub rate_seconds: u64,
    /// Seconds of the flat-out run, and its most updates.
    pub flat_seconds: u64,
    pub flat_count: usize,
    /// Requests in flight in the flat-out run: Telegram's default `max_connections`.
    pub flat_connections: usize,
    pub cold_starts: usize,
    /// Failover runs per signal.
    pub failover_runs: usize,
    /// `POLLING_LEADER_LOCK_TTL` of the failover runs (the least leader mode accepts).
    pub lease_ttl: u64,
    pub parts: BTreeSet<Part>,
    /// Record a `perf` profile of the bot during each flat-out run: SQLite's into this file,
    /// PostgreSQL's beside it as `perf-postgres.data`.
    pub perf: Option<PathBuf>,
}

impl Plan {
    pub fn new(quick: bool, seed: u64, parts: BTreeSet<Part>, perf: Option<PathBuf>) -> Plan {
        if quick {
            Plan {
                quick,
                seed,
                users: 2_000,
                backlog: 2_000,
                rates: vec![100.0, 1_000.0, 5_000.0],
                rate_seconds: 2,
                flat_seconds: 3,
                flat_count: 8_000,
                flat_connections: 40,
                cold_starts: 2,
                failover_runs: 2,
                lease_ttl: 5,
                parts,
                perf,
            }
        } else {
            Plan {
                quick,
                seed,
                users: 10_000,
                backlog: 10_000,
                rates: vec![100.0, 1_000.0, 5_000.0],
                rate_seconds: 8,
                flat_seconds: 12,
                flat_count: 40_000,
                flat_connections: 40,
                cold_starts: 5,
                failover_runs: 10,
                lease_ttl: 5,
                parts,
                perf,
            }
        }
    }

    pub fn has(&self, part: Part) -> bool {
        self.parts.contains(&part)
    }
}
