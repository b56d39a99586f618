//! Building the adapters from the configuration: one place that knows which URL goes where.

use std::sync::Arc;

use anyhow::Context as _;
use vitrina_cards::UserId;
use vitrina_dialog::Settings;
use vitrina_i18n::Catalog;
use vitrina_moderation::AdminRepository as _;
use vitrina_storage::{ConnectOptions, Db};
use vitrina_telegram::{RateLimits, TelegramClient};

use crate::config::{Config, DatabaseUrl};

/// Connects to `DATABASE_URL`, applies the pending migrations, and returns them by name.
pub async fn migrated_database(config: &Config) -> anyhow::Result<(Db, Vec<String>)> {
    let url = match config.database_url() {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        DatabaseUrl::Postgres(url) => url.expose().to_owned(),
    };
    let db = Db::connect_with(&url, &connect_options(config))
        .await
        .with_context(|| format!("cannot open DATABASE_URL {}", config.database_url()))?;
    // The storage logs each migration it applies.
    let applied = db.migrate().await.context("cannot migrate the database")?;
    Ok((db, applied))
}

/// How to open `DATABASE_URL` beyond what it says: the CA of `DATABASE_CA_FILE`.
pub fn connect_options(config: &Config) -> ConnectOptions {
    ConnectOptions {
        ca_file: config.operations().database_ca_file.clone(),
    }
}

/// Connects to `DATABASE_URL`, migrated.
pub async fn database(config: &Config) -> anyhow::Result<Db> {
    Ok(migrated_database(config).await?.0)
}

/// A client of the Bot API at `TELEGRAM_API_URL` with `BOT_TOKEN`, keeping the configured
/// rate limits.
pub fn telegram(config: &Config, needed_for: &'static str) -> anyhow::Result<TelegramClient> {
    let token = config.bot_token(needed_for)?;
    let limits = config.rate_limits();
    let limits = RateLimits {
        per_second: limits.per_second,
        per_chat_per_second: limits.per_chat_per_second,
        ..RateLimits::default()
    };
    let client = TelegramClient::new(&config.telegram_api_url().expose(), token.expose())
        .context("cannot build the Telegram client")?;
    Ok(client.with_rate_limits(Some(limits)))
}

/// The dialog's settings; `bot_username` (from getMe) makes the cards' deep links.
pub fn settings(config: &Config, bot_username: Option<String>) -> Settings {
    let features = config.features();
    Settings {
        admins: config.admin_ids().iter().copied().map(UserId).collect(),
        policy_version: config.policy_version(),
        partner_cabinet: features.partner_fsm,
        moderation: features.moderation,
        default_locale: config.default_locale(),
        web_app_url: config.web_app().map(|web_app| web_app.url.expose()),
        bot_username: bot_username.filter(|username| !username.is_empty()),
        // Vitrina's own reference data and page size.
        ..Settings::default()
    }
}

/// The string catalog.
pub fn catalog() -> anyhow::Result<Arc<Catalog>> {
    Ok(Arc::new(
        Catalog::load().context("cannot load the locales")?,
    ))
}

/// Every admin: the configured ones and those stored in the database.
pub async fn all_admins(config: &Config, db: &Db) -> anyhow::Result<Vec<i64>> {
    let mut admins: Vec<i64> = config.admin_ids().to_vec();
    let stored = db.admins().await.context("cannot read the stored admins")?;
    admins.extend(stored.into_iter().map(UserId::get));
    admins.sort_unstable();
    admins.dedup();
    Ok(admins)
}
