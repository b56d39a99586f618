//! The measurements on one database engine: cold start, the seed and warm-up, a polling
//! backlog, and the webhook at fixed rates and flat out — each with a fresh `bot` process
//! against one Bot API double and one database.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio::time::Instant;
use vitrina_fake_bot_api::Stats;
use vitrina_i18n::{Catalog, Locale};

use crate::double::{Double, Prepared};
use crate::http::{Call, Client};
use crate::load::{Bounds, Pace, Target, drive};
use crate::plan::{Part, Plan};
use crate::process::{BotProcess, OwnCpu};
use crate::report::{ColdStart, CpuUse, Drain, FlowCheck, LoadRow, Report, round, spread};
use crate::workload::{Kind, Labels, SEED_CARDS, Step, Workload};

/// The webhook secret the bot is given.
pub const SECRET: &str = "vitrina-bench_secret-0123456789";

/// The path it serves.
pub const WEBHOOK_PATH: &str = "/bot/webhook";

/// Limits of the waits, far above what a healthy run needs.
const START_LIMIT: Duration = Duration::from_secs(60);
const STOP_LIMIT: Duration = Duration::from_secs(30);
const DRAIN_LIMIT: Duration = Duration::from_secs(300);

/// A database to run on.
#[derive(Debug, Clone)]
pub enum Engine {
    Sqlite,
    /// A PostgreSQL server's URL; the run works in a schema of its own there.
    Postgres(String),
}

impl Engine {
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres(_) => "postgres",
        }
    }
}

/// What the run needs from its surroundings.
#[derive(Debug, Clone)]
pub struct Setup {
    pub bot: PathBuf,
    pub out: PathBuf,
}

/// What the webhook runs posted, per pace, for the ceiling to post again.
pub type Posted = Vec<(Pace, Vec<Prepared>)>;

/// A port on the loopback interface that was free a moment ago.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Runs `bot migrate` with `env`.
pub async fn migrate(
    setup: &Setup,
    dir: &Path,
    env: &BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let mut migrate = BotProcess::spawn(&setup.bot, dir, "migrate", &["migrate"], env)?;
    let status = migrate.wait(START_LIMIT).await?;
    if !status.success() {
        bail!("`bot migrate` failed ({status}):\n{}", migrate.log_tail());
    }
    Ok(())
}

/// The environment every `bot` process of a run gets: the double, the database, the admins,
/// outgoing limits high enough that the bot, not Telegram's caps, is measured, and no
/// incoming flood limit (the workload's scripted people tap faster than anyone could).
pub fn bot_env(double: &Double, database_url: &str, admins: &[i64]) -> BTreeMap<String, String> {
    let admins: Vec<String> = admins.iter().map(i64::to_string).collect();
    [
        ("BOT_TOKEN", double.token().to_owned()),
        ("TELEGRAM_API_URL", double.base_url()),
        ("DATABASE_URL", database_url.to_owned()),
        ("ADMIN_IDS", admins.join(",")),
        ("RUST_LOG", "info".to_owned()),
        ("TELEGRAM_RATE_PER_SECOND", "1000000000".to_owned()),
        ("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "1000000000".to_owned()),
        ("INCOMING_RATE_PER_SECOND", "0".to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

/// One engine's run.
struct Run<'a> {
    setup: &'a Setup,
    plan: &'a Plan,
    engine: &'static str,
    dir: tempfile::TempDir,
    workload: Workload,
    double: Double,
    env: BTreeMap<String, String>,
    started: usize,
    /// Texts the bot is sent on purpose that it cannot understand, delivered so far.
    nonsense: usize,
}

/// Measures everything the plan asks for on `engine`, into `report`; returns what the
/// webhook runs posted when `keep_posted`.
pub async fn measure(
    setup: &Setup,
    plan: &Plan,
    engine: &Engine,
    report: &mut Report,
    keep_posted: bool,
) -> anyhow::Result<Posted> {
    let dir = tempfile::Builder::new()
        .prefix("vitrina-bench-")
        .tempdir()
        .context("cannot create a working directory")?;
    let (database_url, schema) = match engine {
        Engine::Sqlite => (
            format!("sqlite://{}", dir.path().join("vitrina.db").display()),
            None,
        ),
        Engine::Postgres(base) => {
            let schema = format!("bench_{}", std::process::id());
            // A schema left by an interrupted run of the same pid would hold old cards.
            let _ = vitrina_storage::drop_postgres_schema(base, &schema).await;
            let url = vitrina_storage::create_postgres_schema(base, &schema)
                .await
                .context("cannot create a PostgreSQL schema for the benchmark")?;
            (url, Some((base.clone(), schema)))
        }
    };
    let outcome = async {
        eprintln!("[{}] setting up {} people", engine.name(), plan.users);
        let workload = Workload::new(plan.seed, plan.users, Labels::load()?);
        let double = Double::start(&workload).await?;
        let env = bot_env(&double, &database_url, &workload.admin_ids());
        migrate(setup, dir.path(), &env).await?;
        let mut run = Run {
            setup,
            plan,
            engine: engine.name(),
            dir,
            workload,
            double,
            env,
            started: 0,
            nonsense: 0,
        };
        run.all(report, keep_posted).await
    }
    .await;
    if let Some((base, schema)) = schema
        && let Err(error) = vitrina_storage::drop_postgres_schema(&base, &schema).await
    {
        eprintln!("could not drop the schema {schema}: {error}");
    }
    outcome
}

impl Run<'_> {
    async fn all(&mut self, report: &mut Report, keep_posted: bool) -> anyhow::Result<Posted> {
        if self.plan.has(Part::ColdStart) {
            eprintln!("[{}] cold start", self.engine);
            report.cold_start.push(self.cold_start().await?);
        }
        if !(self.plan.has(Part::Polling) || self.plan.has(Part::Webhook)) {
            return Ok(Vec::new());
        }
        eprintln!("[{}] seed: {SEED_CARDS} cards through the bot", self.engine);
        self.seed().await?;
        eprintln!(
            "[{}] warm-up: the returning people's onboarding",
            self.engine
        );
        let warm_up = self.workload.warm_up();
        let drained = self.drain("onboarding", &warm_up).await?;
        report.polling.push(drained);
        if self.plan.has(Part::Polling) {
            eprintln!(
                "[{}] polling: a backlog of {} updates",
                self.engine, self.plan.backlog
            );
            let backlog: Vec<Step> = (0..self.plan.backlog)
                .map(|_| self.workload.next_step())
                .collect();
            let drained = self.drain("mix", &backlog).await?;
            report.polling.push(drained);
        }
        let mut posted = Vec::new();
        if self.plan.has(Part::Webhook) {
            posted = self.webhook(report, keep_posted).await?;
        }
        report.flows.push(self.flows()?);
        Ok(posted)
    }

    fn spawn(&mut self, extra: &[(&str, String)]) -> anyhow::Result<BotProcess> {
        let mut env = self.env.clone();
        env.insert(
            "HTTP_ADDR".to_owned(),
            format!("127.0.0.1:{}", free_port()?),
        );
        for (name, value) in extra {
            env.insert((*name).to_owned(), value.clone());
        }
        self.started += 1;
        let name = format!("bot-{}", self.started);
        BotProcess::spawn(&self.setup.bot, self.dir.path(), &name, &["run"], &env)
    }

    /// Starts a polling bot and waits for its first getUpdates, returning when that came.
    async fn start_polling(&mut self) -> anyhow::Result<(BotProcess, Instant)> {
        let before = self.double.stats().calls_of("getUpdates");
        let mut bot = self.spawn(&[])?;
        let polled = self
            .double
            .wait_for(|stats| stats.calls_of("getUpdates") > before, START_LIMIT)
            .await;
        let at = Instant::now();
        if polled.is_err() || bot.exited().is_some() {
            bail!("the bot never polled:\n{}", bot.log_tail());
        }
        Ok((bot, at))
    }

    async fn cold_start(&mut self) -> anyhow::Result<ColdStart> {
        let mut runs = Vec::new();
        let mut idle = None;
        let mut idle_cpu = None;
        for run in 0..self.plan.cold_starts {
            let (mut bot, polled) = self.start_polling().await?;
            runs.push(round(
                polled.duration_since(bot.started).as_secs_f64() * 1000.0,
                1,
            ));
            if run == 0 {
                let before = bot.cpu().unwrap_or_default();
                tokio::time::sleep(Duration::from_secs(1)).await;
                idle = bot.memory();
                idle_cpu = bot
                    .cpu()
                    .map(|cpu| round(cpu.saturating_sub(before).as_secs_f64() * 100.0, 2));
            }
            bot.stop(STOP_LIMIT).await?;
        }
        let (median_ms, min_ms, max_ms) = spread(&runs);
        Ok(ColdStart {
            engine: self.engine.to_owned(),
            runs_ms: runs,
            median_ms,
            min_ms,
            max_ms,
            idle,
            idle_cpu_percent: idle_cpu,
        })
    }

    /// The seed cards through the bot, one partner after another, then approvals; checks
    /// that the database numbered the cards as the workload expects.
    async fn seed(&mut self) -> anyhow::Result<()> {
        let (mut bot, _) = self.start_polling().await?;
        let groups = self.workload.seed();
        let approvals = groups.len() - 1;
        for (index, group) in groups.iter().enumerate() {
            if index == approvals {
                self.check_seed_ids()?;
            }
            for step in group {
                self.double.act_reading(step).await?;
            }
            if self
                .double
                .wait_for(|stats| stats.pending_updates == 0, DRAIN_LIMIT)
                .await
                .is_err()
            {
                bail!("the seed was not handled:\n{}", bot.log_tail());
            }
        }
        bot.stop(STOP_LIMIT).await?;
        Ok(())
    }

    /// The card ids on the admin's *Review* buttons, in order, must be 1, 2, …
    fn check_seed_ids(&self) -> anyhow::Result<()> {
        let admin = self.double.handle().chat(Workload::user_id(0));
        let ids: Vec<i64> = admin
            .bot_messages()
            .flat_map(|message| message.inline_keyboard.iter().flatten())
            .filter_map(|button| {
                button
                    .callback_data
                    .as_deref()?
                    .strip_prefix("mod:v:")?
                    .parse()
                    .ok()
            })
            .collect();
        let expected: Vec<i64> = (1..=SEED_CARDS as i64).collect();
        if ids != expected {
            bail!(
                "the seed cards got ids {ids:?}; the workload needs 1..={SEED_CARDS} (is the database fresh?)"
            );
        }
        Ok(())
    }

    /// Queues `steps` with the bot stopped, starts it, and times it from its first
    /// getUpdates until every update is confirmed.
    async fn drain(&mut self, what: &str, steps: &[Step]) -> anyhow::Result<Drain> {
        for step in steps {
            self.double.act(step).await?;
        }
        let mut mix: BTreeMap<Kind, usize> = BTreeMap::new();
        for step in steps {
            *mix.entry(step.kind).or_default() += 1;
        }
        self.nonsense += steps
            .iter()
            .filter(|step| step.action.is_nonsense())
            .count();
        let (mut bot, first_poll) = self.start_polling().await?;
        let (cpu_before, own_before, stats_before, db_before) = (
            bot.cpu().unwrap_or_default(),
            OwnCpu::now(),
            self.double.stats(),
            self.database_cpu(),
        );
        if self
            .double
            .wait_for(|stats| stats.pending_updates == 0, DRAIN_LIMIT)
            .await
            .is_err()
        {
            bail!(
                "the backlog was not drained within {DRAIN_LIMIT:?}:\n{}",
                bot.log_tail()
            );
        }
        let elapsed = first_poll.elapsed();
        let cpu = bot.cpu().unwrap_or_default().saturating_sub(cpu_before);
        let own = OwnCpu::now().since(own_before);
        let database = self
            .database_cpu()
            .zip(db_before)
            .map(|(after, before)| after.saturating_sub(before));
        let memory = bot.memory();
        let calls = calls_between(&stats_before, &self.double.stats());
        bot.stop(STOP_LIMIT).await?;
        let seconds = elapsed.as_secs_f64();
        Ok(Drain {
            engine: self.engine.to_owned(),
            what: what.to_owned(),
            updates: steps.len(),
            seconds: round(seconds, 3),
            per_second: round(steps.len() as f64 / seconds.max(1e-9), 1),
            cpu: CpuUse::of(cpu, own, steps.len(), elapsed).with_database(database, steps.len()),
            memory,
            bot_api_calls: calls,
            mix,
        })
    }

    async fn webhook(&mut self, report: &mut Report, keep_posted: bool) -> anyhow::Result<Posted> {
        let mut queue: VecDeque<Prepared> = VecDeque::new();
        let mut posted = Vec::new();
        let mut paces: Vec<Pace> = self
            .plan
            .rates
            .iter()
            .map(|rate| Pace::Rate(*rate))
            .collect();
        paces.push(Pace::FlatOut(self.plan.flat_connections));
        let mut best = 0.0f64;
        for pace in paces {
            let (want, bounds) = match pace {
                Pace::Rate(rate) => {
                    let count = (rate * self.plan.rate_seconds as f64).round() as usize;
                    (
                        count,
                        Bounds {
                            count,
                            time: Duration::from_secs(self.plan.rate_seconds + 2),
                            drain: Duration::from_secs(30),
                        },
                    )
                }
                Pace::FlatOut(_) => {
                    // Enough for 1.5 times the best rate seen, without preparing far more than
                    // the bot can take.
                    let enough = (best * 1.5 * self.plan.flat_seconds as f64) as usize;
                    let want = enough.clamp(1_000, self.plan.flat_count);
                    (
                        want,
                        Bounds {
                            count: self.plan.flat_count,
                            time: Duration::from_secs(self.plan.flat_seconds),
                            drain: Duration::from_secs(30),
                        },
                    )
                }
            };
            let missing = want.saturating_sub(queue.len());
            eprintln!(
                "[{}] webhook {}: preparing {missing} updates",
                self.engine,
                pace.describe()
            );
            let steps: Vec<Step> = (0..missing).map(|_| self.workload.next_step()).collect();
            queue.extend(self.double.prepare(&steps).await?);
            let mut row = self
                .webhook_run(pace, bounds, &mut queue, keep_posted.then_some(&mut posted))
                .await?;
            best = best.max(row.per_second);
            row.target = self.engine.to_owned();
            eprintln!(
                "[{}] webhook {}: {} ok, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
                self.engine,
                row.pace,
                row.answered_ok,
                row.per_second,
                row.latency.p50_ms,
                row.latency.p99_ms
            );
            report.webhook.push(row);
        }
        Ok(posted)
    }

    async fn webhook_run(
        &mut self,
        pace: Pace,
        bounds: Bounds,
        queue: &mut VecDeque<Prepared>,
        posted: Option<&mut Posted>,
    ) -> anyhow::Result<LoadRow> {
        let port = free_port()?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut bot = self.spawn(&[
            ("DISABLE_POLLING", "1".to_owned()),
            ("WEBHOOK_URL", format!("http://{addr}{WEBHOOK_PATH}")),
            ("WEBHOOK_SECRET", SECRET.to_owned()),
            ("HTTP_ADDR", addr.to_string()),
        ])?;
        self.wait_serving(&mut bot, addr).await?;
        let profile = match (&self.plan.perf, pace, self.engine) {
            // SQLite's profile keeps the name the docs give; PostgreSQL's is named beside it.
            (Some(file), Pace::FlatOut(_), "sqlite") => Some(Profiler::start(bot.pid(), file)?),
            (Some(file), Pace::FlatOut(_), engine) => Some(Profiler::start(
                bot.pid(),
                &file.with_file_name(format!("perf-{engine}.data")),
            )?),
            _ => None,
        };
        let target = Target {
            addr,
            path: WEBHOOK_PATH.to_owned(),
            secret: Some(SECRET.to_owned()),
            replies: Some(self.double.handle().clone()),
        };
        let (cpu_before, own_before, stats_before, db_before) = (
            bot.cpu().unwrap_or_default(),
            OwnCpu::now(),
            self.double.stats(),
            self.database_cpu(),
        );
        let wall = Instant::now();
        let double = &self.double;
        let resolve = |item: &Prepared| double.press_on_screen(item);
        let mut outcome = drive(&target, queue, pace, bounds, &resolve).await;
        let wall = wall.elapsed();
        let cpu = bot.cpu().unwrap_or_default().saturating_sub(cpu_before);
        let own = OwnCpu::now().since(own_before);
        let database = self
            .database_cpu()
            .zip(db_before)
            .map(|(after, before)| after.saturating_sub(before));
        let memory = bot.memory();
        let calls = calls_between(&stats_before, &self.double.stats());
        if let Some(profile) = profile {
            profile.stop().await?;
        }
        let stopped = bot.stop(STOP_LIMIT).await;
        self.double.delete_webhook().await?;
        stopped?;
        self.nonsense += outcome.posted.iter().filter(|item| item.nonsense).count();
        let cpu = CpuUse::of(cpu, own, outcome.ok(), wall).with_database(database, outcome.ok());
        let mut row = LoadRow::new(self.engine, pace, &mut outcome, cpu);
        row.memory = memory;
        row.bot_api_calls = calls;
        if let Some(posted) = posted {
            posted.push((pace, std::mem::take(&mut outcome.posted)));
        }
        Ok(row)
    }

    /// Until `/healthz` answers and the webhook is registered.
    async fn wait_serving(&self, bot: &mut BotProcess, addr: SocketAddr) -> anyhow::Result<()> {
        let client = Client::new(addr);
        let deadline = Instant::now() + START_LIMIT;
        loop {
            if let Some(status) = bot.exited() {
                bail!("the bot exited with {status}:\n{}", bot.log_tail());
            }
            let healthy = matches!(
                client.send(Call::get("/healthz")).await,
                Ok((status, _)) if status.is_success()
            );
            if healthy && self.double.handle().webhook().is_some() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the bot did not serve its webhook:\n{}", bot.log_tail());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// CPU time of the PostgreSQL server's processes on this machine (`None` on SQLite,
    /// which runs inside the bot). Other clients of the same server count too.
    fn database_cpu(&self) -> Option<Duration> {
        (self.engine == "postgres").then(crate::process::postgres_cpu)
    }

    /// Counts, over every chat, the answers that would mean the workload lost track.
    fn flows(&self) -> anyhow::Result<FlowCheck> {
        let catalog = Catalog::load()?;
        let texts = |key: &str| -> Vec<String> {
            Locale::ALL
                .iter()
                .map(|locale| catalog.text(*locale, key))
                .collect()
        };
        let (outdated, not_found, unknown) = (
            texts("callback-outdated"),
            texts("not-found"),
            texts("unknown-input"),
        );
        let mut check = FlowCheck {
            engine: self.engine.to_owned(),
            didnt_understand_on_purpose: self.nonsense,
            ..FlowCheck::default()
        };
        for user in 0..self.workload.users() {
            let chat = self.double.handle().chat(Workload::user_id(user));
            for callback in &chat.callbacks {
                let Some(answer) = &callback.answer else {
                    continue;
                };
                check.callbacks_answered += 1;
                let text = answer.text.as_deref().unwrap_or_default();
                if outdated.iter().any(|known| known == text) {
                    check.outdated_alerts += 1;
                }
                if not_found.iter().any(|known| known == text) {
                    check.not_found_alerts += 1;
                }
            }
            for message in chat.bot_messages() {
                check.bot_messages += 1;
                if unknown
                    .iter()
                    .any(|known| message.body().starts_with(known.as_str()))
                {
                    check.didnt_understand += 1;
                }
            }
        }
        Ok(check)
    }
}

/// Bot API calls made between two readings of the counters.
pub fn calls_between(before: &Stats, after: &Stats) -> BTreeMap<String, u64> {
    after
        .calls
        .iter()
        .map(|(method, count)| (method.clone(), count - before.calls_of(method)))
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// `perf record` attached to the bot for one run.
struct Profiler {
    child: tokio::process::Child,
}

impl Profiler {
    fn start(pid: u32, file: &Path) -> anyhow::Result<Profiler> {
        let child = tokio::process::Command::new("perf")
            .args(["record", "-F", "499", "--call-graph", "dwarf,16384", "-p"])
            .arg(pid.to_string())
            .arg("-o")
            .arg(file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start `perf record` (install linux-perf)")?;
        Ok(Profiler { child })
    }

    async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-INT", &pid.to_string()])
                .status();
        }
        let _ = tokio::time::timeout(Duration::from_secs(60), self.child.wait()).await;
        Ok(())
    }
}
