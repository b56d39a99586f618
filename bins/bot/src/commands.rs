//! One function per command of the binary.
//!
//! A command that this build cannot carry out yet checks what it will need from the
//! configuration (so that a missing variable is reported as such) and then returns
//! [`NotAvailable`]; replacing one of them does not touch the others.

use std::io::Write as _;
use std::process::ExitCode;

use crate::cli::{AdminCommand, Command, LockCommand, WebhookCommand};
use crate::config::Config;

/// A command that this build does not provide yet.
#[derive(Debug, thiserror::Error)]
#[error("`bot {0}` is not available in this build yet")]
pub struct NotAvailable(pub &'static str);

/// Carries out `command` and gives the exit status of the process.
pub fn execute(command: Command, config: &Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run => run(config),
        Command::Migrate => migrate(config),
        Command::Check => check(config),
        Command::Lock { command } => lock(command, config),
        Command::Webhook { command } => webhook(command, config),
        Command::Admin { command } => admin(command, config),
        Command::Config => show_config(config),
    }
}

/// `bot run`: receive and answer updates in the configured mode until a signal stops it.
fn run(config: &Config) -> anyhow::Result<ExitCode> {
    // Every mode needs the token; what else a mode needs was checked when loading.
    config.bot_token("by `bot run`")?;
    Err(NotAvailable("run").into())
}

/// `bot migrate`: apply the pending migrations to the database.
fn migrate(_config: &Config) -> anyhow::Result<ExitCode> {
    Err(NotAvailable("migrate").into())
}

/// `bot check`: report on the configuration and every service the bot depends on.
fn check(_config: &Config) -> anyhow::Result<ExitCode> {
    Err(NotAvailable("check").into())
}

/// `bot lock status|release`: inspect or delete the Redis polling lease.
fn lock(command: LockCommand, config: &Config) -> anyhow::Result<ExitCode> {
    config.redis_url("by `bot lock`")?;
    match command {
        LockCommand::Status => Err(NotAvailable("lock status").into()),
        LockCommand::Release { force: _ } => Err(NotAvailable("lock release").into()),
    }
}

/// `bot webhook set|delete|info`: manage the webhook registered with Telegram.
fn webhook(command: WebhookCommand, config: &Config) -> anyhow::Result<ExitCode> {
    config.bot_token("by `bot webhook`")?;
    match command {
        WebhookCommand::Set => {
            config.webhook_url("by `bot webhook set`")?;
            config.webhook_secret("by `bot webhook set`")?;
            Err(NotAvailable("webhook set").into())
        }
        WebhookCommand::Delete {
            drop_pending_updates: _,
        } => Err(NotAvailable("webhook delete").into()),
        WebhookCommand::Info => Err(NotAvailable("webhook info").into()),
    }
}

/// `bot admin add|remove|list`: manage the admins stored in the database.
fn admin(command: AdminCommand, _config: &Config) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::Add { id: _ } => Err(NotAvailable("admin add").into()),
        AdminCommand::Remove { id: _ } => Err(NotAvailable("admin remove").into()),
        AdminCommand::List => Err(NotAvailable("admin list").into()),
    }
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
