//! `bot run` in leader mode: only the holder of the Redis lease polls.

use std::process::ExitCode;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use vitrina_delivery::Dispatcher;
use vitrina_storage::Db;

use super::NotAvailable;
use crate::config::Config;

pub async fn run(
    config: &Config,
    dispatcher: Arc<Dispatcher<Db>>,
    stop: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let _ = (config.redis_url("by leader mode")?, dispatcher, stop);
    Err(NotAvailable("run in leader-polling mode").into())
}
