//! `fake-bot-api`: runs the fake Telegram Bot API server of `vitrina-fake-bot-api` until
//! SIGINT or SIGTERM, for driving the bot by hand or from scripts through the HTTP control API.
//!
//! ```text
//! fake-bot-api --addr 127.0.0.1:8081 --token 123456789:TEST
//! TELEGRAM_API_URL=http://127.0.0.1:8081 BOT_TOKEN=123456789:TEST bot run
//! curl -d '{"text":"/start"}' http://127.0.0.1:8081/control/users/42/text
//! curl 'http://127.0.0.1:8081/control/users/42/chat?format=text'
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use vitrina_fake_bot_api::{Config, DEFAULT_TOKEN, FakeBotApi};

/// A fake Telegram Bot API server with a control API for acting as users.
#[derive(Debug, Parser)]
#[command(name = "fake-bot-api", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "FAKE_BOT_API_ADDR", default_value = "127.0.0.1:8081")]
    addr: SocketAddr,
    /// Bot token to accept in /bot<token>/<method>; the bot id is the number before ':'.
    #[arg(long, env = "FAKE_BOT_API_TOKEN", default_value = DEFAULT_TOKEN)]
    token: String,
    /// The bot's username, as getMe reports it.
    #[arg(long, default_value = "test_bot")]
    username: String,
    /// First webhook retry delay in milliseconds (doubles on each failure).
    #[arg(long, default_value_t = 1_000)]
    webhook_retry_initial_ms: u64,
    /// Longest webhook retry delay in milliseconds.
    #[arg(long, default_value_t = 60_000)]
    webhook_retry_max_ms: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = Config::default()
        .with_addr(args.addr)
        .with_token(args.token)
        .with_bot_name("Test Bot", args.username)
        .with_webhook_retry(
            Duration::from_millis(args.webhook_retry_initial_ms),
            Duration::from_millis(args.webhook_retry_max_ms),
        );
    let server = FakeBotApi::start(config)
        .await
        .context("cannot start the fake Bot API server")?;
    println!("fake Bot API listening on {}", server.base_url());
    println!("TELEGRAM_API_URL={}", server.base_url());
    println!("BOT_TOKEN={}", server.token());
    println!(
        "control API: {}/control/ (see the vitrina-fake-bot-api docs)",
        server.base_url()
    );
    stopped()
        .await
        .context("cannot listen for shutdown signals")?;
    server.shutdown().await;
    Ok(())
}

/// Resolves on the first SIGINT or SIGTERM.
async fn stopped() -> std::io::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        interrupted = tokio::signal::ctrl_c() => interrupted,
        _ = terminate.recv() => Ok(()),
    }
}
