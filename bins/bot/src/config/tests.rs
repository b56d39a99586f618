use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use vitrina_i18n::Locale;

use super::*;

const TOKEN: &str = "123456:ABC-def";

/// Variables given to one case: name and value.
type Vars<'a> = &'a [(&'a str, &'a str)];

fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

fn loaded(vars: &[(&str, &str)]) -> Config {
    load(vars).unwrap_or_else(|error| panic!("{vars:?} should load: {error}"))
}

fn entry(config: &Config, name: &str) -> String {
    config
        .masked_entries()
        .into_iter()
        .find(|(entry, _)| *entry == name)
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("no entry {name}"))
}

/// Loads `vars` and checks the shown value of `name`.
fn check(vars: &[(&str, &str)], name: &str, expected: &str) {
    assert_eq!(entry(&loaded(vars), name), expected, "{vars:?}");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NotBoolean,
    Invalid,
    AdminId,
    InvalidSecret,
    Missing,
}

/// Loads `vars`, expects an error of `kind` naming `var`, and checks that its message names the
/// variable and shows `shown` (the value, or the bad entry) or, for secrets, does not show
/// the value.
fn check_error(vars: &[(&str, &str)], kind: Kind, var: &str, shown: Option<&str>) {
    let error = match load(vars) {
        Ok(_) => panic!("{vars:?} should be refused"),
        Err(error) => error,
    };
    let (actual_kind, actual_var, value) = match &error {
        ConfigError::NotBoolean { var, value } => (Kind::NotBoolean, *var, Some(value.as_str())),
        ConfigError::Invalid { var, value, .. } => (Kind::Invalid, *var, Some(value.as_str())),
        ConfigError::AdminId { var, entry } => (Kind::AdminId, *var, Some(entry.as_str())),
        ConfigError::InvalidSecret { var, .. } => (Kind::InvalidSecret, *var, None),
        ConfigError::Missing { var, .. } => (Kind::Missing, *var, None),
        ConfigError::EnvFile { .. } => panic!("{vars:?}: unexpected {error:?}"),
    };
    assert_eq!((actual_kind, actual_var), (kind, var), "{vars:?}: {error}");
    assert_eq!(value, shown, "{vars:?}: {error}");
    let message = error.to_string();
    assert!(message.contains(var), "{message:?} does not name {var}");
    if let Some(shown) = shown {
        assert!(
            message.contains(shown),
            "{message:?} does not show {shown:?}"
        );
    }
    if kind == Kind::InvalidSecret {
        for (_, value) in vars.iter().filter(|(name, _)| *name == var) {
            assert!(!message.contains(value), "{message:?} reveals the secret");
        }
    }
}

#[test]
fn every_default() {
    let config = loaded(&[]);
    let expected = [
        ("BOT_TOKEN", "<not set>"),
        ("TELEGRAM_API_URL", "https://api.telegram.org"),
        ("DATABASE_URL", "sqlite://vitrina.db"),
        ("REDIS_URL", "<not set>"),
        ("ENVIRONMENT", "production"),
        ("DISABLE_POLLING", "0"),
        ("ENABLE_POLLING_LEADER_LOCK", "0"),
        ("POLLING_LEADER_LOCK_TTL", "15"),
        ("PREEMPT_LEADER", "0"),
        ("EXIT_ON_CONFLICT", "0"),
        ("WEBHOOK_URL", "<not set>"),
        ("WEBHOOK_SECRET", "<not set>"),
        ("HTTP_ADDR", "127.0.0.1:8080"),
        ("ADMIN_IDS", "<not set>"),
        ("DEFAULT_LOCALE", "ru"),
        ("FEATURE_PARTNER_FSM", "1"),
        ("FEATURE_MODERATION", "1"),
        ("POLICY_VERSION", "1"),
        ("TELEGRAM_RATE_PER_SECOND", "30"),
        ("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "1"),
        ("ADMIN_CONTACT", "<not set>"),
        ("INCOMING_RATE_PER_SECOND", "3"),
        ("INCOMING_BURST", "30"),
        ("WORKER_THREADS", "<one per core>"),
        ("RUST_LOG", "info"),
        ("LOG_FORMAT", "text"),
        ("METRICS_TOKEN", "<not set>"),
        ("DATABASE_CA_FILE", "<not set>"),
        ("REDIS_CA_FILE", "<not set>"),
        ("WEB_APP_URL", "<not set>"),
        ("WEB_APP_MAX_AGE", "86400"),
        ("WEB_APP_PHOTO_CHAT", "<not set>"),
    ];
    let expected: Vec<(&str, String)> = expected
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .collect();
    assert_eq!(config.masked_entries(), expected);

    assert_eq!(config.mode(), Mode::Polling);
    assert_eq!(
        config.telegram_api_url().expose(),
        "https://api.telegram.org"
    );
    assert_eq!(
        config.database_url(),
        &DatabaseUrl::Sqlite(PathBuf::from("vitrina.db"))
    );
    assert_eq!(config.leader_lock_key(), "production:bot:polling:leader");
    assert_eq!(
        config.leader_lock(),
        LeaderLock {
            ttl: Duration::from_secs(15),
            preempt: false,
            exit_on_conflict: false
        }
    );
    // Health and metrics stay on this machine unless configured otherwise.
    assert_eq!(config.http_addr(), SocketAddr::from(([127, 0, 0, 1], 8080)));
    assert!(config.admin_ids().is_empty());
    assert_eq!(config.default_locale(), Locale::Ru);
    assert_eq!(
        config.features(),
        Features {
            partner_fsm: true,
            moderation: true
        }
    );
    assert_eq!(config.policy_version(), 1);
    assert_eq!(
        config.rate_limits(),
        RateLimits {
            per_second: 30.0,
            per_chat_per_second: 1.0
        }
    );
    assert_eq!(config.log_filter(), "info");
    assert!(config.notes().is_empty());
    assert!(matches!(
        config.bot_token("by x"),
        Err(ConfigError::Missing {
            var: "BOT_TOKEN",
            ..
        })
    ));
    assert!(matches!(
        config.redis_url("by x"),
        Err(ConfigError::Missing {
            var: "REDIS_URL",
            ..
        })
    ));
    assert!(matches!(
        config.webhook_url("by x"),
        Err(ConfigError::Missing {
            var: "WEBHOOK_URL",
            ..
        })
    ));
    assert!(matches!(
        config.webhook_secret("by x"),
        Err(ConfigError::Missing {
            var: "BOT_TOKEN",
            ..
        })
    ));
}

#[test]
fn entries_follow_the_variable_table() {
    let names: Vec<&str> = loaded(&[])
        .masked_entries()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let table: Vec<&str> = VARIABLES
        .iter()
        .map(|variable| variable.name)
        .filter(|name| *name != "PORT")
        .collect();
    assert_eq!(names, table);
}

#[test]
fn good_values_are_taken() {
    let cases: &[(Vars, &str, &str)] = &[
        (&[("BOT_TOKEN", TOKEN)], "BOT_TOKEN", "123456:****"),
        (&[("BOT_TOKEN", "1:a")], "BOT_TOKEN", "1:****"),
        (
            &[("TELEGRAM_API_URL", "http://localhost:8081/")],
            "TELEGRAM_API_URL",
            "http://localhost:8081",
        ),
        (
            &[("TELEGRAM_API_URL", "https://proxy.example/tg/")],
            "TELEGRAM_API_URL",
            "https://proxy.example/tg",
        ),
        (
            &[("TELEGRAM_API_URL", "HTTPS://127.0.0.1:9000")],
            "TELEGRAM_API_URL",
            "HTTPS://127.0.0.1:9000",
        ),
        (
            &[("DATABASE_URL", "sqlite:///var/lib/vitrina.db")],
            "DATABASE_URL",
            "sqlite:///var/lib/vitrina.db",
        ),
        (
            &[("DATABASE_URL", "sqlite://:memory:")],
            "DATABASE_URL",
            "sqlite://:memory:",
        ),
        (
            &[("DATABASE_URL", "postgres://u:pw@db:5432/vitrina")],
            "DATABASE_URL",
            "postgres://u:****@db:5432/vitrina",
        ),
        (
            &[("DATABASE_URL", "postgresql://db/vitrina")],
            "DATABASE_URL",
            "postgresql://db/vitrina",
        ),
        (
            &[("DATABASE_URL", "postgres://db/vitrina?user=u&password=pw")],
            "DATABASE_URL",
            "postgres://db/vitrina?user=u&password=****",
        ),
        (
            &[("REDIS_URL", "redis://:pw@127.0.0.1:6379/0")],
            "REDIS_URL",
            "redis://:****@127.0.0.1:6379/0",
        ),
        (
            &[("REDIS_URL", "rediss://cache.example:6380")],
            "REDIS_URL",
            "rediss://cache.example:6380",
        ),
        (&[("ENVIRONMENT", "staging")], "ENVIRONMENT", "staging"),
        (
            &[("POLLING_LEADER_LOCK_TTL", "3")],
            "POLLING_LEADER_LOCK_TTL",
            "3",
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "3600")],
            "POLLING_LEADER_LOCK_TTL",
            "3600",
        ),
        (
            &[("WEBHOOK_URL", "https://example.org")],
            "WEBHOOK_URL",
            "https://example.org/bot/webhook",
        ),
        (
            &[("WEBHOOK_URL", "https://example.org/")],
            "WEBHOOK_URL",
            "https://example.org/bot/webhook",
        ),
        (
            &[("WEBHOOK_URL", "https://example.org/tg/hook")],
            "WEBHOOK_URL",
            "https://example.org/tg/hook",
        ),
        (
            &[("WEBHOOK_URL", "https://example.org?k=v")],
            "WEBHOOK_URL",
            "https://example.org/bot/webhook?k=v",
        ),
        (
            &[("WEBHOOK_URL", "http://10.0.0.1:8443/tg")],
            "WEBHOOK_URL",
            "http://10.0.0.1:8443/tg",
        ),
        (
            &[("WEBHOOK_URL", "https://[::1]:8443/tg")],
            "WEBHOOK_URL",
            "https://[::1]:8443/tg",
        ),
        (
            &[("WEBHOOK_SECRET", "abc_DEF-123")],
            "WEBHOOK_SECRET",
            "****",
        ),
        (
            &[("WEBHOOK_SECRET", &"s".repeat(256))],
            "WEBHOOK_SECRET",
            "****",
        ),
        (
            &[("BOT_TOKEN", TOKEN)],
            "WEBHOOK_SECRET",
            "**** (derived from BOT_TOKEN)",
        ),
        (
            &[("HTTP_ADDR", "127.0.0.1:9000")],
            "HTTP_ADDR",
            "127.0.0.1:9000",
        ),
        (&[("HTTP_ADDR", "[::]:80")], "HTTP_ADDR", "[::]:80"),
        (&[("PORT", "3000")], "HTTP_ADDR", "0.0.0.0:3000"),
        // Webhook mode must be reachable by Telegram.
        (
            &[
                ("DISABLE_POLLING", "1"),
                ("WEBHOOK_URL", "https://example.org/hook"),
            ],
            "HTTP_ADDR",
            "0.0.0.0:8080",
        ),
        (&[("LOG_FORMAT", "JSON")], "LOG_FORMAT", "json"),
        (&[("LOG_LEVEL", "debug")], "RUST_LOG", "debug"),
        (
            &[("LOG_LEVEL", "debug"), ("RUST_LOG", "warn")],
            "RUST_LOG",
            "warn",
        ),
        (&[("METRICS_TOKEN", "abc")], "METRICS_TOKEN", "****"),
        (
            &[("DATABASE_CA_FILE", "/etc/ssl/db-ca.pem")],
            "DATABASE_CA_FILE",
            "/etc/ssl/db-ca.pem",
        ),
        (
            &[("PORT", "3000"), ("HTTP_ADDR", "127.0.0.1:9000")],
            "HTTP_ADDR",
            "127.0.0.1:9000",
        ),
        (&[("ADMIN_IDS", "1,2 3")], "ADMIN_IDS", "1,2,3"),
        (&[("ADMIN_IDS", " 5 , 6,,7\t8 ")], "ADMIN_IDS", "5,6,7,8"),
        (
            &[("ADMIN_IDS", "9007199254740993")],
            "ADMIN_IDS",
            "9007199254740993",
        ),
        (&[("DEFAULT_LOCALE", "en")], "DEFAULT_LOCALE", "en"),
        (&[("DEFAULT_LOCALE", "KO")], "DEFAULT_LOCALE", "ko"),
        (&[("DEFAULT_LOCALE", " vi ")], "DEFAULT_LOCALE", "vi"),
        (&[("POLICY_VERSION", "7")], "POLICY_VERSION", "7"),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "100")],
            "TELEGRAM_RATE_PER_SECOND",
            "100",
        ),
        (
            &[("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "0.5")],
            "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
            "0.5",
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "0.01")],
            "TELEGRAM_RATE_PER_SECOND",
            "0.01",
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "1000000000")],
            "TELEGRAM_RATE_PER_SECOND",
            "1000000000",
        ),
        (
            &[("INCOMING_RATE_PER_SECOND", "0.5")],
            "INCOMING_RATE_PER_SECOND",
            "0.5",
        ),
        (
            &[("INCOMING_RATE_PER_SECOND", "0")],
            "INCOMING_RATE_PER_SECOND",
            "0",
        ),
        (&[("INCOMING_BURST", "5")], "INCOMING_BURST", "5"),
        (&[("WORKER_THREADS", "1")], "WORKER_THREADS", "1"),
        (
            &[("ADMIN_CONTACT", " @vitrina_admins ")],
            "ADMIN_CONTACT",
            "@vitrina_admins",
        ),
        (&[("RUST_LOG", "debug")], "RUST_LOG", "debug"),
        (
            &[("RUST_LOG", "vitrina_bot=debug,info")],
            "RUST_LOG",
            "vitrina_bot=debug,info",
        ),
    ];
    for (vars, name, expected) in cases {
        check(vars, name, expected);
    }
}

#[test]
fn typed_values_keep_what_the_adapters_need() {
    let config = loaded(&[
        ("BOT_TOKEN", TOKEN),
        ("DATABASE_URL", "postgres://u:pw@db/vitrina"),
        ("REDIS_URL", "redis://:pw@cache:6379/1"),
        ("WEBHOOK_URL", "https://example.org"),
        ("POLLING_LEADER_LOCK_TTL", "30"),
        ("PREEMPT_LEADER", "1"),
        ("EXIT_ON_CONFLICT", "1"),
        ("ENVIRONMENT", "staging"),
    ]);
    assert_eq!(config.bot_token("by x").map(Secret::expose), Ok(TOKEN));
    match config.database_url() {
        DatabaseUrl::Postgres(url) => assert_eq!(url.expose(), "postgres://u:pw@db/vitrina"),
        other => panic!("expected PostgreSQL, got {other:?}"),
    }
    assert_eq!(
        config.redis_url("by x").map(ConnectionUrl::expose),
        Ok("redis://:pw@cache:6379/1")
    );
    let webhook = config
        .webhook_url("by x")
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(webhook.expose(), "https://example.org/bot/webhook");
    assert_eq!(webhook.path(), DEFAULT_WEBHOOK_PATH);
    assert_eq!(
        config.leader_lock(),
        LeaderLock {
            ttl: Duration::from_secs(30),
            preempt: true,
            exit_on_conflict: true
        }
    );
    assert_eq!(config.leader_lock_key(), "staging:bot:polling:leader");
    assert_eq!(
        loaded(&[("DATABASE_URL", "sqlite:///data/v.db")]).database_url(),
        &DatabaseUrl::Sqlite(PathBuf::from("/data/v.db"))
    );
}

#[test]
fn bad_values_name_the_variable() {
    use Kind::*;
    let cases: &[(Vars, Kind, &str, Option<&str>)] = &[
        (
            &[("BOT_TOKEN", "123 456")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (
            &[("BOT_TOKEN", "123/456")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        // Not of the shape <digits>:<secret>.
        (
            &[("BOT_TOKEN", "test-token")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (
            &[("BOT_TOKEN", "abc:DEF")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (&[("BOT_TOKEN", "987:")], InvalidSecret, "BOT_TOKEN", None),
        (
            &[("BOT_TOKEN", ":ABC-def")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (
            &[("BOT_TOKEN", "123456:ABC:def")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (
            &[("BOT_TOKEN", "123456:ABC.def")],
            InvalidSecret,
            "BOT_TOKEN",
            None,
        ),
        (&[("TOKEN", "not a token")], InvalidSecret, "TOKEN", None),
        (
            &[("TELEGRAM_API_URL", "ftp://api.telegram.org")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("ftp://api.telegram.org"),
        ),
        (
            &[("TELEGRAM_API_URL", "api.telegram.org")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("api.telegram.org"),
        ),
        (
            &[("TELEGRAM_API_URL", "https://")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("https://"),
        ),
        (
            &[("TELEGRAM_API_URL", "https://a b")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("https://a b"),
        ),
        (
            &[("TELEGRAM_API_URL", "https://host:99999")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("https://host:99999"),
        ),
        (
            &[("TELEGRAM_API_URL", "https://host:port")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("https://host:port"),
        ),
        (
            &[("TELEGRAM_API_URL", "https://host/?q=1")],
            Invalid,
            "TELEGRAM_API_URL",
            Some("https://host/?q=1"),
        ),
        (
            &[("DATABASE_URL", "mysql://db/vitrina")],
            Invalid,
            "DATABASE_URL",
            Some("mysql://db/vitrina"),
        ),
        (
            &[("DATABASE_URL", "mysql://u:secret@db/v")],
            Invalid,
            "DATABASE_URL",
            Some("mysql://u:****@db/v"),
        ),
        (
            &[("DATABASE_URL", "vitrina.db")],
            Invalid,
            "DATABASE_URL",
            Some("vitrina.db"),
        ),
        (
            &[("DATABASE_URL", "sqlite://")],
            Invalid,
            "DATABASE_URL",
            Some("sqlite://"),
        ),
        (
            &[("DATABASE_URL", "postgres://")],
            Invalid,
            "DATABASE_URL",
            Some("postgres://"),
        ),
        (
            &[("REDIS_URL", "http://cache:6379")],
            Invalid,
            "REDIS_URL",
            Some("http://cache:6379"),
        ),
        (
            &[("REDIS_URL", "localhost:6379")],
            Invalid,
            "REDIS_URL",
            Some("localhost:6379"),
        ),
        (
            &[("REDIS_URL", "redis://")],
            Invalid,
            "REDIS_URL",
            Some("redis://"),
        ),
        (
            &[("ENVIRONMENT", "pro duction")],
            Invalid,
            "ENVIRONMENT",
            Some("pro duction"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "2")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("2"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "0")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("0"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "3601")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("3601"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "-3")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("-3"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "1.5")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("1.5"),
        ),
        (
            &[("POLLING_LEADER_LOCK_TTL", "15s")],
            Invalid,
            "POLLING_LEADER_LOCK_TTL",
            Some("15s"),
        ),
        (
            &[("WEBHOOK_URL", "example.org/bot")],
            Invalid,
            "WEBHOOK_URL",
            Some("example.org/bot"),
        ),
        (
            &[("WEBHOOK_URL", "ftp://example.org")],
            Invalid,
            "WEBHOOK_URL",
            Some("ftp://example.org"),
        ),
        (
            &[("WEBHOOK_URL", "https://exa mple.org")],
            Invalid,
            "WEBHOOK_URL",
            Some("https://exa mple.org"),
        ),
        (
            &[("WEBHOOK_URL", "https://example.org/#x")],
            Invalid,
            "WEBHOOK_URL",
            Some("https://example.org/#x"),
        ),
        (
            &[("WEBHOOK_SECRET", "has space")],
            InvalidSecret,
            "WEBHOOK_SECRET",
            None,
        ),
        (
            &[("WEBHOOK_SECRET", "bad!secret")],
            InvalidSecret,
            "WEBHOOK_SECRET",
            None,
        ),
        (
            &[("WEBHOOK_SECRET", &"s".repeat(257))],
            InvalidSecret,
            "WEBHOOK_SECRET",
            None,
        ),
        (&[("HTTP_ADDR", "8080")], Invalid, "HTTP_ADDR", Some("8080")),
        (
            &[("HTTP_ADDR", "localhost:8080")],
            Invalid,
            "HTTP_ADDR",
            Some("localhost:8080"),
        ),
        (&[("PORT", "70000")], Invalid, "PORT", Some("70000")),
        (&[("PORT", "http")], Invalid, "PORT", Some("http")),
        (&[("ADMIN_IDS", "1,abc")], AdminId, "ADMIN_IDS", Some("abc")),
        (&[("ADMIN_IDS", "1 0")], AdminId, "ADMIN_IDS", Some("0")),
        (
            &[("ADMIN_IDS", "-100123")],
            AdminId,
            "ADMIN_IDS",
            Some("-100123"),
        ),
        (
            &[("ADMIN_IDS", "99999999999999999999")],
            AdminId,
            "ADMIN_IDS",
            Some("99999999999999999999"),
        ),
        (
            &[("ADMIN_IDS", "1"), ("ADMIN_ID", "x")],
            AdminId,
            "ADMIN_ID",
            Some("x"),
        ),
        (
            &[("ADMIN_TG_IDS", "1;2")],
            AdminId,
            "ADMIN_TG_IDS",
            Some("1;2"),
        ),
        (
            &[("DEFAULT_LOCALE", "de")],
            Invalid,
            "DEFAULT_LOCALE",
            Some("de"),
        ),
        (
            &[("DEFAULT_LOCALE", "en-US")],
            Invalid,
            "DEFAULT_LOCALE",
            Some("en-US"),
        ),
        (
            &[("DEFAULT_LANG", "fr")],
            Invalid,
            "DEFAULT_LANG",
            Some("fr"),
        ),
        (
            &[("POLICY_VERSION", "0")],
            Invalid,
            "POLICY_VERSION",
            Some("0"),
        ),
        (
            &[("POLICY_VERSION", "-1")],
            Invalid,
            "POLICY_VERSION",
            Some("-1"),
        ),
        (
            &[("POLICY_VERSION", "v2")],
            Invalid,
            "POLICY_VERSION",
            Some("v2"),
        ),
        (
            &[("POLICY_VERSION", "4294967296")],
            Invalid,
            "POLICY_VERSION",
            Some("4294967296"),
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "0")],
            Invalid,
            "TELEGRAM_RATE_PER_SECOND",
            Some("0"),
        ),
        (
            &[("INCOMING_RATE_PER_SECOND", "-1")],
            Invalid,
            "INCOMING_RATE_PER_SECOND",
            Some("-1"),
        ),
        (
            &[("INCOMING_RATE_PER_SECOND", "many")],
            Invalid,
            "INCOMING_RATE_PER_SECOND",
            Some("many"),
        ),
        (
            &[("ADMIN_CONTACT", &"x".repeat(201))],
            Invalid,
            "ADMIN_CONTACT",
            Some(&"x".repeat(201)),
        ),
        (
            &[("INCOMING_BURST", "0")],
            Invalid,
            "INCOMING_BURST",
            Some("0"),
        ),
        (
            &[("INCOMING_BURST", "2.5")],
            Invalid,
            "INCOMING_BURST",
            Some("2.5"),
        ),
        (
            &[("WORKER_THREADS", "0")],
            Invalid,
            "WORKER_THREADS",
            Some("0"),
        ),
        (
            &[("WORKER_THREADS", "two")],
            Invalid,
            "WORKER_THREADS",
            Some("two"),
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "-30")],
            Invalid,
            "TELEGRAM_RATE_PER_SECOND",
            Some("-30"),
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "inf")],
            Invalid,
            "TELEGRAM_RATE_PER_SECOND",
            Some("inf"),
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "NaN")],
            Invalid,
            "TELEGRAM_RATE_PER_SECOND",
            Some("NaN"),
        ),
        (
            &[("TELEGRAM_RATE_PER_SECOND", "0.001")],
            Invalid,
            "TELEGRAM_RATE_PER_SECOND",
            Some("0.001"),
        ),
        (
            &[("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "0.009")],
            Invalid,
            "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
            Some("0.009"),
        ),
        (
            &[("TELEGRAM_RATE_PER_CHAT_PER_SECOND", "fast")],
            Invalid,
            "TELEGRAM_RATE_PER_CHAT_PER_SECOND",
            Some("fast"),
        ),
        (
            &[("RUST_LOG", "vitrina_bot=loud")],
            Invalid,
            "RUST_LOG",
            Some("vitrina_bot=loud"),
        ),
        (
            &[("LOG_LEVEL", "debug,x=loud")],
            Invalid,
            "LOG_LEVEL",
            Some("debug,x=loud"),
        ),
        (
            &[("LOG_FORMAT", "yaml")],
            Invalid,
            "LOG_FORMAT",
            Some("yaml"),
        ),
        (
            &[("METRICS_TOKEN", "has space")],
            InvalidSecret,
            "METRICS_TOKEN",
            None,
        ),
    ];
    for (vars, kind, var, shown) in cases {
        check_error(vars, *kind, var, *shown);
    }
}

/// The booleans, each with what it needs to load when switched on.
const BOOLEANS: &[(&str, &[(&str, &str)])] = &[
    ("DISABLE_POLLING", &[("WEBHOOK_URL", "https://example.org")]),
    (
        "ENABLE_POLLING_LEADER_LOCK",
        &[("REDIS_URL", "redis://127.0.0.1:6379")],
    ),
    ("PREEMPT_LEADER", &[]),
    ("EXIT_ON_CONFLICT", &[]),
    ("FEATURE_PARTNER_FSM", &[]),
    ("FEATURE_MODERATION", &[]),
];

#[test]
fn every_boolean_spelling_is_accepted() {
    let spellings = [
        ("1", "1"),
        ("true", "1"),
        ("TRUE", "1"),
        ("True", "1"),
        ("yes", "1"),
        ("YES", "1"),
        ("on", "1"),
        ("On", "1"),
        (" 1 ", "1"),
        ("0", "0"),
        ("false", "0"),
        ("FALSE", "0"),
        ("no", "0"),
        ("No", "0"),
        ("off", "0"),
        ("OFF", "0"),
        ("\toff\n", "0"),
    ];
    for (name, needs) in BOOLEANS {
        for (spelling, shown) in spellings {
            let mut vars = needs.to_vec();
            vars.push((name, spelling));
            check(&vars, name, shown);
        }
    }
}

#[test]
fn anything_else_is_not_a_boolean() {
    for (name, needs) in BOOLEANS {
        for bad in ["2", "maybe", "y", "n", "enabled", "tru", "-1", "1.0"] {
            let mut vars = needs.to_vec();
            vars.push((name, bad));
            check_error(&vars, Kind::NotBoolean, name, Some(bad));
        }
    }
}

#[test]
fn an_empty_value_counts_as_unset() {
    check(&[("BOT_TOKEN", "")], "BOT_TOKEN", "<not set>");
    check(&[("BOT_TOKEN", "  ")], "BOT_TOKEN", "<not set>");
    check(
        &[("BOT_TOKEN", ""), ("TOKEN", TOKEN)],
        "BOT_TOKEN",
        "123456:****",
    );
    check(&[("DISABLE_POLLING", "")], "DISABLE_POLLING", "0");
    check(&[("FEATURE_MODERATION", "")], "FEATURE_MODERATION", "1");
    check(
        &[("DATABASE_URL", "")],
        "DATABASE_URL",
        "sqlite://vitrina.db",
    );
    check(
        &[("HTTP_ADDR", ""), ("PORT", "9000")],
        "HTTP_ADDR",
        "0.0.0.0:9000",
    );
    check(&[("ADMIN_IDS", " , ")], "ADMIN_IDS", "<not set>");
    check(&[("POLICY_VERSION", "")], "POLICY_VERSION", "1");
}

#[test]
fn legacy_names_stand_in_and_lose_to_the_current_ones() {
    let cases: &[(Vars, &str, &str)] = &[
        (&[("TOKEN", TOKEN)], "BOT_TOKEN", "123456:****"),
        (
            &[("BOT_TOKEN", TOKEN), ("TOKEN", "999:other")],
            "BOT_TOKEN",
            "123456:****",
        ),
        // A bad value under the losing name is never looked at.
        (
            &[("BOT_TOKEN", TOKEN), ("TOKEN", "not a token")],
            "BOT_TOKEN",
            "123456:****",
        ),
        (&[("DEFAULT_LANG", "en")], "DEFAULT_LOCALE", "en"),
        (
            &[("DEFAULT_LOCALE", "vi"), ("DEFAULT_LANG", "en")],
            "DEFAULT_LOCALE",
            "vi",
        ),
        (
            &[("DEFAULT_LOCALE", "vi"), ("DEFAULT_LANG", "xx")],
            "DEFAULT_LOCALE",
            "vi",
        ),
    ];
    for (vars, name, expected) in cases {
        check(vars, name, expected);
    }
    let config = loaded(&[("TOKEN", TOKEN)]);
    assert_eq!(config.bot_token("by x").map(Secret::expose), Ok(TOKEN));
    assert_eq!(
        config.notes(),
        ["TOKEN is an old name: rename it to BOT_TOKEN"]
    );
    let config = loaded(&[("BOT_TOKEN", TOKEN), ("TOKEN", "999:other")]);
    assert_eq!(config.bot_token("by x").map(Secret::expose), Ok(TOKEN));
    assert_eq!(config.notes(), ["TOKEN is ignored: BOT_TOKEN is set"]);
}

#[test]
fn admin_ids_are_joined_from_every_name_and_deduplicated() {
    let cases: &[(Vars, &[i64])] = &[
        (&[("ADMIN_IDS", "1,2")], &[1, 2]),
        (&[("ADMIN_IDS", "1,2,1 2")], &[1, 2]),
        (&[("ADMIN_ID", "7")], &[7]),
        (&[("ADMIN_TG_IDS", "8, 9")], &[8, 9]),
        (
            &[
                ("ADMIN_IDS", "1,2"),
                ("ADMIN_ID", "2"),
                ("ADMIN_TG_IDS", "3 1"),
            ],
            &[1, 2, 3],
        ),
        (&[("ADMIN_ID", "5"), ("ADMIN_TG_IDS", "5")], &[5]),
    ];
    for (vars, expected) in cases {
        assert_eq!(loaded(vars).admin_ids(), *expected, "{vars:?}");
    }
    let config = loaded(&[("ADMIN_IDS", "1"), ("ADMIN_ID", "2")]);
    assert_eq!(
        config.notes(),
        ["ADMIN_ID is an old name: its ids are joined into ADMIN_IDS"]
    );
}

#[test]
fn the_mode_follows_the_polling_switches() {
    let webhook = ("WEBHOOK_URL", "https://example.org/hook");
    let redis = ("REDIS_URL", "redis://127.0.0.1:6379");
    let cases: &[(Vars, Mode, &str)] = &[
        (&[], Mode::Polling, "polling"),
        (&[webhook], Mode::Polling, "polling"),
        (
            &[("ENABLE_POLLING_LEADER_LOCK", "1"), redis],
            Mode::LeaderPolling,
            "leader-polling",
        ),
        (
            &[("DISABLE_POLLING", "1"), webhook],
            Mode::Webhook,
            "webhook",
        ),
        (
            &[
                ("DISABLE_POLLING", "1"),
                ("ENABLE_POLLING_LEADER_LOCK", "1"),
                webhook,
                redis,
            ],
            Mode::Webhook,
            "webhook",
        ),
    ];
    for (vars, mode, shown) in cases {
        let config = loaded(vars);
        assert_eq!(config.mode(), *mode, "{vars:?}");
        assert_eq!(config.mode().to_string(), *shown);
    }
    let config = loaded(&[
        ("DISABLE_POLLING", "1"),
        ("ENABLE_POLLING_LEADER_LOCK", "1"),
        webhook,
        redis,
    ]);
    assert_eq!(
        config.notes(),
        ["ENABLE_POLLING_LEADER_LOCK=1 has no effect with DISABLE_POLLING=1"]
    );
}

#[test]
fn a_mode_without_what_it_needs_is_refused() {
    check_error(
        &[("DISABLE_POLLING", "1")],
        Kind::Missing,
        "WEBHOOK_URL",
        None,
    );
    check_error(
        &[("DISABLE_POLLING", "yes"), ("BOT_TOKEN", TOKEN)],
        Kind::Missing,
        "WEBHOOK_URL",
        None,
    );
    check_error(
        &[("ENABLE_POLLING_LEADER_LOCK", "1")],
        Kind::Missing,
        "REDIS_URL",
        None,
    );
    check_error(
        &[
            ("ENABLE_POLLING_LEADER_LOCK", "on"),
            ("DISABLE_POLLING", "1"),
            ("WEBHOOK_URL", "https://e.org"),
        ],
        Kind::Missing,
        "REDIS_URL",
        None,
    );
    let message = load(&[("DISABLE_POLLING", "1")])
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        message.as_deref(),
        Some("WEBHOOK_URL is not set: it is required when DISABLE_POLLING=1 (webhook mode)")
    );
    let message = load(&[("ENABLE_POLLING_LEADER_LOCK", "1")])
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        message.as_deref(),
        Some("REDIS_URL is not set: it is required when ENABLE_POLLING_LEADER_LOCK=1")
    );
}

#[test]
fn a_command_that_needs_a_missing_variable_names_it() {
    let config = loaded(&[]);
    let message = config
        .bot_token("by `bot run`")
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        message.as_deref(),
        Some("BOT_TOKEN is not set: it is required by `bot run`")
    );
    let message = config
        .redis_url("by `bot lock`")
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        message.as_deref(),
        Some("REDIS_URL is not set: it is required by `bot lock`")
    );
}

#[test]
fn the_derived_webhook_secret_is_stable_valid_and_reveals_nothing() {
    let secret = |token: &str| {
        loaded(&[("BOT_TOKEN", token)])
            .webhook_secret("by x")
            .map(|secret| secret.expose().to_owned())
            .unwrap_or_else(|error| panic!("{error}"))
    };
    // Pinned: instances of different versions behind one load balancer must agree.
    assert_eq!(
        secret(TOKEN),
        "6fee5940c047a4dcc26f9205dc0be66444f3764eea031a322ffb7903c500b080"
    );
    assert_eq!(secret(TOKEN), secret(TOKEN));
    assert_ne!(secret(TOKEN), secret("123456:ABC-deg"));
    for token in [TOKEN, "1:a", "987654321:AAH_x-y"] {
        let derived = secret(token);
        assert!(secret::valid_webhook_secret(&derived), "{derived}");
        assert!(!derived.contains(token));
    }
}

#[test]
fn a_given_webhook_secret_wins_over_the_derived_one() {
    let config = loaded(&[("BOT_TOKEN", TOKEN), ("WEBHOOK_SECRET", "my-secret_1")]);
    assert_eq!(
        config.webhook_secret("by x").map(Secret::expose),
        Ok("my-secret_1")
    );
    let config = loaded(&[("WEBHOOK_SECRET", "my-secret_1")]);
    assert_eq!(
        config.webhook_secret("by x").map(Secret::expose),
        Ok("my-secret_1")
    );
}

#[test]
fn secrets_and_passwords_stay_out_of_debug_and_entries() {
    let config = loaded(&[
        ("BOT_TOKEN", "123456:TOKENPART"),
        ("WEBHOOK_SECRET", "WEBHOOKSECRET"),
        ("DATABASE_URL", "postgres://u:DBPASSWORD@db/v"),
        ("REDIS_URL", "redis://:REDISPASSWORD@cache:6379"),
        ("TELEGRAM_API_URL", "https://u:APIPASSWORD@api.example"),
        ("WEBHOOK_URL", "https://u:HOOKPASSWORD@example.org/hook"),
    ]);
    let debug = format!("{config:?}");
    let entries = format!("{:?}", config.masked_entries());
    for secret in [
        "TOKENPART",
        "WEBHOOKSECRET",
        "DBPASSWORD",
        "REDISPASSWORD",
        "APIPASSWORD",
        "HOOKPASSWORD",
    ] {
        assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
        assert!(
            !entries.contains(secret),
            "entries show {secret}: {entries}"
        );
    }
    let derived = loaded(&[("BOT_TOKEN", TOKEN)]);
    let secret = derived
        .webhook_secret("by x")
        .map(|secret| secret.expose().to_owned());
    let debug = format!("{derived:?}");
    assert!(!debug.contains(TOKEN.split(':').nth(1).unwrap_or(TOKEN)));
    assert!(secret.is_ok_and(|secret| !debug.contains(&secret)));
}

#[test]
fn redact_masks_only_passwords() {
    let cases = [
        (
            "postgres://user:pw@host:5432/db",
            "postgres://user:****@host:5432/db",
        ),
        ("postgres://user@host/db", "postgres://user@host/db"),
        ("redis://:pw@host", "redis://:****@host"),
        ("redis://host:6379/0", "redis://host:6379/0"),
        (
            "postgres://host/db?sslmode=require&PASSWORD=pw#x",
            "postgres://host/db?sslmode=require&PASSWORD=****#x",
        ),
        (
            "https://user:pw@example.org/path?q=1",
            "https://user:****@example.org/path?q=1",
        ),
        ("no scheme at all", "no scheme at all"),
    ];
    for (url, expected) in cases {
        assert_eq!(url::redact(url), expected, "{url}");
    }
}

#[test]
fn the_env_file_is_read_and_a_malformed_one_is_reported_without_its_values() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join(".env");
    assert_eq!(read_env_file(&path), Ok(HashMap::new()));

    std::fs::write(
        &path,
        "# comment\nBOT_TOKEN=1:abc\nexport POLICY_VERSION=\"3\"\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let vars = read_env_file(&path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(vars.get("BOT_TOKEN").map(String::as_str), Some("1:abc"));
    assert_eq!(vars.get("POLICY_VERSION").map(String::as_str), Some("3"));

    std::fs::write(&path, "BOT_TOKEN='SECRETVALUE\n").unwrap_or_else(|error| panic!("{error}"));
    match read_env_file(&path) {
        Err(error @ ConfigError::EnvFile { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains(".env") && message.contains("BOT_TOKEN"),
                "{message}"
            );
            assert!(!message.contains("SECRETVALUE"), "{message}");
        }
        other => panic!("expected an EnvFile error, got {other:?}"),
    }
}

#[test]
fn the_incoming_flood_limit_defaults_to_three_a_second_after_thirty_and_zero_turns_it_off() {
    let config = Config::from_lookup(|_| None).expect("defaults are valid");
    let limit = config.flood_limit().expect("on by default");
    assert_eq!((limit.rate_per_second(), limit.burst()), (3.0, 30));

    let lookup = |name: &str| match name {
        "INCOMING_RATE_PER_SECOND" => Some("0.5".to_owned()),
        "INCOMING_BURST" => Some("4".to_owned()),
        _ => None,
    };
    let limit = Config::from_lookup(lookup)
        .expect("valid")
        .flood_limit()
        .expect("on");
    assert_eq!((limit.rate_per_second(), limit.burst()), (0.5, 4));

    let off =
        Config::from_lookup(|name| (name == "INCOMING_RATE_PER_SECOND").then(|| "0".to_owned()))
            .expect("valid");
    assert!(off.flood_limit().is_none());
}

#[test]
fn the_web_cabinet_is_off_unless_its_url_is_set() {
    let config = loaded(&[]);
    assert!(config.web_app().is_none());
    assert_eq!(entry(&config, "WEB_APP_URL"), "<not set>");
    assert_eq!(entry(&config, "WEB_APP_MAX_AGE"), "86400");

    let config = loaded(&[
        ("WEB_APP_URL", "https://bot.example.org/cabinet"),
        ("WEB_APP_MAX_AGE", "3600"),
        ("WEB_APP_PHOTO_CHAT", "-1001234567890"),
    ]);
    let web_app = config.web_app().expect("on");
    assert_eq!(web_app.url.expose(), "https://bot.example.org/cabinet/");
    assert_eq!(web_app.prefix(), "/cabinet");
    assert_eq!(web_app.max_age, Duration::from_secs(3600));
    assert_eq!(web_app.photo_chat, Some(-1_001_234_567_890));

    let cases: &[(Vars, &str)] = &[
        (
            &[("WEB_APP_URL", "https://bot.example.org")],
            "https://bot.example.org/app/",
        ),
        (
            &[("WEB_APP_URL", "http://127.0.0.1:8080/app/")],
            "http://127.0.0.1:8080/app/",
        ),
        (
            &[
                ("WEB_APP_URL", "webhook"),
                ("WEBHOOK_URL", "https://hooks.example.org/tg/hook"),
            ],
            "https://hooks.example.org/app/",
        ),
    ];
    for (vars, expected) in cases {
        let config = loaded(vars);
        assert_eq!(
            config.web_app().expect("on").url.expose(),
            *expected,
            "{vars:?}"
        );
    }
}

#[test]
fn a_bad_web_cabinet_setting_names_its_variable() {
    let cases: &[(Vars, Kind, &str)] = &[
        (
            &[("WEB_APP_URL", "http://bot.example.org/app/")],
            Kind::Invalid,
            "WEB_APP_URL",
        ),
        (
            &[("WEB_APP_URL", "bot.example.org")],
            Kind::Invalid,
            "WEB_APP_URL",
        ),
        (
            &[("WEB_APP_URL", "https://bot.example.org/app?x=1")],
            Kind::Invalid,
            "WEB_APP_URL",
        ),
        (
            &[("WEB_APP_URL", "https://bot.example.org/metrics")],
            Kind::Invalid,
            "WEB_APP_URL",
        ),
        (
            &[
                ("WEB_APP_URL", "https://bot.example.org/bot/webhook"),
                ("WEBHOOK_URL", "https://bot.example.org/bot/webhook"),
            ],
            Kind::Invalid,
            "WEB_APP_URL",
        ),
        (&[("WEB_APP_URL", "webhook")], Kind::Missing, "WEBHOOK_URL"),
        (
            &[("WEB_APP_MAX_AGE", "10")],
            Kind::Invalid,
            "WEB_APP_MAX_AGE",
        ),
        (
            &[("WEB_APP_MAX_AGE", "a day")],
            Kind::Invalid,
            "WEB_APP_MAX_AGE",
        ),
        (
            &[("WEB_APP_PHOTO_CHAT", "channel")],
            Kind::Invalid,
            "WEB_APP_PHOTO_CHAT",
        ),
    ];
    for (vars, kind, var) in cases {
        let shown = match kind {
            Kind::Missing => None,
            _ => vars
                .iter()
                .find(|(name, _)| name == var)
                .map(|(_, value)| *value),
        };
        check_error(vars, *kind, var, shown);
    }
}
