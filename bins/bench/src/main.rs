//! `bench`: Vitrina's benchmark. It runs the real `bot` binary (found next to this one)
//! against the Bot API double in this process, with a seeded workload of 10,000 people, and
//! measures webhook throughput and latency at fixed rates and flat out on SQLite and
//! PostgreSQL, the time to drain a polling backlog, CPU per 1,000 updates and memory, cold
//! start, leader failover, and the ceiling of the same load generator against a bare hyper
//! endpoint. It prints tables and writes JSON under `target/bench/`.
//!
//! Everything stays on the loopback interface; every phase is bounded in count and time.
//! PostgreSQL parts need `BENCH_DATABASE_URL` or `TEST_DATABASE_URL`, failover needs
//! `TEST_REDIS_URL`; without them those parts are reported as skipped.

mod ceiling;
mod double;
mod engine;
mod failover;
mod http;
mod load;
mod plan;
mod process;
mod report;
mod workload;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use clap::Parser;

use crate::engine::{Engine, Setup};
use crate::plan::{Part, Plan};
use crate::process::Machine;
use crate::report::Report;

/// Vitrina's benchmark: the real bot binary against the Bot API double, on this machine.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// A short run (2,000 people, two-second phases) to check that everything works.
    #[arg(long)]
    quick: bool,
    /// The workload's seed.
    #[arg(long, default_value_t = 20_240_611)]
    seed: u64,
    /// Only these parts (comma-separated); all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Part>,
    /// The `bot` binary; by default the one next to this binary.
    #[arg(long)]
    bot: Option<PathBuf>,
    /// Where the JSON goes; by default `target/bench` beside the binary's `target/release`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Record a `perf` profile of the bot during each flat-out run (into `<out>/perf.data`
    /// for SQLite, `<out>/perf-postgres.data` for PostgreSQL).
    #[arg(long)]
    perf: bool,
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some(ceiling::SERVE_ARGUMENT) {
        return exit(ceiling::serve());
    }
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("loadgen")
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => exit(runtime.block_on(run(args))),
        Err(error) => exit(Err(error.into())),
    }
}

fn exit(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let began = Instant::now();
    let here = std::env::current_exe().context("cannot find this binary")?;
    let beside = here
        .parent()
        .context("this binary has no directory")?
        .to_path_buf();
    let setup = Setup {
        bot: args.bot.clone().unwrap_or_else(|| beside.join("bot")),
        out: args.out.clone().unwrap_or_else(|| {
            beside
                .parent()
                .map_or_else(|| beside.join("bench"), |target| target.join("bench"))
        }),
    };
    if !setup.bot.is_file() {
        anyhow::bail!(
            "no bot binary at {}: build it with `cargo build --release -p vitrina-bot`",
            setup.bot.display()
        );
    }
    // The bot runs in a directory of its own.
    let setup = Setup {
        bot: std::fs::canonicalize(&setup.bot)?,
        ..setup
    };
    let parts: BTreeSet<Part> = if args.only.is_empty() {
        [
            Part::ColdStart,
            Part::Polling,
            Part::Webhook,
            Part::Ceiling,
            Part::Failover,
        ]
        .into()
    } else {
        args.only.iter().copied().collect()
    };
    let perf = args.perf.then(|| setup.out.join("perf.data"));
    if perf.is_some() {
        std::fs::create_dir_all(&setup.out)?;
    }
    let plan = Plan::new(args.quick, args.seed, parts, perf);
    let mut report = Report {
        machine: Machine::detect(),
        bot_binary: setup.bot.display().to_string(),
        seed: plan.seed,
        quick: plan.quick,
        users: plan.users,
        started_unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs()),
        total_seconds: 0.0,
        load_average: [process::load_average(), String::new()],
        runner_memory: None,
        cold_start: Vec::new(),
        polling: Vec::new(),
        webhook: Vec::new(),
        ceiling: Vec::new(),
        failover: Vec::new(),
        flows: Vec::new(),
        skipped: Vec::new(),
    };

    let wants_database = [Part::ColdStart, Part::Polling, Part::Webhook]
        .iter()
        .any(|part| plan.has(*part));
    let posted = if wants_database {
        engine::measure(
            &setup,
            &plan,
            &Engine::Sqlite,
            &mut report,
            plan.has(Part::Ceiling),
        )
        .await?
    } else {
        Vec::new()
    };
    if plan.has(Part::Ceiling) {
        if posted.is_empty() {
            report
                .skipped
                .push("ceiling: it posts what the webhook part posted; run that part too".into());
        } else {
            ceiling::measure(&plan, posted, &mut report).await?;
        }
    }
    let postgres = std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .ok()
        .filter(|url| !url.is_empty());
    match postgres {
        Some(url) if wants_database => {
            engine::measure(&setup, &plan, &Engine::Postgres(url), &mut report, false).await?;
        }
        Some(_) => {}
        None if wants_database => report
            .skipped
            .push("PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL".into()),
        None => {}
    }
    if plan.has(Part::Failover) {
        match std::env::var("TEST_REDIS_URL")
            .ok()
            .filter(|url| !url.is_empty())
        {
            Some(redis) => report.failover = failover::measure(&setup, &plan, &redis).await?,
            None => report
                .skipped
                .push("leader failover: set TEST_REDIS_URL".into()),
        }
    }
    report.total_seconds = report::round(began.elapsed().as_secs_f64(), 1);
    report.runner_memory = process::memory_of(std::process::id());
    report.load_average[1] = process::load_average();
    print!("{}", report.render());
    for file in report.write(&setup.out)? {
        println!("wrote {file}");
    }
    Ok(())
}
