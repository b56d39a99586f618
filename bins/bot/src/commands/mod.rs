//! One function per command of the binary.
//!
//! Each command builds only the adapters it needs from the configuration, so that a missing
//! variable is reported by the command that needs it.

mod admin;
mod card;
mod check;
mod import;
mod leader;
mod lock;
mod run;
mod serve;
mod user;
mod webapp;
mod webhook;
mod wiring;

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::Command;
use crate::config::Config;

/// Carries out `command` and gives the exit status of the process.
pub fn execute(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    type Work<'a> = std::pin::Pin<Box<dyn Future<Output = anyhow::Result<ExitCode>> + 'a>>;
    let in_runtime = |work: Work<'_>| {
        let mut runtime = tokio::runtime::Builder::new_multi_thread();
        if let Some(threads) = config.worker_threads() {
            runtime.worker_threads(threads);
        }
        let runtime = runtime
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        tracing::debug!(
            workers = runtime.metrics().num_workers(),
            "async runtime started"
        );
        runtime.block_on(work)
    };

    match command {
        Command::Run => in_runtime(Box::pin(run::run(config))),
        Command::Migrate => in_runtime(Box::pin(success(admin::migrate(config)))),
        Command::Check => in_runtime(Box::pin(check::check(config))),
        Command::Lock { command } => {
            // A missing REDIS_URL is a usage error, reported before anything starts.
            config.redis_url("by `bot lock`")?;
            in_runtime(Box::pin(lock::lock(command, config)))
        }
        Command::Webhook { command } => {
            in_runtime(Box::pin(success(webhook::webhook(command, config))))
        }
        Command::Admin { command } => in_runtime(Box::pin(success(admin::admin(command, config)))),
        Command::ImportLegacy { from, dry_run } => in_runtime(Box::pin(success(
            import::import_legacy(&from, dry_run, config),
        ))),
        Command::Config => show_config(config),
        Command::WebappLink {
            user,
            first_name,
            language,
        } => webapp::link(config, user, &first_name, language.as_deref()),
        Command::Card { command } => in_runtime(Box::pin(success(card::card(command, config)))),
        Command::User { command } => in_runtime(Box::pin(success(user::user(command, config)))),
    }
}

/// A command that either succeeds or fails with an error.
async fn success(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<ExitCode> {
    work.await.map(|()| ExitCode::SUCCESS)
}

/// `bot config`: print the effective configuration with secrets masked.
fn show_config(config: &Config) -> anyhow::Result<ExitCode> {
    let mut out = String::new();
    out.push_str(&format!(
        "# bot {} — effective configuration, secrets masked\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!("# mode: {}\n", config.mode()));
    out.push_str(&format!(
        "# leader lock key: {}\n",
        config.leader_lock_key()
    ));
    if let Ok(url) = config.webhook_url("by `bot config`") {
        out.push_str(&format!("# webhook path: {}\n", url.path()));
    }
    for note in config.notes() {
        out.push_str(&format!("# note: {note}\n"));
    }
    for (name, value) in config.masked_entries() {
        out.push_str(&format!("{name}={value}\n"));
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
