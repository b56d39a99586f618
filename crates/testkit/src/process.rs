//! Programs run the way an operator's clean shell would run them: in a directory of the
//! test's choosing, with `PATH` and what the test gives as the whole environment, so that
//! nothing set in the developer's shell (a `BOT_TOKEN`, a `DATABASE_URL`) can change what a
//! test sees. Either run to the end ([`run`], [`run_async`]) or kept running as a [`Process`]
//! whose log the test watches.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// How often the waits of a [`Process`] look again.
const POLL: Duration = Duration::from_millis(50);

/// A command for `program` in `dir` with `PATH` as its only environment variable; add the
/// arguments and the variables the test means.
///
/// The bot reads `.env` from its directory: `dir` should hold none unless the test wrote it.
pub fn clean_command(program: impl AsRef<OsStr>, dir: impl AsRef<Path>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir).env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

/// A program that ran to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// Its exit code; `None` when a signal ended it.
    pub status: Option<i32>,
    /// What it printed on standard output (invalid UTF-8 replaced).
    pub stdout: String,
    /// What it printed on standard error (invalid UTF-8 replaced).
    pub stderr: String,
}

impl From<Output> for Finished {
    fn from(output: Output) -> Finished {
        Finished {
            status: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `command` to its end with its output captured.
///
/// # Panics
/// When the program cannot be started.
pub fn run(mut command: Command) -> Finished {
    match command.output() {
        Ok(output) => output.into(),
        Err(error) => panic!("cannot run {:?}: {error}", command.get_program()),
    }
}

/// [`run`] on a blocking thread, so that the test's runtime goes on serving (the Bot API
/// double, say) while the program runs.
///
/// # Panics
/// As [`run`].
pub async fn run_async(command: Command) -> Finished {
    match tokio::task::spawn_blocking(move || run(command)).await {
        Ok(finished) => finished,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("the run was cancelled: {error}"),
    }
}

/// Sends the signal `name` (`TERM`, `KILL`, `STOP`, …) to `pid` with the `kill` command:
/// sending it from Rust would take `unsafe` code or another crate.
///
/// # Panics
/// When `kill` fails, for instance because no process has that pid.
pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .unwrap_or_else(|error| panic!("cannot run kill: {error}"));
    assert!(status.success(), "kill -{name} {pid}: {status}");
}

/// A running program whose standard error goes to a log file; killed when dropped, so that a
/// failed test leaves no process behind.
#[derive(Debug)]
pub struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    /// Starts `command` with no input, its standard output discarded and its standard error
    /// written to the file `log`.
    ///
    /// # Panics
    /// When the log cannot be created or the program cannot be started.
    pub fn spawn(mut command: Command, log: impl Into<PathBuf>) -> Process {
        let log = log.into();
        let stderr = File::create(&log)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", log.display()));
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {:?}: {error}", command.get_program()));
        Process { child, log }
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends it the signal `name`; see [`signal`].
    pub fn signal(&self, name: &str) {
        signal(self.pid(), name);
    }

    /// How it ended, if it has.
    ///
    /// # Panics
    /// When the system cannot say.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child
            .try_wait()
            .unwrap_or_else(|error| panic!("cannot wait for pid {}: {error}", self.pid()))
    }

    /// Waits for it to end; its exit code, `None` when a signal ended it.
    ///
    /// # Panics
    /// When it is still running after `within`, with its log in the message.
    pub async fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.exited() {
                return status.code();
            }
            assert!(
                Instant::now() < deadline,
                "pid {} did not exit within {within:?}:\n{}",
                self.pid(),
                self.log()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until its log contains `text`.
    ///
    /// # Panics
    /// When it has not logged `text` after `within`, with its log in the message.
    pub async fn wait_for_log(&self, text: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.log().contains(text) {
            assert!(
                Instant::now() < deadline,
                "pid {} did not log {text:?} within {within:?}:\n{}",
                self.pid(),
                self.log()
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Process, clean_command, run};

    const WAIT: Duration = Duration::from_secs(10);

    fn sh(dir: &std::path::Path, script: &str) -> std::process::Command {
        let mut command = clean_command("sh", dir);
        command.args(["-c", script]);
        command
    }

    #[test]
    fn a_clean_command_passes_path_and_what_it_is_given_only() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut command = sh(dir.path(), "env; pwd; echo oops >&2; exit 3");
        command.env("BOT_TOKEN", "42:abc");
        let finished = run(command);
        assert_eq!(finished.status, Some(3));
        assert_eq!(finished.stderr, "oops\n");
        let mut lines: Vec<&str> = finished.stdout.lines().collect();
        let pwd = lines.pop().expect("pwd printed");
        assert_eq!(
            std::fs::canonicalize(pwd).ok(),
            std::fs::canonicalize(dir.path()).ok()
        );
        let mut names: Vec<&str> = lines
            .iter()
            .filter_map(|line| line.split_once('=').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        // What the shell sets for itself.
        names.retain(|name| !["PWD", "SHLVL", "OLDPWD", "_"].contains(name));
        assert_eq!(names, ["BOT_TOKEN", "PATH"]);
    }

    #[tokio::test]
    async fn a_process_is_watched_through_its_log_and_its_exit() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let log = dir.path().join("sh.log");
        let mut process = Process::spawn(sh(dir.path(), "echo ready >&2; sleep 0.3; exit 7"), log);
        process.wait_for_log("ready", WAIT).await;
        assert_eq!(process.wait_exit(WAIT).await, Some(7));
        assert_eq!(process.log(), "ready\n");
    }

    #[tokio::test]
    async fn a_signal_ends_a_process_and_dropping_kills_it() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut stopped = Process::spawn(sh(dir.path(), "exec sleep 30"), dir.path().join("a"));
        assert_eq!(stopped.exited(), None);
        stopped.signal("TERM");
        assert_eq!(stopped.wait_exit(WAIT).await, None, "ended by the signal");

        let dropped = Process::spawn(sh(dir.path(), "exec sleep 30"), dir.path().join("b"));
        let proc = std::path::Path::new("/proc").join(dropped.pid().to_string());
        assert!(proc.exists());
        drop(dropped);
        assert!(!proc.exists(), "killed and reaped");
    }

    #[tokio::test]
    #[should_panic(expected = "did not log \"never\"")]
    async fn a_wait_for_a_line_that_never_comes_fails_with_the_log() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let process = Process::spawn(sh(dir.path(), "exec sleep 30"), dir.path().join("c"));
        process
            .wait_for_log("never", Duration::from_millis(200))
            .await;
    }
}
