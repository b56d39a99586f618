//! How a fake server is started.

use std::net::SocketAddr;
use std::time::Duration;

/// The default token: bot id `123456789`.
pub const DEFAULT_TOKEN: &str = "123456789:AAFakeBotApiToken-for-tests_0123456789";

/// Settings of a fake Bot API server. `Config::default()` binds `127.0.0.1:0` (a free port) with
/// [`DEFAULT_TOKEN`], and uses short webhook retry delays so tests stay fast.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) addr: SocketAddr,
    pub(crate) token: String,
    pub(crate) bot_first_name: String,
    pub(crate) bot_username: String,
    pub(crate) max_poll_timeout: Duration,
    pub(crate) set_webhook_interval: Duration,
    pub(crate) webhook_retry_initial: Duration,
    pub(crate) webhook_retry_max: Duration,
    pub(crate) webhook_request_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: DEFAULT_TOKEN.to_owned(),
            bot_first_name: "Test Bot".to_owned(),
            bot_username: "test_bot".to_owned(),
            max_poll_timeout: Duration::from_secs(50),
            set_webhook_interval: Duration::from_secs(1),
            webhook_retry_initial: Duration::from_millis(50),
            webhook_retry_max: Duration::from_secs(1),
            webhook_request_timeout: Duration::from_secs(10),
        }
    }
}

impl Config {
    /// The address to listen on (port 0 picks a free one).
    #[must_use]
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The bot token accepted in `/bot<token>/<method>`. The bot's user id is the number before
    /// the colon, as with real tokens.
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// The bot's `first_name` and `username`, as `getMe` reports them.
    #[must_use]
    pub fn with_bot_name(
        mut self,
        first_name: impl Into<String>,
        username: impl Into<String>,
    ) -> Self {
        self.bot_first_name = first_name.into();
        self.bot_username = username.into();
        self
    }

    /// The longest long poll served; a larger `timeout` is cut to this (Telegram: 50 s).
    #[must_use]
    pub fn with_max_poll_timeout(mut self, limit: Duration) -> Self {
        self.max_poll_timeout = limit;
        self
    }

    /// The least time between two accepted setWebhook calls (Telegram: about 1 s); a call sooner
    /// gets 429 with `retry_after`.
    #[must_use]
    pub fn with_set_webhook_interval(mut self, interval: Duration) -> Self {
        self.set_webhook_interval = interval;
        self
    }

    /// The webhook retry delay: `initial` after the first failed delivery, doubling up to `max`
    /// (Telegram: from 1 s up to a minute or two). A `Retry-After` answer overrides it.
    #[must_use]
    pub fn with_webhook_retry(mut self, initial: Duration, max: Duration) -> Self {
        self.webhook_retry_initial = initial;
        self.webhook_retry_max = max.max(initial);
        self
    }

    /// How long one webhook delivery may take before it counts as failed.
    #[must_use]
    pub fn with_webhook_request_timeout(mut self, timeout: Duration) -> Self {
        self.webhook_request_timeout = timeout;
        self
    }

    /// The bot's user id: the digits before the token's colon, or 1 for a token without them.
    pub(crate) fn bot_id(&self) -> i64 {
        self.token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bot_id_comes_from_the_token() {
        let check =
            |token: &str, id: i64| assert_eq!(Config::default().with_token(token).bot_id(), id);
        check(DEFAULT_TOKEN, 123_456_789);
        check("42:abc", 42);
        check("not-a-token", 1);
    }
}
