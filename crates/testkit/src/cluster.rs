//! A PostgreSQL server of the test's own, for what the shared one cannot be put through:
//! stopped and started again under traffic, or configured to take encrypted connections only.
//!
//! It lives in a temporary directory on a free port and is stopped when dropped. PostgreSQL
//! refuses to run as root, so where the test runs as root the server's programs run as the
//! `postgres` user through `runuser`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::net::free_port;

/// A private PostgreSQL cluster: initialised by [`PrivateCluster::init`], then started with
/// the options the test needs.
pub struct PrivateCluster {
    bin: PathBuf,
    root: tempfile::TempDir,
    port: u16,
    options: std::sync::Mutex<String>,
}

impl PrivateCluster {
    /// A new cluster, initialised (trust authentication, user `postgres`, UTF-8) but not yet
    /// started. `None`, with the reason printed, where the PostgreSQL server programs
    /// (`/usr/lib/postgresql/*/bin/initdb`, `pg_ctl`) are not installed, or the test runs as
    /// root without `runuser`.
    ///
    /// # Panics
    /// When `initdb` fails.
    pub fn init() -> Option<PrivateCluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|version| version.path().join("bin"))
            .find(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists());
        let Some(bin) = bin else {
            eprintln!("skipped: no /usr/lib/postgresql/*/bin/initdb and pg_ctl");
            return None;
        };
        if is_root() && !has("runuser") {
            eprintln!("skipped: running as root without runuser to start PostgreSQL as postgres");
            return None;
        }
        let root = tempfile::tempdir()
            .unwrap_or_else(|error| panic!("no temporary directory for PostgreSQL: {error}"));
        let cluster = PrivateCluster {
            bin,
            root,
            port: free_port(),
            options: std::sync::Mutex::new(String::new()),
        };
        cluster.hand_over(cluster.root());
        let mut initdb = as_postgres(&cluster.bin.join("initdb"));
        initdb
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ])
            .arg(cluster.data());
        run(initdb);
        Some(cluster)
    }

    /// The temporary directory the cluster lives in (its data directory is `data` inside),
    /// where a test may put files the server reads, such as certificates.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The data directory, where `pg_hba.conf` is.
    pub fn data(&self) -> PathBuf {
        self.root().join("data")
    }

    /// Makes `path` (recursively) the server user's, as files the server reads must be when
    /// the test runs as root; nothing otherwise.
    pub fn hand_over(&self, path: &Path) {
        if is_root() {
            let _ = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path)
                .output();
        }
    }

    /// Starts the server, listening on 127.0.0.1 only, with `options` (such as
    /// `-c ssl=on`) added to its command line; [`PrivateCluster::restart`] uses them again.
    ///
    /// # Panics
    /// When the server does not start.
    pub fn start(&self, options: &str) {
        options.clone_into(&mut self.options.lock().unwrap_or_else(|e| e.into_inner()));
        self.restart();
    }

    /// Starts the server again, with the options of the last [`PrivateCluster::start`].
    ///
    /// # Panics
    /// When the server does not start.
    pub fn restart(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off {}",
            self.port,
            self.root().display(),
            self.options.lock().unwrap_or_else(|e| e.into_inner()),
        );
        let mut start = self.pg_ctl(&["-w", "-o", &options, "-l"]);
        start.arg(self.root().join("server.log")).arg("start");
        run(start);
    }

    /// A fast shutdown: sessions are ended, as when the server restarts under load.
    ///
    /// # Panics
    /// When the server does not stop.
    pub fn stop(&self) {
        run(self.pg_ctl(&["-w", "-m", "fast", "stop"]));
    }

    /// Creates the database `name`.
    ///
    /// # Panics
    /// When `createdb` fails.
    pub fn create_database(&self, name: &str) {
        let mut createdb = Command::new(self.bin.join("createdb"));
        createdb.args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            name,
        ]);
        run(createdb);
    }

    /// The URL of `database` as user `postgres`, with `query` after a `?` when not empty.
    pub fn url(&self, database: &str, query: &str) -> String {
        let url = format!("postgres://postgres@127.0.0.1:{}/{database}", self.port);
        if query.is_empty() {
            url
        } else {
            format!("{url}?{query}")
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut command = as_postgres(&self.bin.join("pg_ctl"));
        command.arg("-D").arg(self.data()).args(args);
        command.stdout(Stdio::null());
        command
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-w", "-m", "immediate", "stop"]).output();
    }
}

/// Whether `program` is on the PATH.
pub fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `program` run as the `postgres` user when the test runs as root, as itself otherwise.
fn as_postgres(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?} did not run: {error}"));
    assert!(output.status.success(), "{command:?}: {output:?}");
}
