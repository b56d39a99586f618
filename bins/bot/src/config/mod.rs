//! The bot's configuration: environment variables (and `.env`) validated into a [`Config`].
//!
//! Reading happens in two layers: [`vars`] finds the raw text of every known variable (old
//! names resolved, blanks dropped), and [`Config::from_lookup`] turns that text into typed,
//! checked values. Nothing here touches the process environment except
//! [`Config::from_env`], so tests feed variables through a closure.

mod error;
mod secret;
mod url;
mod value;
mod vars;
mod web_app;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use vitrina_i18n::Locale;
use vitrina_update_source::FloodLimit;

pub use error::ConfigError;
pub use secret::Secret;
pub use url::{ConnectionUrl, HttpUrl};
pub use vars::VARIABLES;
pub use web_app::WebAppConfig;

use secret::{derive_webhook_secret, mask_token, valid_token, valid_webhook_secret};
use url::strip_scheme;
use value::{SLOWEST_RATE, admin_ids, flag, http_addr, integer, invalid, rate};
use vars::{RawConfig, Setting};

/// The path served for webhooks when `WEBHOOK_URL` has none.
pub const DEFAULT_WEBHOOK_PATH: &str = "/bot/webhook";

/// How the bot receives updates, derived from `DISABLE_POLLING` and
/// `ENABLE_POLLING_LEADER_LOCK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// This process polls `getUpdates` on its own.
    Polling,
    /// Only the holder of the Redis lease polls; the other instances stand by.
    LeaderPolling,
    /// Telegram posts updates to `WEBHOOK_URL`; no polling.
    Webhook,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Polling => "polling",
            Mode::LeaderPolling => "leader-polling",
            Mode::Webhook => "webhook",
        })
    }
}

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An embedded SQLite database at this path (`:memory:` for a throwaway one).
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres(ConnectionUrl),
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.fmt(f),
        }
    }
}

/// Settings of the Redis polling lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaderLock {
    /// How long a lease lasts without renewal.
    pub ttl: Duration,
    /// Whether a starting instance takes the lease over at once.
    pub preempt: bool,
    /// Whether a standby exits (status 3) instead of waiting for the lease.
    pub exit_on_conflict: bool,
}

/// Feature switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// The partner cabinet and its card wizard.
    pub partner_fsm: bool,
    /// Moderation by admins.
    pub moderation: bool,
}

/// Limits on outgoing Telegram calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Messages per second for the whole bot.
    pub per_second: f64,
    /// Messages per second to one chat.
    pub per_chat_per_second: f64,
}

/// Where the webhook secret comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// `WEBHOOK_SECRET` was set.
    Configured,
    /// Derived from the bot token.
    Derived,
}

/// The validated configuration. `Debug` never shows a secret or a password.
#[derive(Debug, Clone)]
pub struct Config {
    bot_token: Option<Secret>,
    telegram_api_url: HttpUrl,
    database_url: DatabaseUrl,
    redis_url: Option<ConnectionUrl>,
    environment: String,
    disable_polling: bool,
    leader_lock_enabled: bool,
    leader_lock: LeaderLock,
    webhook_url: Option<HttpUrl>,
    webhook_secret: Option<(Secret, SecretSource)>,
    http_addr: SocketAddr,
    admin_ids: Vec<i64>,
    default_locale: Locale,
    features: Features,
    policy_version: u32,
    rate_limits: RateLimits,
    flood_limit: Option<FloodLimit>,
    incoming_burst: u32,
    worker_threads: Option<usize>,
    admin_contact: Option<String>,
    log_filter: String,
    operations: Operations,
    web_app: Option<WebAppConfig>,
    notes: Vec<String>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}

/// Settings for running the bot in production: log format, metrics access, TLS trust.
#[derive(Debug, Clone)]
pub struct Operations {
    /// How logs are written (`LOG_FORMAT`).
    pub log_format: LogFormat,
    /// The bearer token `/metrics` asks for (`METRICS_TOKEN`), if any.
    pub metrics_token: Option<Secret>,
    /// The CA certificate PostgreSQL's is checked against (`DATABASE_CA_FILE`).
    pub database_ca_file: Option<PathBuf>,
    /// The CA certificate Redis's is checked against (`REDIS_CA_FILE`).
    pub redis_ca_file: Option<PathBuf>,
}

impl Config {
    /// Reads `.env` from the working directory when it exists, then the process environment;
    /// a variable present in the process environment (even empty) wins over `.env`. The
    /// process environment is never modified.
    pub fn from_env() -> Result<Config, ConfigError> {
        let dotenv = read_env_file(Path::new(".env"))?;
        Config::from_lookup(|name| match std::env::var_os(name) {
            Some(value) => Some(value.to_string_lossy().into_owned()),
            None => dotenv.get(name).cloned(),
        })
    }

    /// Builds the configuration from `lookup`, which gives the value of a variable by name.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let raw = RawConfig::read(lookup);
        let mut config = Config::from_raw(&raw)?;
        config.notes.extend(raw.into_notes());
        Ok(config)
    }

    fn from_raw(raw: &RawConfig) -> Result<Config, ConfigError> {
        let bot_token = raw.get("BOT_TOKEN").map(parse_token).transpose()?;
        let disable_polling = flag(raw, "DISABLE_POLLING", false)?;
        let leader_lock_enabled = flag(raw, "ENABLE_POLLING_LEADER_LOCK", false)?;
        let redis_url = raw.get("REDIS_URL").map(parse_redis_url).transpose()?;
        let webhook_url = raw.get("WEBHOOK_URL").map(parse_webhook_url).transpose()?;
        let webhook_secret = match raw.get("WEBHOOK_SECRET") {
            Some(setting) => Some((parse_webhook_secret(setting)?, SecretSource::Configured)),
            None => bot_token
                .as_ref()
                .map(|token| (derive_webhook_secret(token), SecretSource::Derived)),
        };
        let web_app = web_app::read(raw, webhook_url.as_ref())?;
        let mut notes = Vec::new();
        if leader_lock_enabled && redis_url.is_none() {
            return Err(ConfigError::Missing {
                var: "REDIS_URL",
                needed_for: "when ENABLE_POLLING_LEADER_LOCK=1",
            });
        }
        if disable_polling {
            if webhook_url.is_none() {
                return Err(ConfigError::Missing {
                    var: "WEBHOOK_URL",
                    needed_for: "when DISABLE_POLLING=1 (webhook mode)",
                });
            }
            if leader_lock_enabled {
                notes.push(
                    "ENABLE_POLLING_LEADER_LOCK=1 has no effect with DISABLE_POLLING=1".to_owned(),
                );
            }
        }
        Ok(Config {
            bot_token,
            telegram_api_url: parse_api_url(&setting_or(
                raw,
                "TELEGRAM_API_URL",
                "https://api.telegram.org",
            ))?,
            database_url: parse_database_url(&setting_or(
                raw,
                "DATABASE_URL",
                "sqlite://vitrina.db",
            ))?,
            redis_url,
            environment: parse_environment(&setting_or(raw, "ENVIRONMENT", "production"))?,
            disable_polling,
            leader_lock_enabled,
            leader_lock: LeaderLock {
                ttl: Duration::from_secs(integer(
                    raw,
                    "POLLING_LEADER_LOCK_TTL",
                    15,
                    3..=3600,
                    "a whole number of seconds from 3 to 3600",
                )?),
                preempt: flag(raw, "PREEMPT_LEADER", false)?,
                exit_on_conflict: flag(raw, "EXIT_ON_CONFLICT", false)?,
            },
            webhook_url,
            webhook_secret,
            http_addr: http_addr(raw, disable_polling)?,
            admin_ids: admin_ids(raw)?,
            default_locale: parse_locale(&setting_or(raw, "DEFAULT_LOCALE", "ru"))?,
            features: Features {
                partner_fsm: flag(raw, "FEATURE_PARTNER_FSM", true)?,
                moderation: flag(raw, "FEATURE_MODERATION", true)?,
            },
            policy_version: integer(
                raw,
                "POLICY_VERSION",
                1,
                1..=u32::MAX,
                "a positive whole number",
            )?,
            rate_limits: RateLimits {
                per_second: rate(raw, "TELEGRAM_RATE_PER_SECOND", 30.0)?,
                per_chat_per_second: rate(raw, "TELEGRAM_RATE_PER_CHAT_PER_SECOND", 1.0)?,
            },
            flood_limit: flood_limit(raw)?,
            incoming_burst: incoming_burst(raw)?,
            worker_threads: worker_threads(raw)?,
            admin_contact: raw
                .get("ADMIN_CONTACT")
                .map(parse_admin_contact)
                .transpose()?,
            log_filter: parse_log_filter(&setting_or(raw, "RUST_LOG", "info"))?,
            operations: parse_operations(raw)?,
            web_app,
            notes,
        })
    }

    /// How updates are received.
    pub fn mode(&self) -> Mode {
        if self.disable_polling {
            Mode::Webhook
        } else if self.leader_lock_enabled {
            Mode::LeaderPolling
        } else {
            Mode::Polling
        }
    }

    /// The bot token, or [`ConfigError::Missing`] naming `BOT_TOKEN` and `needed_for`
    /// (phrased to follow "it is required", e.g. "by `bot run`").
    pub fn bot_token(&self, needed_for: &'static str) -> Result<&Secret, ConfigError> {
        self.bot_token.as_ref().ok_or(ConfigError::Missing {
            var: "BOT_TOKEN",
            needed_for,
        })
    }

    /// The Bot API base URL, without a trailing slash.
    pub fn telegram_api_url(&self) -> &HttpUrl {
        &self.telegram_api_url
    }

    /// The database.
    pub fn database_url(&self) -> &DatabaseUrl {
        &self.database_url
    }

    /// The Redis URL, or [`ConfigError::Missing`] naming `REDIS_URL` and `needed_for`.
    pub fn redis_url(&self, needed_for: &'static str) -> Result<&ConnectionUrl, ConfigError> {
        self.redis_url.as_ref().ok_or(ConfigError::Missing {
            var: "REDIS_URL",
            needed_for,
        })
    }

    /// The Redis key of the polling lease: `{ENVIRONMENT}:bot:polling:leader`.
    pub fn leader_lock_key(&self) -> String {
        format!("{}:bot:polling:leader", self.environment)
    }

    /// The lease settings.
    pub fn leader_lock(&self) -> LeaderLock {
        self.leader_lock
    }

    /// The public webhook URL (always with a path), or [`ConfigError::Missing`] naming
    /// `WEBHOOK_URL` and `needed_for`. The path to serve is its [`HttpUrl::path`].
    pub fn webhook_url(&self, needed_for: &'static str) -> Result<&HttpUrl, ConfigError> {
        self.webhook_url.as_ref().ok_or(ConfigError::Missing {
            var: "WEBHOOK_URL",
            needed_for,
        })
    }

    /// The webhook secret (set, or derived from the token), or [`ConfigError::Missing`]
    /// naming `BOT_TOKEN` when neither it nor `WEBHOOK_SECRET` is set.
    pub fn webhook_secret(&self, needed_for: &'static str) -> Result<&Secret, ConfigError> {
        self.webhook_secret
            .as_ref()
            .map(|(secret, _)| secret)
            .ok_or(ConfigError::Missing {
                var: "BOT_TOKEN",
                needed_for,
            })
    }

    /// Where the HTTP server listens.
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The admins from the environment, in the order given, each once.
    pub fn admin_ids(&self) -> &[i64] {
        &self.admin_ids
    }

    /// The language of users who have not chosen one.
    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }

    /// Feature switches.
    pub fn features(&self) -> Features {
        self.features
    }

    /// The current version of the usage policy.
    pub fn policy_version(&self) -> u32 {
        self.policy_version
    }

    /// Limits on outgoing Telegram calls.
    pub fn rate_limits(&self) -> RateLimits {
        self.rate_limits
    }

    /// How much one person may send before their updates are dropped; `None`: no limit.
    pub fn flood_limit(&self) -> Option<FloodLimit> {
        self.flood_limit
    }

    /// How many threads run the bot's work; `None`: one per core.
    pub fn worker_threads(&self) -> Option<usize> {
        self.worker_threads
    }

    /// How to reach the admins, for the bot's description.
    pub fn admin_contact(&self) -> Option<&str> {
        self.admin_contact.as_deref()
    }

    /// The tracing filter (`RUST_LOG`), already checked to parse.
    pub fn log_filter(&self) -> &str {
        &self.log_filter
    }

    /// Log format, metrics access and TLS trust.
    pub fn operations(&self) -> &Operations {
        &self.operations
    }

    /// The Mini App, when `WEB_APP_URL` is set.
    pub fn web_app(&self) -> Option<&WebAppConfig> {
        self.web_app.as_ref()
    }

    /// Remarks for the operator: old variable names in use or ignored, settings without effect.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Every variable with its effective value, secrets and passwords masked, in the order of
    /// [`VARIABLES`] (`PORT` is folded into `HTTP_ADDR`).
    pub fn masked_entries(&self) -> Vec<(&'static str, String)> {
        const UNSET: &str = "<not set>";
        let bit = |on: bool| if on { "1" } else { "0" }.to_owned();
        let shown = |value: Option<String>| value.unwrap_or_else(|| UNSET.to_owned());
        let features = self.features();
        let lock = self.leader_lock();
        let rates = self.rate_limits();
        let admins: Vec<String> = self.admin_ids().iter().map(i64::to_string).collect();
        vec![
            ("BOT_TOKEN", shown(self.bot_token.as_ref().map(mask_token))),
            ("TELEGRAM_API_URL", self.telegram_api_url().to_string()),
            ("DATABASE_URL", self.database_url().to_string()),
            (
                "REDIS_URL",
                shown(self.redis_url.as_ref().map(ToString::to_string)),
            ),
            ("ENVIRONMENT", self.environment.clone()),
            ("DISABLE_POLLING", bit(self.disable_polling)),
            ("ENABLE_POLLING_LEADER_LOCK", bit(self.leader_lock_enabled)),
            ("POLLING_LEADER_LOCK_TTL", lock.ttl.as_secs().to_string()),
            ("PREEMPT_LEADER", bit(lock.preempt)),
            ("EXIT_ON_CONFLICT", bit(lock.exit_on_conflict)),
            (
                "WEBHOOK_URL",
                shown(self.webhook_url.as_ref().map(ToString::to_string)),
            ),
            (
                "WEBHOOK_SECRET",
                shown(
                    self.webhook_secret
                        .as_ref()
                        .map(|(_, source)| match source {
                            SecretSource::Configured => "****".to_owned(),
                            SecretSource::Derived => "**** (derived from BOT_TOKEN)".to_owned(),
                        }),
                ),
            ),
            ("HTTP_ADDR", self.http_addr().to_string()),
            (
                "ADMIN_IDS",
                shown((!admins.is_empty()).then(|| admins.join(","))),
            ),
            ("DEFAULT_LOCALE", self.default_locale().code().to_owned()),
            ("FEATURE_PARTNER_FSM", bit(features.partner_fsm)),
            ("FEATURE_MODERATION", bit(features.moderation)),
            ("POLICY_VERSION", self.policy_version().to_string()),
            ("TELEGRAM_RATE_PER_SECOND", rates.per_second.to_string()),
            (
                "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
                rates.per_chat_per_second.to_string(),
            ),
            (
                "ADMIN_CONTACT",
                self.admin_contact
                    .clone()
                    .unwrap_or_else(|| "<not set>".to_owned()),
            ),
            (
                "INCOMING_RATE_PER_SECOND",
                self.flood_limit.map_or_else(
                    || "0".to_owned(),
                    |limit| limit.rate_per_second().to_string(),
                ),
            ),
            ("INCOMING_BURST", self.incoming_burst.to_string()),
            (
                "WORKER_THREADS",
                self.worker_threads.map_or_else(
                    || "<one per core>".to_owned(),
                    |threads| threads.to_string(),
                ),
            ),
            ("RUST_LOG", self.log_filter().to_owned()),
            ("LOG_FORMAT", self.operations.log_format.to_string()),
            (
                "METRICS_TOKEN",
                shown(
                    self.operations
                        .metrics_token
                        .as_ref()
                        .map(|_| "****".to_owned()),
                ),
            ),
            (
                "DATABASE_CA_FILE",
                shown(
                    self.operations
                        .database_ca_file
                        .as_ref()
                        .map(|path| path.display().to_string()),
                ),
            ),
            (
                "REDIS_CA_FILE",
                shown(
                    self.operations
                        .redis_ca_file
                        .as_ref()
                        .map(|path| path.display().to_string()),
                ),
            ),
            (
                "WEB_APP_URL",
                shown(self.web_app.as_ref().map(|web| web.url.to_string())),
            ),
            (
                "WEB_APP_MAX_AGE",
                self.web_app.as_ref().map_or_else(
                    || web_app::DEFAULT_MAX_AGE_SECS.to_string(),
                    |web| web.max_age.as_secs().to_string(),
                ),
            ),
            (
                "WEB_APP_PHOTO_CHAT",
                shown(
                    self.web_app
                        .as_ref()
                        .and_then(|web| web.photo_chat)
                        .map(|chat| chat.to_string()),
                ),
            ),
        ]
    }
}

/// One person's burst of updates unless `INCOMING_BURST` says otherwise.
const INCOMING_BURST_DEFAULT: u32 = 30;

/// Reads `INCOMING_RATE_PER_SECOND` (0: no limit) and `INCOMING_BURST`. A person tapping and
/// typing stays far below the defaults (3 a second after 30 at once); a script does not.
fn flood_limit(raw: &RawConfig) -> Result<Option<FloodLimit>, ConfigError> {
    let burst = incoming_burst(raw)?;
    let rate = match raw.get("INCOMING_RATE_PER_SECOND") {
        None => 3.0,
        Some(setting) => match setting.value.parse::<f64>() {
            Ok(0.0) => return Ok(None),
            Ok(rate) if rate.is_finite() && rate >= SLOWEST_RATE => rate,
            _ => {
                return Err(invalid(
                    setting,
                    "updates per second, at least 0.01 (such as 3 or 0.5), or 0 for no limit",
                ));
            }
        },
    };
    // Both checked above, so the limit is valid.
    Ok(FloodLimit::new(rate, burst).ok())
}

/// Reads `ADMIN_CONTACT`: one line of at most 200 characters (it goes into the bot's
/// description, which Telegram caps at 512).
fn parse_admin_contact(setting: &Setting) -> Result<String, ConfigError> {
    let contact = setting.value.trim();
    if contact.chars().count() > 200 || contact.chars().any(char::is_control) {
        return Err(invalid(
            setting,
            "one line of at most 200 characters, such as @vitrina_admins",
        ));
    }
    Ok(contact.to_owned())
}

/// Reads `WORKER_THREADS`, unset for one per core (tokio's own default).
fn worker_threads(raw: &RawConfig) -> Result<Option<usize>, ConfigError> {
    if raw.get("WORKER_THREADS").is_none() {
        return Ok(None);
    }
    integer(
        raw,
        "WORKER_THREADS",
        1,
        1..=256,
        "a whole number of threads from 1 to 256",
    )
    .map(Some)
}

fn incoming_burst(raw: &RawConfig) -> Result<u32, ConfigError> {
    integer(
        raw,
        "INCOMING_BURST",
        INCOMING_BURST_DEFAULT,
        1..=10_000,
        "a whole number of updates from 1 to 10000",
    )
}

/// Reads `path` as a dotenv file into a map; a missing file is an empty map.
fn read_env_file(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let env_file_error = |error: dotenvy::Error| ConfigError::EnvFile {
        path: path.to_owned(),
        message: match error {
            // The offending line may hold a secret: name only its variable.
            dotenvy::Error::LineParse(line, _) => format!(
                "malformed line for {:?}",
                line.split('=').next().unwrap_or_default().trim()
            ),
            other => other.to_string(),
        },
    };
    match dotenvy::from_path_iter(path) {
        Ok(lines) => lines.map(|line| line.map_err(env_file_error)).collect(),
        Err(error) if error.not_found() => Ok(HashMap::new()),
        Err(error) => Err(env_file_error(error)),
    }
}

/// The setting of `name`, or its default standing in for it so that defaults go through the
/// same checks as given values.
fn setting_or(raw: &RawConfig, name: &'static str, default: &str) -> Setting {
    raw.get(name).cloned().unwrap_or_else(|| Setting {
        var: name,
        value: default.to_owned(),
    })
}

fn parse_token(setting: &Setting) -> Result<Secret, ConfigError> {
    if valid_token(&setting.value) {
        Ok(Secret::new(setting.value.clone()))
    } else {
        Err(ConfigError::InvalidSecret {
            var: setting.var,
            expected: "a bot token of the form <bot id>:<secret> such as 123456:ABC-DEF (the id \
                       in digits; the secret in letters, digits, _ and -)",
        })
    }
}

fn parse_webhook_secret(setting: &Setting) -> Result<Secret, ConfigError> {
    if valid_webhook_secret(&setting.value) {
        Ok(Secret::new(setting.value.clone()))
    } else {
        Err(ConfigError::InvalidSecret {
            var: setting.var,
            expected: "1 to 256 characters of A-Z, a-z, 0-9, _ and -",
        })
    }
}

fn parse_api_url(setting: &Setting) -> Result<HttpUrl, ConfigError> {
    let expected = "an http:// or https:// URL without a query, such as https://api.telegram.org";
    let url = HttpUrl::parse(&setting.value)
        .filter(|url| !url.has_query())
        .ok_or_else(|| invalid(setting, expected))?;
    // Callers append `/bot{token}/{method}`: a trailing slash would double it.
    let path = url.path().trim_end_matches('/').to_owned();
    Ok(url.with_path(&path))
}

fn parse_webhook_url(setting: &Setting) -> Result<HttpUrl, ConfigError> {
    let url = HttpUrl::parse(&setting.value).ok_or_else(|| {
        invalid(
            setting,
            "an https:// (or http://) URL such as https://example.org/bot/webhook",
        )
    })?;
    // Telegram posts to the URL as registered, so a default path must be part of that URL.
    Ok(match url.path() {
        "" | "/" => url.with_path(DEFAULT_WEBHOOK_PATH),
        _ => url,
    })
}

fn parse_database_url(setting: &Setting) -> Result<DatabaseUrl, ConfigError> {
    let expected = "sqlite://PATH, postgres://… or postgresql://…";
    if let Some(path) = strip_scheme(&setting.value, &["sqlite"]) {
        return match path {
            "" => Err(invalid(setting, expected)),
            path => Ok(DatabaseUrl::Sqlite(PathBuf::from(path))),
        };
    }
    match strip_scheme(&setting.value, &["postgres", "postgresql"]) {
        Some("") | None => Err(invalid(setting, expected)),
        Some(_) => Ok(DatabaseUrl::Postgres(ConnectionUrl::new(&setting.value))),
    }
}

fn parse_redis_url(setting: &Setting) -> Result<ConnectionUrl, ConfigError> {
    match strip_scheme(&setting.value, &["redis", "rediss", "redis+unix", "unix"]) {
        Some("") | None => Err(invalid(
            setting,
            "redis://HOST[:PORT][/DB], rediss://… (TLS) or redis+unix://PATH",
        )),
        Some(_) => Ok(ConnectionUrl::new(&setting.value)),
    }
}

fn parse_environment(setting: &Setting) -> Result<String, ConfigError> {
    if setting
        .value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        Err(invalid(
            setting,
            "a name without spaces, such as production or staging",
        ))
    } else {
        Ok(setting.value.clone())
    }
}

fn parse_locale(setting: &Setting) -> Result<Locale, ConfigError> {
    Locale::parse(&setting.value).ok_or_else(|| invalid(setting, "one of ru, en, vi, ko"))
}

fn parse_operations(raw: &RawConfig) -> Result<Operations, ConfigError> {
    let log_format = match raw.get("LOG_FORMAT") {
        None => LogFormat::Text,
        Some(setting) => match setting.value.to_ascii_lowercase().as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(invalid(setting, "text or json")),
        },
    };
    let metrics_token = match raw.get("METRICS_TOKEN") {
        None => None,
        // It travels in a header: visible ASCII only, no spaces.
        Some(setting) if setting.value.bytes().all(|b| b.is_ascii_graphic()) => {
            Some(Secret::new(setting.value.clone()))
        }
        Some(setting) => {
            return Err(ConfigError::InvalidSecret {
                var: setting.var,
                expected: "visible ASCII characters without spaces",
            });
        }
    };
    let file = |name| raw.get(name).map(|setting| PathBuf::from(&setting.value));
    Ok(Operations {
        log_format,
        metrics_token,
        database_ca_file: file("DATABASE_CA_FILE"),
        redis_ca_file: file("REDIS_CA_FILE"),
    })
}

fn parse_log_filter(setting: &Setting) -> Result<String, ConfigError> {
    tracing_subscriber::EnvFilter::builder()
        .parse(&setting.value)
        .map(|_| setting.value.clone())
        .map_err(|_| {
            invalid(
                setting,
                "a log filter such as info, debug or bot=debug,vitrina_storage=debug,info",
            )
        })
}
