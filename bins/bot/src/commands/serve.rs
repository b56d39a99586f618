//! The HTTP server of `bot run`: in webhook mode Telegram posts updates to it; in every mode
//! it answers `/healthz`, `/readyz` and `/metrics` on `HTTP_ADDR`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};
use vitrina_delivery::{ALLOWED_UPDATES, Dispatcher, Metrics, Role};
use vitrina_http::{HttpServer, Readiness, Webhook};
use vitrina_redis_lease::{DEFAULT_TIMEOUT, InstanceName, RedisLeaderLease, RedisLeaseConfig};
use vitrina_storage::Db;
use vitrina_telegram::TelegramClient;

use crate::config::{Config, HttpUrl, Mode};

/// Webhook mode: serves the webhook path (and health, readiness, metrics) until `stop`.
///
/// The server listens before the webhook is registered, so that Telegram's first delivery
/// finds it. The webhook is set only when Telegram has another one, and never deleted at the
/// end: the other instances behind the same URL go on serving it.
pub async fn webhook(
    config: &Config,
    dispatcher: Arc<Dispatcher<Db>>,
    stop: CancellationToken,
) -> anyhow::Result<ExitCode> {
    let url = config.webhook_url("by webhook mode")?;
    let secret = config.webhook_secret("by webhook mode")?;
    dispatcher.metrics().set_role(Role::Webhook);
    let server = server(config, &dispatcher)?
        .webhook(Webhook::dispatching(
            url.path(),
            secret.expose(),
            Arc::clone(&dispatcher),
        ))
        .bind(config.http_addr())
        .await?;
    ensure_webhook(dispatcher.telegram(), url, secret.expose()).await?;
    server.serve(stop).await;
    Ok(ExitCode::SUCCESS)
}

/// The HTTP server of a polling mode, running beside the polling loop.
pub struct Health {
    stop: CancellationToken,
    serving: JoinHandle<()>,
}

impl Health {
    /// Stops the server and waits for it.
    pub async fn stop(self) {
        self.stop.cancel();
        if let Err(error) = self.serving.await {
            warn!(%error, "the HTTP server ended abnormally");
        }
    }
}

/// Starts health, readiness and metrics for a polling mode; it stops with `stop` or
/// [`Health::stop`].
///
/// `None` when it cannot start (`HTTP_ADDR` in use): logged, and the bot polls all the same,
/// because answering people matters more than being observed.
pub async fn health(
    config: &Config,
    dispatcher: &Arc<Dispatcher<Db>>,
    stop: &CancellationToken,
) -> Option<Health> {
    let metrics = dispatcher.metrics();
    match config.mode() {
        Mode::Polling => metrics.set_role(Role::Polling),
        // The leader machine reports its transitions; until the first, it waits for the lease.
        Mode::LeaderPolling if metrics.role().is_none() => metrics.set_role(Role::Standby),
        Mode::LeaderPolling | Mode::Webhook => {}
    }
    let bound = match server(config, dispatcher) {
        Ok(server) => server
            .bind(config.http_addr())
            .await
            .map_err(anyhow::Error::from),
        Err(error) => Err(error),
    };
    match bound {
        Ok(server) => {
            let stop = stop.child_token();
            let serving = tokio::spawn(server.serve(stop.clone()));
            Some(Health { stop, serving })
        }
        Err(error) => {
            warn!("health, readiness and metrics are not served: {error:#}");
            None
        }
    }
}

/// The server with `/readyz` checking the database (and Redis in leader mode) and `/metrics`
/// rendering the dispatcher's metrics.
fn server(config: &Config, dispatcher: &Arc<Dispatcher<Db>>) -> anyhow::Result<HttpServer> {
    let db = dispatcher.store().clone();
    let redis = match config.mode() {
        Mode::LeaderPolling => Some(redis_probe(config)?),
        Mode::Polling | Mode::Webhook => None,
    };
    let mode = config.mode();
    let metrics: Arc<Metrics> = Arc::clone(dispatcher.metrics());
    let readiness_metrics = Arc::clone(&metrics);
    let web_app = super::webapp::mount(config, dispatcher)?;
    let server = HttpServer::new(move || {
        let (db, redis, metrics) = (db.clone(), redis.clone(), Arc::clone(&readiness_metrics));
        async move {
            let role = metrics
                .role()
                .map_or_else(|| default_role(mode), Role::as_str);
            let mut report = Readiness::new(role).check("database", db.ping().await);
            if mode != Mode::Webhook {
                let telegram = if metrics.telegram_reachable() {
                    Ok(())
                } else {
                    Err("unreachable: getUpdates fails (network or Telegram down)")
                };
                report = report.check("telegram", telegram);
            }
            if let Some(redis) = redis {
                report = report.check("redis", redis.ping().await);
            }
            report
        }
    })
    .metrics(Metrics::CONTENT_TYPE, move || metrics.render());
    let server = match &config.operations().metrics_token {
        Some(token) => server.metrics_token(token.expose()),
        None => server,
    };
    Ok(match web_app {
        Some(mount) => server.mount(mount),
        None => server,
    })
}

/// A client of the lease's Redis used only to ping it: the leader machine keeps its own.
fn redis_probe(config: &Config) -> anyhow::Result<RedisLeaderLease> {
    RedisLeaderLease::connect_with_ca(
        config.redis_url("by leader mode")?.expose(),
        RedisLeaseConfig {
            key: config.leader_lock_key(),
            instance: InstanceName::current().instance_id(),
            ttl: config.leader_lock().ttl,
            timeout: DEFAULT_TIMEOUT,
        },
        config.operations().redis_ca_file.as_deref(),
    )
    .context("cannot set up the Redis readiness check")
}

fn default_role(mode: Mode) -> &'static str {
    match mode {
        Mode::Polling => Role::Polling.as_str(),
        Mode::LeaderPolling => Role::Standby.as_str(),
        Mode::Webhook => Role::Webhook.as_str(),
    }
}

/// Registers the webhook unless Telegram already has it with this URL and these update kinds:
/// setWebhook allows about one call a second, so instances starting together must not each
/// make one.
async fn ensure_webhook(
    telegram: &TelegramClient,
    url: &HttpUrl,
    secret: &str,
) -> anyhow::Result<()> {
    let status = telegram
        .get_webhook_info()
        .await
        .context("getWebhookInfo failed")?;
    if status.is_set_to(&url.expose(), ALLOWED_UPDATES) {
        info!(%url, pending = status.pending_update_count, "the webhook is already set");
        if let Some((_, error)) = status.last_error.filter(|(_, error)| error.contains("401")) {
            // Telegram does not show the secret it sends; a refused delivery is the only sign
            // that it is not WEBHOOK_SECRET.
            warn!(%error, "Telegram's last delivery was refused as unauthorized: if WEBHOOK_SECRET changed, register it with `bot webhook delete` and a restart");
        }
        return Ok(());
    }
    if let Some(current) = &status.url {
        info!(%current, "the webhook points elsewhere; setting it");
    }
    telegram
        .set_webhook(&url.expose(), secret, ALLOWED_UPDATES)
        .await
        .context("setWebhook failed")?;
    info!(%url, "webhook set");
    Ok(())
}
