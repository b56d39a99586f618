//! `bot run`: receive updates and answer them until SIGTERM or SIGINT.

use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};
use vitrina_delivery::{Dispatcher, Metrics, PollingConfig, poll};
use vitrina_dialog::Dialog;
use vitrina_storage::Db;
use vitrina_telegram::TelegramClient;
use vitrina_update_source::Outbox as _;

use super::wiring;
use crate::config::{Config, Mode};

/// How long updates in hand may take to finish after a stop was asked for.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Chats handled at once.
const CHATS_IN_PARALLEL: usize = 16;

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let metrics = Arc::new(Metrics::new());
    let telegram = wiring::telegram(config, "by `bot run`")?.with_observer(metrics.clone());
    let db = wiring::database(config).await?;
    let catalog = wiring::catalog()?;
    let me = telegram
        .get_me()
        .await
        .context("Telegram getMe failed: check BOT_TOKEN and TELEGRAM_API_URL")?;
    info!(bot = %me.username, mode = %config.mode(), "starting");
    let admins = wiring::all_admins(config, &db).await?;
    if let Err(error) = telegram
        .set_commands(&catalog, config.default_locale(), &admins)
        .await
    {
        warn!(%error, "could not set the command menus");
    }
    match telegram
        .sync_profile(&catalog, config.default_locale(), config.admin_contact())
        .await
    {
        Ok(0) => {}
        Ok(set) => info!(set, "the bot's description updated"),
        Err(error) => warn!(%error, "could not update the bot's description"),
    }
    super::webapp::offer_in_menu(config, &catalog, &telegram).await;
    let dialog = Dialog::new(catalog, wiring::settings(config, Some(me.username.clone())));
    let mode = mode_name(config.mode());
    announce(&dialog, &db, &telegram, true, mode).await;
    let mut dispatcher =
        Dispatcher::new(db, dialog, telegram.clone(), CHATS_IN_PARALLEL).with_metrics(metrics);
    if let Some(limit) = config.flood_limit() {
        dispatcher = dispatcher.with_flood_limit(limit);
    }
    let dispatcher = Arc::new(dispatcher);

    let stop = CancellationToken::new();
    tokio::spawn(stop_on_signal(stop.clone()));
    let courier = tokio::spawn(Arc::clone(&dispatcher).deliver_outbox(stop.clone()));
    let checkpoints = tokio::spawn({
        let db = dispatcher.store().clone();
        let stop = stop.clone();
        async move { db.keep_wal_short(stop.cancelled_owned()).await }
    });
    // Webhook mode serves health and metrics beside the webhook; the polling modes beside
    // their loop.
    let health = match config.mode() {
        Mode::Polling | Mode::LeaderPolling => {
            super::serve::health(config, &dispatcher, &stop).await
        }
        Mode::Webhook => None,
    };
    let status = match config.mode() {
        Mode::Polling => {
            remove_webhook(&telegram).await?;
            // The only instance: a locked answer is a crashed predecessor's, to send now.
            let unlocked = dispatcher.store().unlock_all().await?;
            if unlocked > 0 {
                info!(
                    unlocked,
                    "answers left unsent by a previous run will be sent now"
                );
            }
            let polling = poll(
                Arc::clone(&dispatcher),
                PollingConfig::default(),
                stop.clone(),
            );
            within_grace(polling, &stop).await;
            ExitCode::SUCCESS
        }
        Mode::LeaderPolling => {
            super::leader::run(config, Arc::clone(&dispatcher), stop.clone()).await?
        }
        Mode::Webhook => {
            super::serve::webhook(config, Arc::clone(&dispatcher), stop.clone()).await?
        }
    };
    if let Some(health) = health {
        health.stop().await;
    }
    stop.cancel();
    if let Err(error) = courier.await {
        warn!(%error, "the outbox courier ended abnormally");
    }
    // The courier stopped with the signal; the updates handled since sent answers that still
    // wait to be struck, which the next start would otherwise send again.
    dispatcher.strike_waiting().await;
    if let Err(error) = checkpoints.await {
        warn!(%error, "the SQLite checkpoints ended abnormally");
    }
    announce(
        dispatcher.dialog(),
        dispatcher.store(),
        &telegram,
        false,
        mode,
    )
    .await;
    info!("stopped");
    Ok(status)
}

/// Runs `work` to its end, but no longer than [`SHUTDOWN_GRACE`] after `stop` is cancelled.
pub async fn within_grace(work: impl Future<Output = ()>, stop: &CancellationToken) {
    tokio::pin!(work);
    tokio::select! {
        () = &mut work => {}
        () = async { stop.cancelled().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            warn!("updates in hand did not finish within {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
}

/// The mode's name in the admins' start and stop notices (`bot-mode-*` messages).
fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Polling => "polling",
        Mode::LeaderPolling => "leader",
        Mode::Webhook => "webhook",
    }
}

/// Polling (single or leader mode) is refused by Telegram while a webhook is set: remove it,
/// keeping the updates it holds.
pub(super) async fn remove_webhook(telegram: &TelegramClient) -> anyhow::Result<()> {
    let status = telegram
        .get_webhook_info()
        .await
        .context("getWebhookInfo failed")?;
    if let Some(url) = status.url {
        warn!(%url, pending = status.pending_update_count, "a webhook is set; removing it to poll (pending updates are kept)");
        telegram
            .delete_webhook(false)
            .await
            .context("deleteWebhook failed")?;
    }
    Ok(())
}

/// Tells the admins that the bot started or is stopping; a failure is only logged.
async fn announce(dialog: &Dialog, db: &Db, telegram: &TelegramClient, started: bool, mode: &str) {
    match dialog
        .lifecycle_notice(db, started, env!("CARGO_PKG_VERSION"), mode)
        .await
    {
        Ok(effects) => {
            telegram.execute(&effects).await;
        }
        Err(error) => warn!(%error, "could not tell the admins"),
    }
}

/// Cancels `stop` at the first SIGTERM or SIGINT.
async fn stop_on_signal(stop: CancellationToken) {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = interrupt => info!("SIGINT: stopping"),
                    _ = terminate.recv() => info!("SIGTERM: stopping"),
                }
            }
            Err(error) => {
                warn!(%error, "cannot listen for SIGTERM; only SIGINT stops the bot");
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    stop.cancel();
}
