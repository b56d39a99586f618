//! The `bot` binary: reads the command line and the configuration, sets up logging, and hands
//! over to the command. Everything else lives in the library crates and the adapters.

mod cli;
mod commands;
mod config;

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser as _;

use cli::{Cli, Command};
use config::{Config, ConfigError, LogFormat};

/// Exit status for invalid configuration or usage.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => return report(&anyhow::Error::new(error).context("invalid configuration")),
    };
    init_tracing(&config);
    let command = cli.command.unwrap_or_default();
    // `bot config` prints the notes itself, beside the values they are about.
    if command != Command::Config {
        for note in config.notes() {
            tracing::warn!("{note}");
        }
    }
    match commands::execute(command, &config) {
        Ok(status) => status,
        Err(error) => report(&error),
    }
}

/// Logs go to stderr, so that the output of commands such as `bot config` stays clean; as
/// readable lines, or as one JSON object per line with `LOG_FORMAT=json`.
fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::new(config.log_filter());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.operations().log_format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
    }
}

/// Prints `error` with its causes on one line and picks the exit status.
fn report(error: &anyhow::Error) -> ExitCode {
    eprintln!("error: {error:#}");
    let usage = error.chain().any(|cause| cause.is::<ConfigError>());
    ExitCode::from(if usage { EXIT_USAGE } else { 1 })
}
