//! The deploy files against the real binary: every command they run is one `bot` accepts,
//! every variable they set is one `bot` reads, and the environment of each service makes a
//! configuration `bot config` accepts, in the mode the file means. Also the health check's
//! path and port, the shutdown allowances, and the replicas of leader mode.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vitrina_testkit::process::{self, Finished};

/// The longest a `bot run` takes to stop after SIGTERM: the updates in hand (10 s), then the
/// HTTP server's requests in hand (10 s).
const STOP_SECONDS: u64 = 20;

/// Values standing in for what an operator fills in.
const SAMPLES: &[(&str, &str)] = &[
    ("BOT_TOKEN", "123456:sample-token"),
    ("WEBHOOK_URL", "https://bot.example.org/bot/webhook"),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn bot(args: &[&str], env: &BTreeMap<String, String>) -> Finished {
    let dir = tempfile::tempdir().unwrap();
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir.path());
    command.args(args).envs(env);
    process::run(command)
}

/// The variables `bot --help` lists, old names included.
fn known_variables() -> Vec<String> {
    let help = bot(&["--help"], &BTreeMap::new());
    assert_eq!(help.status, Some(0), "{}", help.stderr);
    let mut names = Vec::new();
    for line in help.stdout.lines() {
        let Some(rest) = line.strip_prefix("  ") else {
            continue;
        };
        if let Some((name, tail)) = rest.split_once("  [default:") {
            names.push(name.trim().to_owned());
            if let Some((_, old)) = tail.split_once("(old name") {
                let old = old.trim_start_matches("s").trim_start_matches(':');
                names.extend(
                    old.trim_end_matches(')')
                        .split(',')
                        .map(|name| name.trim().to_owned()),
                );
            }
        }
    }
    assert!(names.iter().any(|name| name == "BOT_TOKEN"), "{names:?}");
    names
}

/// `bot ARGS --help` succeeds: `ARGS` name a command the binary has.
fn assert_command(file: &str, args: &[String]) {
    assert!(!args.is_empty(), "{file}: a command with no arguments");
    let mut with_help: Vec<&str> = args.iter().map(String::as_str).collect();
    with_help.push("--help");
    let run = bot(&with_help, &BTreeMap::new());
    assert_eq!(
        run.status,
        Some(0),
        "{file}: `bot {}` is not a command of the binary: {}",
        args.join(" "),
        run.stderr
    );
}

/// `bot config` accepts `env` and reports `mode`.
fn assert_configuration(file: &str, env: &BTreeMap<String, String>, mode: &str) {
    let known = known_variables();
    for name in env.keys() {
        assert!(
            known.contains(name),
            "{file}: {name} is not a variable of the binary"
        );
    }
    let run = bot(&["config"], env);
    assert_eq!(run.status, Some(0), "{file}: {env:?}: {}", run.stderr);
    assert!(
        run.stdout.contains(&format!("# mode: {mode}\n")),
        "{file}: {}",
        run.stdout
    );
}

/// `["a", "b"]` → `a`, `b`.
fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text.trim()).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// Compose's `${NAME:-default}`: a sample for what the operator must fill in, else the default.
fn interpolate(value: &str) -> String {
    let value = value.trim().trim_matches('"');
    let Some(inner) = value
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'))
    else {
        // A reference inside a longer value (a URL with a password): the default in its place.
        let mut out = String::new();
        let mut rest = value;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').unwrap() + start;
            out.push_str(&interpolate(&rest[start..=end]));
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        return out;
    };
    let (name, default) = inner.split_once(":-").unwrap_or((inner, ""));
    SAMPLES
        .iter()
        .find(|(sample, _)| *sample == name)
        .map_or_else(|| default.to_owned(), |(_, value)| (*value).to_owned())
}

#[test]
fn the_dockerfile_runs_the_binary_as_a_non_root_user_with_a_health_check() {
    let dockerfile = read("Dockerfile");
    let instructions: Vec<&str> = dockerfile
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect();
    let value = |keyword: &str| -> Vec<String> {
        instructions
            .iter()
            .filter_map(|line| line.strip_prefix(keyword))
            .map(|rest| rest.trim().to_owned())
            .collect()
    };
    assert!(value("FROM ").len() >= 3, "multi-stage:\n{dockerfile}");
    assert!(
        dockerfile.contains("cargo chef cook"),
        "dependencies cached in their own layer"
    );
    assert_eq!(value("ENTRYPOINT "), ["[\"bot\"]"]);
    let cmd = value("CMD ");
    assert_eq!(cmd.len(), 1, "{cmd:?}");
    assert_command("Dockerfile CMD", &json_list(&cmd[0]));
    let user = value("USER ");
    assert_eq!(user.len(), 1, "{user:?}");
    assert!(
        !user[0].starts_with("root") && !user[0].starts_with("0"),
        "{user:?}"
    );
    assert_eq!(value("STOPSIGNAL "), ["SIGTERM"]);

    // ENV, continued over lines.
    let env_text = dockerfile
        .split("\nENV ")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .take_while(|line| !line.trim_start().starts_with('#'))
        .map(|line| line.trim().trim_end_matches('\\').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let env: BTreeMap<String, String> = env_text
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .take_while(|(name, _)| name.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect();
    assert!(env.contains_key("HTTP_ADDR"), "{env:?}");
    assert_configuration("Dockerfile ENV", &env, "polling");

    // The health check asks the port the server listens on.
    let port = env["HTTP_ADDR"].rsplit(':').next().unwrap();
    let healthcheck = dockerfile
        .split("HEALTHCHECK")
        .nth(1)
        .unwrap()
        .split("\nENTRYPOINT")
        .next()
        .unwrap();
    assert!(
        healthcheck.contains(&format!("127.0.0.1:{port}/healthz")),
        "{healthcheck}"
    );
}

/// A service of compose.yaml that runs the bot.
struct ComposeService {
    name: String,
    command: Vec<String>,
    env: BTreeMap<String, String>,
    /// The rest of its text.
    text: String,
}

/// The services of compose.yaml that run the bot (`<<: *bot`).
fn compose_bot_services(compose: &str) -> Vec<ComposeService> {
    let services = compose.split("\nservices:\n").nth(1).unwrap();
    let services = services.split("\nvolumes:").next().unwrap();
    let mut found = Vec::new();
    let mut blocks: Vec<(String, Vec<&str>)> = Vec::new();
    for line in services.lines() {
        if let Some(name) = line
            .strip_prefix("  ")
            .filter(|rest| !rest.starts_with(' ') && rest.ends_with(':'))
        {
            blocks.push((name.trim_end_matches(':').to_owned(), Vec::new()));
        } else if let Some((_, lines)) = blocks.last_mut() {
            lines.push(line);
        }
    }
    for (name, lines) in blocks {
        if !lines.iter().any(|line| line.trim() == "<<: *bot") {
            continue;
        }
        let command = lines
            .iter()
            .find_map(|line| line.trim().strip_prefix("command:"))
            .map(json_list)
            .unwrap_or_else(|| panic!("{name}: no command"));
        let mut env = BTreeMap::new();
        let mut in_environment = false;
        for line in &lines {
            if line.trim() == "environment:" {
                in_environment = true;
                continue;
            }
            if in_environment {
                if !line.starts_with("      ") {
                    in_environment = false;
                    continue;
                }
                let (key, value) = line.trim().split_once(':').unwrap();
                env.insert(key.to_owned(), interpolate(value));
            }
        }
        found.push(ComposeService {
            name,
            command,
            env,
            text: lines.join("\n"),
        });
    }
    found
}

#[test]
fn compose_runs_two_leader_replicas_and_a_webhook_variant_with_real_commands_and_variables() {
    let compose = read("compose.yaml");
    let services = compose_bot_services(&compose);
    let names: Vec<&str> = services
        .iter()
        .map(|service| service.name.as_str())
        .collect();
    assert_eq!(names, ["migrate", "bot", "bot-webhook"]);
    for ComposeService {
        name,
        command,
        env,
        text,
    } in &services
    {
        assert_command(&format!("compose.yaml {name}"), command);
        let mode = match name.as_str() {
            "bot" => {
                assert!(text.contains("replicas: 2"), "{name}: {text}");
                "leader-polling"
            }
            "bot-webhook" => "webhook",
            _ => "polling",
        };
        assert_configuration(&format!("compose.yaml {name}"), env, mode);
    }
    let grace: u64 = compose
        .lines()
        .find_map(|line| line.trim().strip_prefix("stop_grace_period: "))
        .and_then(|value| value.strip_suffix('s'))
        .unwrap()
        .parse()
        .unwrap();
    assert!(grace > STOP_SECONDS, "stop_grace_period: {grace}s");
}

#[test]
fn the_systemd_unit_runs_real_commands_with_an_environment_file_and_a_writable_state_directory() {
    let unit = read("deploy/systemd/vitrina.service");
    let setting = |key: &str| -> Vec<String> {
        unit.lines()
            .filter_map(|line| line.strip_prefix(&format!("{key}=")))
            .map(str::to_owned)
            .collect()
    };
    for key in ["ExecStartPre", "ExecStart"] {
        for line in setting(key) {
            let mut words = line.split_whitespace();
            assert_eq!(words.next(), Some("/usr/local/bin/bot"), "{key}={line}");
            let args: Vec<String> = words.map(str::to_owned).collect();
            assert_command(&format!("vitrina.service {key}"), &args);
        }
    }
    assert_eq!(setting("EnvironmentFile"), ["/etc/vitrina/vitrina.env"]);
    assert_eq!(setting("Restart"), ["on-failure"]);
    assert_eq!(setting("NoNewPrivileges"), ["yes"]);
    assert_eq!(setting("ProtectSystem"), ["strict"]);
    let stop: u64 = setting("TimeoutStopSec")[0]
        .trim_end_matches('s')
        .parse()
        .unwrap();
    assert!(stop > STOP_SECONDS, "TimeoutStopSec={stop}");

    // The example environment file: real variables, a valid configuration, and its SQLite
    // file inside the one writable directory.
    let example = read("deploy/systemd/vitrina.env.example");
    let mut env: BTreeMap<String, String> = example
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (name, value) = line.split_once('=').unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect();
    env.insert("BOT_TOKEN".to_owned(), SAMPLES[0].1.to_owned());
    assert_configuration("vitrina.env.example", &env, "polling");
    let database = env["DATABASE_URL"].strip_prefix("sqlite://").unwrap();
    let directory = Path::new(database).parent().unwrap();
    assert_eq!(setting("ReadWritePaths"), [directory.display().to_string()]);
    assert_eq!(
        setting("WorkingDirectory"),
        [directory.display().to_string()]
    );
}

/// The `- name: X` / `value: "v"` pairs of a manifest's `env:` lists.
fn manifest_env(text: &str) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(name) = line.trim().strip_prefix("- name: ")
            && let Some(value) = lines
                .peek()
                .and_then(|next| next.trim().strip_prefix("value: "))
        {
            env.insert(name.to_owned(), value.trim_matches('"').to_owned());
        }
    }
    env
}

#[test]
fn the_kubernetes_manifests_run_real_commands_probe_health_and_readiness_and_allow_the_stop() {
    let secret = read("deploy/k8s/secret.yaml");
    let secret_env: BTreeMap<String, String> = secret
        .split("stringData:\n")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| {
            let (name, value) = line.trim().split_once(": ").unwrap();
            let value = value.trim_matches('"');
            let value = if name == "BOT_TOKEN" {
                SAMPLES[0].1
            } else {
                value
            };
            (name.to_owned(), value.to_owned())
        })
        .collect();
    for name in ["BOT_TOKEN", "WEBHOOK_SECRET"] {
        assert!(secret_env.contains_key(name), "{name} not in the Secret");
    }

    for (file, mode, replicas) in [
        ("deploy/k8s/webhook.yaml", "webhook", "replicas: 2"),
        ("deploy/k8s/leader.yaml", "leader-polling", "replicas: 2"),
    ] {
        let text = read(file);
        assert!(text.contains(replicas), "{file}");
        for line in text.lines() {
            if let Some(args) = line.trim().strip_prefix("args: ") {
                assert_command(file, &json_list(args));
            }
        }
        let mut env = secret_env.clone();
        env.extend(manifest_env(&text));
        assert_configuration(file, &env, mode);
        assert!(
            text.contains("readinessProbe:\n            httpGet:\n              path: /readyz"),
            "{file}"
        );
        assert!(
            text.contains("livenessProbe:\n            httpGet:\n              path: /healthz"),
            "{file}"
        );
        let grace: u64 = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("terminationGracePeriodSeconds: "))
            .unwrap()
            .parse()
            .unwrap();
        assert!(grace > STOP_SECONDS, "{file}: {grace}");
        assert!(text.contains("runAsNonRoot: true"), "{file}");
        // The probes reach the port the server listens on.
        assert_eq!(env["HTTP_ADDR"], "0.0.0.0:8080", "{file}");
        assert!(text.contains("containerPort: 8080"), "{file}");
    }
    let webhook = read("deploy/k8s/webhook.yaml");
    assert!(
        webhook.contains("kind: Service"),
        "a Service for the webhook"
    );
}
