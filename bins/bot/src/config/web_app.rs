//! The Mini App's settings: `WEB_APP_URL`, `WEB_APP_MAX_AGE`, `WEB_APP_PHOTO_CHAT`.

use std::time::Duration;

use super::error::ConfigError;
use super::url::HttpUrl;
use super::value::{integer, invalid};
use super::vars::RawConfig;

/// The path the page is served under when `WEB_APP_URL=webhook` derives its URL.
pub const DEFAULT_WEB_APP_PATH: &str = "/app/";

/// How old an `initData` may be unless `WEB_APP_MAX_AGE` says otherwise: a day, as a page
/// left open in the client keeps its launch data.
pub const DEFAULT_MAX_AGE_SECS: u64 = 86_400;

/// The Mini App, when it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAppConfig {
    /// The page's public URL, ending in `/`; its path is served on `HTTP_ADDR`.
    pub url: HttpUrl,
    /// How old an `initData` may be.
    pub max_age: Duration,
    /// Where uploaded photos are sent; `None`: the partner's own chat.
    pub photo_chat: Option<i64>,
}

impl WebAppConfig {
    /// The path prefix served, without the trailing `/` (`/app`).
    pub fn prefix(&self) -> &str {
        self.url.path().trim_end_matches('/')
    }
}

/// Reads the Mini App's variables; `None` when `WEB_APP_URL` is unset (the bot behaves as
/// without a Mini App). `webhook` derives the URL from `WEBHOOK_URL`'s origin.
pub(super) fn read(
    raw: &RawConfig,
    webhook_url: Option<&HttpUrl>,
) -> Result<Option<WebAppConfig>, ConfigError> {
    let max_age = Duration::from_secs(integer(
        raw,
        "WEB_APP_MAX_AGE",
        DEFAULT_MAX_AGE_SECS,
        60..=604_800,
        "a whole number of seconds from 60 to 604800",
    )?);
    let photo_chat = raw
        .get("WEB_APP_PHOTO_CHAT")
        .map(|setting| {
            setting
                .value
                .parse::<i64>()
                .ok()
                .filter(|chat| *chat != 0)
                .ok_or_else(|| invalid(setting, "a Telegram chat id such as -1001234567890"))
        })
        .transpose()?;
    let Some(setting) = raw.get("WEB_APP_URL") else {
        return Ok(None);
    };
    let url = if setting.value.eq_ignore_ascii_case("webhook") {
        webhook_url
            .ok_or(ConfigError::Missing {
                var: "WEBHOOK_URL",
                needed_for: "when WEB_APP_URL=webhook",
            })?
            .with_path(DEFAULT_WEB_APP_PATH)
    } else {
        let expected = "an https:// URL such as https://bot.example.org/app/ (http:// only for \
                        localhost), or `webhook` to serve /app/ beside WEBHOOK_URL";
        let url = HttpUrl::parse(&setting.value).ok_or_else(|| invalid(setting, expected))?;
        let exposed = url.expose();
        let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
            .iter()
            .any(|origin| exposed.starts_with(origin));
        if !(exposed.starts_with("https://") || local) || url.has_query() {
            return Err(invalid(setting, expected));
        }
        let path = url.path().trim_end_matches('/');
        if path.is_empty() {
            url.with_path(DEFAULT_WEB_APP_PATH)
        } else {
            url.with_path(&format!("{path}/"))
        }
    };
    if matches!(url.path(), "/healthz/" | "/readyz/" | "/metrics/")
        || webhook_url.is_some_and(|webhook| {
            webhook.path().trim_end_matches('/') == url.path().trim_end_matches('/')
        })
    {
        return Err(invalid(
            setting,
            "a path of its own, not the webhook's, /healthz, /readyz or /metrics",
        ));
    }
    Ok(Some(WebAppConfig {
        url,
        max_age,
        photo_chat,
    }))
}
