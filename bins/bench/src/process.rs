//! The bot as a child process, and what `/proc` says about it and about this process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context as _, bail};
use tokio::process::{Child, Command};
use tokio::time::Instant;

/// A `bot` process started by the benchmark; killed if still running when dropped.
pub struct BotProcess {
    child: Child,
    pid: u32,
    log: PathBuf,
    /// When it was spawned.
    pub started: Instant,
}

impl BotProcess {
    /// Starts `binary` with `args` in `dir`, with exactly `env` (plus `PATH`), its log going to
    /// `dir/<name>.log`.
    pub fn spawn(
        binary: &Path,
        dir: &Path,
        name: &str,
        args: &[&str],
        env: &BTreeMap<String, String>,
    ) -> anyhow::Result<BotProcess> {
        let log = dir.join(format!("{name}.log"));
        let stderr = std::fs::File::create(&log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        // A clean environment and a directory without `.env`: the bot is configured only by
        // what is given here.
        let mut command = Command::from(vitrina_testkit::process::clean_command(binary, dir));
        command.args(args);
        let started = Instant::now();
        let child = command
            .envs(env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let pid = child.id().context("the child has no pid")?;
        Ok(BotProcess {
            child,
            pid,
            log,
            started,
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// User plus system CPU time so far.
    pub fn cpu(&self) -> Option<Duration> {
        cpu_of(&format!("/proc/{}/stat", self.pid))
    }

    /// Resident memory now and at its peak.
    pub fn memory(&self) -> Option<Memory> {
        memory_of(self.pid)
    }

    /// The end of its log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// Whether it has exited, and how.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Sends SIGTERM (the bot stops cleanly).
    pub fn terminate(&self) -> anyhow::Result<()> {
        signal(self.pid, "TERM")
    }

    /// Sends SIGKILL.
    pub fn kill(&mut self) -> anyhow::Result<()> {
        self.child.start_kill().context("cannot kill the bot")
    }

    /// Waits for the exit, killing it after `timeout`.
    pub async fn wait(&mut self, timeout: Duration) -> anyhow::Result<ExitStatus> {
        match tokio::time::timeout(timeout, self.child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => {
                self.kill()?;
                let status = self.child.wait().await?;
                bail!(
                    "the bot did not stop within {timeout:?} and was killed ({status}):\n{}",
                    self.log_tail()
                )
            }
        }
    }

    /// SIGTERM, then the exit (or SIGKILL after `timeout`).
    pub async fn stop(&mut self, timeout: Duration) -> anyhow::Result<ExitStatus> {
        if let Some(status) = self.exited() {
            return Ok(status);
        }
        self.terminate()?;
        self.wait(timeout).await
    }
}

/// Sends a signal with the `kill` command: sending one from Rust would take `unsafe` or
/// another crate, and this happens a few dozen times per run.
fn signal(pid: u32, name: &str) -> anyhow::Result<()> {
    let status = std::process::Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .context("cannot run `kill`")?;
    if !status.success() {
        bail!("`kill -{name} {pid}` failed: {status}");
    }
    Ok(())
}

/// Resident set sizes, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Memory {
    /// `VmRSS`: now.
    pub rss_kib: u64,
    /// `VmHWM`: the peak since the process started.
    pub peak_kib: u64,
}

pub fn memory_of(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
    };
    Some(Memory {
        rss_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

/// Clock ticks per second of `/proc` CPU times (`getconf CLK_TCK`, 100 on Linux in practice).
fn ticks_per_second() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .filter(|ticks| *ticks > 0)
            .unwrap_or(100)
    })
}

/// utime + stime of a `/proc/…/stat` file.
fn cpu_of(path: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(path).ok()?;
    let (_, fields) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = fields.split_whitespace().collect();
    // After the command name: state is field 3, utime field 14, stime field 15.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let ticks = utime + stime;
    let per_second = ticks_per_second();
    Some(
        Duration::from_secs(ticks / per_second)
            + Duration::from_nanos((ticks % per_second) * 1_000_000_000 / per_second),
    )
}

/// CPU time of this process's threads, split into the Bot API double's (threads named
/// `double…`) and the rest (the load generator and the runner).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnCpu {
    pub double: Duration,
    pub rest: Duration,
}

impl OwnCpu {
    pub fn now() -> OwnCpu {
        let mut cpu = OwnCpu::default();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return cpu;
        };
        for task in tasks.flatten() {
            let path = task.path();
            let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
            let Some(used) = cpu_of(&path.join("stat").to_string_lossy()) else {
                continue;
            };
            if name.starts_with(crate::double::THREAD_NAME) {
                cpu.double += used;
            } else {
                cpu.rest += used;
            }
        }
        cpu
    }

    /// What was used since `earlier`. Threads that ended in between are lost, which is why
    /// both runtimes keep their threads for the whole run.
    pub fn since(self, earlier: OwnCpu) -> OwnCpu {
        OwnCpu {
            double: self.double.saturating_sub(earlier.double),
            rest: self.rest.saturating_sub(earlier.rest),
        }
    }
}

/// CPU time of every process named `postgres` on this machine.
pub fn postgres_cpu() -> Duration {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return Duration::ZERO;
    };
    processes
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|entry| {
            std::fs::read_to_string(entry.path().join("comm"))
                .is_ok_and(|name| name.trim() == "postgres")
        })
        .filter_map(|entry| cpu_of(&entry.path().join("stat").to_string_lossy()))
        .sum()
}

/// CPU time of another process by pid.
pub fn cpu_of_pid(pid: u32) -> Option<Duration> {
    cpu_of(&format!("/proc/{pid}/stat"))
}

/// The 1, 5 and 15 minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// The machine: processors and their model, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Machine {
    pub processors: usize,
    pub cpu_model: String,
    pub kernel: String,
    pub memory_gib: f64,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .and_then(|rest| rest.split_once(':'))
            .map_or_else(
                || "unknown".to_owned(),
                |(_, model)| model.trim().to_owned(),
            );
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = meminfo
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or(0.0);
        Machine {
            processors: std::thread::available_parallelism().map_or(1, usize::from),
            cpu_model,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map_or_else(|_| "unknown".to_owned(), |text| text.trim().to_owned()),
            memory_gib: (memory_kib / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        let spin: u64 = (0..2_000_000u64).fold(0, |sum, n| sum.wrapping_add(n * n));
        assert!(spin > 0);
        assert!(cpu_of("/proc/self/stat").is_some());
        let memory = memory_of(std::process::id()).expect("a status file");
        assert!(memory.peak_kib >= memory.rss_kib && memory.rss_kib > 0);
    }
}
