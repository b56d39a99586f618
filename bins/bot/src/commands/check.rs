//! `bot check`: everything the bot depends on, in one report of `OK`/`WARN`/`FAIL` lines.

use std::fmt;
use std::future::Future;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use vitrina_delivery::ALLOWED_UPDATES;
use vitrina_redis_lease::RedisLeaderLease;
use vitrina_storage::Db;
use vitrina_telegram::{TelegramClient, TelegramError, WebhookStatus};
use vitrina_update_source::LeaderLease as _;

use super::{leader, lock, wiring};
use crate::config::{Config, DatabaseUrl, Mode};

/// How long one check may take: a service that does not answer by then is down for the
/// purpose of the report.
const CHECK_LIMIT: Duration = Duration::from_secs(10);

pub async fn check(config: &Config) -> anyhow::Result<ExitCode> {
    let mut report = Report::default();
    configuration(config, &mut report);
    database(config, &mut report).await;
    let store = redis(config, &mut report).await;
    let telegram = telegram(config, &mut report).await;
    if let Some(telegram) = telegram {
        webhook(config, &telegram, &mut report).await;
    }
    if let Some(store) = store {
        lease(&store, &mut report).await;
    }
    let failed = report.count(Status::Fail);
    let mut out = std::io::stdout().lock();
    write!(out, "{report}")?;
    writeln!(
        out,
        "{failed} failed, {} warnings",
        report.count(Status::Warn)
    )?;
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Warn,
    Fail,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Status::Ok => "OK",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        })
    }
}

#[derive(Debug, Default)]
struct Report {
    lines: Vec<(Status, &'static str, String)>,
}

impl Report {
    fn add(&mut self, status: Status, subject: &'static str, detail: impl Into<String>) {
        self.lines.push((status, subject, detail.into()));
    }

    fn count(&self, status: Status) -> usize {
        self.lines.iter().filter(|(s, ..)| *s == status).count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (status, subject, detail) in &self.lines {
            writeln!(f, "{status:<4} {subject}: {detail}")?;
        }
        Ok(())
    }
}

/// Runs `check` within [`CHECK_LIMIT`]; an error with its causes, or no answer in time, as
/// text.
async fn bounded<T, E: std::error::Error + Send + Sync + 'static>(
    check: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CHECK_LIMIT, check).await {
        Ok(result) => result.map_err(|error| format!("{:#}", anyhow::Error::new(error))),
        Err(_) => Err(format!("no answer within {CHECK_LIMIT:?}")),
    }
}

fn configuration(config: &Config, report: &mut Report) {
    let mode = config.mode();
    match mode {
        Mode::LeaderPolling => match leader::leader_config(config) {
            Ok(leader) => report.add(
                Status::Ok,
                "configuration",
                format!(
                    "mode {mode}, lease key {}, ttl {} s",
                    config.leader_lock_key(),
                    leader.ttl().as_secs()
                ),
            ),
            Err(error) => report.add(Status::Fail, "configuration", error.to_string()),
        },
        Mode::Polling | Mode::Webhook => {
            report.add(Status::Ok, "configuration", format!("mode {mode}"));
        }
    }
    for note in config.notes() {
        report.add(Status::Warn, "configuration", note.clone());
    }
}

async fn database(config: &Config, report: &mut Report) {
    let shown = config.database_url().to_string();
    let url = match config.database_url() {
        DatabaseUrl::Sqlite(path) => {
            if path.as_os_str() != ":memory:" && !path.exists() {
                report.add(
                    Status::Warn,
                    "database",
                    format!("{shown} does not exist yet: `bot migrate` or `bot run` creates it"),
                );
                return;
            }
            format!("sqlite://{}", path.display())
        }
        DatabaseUrl::Postgres(url) => url.expose().to_owned(),
    };
    let db = match bounded(Db::connect_with(&url, &wiring::connect_options(config))).await {
        Ok(db) => db,
        Err(error) => {
            report.add(
                Status::Fail,
                "database",
                format!("{shown}: cannot connect: {error}"),
            );
            return;
        }
    };
    if let Err(error) = bounded(db.ping()).await {
        report.add(
            Status::Fail,
            "database",
            format!("{shown}: does not answer: {error}"),
        );
        return;
    }
    match bounded(db.pending_migrations()).await {
        Ok(pending) if pending.is_empty() => {
            report.add(
                Status::Ok,
                "database",
                format!("{shown} ({}): answers, migrations up to date", db.engine()),
            );
            outbox(&db, report).await;
        }
        Ok(pending) => report.add(
            Status::Warn,
            "database",
            format!(
                "{shown} ({}): {} pending migrations ({}): `bot migrate` or `bot run` applies them",
                db.engine(),
                pending.len(),
                pending.join(", ")
            ),
        ),
        Err(error) => report.add(
            Status::Fail,
            "database",
            format!("{shown}: cannot read the migrations: {error}"),
        ),
    }
}

/// The answers waiting in the outbox: those no instance is sending were left by one that
/// stopped, and wait for a running bot.
async fn outbox(db: &Db, report: &mut Report) {
    let now = vitrina_delivery::now();
    let counts = async {
        let queued = db.queued_messages().await?;
        let unsent = db.unsent_messages(now).await?;
        Ok::<_, vitrina_cards::RepositoryError>((queued, unsent))
    };
    match bounded(counts).await {
        Ok((0, _)) => report.add(Status::Ok, "outbox", "no answers waiting"),
        Ok((queued, 0)) => report.add(Status::Ok, "outbox", format!("{queued} answers being sent")),
        Ok((_, unsent)) => report.add(
            Status::Warn,
            "outbox",
            format!(
                "{unsent} answers left unsent by a stopped instance: a running `bot run` sends them"
            ),
        ),
        Err(error) => report.add(
            Status::Fail,
            "outbox",
            format!("cannot read the outbox: {error}"),
        ),
    }
}

/// Checks Redis when it is configured; the lease store when it answers.
async fn redis(config: &Config, report: &mut Report) -> Option<RedisLeaderLease> {
    let Ok(url) = config.redis_url("") else {
        report.add(
            Status::Ok,
            "redis",
            "not used (REDIS_URL is not set; only leader mode needs it)",
        );
        return None;
    };
    let store = match lock::lease_store(config, "by `bot check`") {
        Ok(store) => store,
        Err(error) => {
            report.add(Status::Fail, "redis", format!("{error:#}"));
            return None;
        }
    };
    match tokio::time::timeout(CHECK_LIMIT, store.ping()).await {
        Ok(Ok(())) => {
            report.add(Status::Ok, "redis", format!("{url}: answers"));
            Some(store)
        }
        Ok(Err(error)) => {
            report.add(
                Status::Fail,
                "redis",
                format!("{url}: {}", error.with_causes()),
            );
            None
        }
        Err(_) => {
            report.add(
                Status::Fail,
                "redis",
                format!("{url}: no answer within {CHECK_LIMIT:?}"),
            );
            None
        }
    }
}

/// Checks the token with getMe; the client when it works.
async fn telegram(config: &Config, report: &mut Report) -> Option<TelegramClient> {
    let telegram = match wiring::telegram(config, "by `bot check`") {
        Ok(telegram) => telegram,
        Err(error) => {
            report.add(Status::Fail, "telegram", format!("{error:#}"));
            return None;
        }
    };
    let api = config.telegram_api_url();
    let failed = |error: String, unreachable: bool| {
        let prefix = if unreachable {
            "Telegram is unreachable: "
        } else {
            ""
        };
        format!("{prefix}getMe at {api} failed: {error}")
    };
    match tokio::time::timeout(CHECK_LIMIT, telegram.get_me()).await {
        Ok(Ok(me)) => {
            report.add(
                Status::Ok,
                "telegram",
                format!("getMe at {api}: @{} (id {})", me.username, me.id),
            );
            Some(telegram)
        }
        Ok(Err(error)) => {
            let unreachable = matches!(error, TelegramError::Network(_));
            let text = format!("{:#}", anyhow::Error::new(error));
            report.add(Status::Fail, "telegram", failed(text, unreachable));
            None
        }
        Err(_) => {
            let text = format!("no answer within {CHECK_LIMIT:?}");
            report.add(Status::Fail, "telegram", failed(text, true));
            None
        }
    }
}

async fn webhook(config: &Config, telegram: &TelegramClient, report: &mut Report) {
    let status = match bounded(telegram.get_webhook_info()).await {
        Ok(status) => status,
        Err(error) => {
            report.add(
                Status::Fail,
                "webhook",
                format!("getWebhookInfo failed: {error}"),
            );
            return;
        }
    };
    let (mut status_of_line, mut detail) = webhook_state(config, &status);
    if let Some((_, message)) = &status.last_error {
        status_of_line = Status::Warn;
        detail.push_str(&format!("; last delivery error: {message}"));
    }
    report.add(status_of_line, "webhook", detail);
}

/// Whether the webhook suits the mode: none when polling, WEBHOOK_URL in webhook mode.
fn webhook_state(config: &Config, status: &WebhookStatus) -> (Status, String) {
    let mode = config.mode();
    let pending = status.pending_update_count;
    match (mode, &status.url) {
        (Mode::Polling | Mode::LeaderPolling, None) => (
            Status::Ok,
            format!("none, as {mode} mode needs ({pending} updates pending)"),
        ),
        (Mode::Polling | Mode::LeaderPolling, Some(url)) => (
            Status::Warn,
            format!(
                "set to {url} although the mode is {mode}: `bot run` removes it at start, \
                 keeping its {pending} pending updates"
            ),
        ),
        (Mode::Webhook, current) => match config.webhook_url("") {
            Ok(wanted) if status.is_set_to(&wanted.expose(), ALLOWED_UPDATES) => (
                Status::Ok,
                format!("set to {wanted} ({pending} updates pending)"),
            ),
            Ok(wanted) => (
                Status::Warn,
                format!(
                    "{} instead of {wanted} with the bot's update kinds: `bot run` or \
                     `bot webhook set` sets it",
                    current
                        .as_ref()
                        .map_or_else(|| "not set".to_owned(), |url| format!("set to {url}"))
                ),
            ),
            Err(error) => (Status::Fail, error.to_string()),
        },
    }
}

async fn lease(store: &RedisLeaderLease, report: &mut Report) {
    match tokio::time::timeout(CHECK_LIMIT, store.holder()).await {
        Ok(Ok(None)) => report.add(
            Status::Ok,
            "lease",
            format!("{}: free (no instance polls in leader mode)", store.key()),
        ),
        Ok(Ok(Some(holder))) => report.add(
            Status::Ok,
            "lease",
            format!("{}: {}", store.key(), lock::holder_summary(&holder)),
        ),
        Ok(Err(error)) => report.add(
            Status::Fail,
            "lease",
            format!("{}: cannot read it: {}", store.key(), error.with_causes()),
        ),
        Err(_) => report.add(
            Status::Fail,
            "lease",
            format!("{}: no answer within {CHECK_LIMIT:?}", store.key()),
        ),
    }
}
