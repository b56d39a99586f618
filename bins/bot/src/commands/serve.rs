//! `bot run` in webhook mode: Telegram posts updates to the served path.

use std::process::ExitCode;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use vitrina_delivery::Dispatcher;
use vitrina_storage::Db;

use super::NotAvailable;
use crate::config::Config;

pub async fn webhook(
    config: &Config,
    dispatcher: Arc<Dispatcher<Db>>,
    stop: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let _ = (config.webhook_url("by webhook mode")?, dispatcher, stop);
    Err(NotAvailable("run in webhook mode").into())
}
