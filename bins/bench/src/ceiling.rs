//! The ceiling: the load generator against a bare hyper endpoint in a process of its own
//! that answers 200 at once, posting what the webhook runs posted, at the same paces.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::net::TcpListener;
use tokio::time::Instant;

use crate::double::Prepared;
use crate::engine::Posted;
use crate::load::{Bounds, Pace, Target, drive};
use crate::plan::Plan;
use crate::process::{OwnCpu, cpu_of_pid};
use crate::report::{CpuUse, LoadRow, Report};

/// The argument that makes this binary the bare endpoint.
pub const SERVE_ARGUMENT: &str = "bare-endpoint";

/// The bare endpoint's side: binds, prints its address, serves until killed.
pub fn serve() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        println!("{}", listener.local_addr()?);
        crate::http::serve_bare(listener).await;
        Ok(())
    })
}

/// Posts `posted` again to the bare endpoint and adds the rows to `report`, and to every
/// webhook row its fraction of the ceiling at the same pace.
pub async fn measure(plan: &Plan, posted: Posted, report: &mut Report) -> anyhow::Result<()> {
    let binary = std::env::current_exe()?;
    let mut child = tokio::process::Command::new(binary)
        .arg(SERVE_ARGUMENT)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("cannot start the bare endpoint")?;
    let pid = child.id().context("the bare endpoint has no pid")?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut line = String::new();
    tokio::time::timeout(
        Duration::from_secs(10),
        BufReader::new(stdout).read_line(&mut line),
    )
    .await
    .context("the bare endpoint did not start")??;
    let addr: SocketAddr = line
        .trim()
        .parse()
        .with_context(|| format!("not an address: {line:?}"))?;
    let target = Target {
        addr,
        path: crate::engine::WEBHOOK_PATH.to_owned(),
        secret: Some(crate::engine::SECRET.to_owned()),
        replies: None,
    };
    let mut ceilings: BTreeMap<String, f64> = BTreeMap::new();
    for (pace, items) in posted {
        if items.is_empty() {
            continue;
        }
        let (mut queue, bounds) = match pace {
            // The whole offered load, even where the bot took less of it in the time.
            Pace::Rate(rate) => (
                repeated(&items, (rate * plan.rate_seconds as f64) as usize),
                Bounds {
                    count: (rate * plan.rate_seconds as f64) as usize,
                    time: Duration::from_secs(plan.rate_seconds + 2),
                    drain: Duration::from_secs(30),
                },
            ),
            // The bare endpoint takes the bot's flat-out load in a blink: repeat it so the
            // run lasts as long as the bot's did.
            Pace::FlatOut(_) => (
                repeated(&items, plan.flat_count * 4),
                Bounds {
                    count: plan.flat_count * 4,
                    time: Duration::from_secs(plan.flat_seconds),
                    drain: Duration::from_secs(30),
                },
            ),
        };
        eprintln!("[ceiling] {}", pace.describe());
        let (cpu_before, own_before) = (cpu_of_pid(pid).unwrap_or_default(), OwnCpu::now());
        let wall = Instant::now();
        let mut outcome = drive(&target, &mut queue, pace, bounds, &|_| None).await;
        let wall = wall.elapsed();
        let cpu = cpu_of_pid(pid)
            .unwrap_or_default()
            .saturating_sub(cpu_before);
        let own = OwnCpu::now().since(own_before);
        let cpu = CpuUse::of(cpu, own, outcome.ok(), wall);
        let row = LoadRow::new("bare hyper", pace, &mut outcome, cpu);
        if row.answered_ok == 0 {
            bail!("the bare endpoint answered nothing at {}", row.pace);
        }
        ceilings.insert(row.pace.clone(), row.per_second);
        report.ceiling.push(row);
    }
    for row in &mut report.webhook {
        if let Some(ceiling) = ceilings.get(&row.pace).filter(|ceiling| **ceiling > 0.0) {
            row.of_ceiling = Some(crate::report::round(row.per_second / ceiling, 3));
        }
    }
    child.start_kill()?;
    let _ = child.wait().await;
    Ok(())
}

fn repeated(items: &[Prepared], count: usize) -> VecDeque<Prepared> {
    items.iter().cycle().take(count).cloned().collect()
}
