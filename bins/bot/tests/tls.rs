//! TLS to PostgreSQL (`sslmode`, `DATABASE_CA_FILE`) and Redis (`rediss://`,
//! `REDIS_CA_FILE`) through the real `bot` binary, against a private PostgreSQL cluster with
//! `ssl=on` that refuses unencrypted connections and a private `redis-server` listening on a
//! TLS port only, both with certificates of a CA made by the test with openssl.
//!
//! Each test skips, saying why, where openssl, the PostgreSQL server binaries or
//! `redis-server` are missing; `.ci/run` installs them.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vitrina_testkit::cluster::{PrivateCluster, has};
use vitrina_testkit::net::free_port;
use vitrina_testkit::process::{self, Finished};

fn run(mut command: Command) {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?}: {output:?}");
}

/// A CA and a certificate it signed for 127.0.0.1 and localhost; and a second CA that signed
/// nothing here, for the refusals.
struct Certificates {
    dir: PathBuf,
}

impl Certificates {
    /// `None`, with the reason printed, without openssl.
    fn create(dir: &Path) -> Option<Certificates> {
        if !has("openssl") {
            eprintln!("skipped: openssl is not installed");
            return None;
        }
        let certificates = Certificates {
            dir: dir.to_owned(),
        };
        let openssl = |args: &[&str]| {
            let mut command = Command::new("openssl");
            command.args(args).current_dir(dir);
            run(command);
        };
        for ca in ["ca", "other-ca"] {
            openssl(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                &format!("/CN=Vitrina test {ca}"),
                "-keyout",
                &format!("{ca}.key"),
                "-out",
                &format!("{ca}.pem"),
            ]);
        }
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ]);
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ]);
        Some(certificates)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Runs `bot args…` in `dir` with only PATH and `env`.
async fn bot(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Finished {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command
        .args(args)
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())));
    process::run_async(command).await
}

/// A PostgreSQL cluster of this test's own with `ssl=on`, accepting only TLS connections.
struct TlsCluster {
    cluster: PrivateCluster,
    certificates: Certificates,
}

impl TlsCluster {
    fn create() -> Option<TlsCluster> {
        let cluster = PrivateCluster::init()?;
        let certificates = Certificates::create(cluster.root())?;
        // The server reads them as its own user, and wants its key private.
        cluster.hand_over(cluster.root());
        let _ = Command::new("chmod")
            .arg("600")
            .arg(certificates.path("server.key"))
            .output();
        // Only encrypted connections over TCP.
        std::fs::write(
            cluster.data().join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n",
        )
        .unwrap();
        cluster.start(&format!(
            "-c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            certificates.path("server.pem").display(),
            certificates.path("server.key").display(),
        ));
        Some(TlsCluster {
            cluster,
            certificates,
        })
    }

    fn url(&self, query: &str) -> String {
        self.cluster.url("postgres", query)
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_is_reached_over_tls_as_sslmode_and_the_ca_file_say() {
    let Some(cluster) = TlsCluster::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ca = cluster.certificates.path("ca.pem").display().to_string();
    let other_ca = cluster
        .certificates
        .path("other-ca.pem")
        .display()
        .to_string();
    let migrate = async |url: String, ca_file: Option<&str>| {
        let mut env = vec![("DATABASE_URL", url)];
        if let Some(file) = ca_file {
            env.push(("DATABASE_CA_FILE", file.to_owned()));
        }
        bot(dir.path(), &["migrate"], &env).await
    };

    // Encrypted, the certificate unchecked (libpq's require).
    let run = migrate(cluster.url("sslmode=require"), None).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    // The default, prefer, takes TLS when the server offers it.
    let run = migrate(cluster.url("connect_timeout=5"), None).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    // Checked against the CA, host name included; the CA given in the URL works the same.
    let run = migrate(cluster.url("sslmode=verify-full"), Some(&ca)).await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let run = migrate(
        cluster.url(&format!("sslmode=verify-ca&sslrootcert={ca}")),
        None,
    )
    .await;
    assert_eq!(run.status, Some(0), "{}", run.stderr);
    let run = bot(
        dir.path(),
        &["check"],
        &[
            ("DATABASE_URL", cluster.url("sslmode=verify-full")),
            ("DATABASE_CA_FILE", ca.clone()),
        ],
    )
    .await;
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("OK") && line.contains("database")),
        "{}",
        run.stdout
    );

    // Refusals, each naming its cause.
    let run = migrate(cluster.url("sslmode=verify-full"), Some(&other_ca)).await;
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("certificate"), "{}", run.stderr);
    let run = migrate(cluster.url("sslmode=disable"), None).await;
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("pg_hba.conf"), "{}", run.stderr);
    let run = migrate(cluster.url("sslmode=verify-full"), Some("/no/such/ca.pem")).await;
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("/no/such/ca.pem"), "{}", run.stderr);
}

/// A `redis-server` of this test's own, listening on a TLS port only.
struct TlsRedis {
    child: Child,
    port: u16,
}

impl TlsRedis {
    fn start(certificates: &Certificates, dir: &Path) -> TlsRedis {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--port", "0", "--tls-port", &port.to_string()])
            .arg("--tls-cert-file")
            .arg(certificates.path("server.pem"))
            .arg("--tls-key-file")
            .arg(certificates.path("server.key"))
            .arg("--tls-ca-cert-file")
            .arg(certificates.path("ca.pem"))
            .args(["--tls-auth-clients", "no", "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
        TlsRedis { child, port }
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_is_reached_over_tls_with_the_ca_file() {
    if !has("redis-server") {
        eprintln!("skipped: redis-server is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(certificates) = Certificates::create(dir.path()) else {
        return;
    };
    let redis = TlsRedis::start(&certificates, dir.path());
    let url = format!("rediss://127.0.0.1:{}", redis.port);
    let lock_status = async |ca_file: PathBuf| {
        bot(
            dir.path(),
            &["lock", "status"],
            &[
                ("REDIS_URL", url.clone()),
                ("REDIS_CA_FILE", ca_file.display().to_string()),
            ],
        )
        .await
    };

    let run = lock_status(certificates.path("ca.pem")).await;
    assert_eq!(run.status, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("free"), "{}", run.stdout);

    // A certificate of a CA not trusted is refused, and the error says so.
    let run = lock_status(certificates.path("other-ca.pem")).await;
    assert_eq!(run.status, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.to_lowercase().contains("certificate"),
        "{}",
        run.stderr
    );
    let run = lock_status(PathBuf::from("/no/such/redis-ca.pem")).await;
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("/no/such/redis-ca.pem"),
        "{}",
        run.stderr
    );
}
