//! The raw layer: which variables exist, their old names, and what was found for each.
//!
//! Nothing here validates a value; it only decides which name a value is taken from.

use std::collections::HashMap;

/// One environment variable the bot reads.
#[derive(Debug)]
pub struct Variable {
    /// The current name.
    pub name: &'static str,
    /// Names the replaced system used for the same setting.
    pub legacy: &'static [&'static str],
    /// Whether values under the old names are joined with the current one (admin lists)
    /// instead of standing in for it when it is unset.
    pub joins_legacy: bool,
    /// The default, as shown in the help.
    pub default: &'static str,
    /// What the variable does, as shown in the help.
    pub meaning: &'static str,
}

const fn var(name: &'static str, default: &'static str, meaning: &'static str) -> Variable {
    Variable {
        name,
        legacy: &[],
        joins_legacy: false,
        default,
        meaning,
    }
}

/// Every variable, in the order the help and `bot config` show them.
pub const VARIABLES: &[Variable] = &[
    Variable {
        legacy: &["TOKEN"],
        ..var(
            "BOT_TOKEN",
            "none",
            "Bot token from @BotFather; required by `run`, `check` and `webhook`.",
        )
    },
    var(
        "TELEGRAM_API_URL",
        "https://api.telegram.org",
        "Bot API base URL (http or https): a local Bot API server or a test server.",
    ),
    var(
        "DATABASE_URL",
        "sqlite://vitrina.db",
        "sqlite://PATH (embedded) or postgres://… / postgresql://….",
    ),
    var(
        "REDIS_URL",
        "none",
        "redis:// or rediss:// URL; required with ENABLE_POLLING_LEADER_LOCK=1 and by `lock`.",
    ),
    var(
        "ENVIRONMENT",
        "production",
        "Prefix of Redis keys: the lease is {ENVIRONMENT}:bot:polling:leader.",
    ),
    var(
        "DISABLE_POLLING",
        "0",
        "1: do not poll; receive updates by webhook (needs WEBHOOK_URL).",
    ),
    var(
        "ENABLE_POLLING_LEADER_LOCK",
        "0",
        "1: only the holder of the Redis lease polls; the others stand by.",
    ),
    var(
        "POLLING_LEADER_LOCK_TTL",
        "15",
        "Lease length in whole seconds, from 3 to 3600; renewed every third of it.",
    ),
    var(
        "PREEMPT_LEADER",
        "0",
        "1: a starting instance takes the lease over at once.",
    ),
    var(
        "EXIT_ON_CONFLICT",
        "0",
        "1: a standby exits with status 3 instead of waiting for the lease.",
    ),
    var(
        "WEBHOOK_URL",
        "none",
        "Public http(s) URL for updates; its path is served (/bot/webhook if it has none).",
    ),
    var(
        "WEBHOOK_SECRET",
        "derived from the token",
        "X-Telegram-Bot-Api-Secret-Token: 1-256 characters of A-Z a-z 0-9 _ -.",
    ),
    var(
        "HTTP_ADDR",
        "127.0.0.1:8080 (polling), 0.0.0.0:8080 (webhook)",
        "Listen address of the webhook, /healthz, /readyz and /metrics.",
    ),
    var(
        "PORT",
        "none",
        "Port to listen on (0.0.0.0:PORT) when HTTP_ADDR is not set.",
    ),
    Variable {
        legacy: &["ADMIN_ID", "ADMIN_TG_IDS"],
        joins_legacy: true,
        ..var(
            "ADMIN_IDS",
            "none",
            "Admins' Telegram ids, comma- or space-separated; the old names are joined in.",
        )
    },
    Variable {
        legacy: &["DEFAULT_LANG"],
        ..var(
            "DEFAULT_LOCALE",
            "ru",
            "Language for users who have not chosen one: ru, en, vi or ko.",
        )
    },
    var(
        "FEATURE_PARTNER_FSM",
        "1",
        "0: the partner cabinet says it is not available yet.",
    ),
    var("FEATURE_MODERATION", "1", "0: moderation is switched off."),
    var(
        "POLICY_VERSION",
        "1",
        "Version of the usage policy (a positive integer); raising it asks everyone again.",
    ),
    var(
        "TELEGRAM_RATE_PER_SECOND",
        "30",
        "Outgoing messages per second from this process, at least 0.01 (0.5: one every 2 s); \
         per process, not for the whole bot: with several instances, divide the bot's rate by \
         their number.",
    ),
    var(
        "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
        "1",
        "Outgoing messages per second from this process to one chat, at least 0.01; per \
         process: with several instances, divide by their number.",
    ),
    var(
        "ADMIN_CONTACT",
        "none",
        "How to reach the admins (@username, e-mail, a link; up to 200 characters), shown in \
         the bot's description, where the usage policy sends people.",
    ),
    var(
        "INCOMING_RATE_PER_SECOND",
        "3",
        "Updates per second one person may send once their burst is spent; the excess is \
         dropped before it touches the database, and they are told once to slow down. 0: no \
         limit.",
    ),
    var(
        "INCOMING_BURST",
        "30",
        "Updates one person may send at once before INCOMING_RATE_PER_SECOND applies, from 1 \
         to 10000.",
    ),
    var(
        "WORKER_THREADS",
        "one per core",
        "Threads that run the bot's work, from 1 to 256. On a host whose cores the database \
         shares, 1 costs less CPU per update at everyday rates, at the price of throughput \
         flat out (docs/PERFORMANCE.md).",
    ),
    Variable {
        legacy: &["LOG_LEVEL"],
        ..var(
            "RUST_LOG",
            "info",
            "Log filter, e.g. info or bot=debug,vitrina_storage=debug,info (the binary logs \
             as bot, its libraries as vitrina_*).",
        )
    },
    // Operations: log format, HTTP server, TLS to the database and Redis.
    var(
        "LOG_FORMAT",
        "text",
        "text (one readable line per event) or json (one JSON object per line).",
    ),
    var(
        "METRICS_TOKEN",
        "none",
        "When set, /metrics answers only requests with Authorization: Bearer <token>.",
    ),
    var(
        "DATABASE_CA_FILE",
        "none",
        "PEM file of the CA that signed PostgreSQL's certificate (sslmode=verify-full); \
         the system's roots otherwise.",
    ),
    var(
        "REDIS_CA_FILE",
        "none",
        "PEM file of the CA that signed Redis's certificate (rediss://); the system's roots \
         otherwise.",
    ),
    // The Mini App (web cabinet).
    var(
        "WEB_APP_URL",
        "none",
        "Public https URL of the web cabinet (Mini App), e.g. https://bot.example.org/app/; its \
         path is served on HTTP_ADDR. `webhook`: /app/ beside WEBHOOK_URL. Unset: no web cabinet.",
    ),
    var(
        "WEB_APP_MAX_AGE",
        "86400",
        "How old Telegram's initData of the web cabinet may be, in seconds (60 to 604800).",
    ),
    var(
        "WEB_APP_PHOTO_CHAT",
        "none",
        "Chat id the web cabinet's photo uploads are sent to; unset: the partner's own chat.",
    ),
];

/// A value as found, and the name it was found under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The name the value was set under (an old name when only that one was set).
    pub var: &'static str,
    /// The value, trimmed.
    pub value: String,
}

/// What the environment holds for each known variable, old names resolved.
#[derive(Debug, Default)]
pub struct RawConfig {
    settings: HashMap<&'static str, Vec<Setting>>,
    notes: Vec<String>,
}

impl RawConfig {
    /// Reads every known variable through `lookup`. An empty or blank value counts as unset.
    ///
    /// For a variable with old names, the current name wins; an old name only stands in when
    /// the current one is unset. Admin lists are the exception: all their names are joined.
    pub fn read(lookup: impl Fn(&str) -> Option<String>) -> RawConfig {
        let mut raw = RawConfig::default();
        for variable in VARIABLES {
            let found: Vec<Setting> = std::iter::once(variable.name)
                .chain(variable.legacy.iter().copied())
                .filter_map(|var| {
                    let value = lookup(var)?.trim().to_owned();
                    (!value.is_empty()).then_some(Setting { var, value })
                })
                .collect();
            raw.note_legacy(variable, &found);
            let kept = if variable.joins_legacy {
                found
            } else {
                found.into_iter().take(1).collect()
            };
            if !kept.is_empty() {
                raw.settings.insert(variable.name, kept);
            }
        }
        raw
    }

    fn note_legacy(&mut self, variable: &Variable, found: &[Setting]) {
        let Some(first) = found.first() else { return };
        for setting in found.iter().filter(|setting| setting.var != variable.name) {
            let note = if variable.joins_legacy {
                format!(
                    "{} is an old name: its ids are joined into {}",
                    setting.var, variable.name
                )
            } else if setting.var == first.var {
                format!(
                    "{} is an old name: rename it to {}",
                    setting.var, variable.name
                )
            } else {
                format!("{} is ignored: {} is set", setting.var, first.var)
            };
            self.notes.push(note);
        }
    }

    /// The value of `name` (or of the old name standing in for it).
    pub fn get(&self, name: &'static str) -> Option<&Setting> {
        self.all(name).first()
    }

    /// Every value found for `name`: more than one only for variables that join old names.
    pub fn all(&self, name: &'static str) -> &[Setting] {
        debug_assert!(
            VARIABLES.iter().any(|variable| variable.name == name),
            "{name} is not in VARIABLES"
        );
        self.settings.get(name).map_or(&[], Vec::as_slice)
    }

    /// Remarks for the operator about old names that were used or ignored.
    pub fn into_notes(self) -> Vec<String> {
        self.notes
    }
}
