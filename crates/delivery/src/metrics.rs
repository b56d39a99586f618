//! What the process counts, for `/metrics`: updates by outcome, failures to handle them, Bot
//! API calls, 409s, leader transitions, the role the instance plays now, and how long an
//! update's handling and each Bot API call take (histograms, for p50/p99 in production).
//!
//! Kept with [`prometheus_client`] (the Prometheus project's own client): typed label sets,
//! lock-free counters, and the OpenMetrics text exposition, which Prometheus scrapes natively.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use vitrina_telegram::{CallObserver, ConflictCause, TelegramError};

use crate::dispatcher::{DeliveryError, Handled};

/// The role an instance plays in receiving updates; `/readyz` and the `vitrina_role` gauge
/// show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Single mode: the only poller.
    Polling,
    /// Leader mode, holding the lease: this instance polls.
    Leader,
    /// Leader mode, waiting for the lease.
    Standby,
    /// Webhook mode: Telegram posts updates to this instance.
    Webhook,
}

impl Role {
    /// Every role, in the order the gauge lists them.
    pub const ALL: [Role; 4] = [Role::Polling, Role::Leader, Role::Standby, Role::Webhook];

    /// `polling`, `leader`, `standby` or `webhook`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Polling => "polling",
            Role::Leader => "leader",
            Role::Standby => "standby",
            Role::Webhook => "webhook",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct UpdateLabels {
    /// `message`, `callback_query`, `skipped` or `duplicate`.
    kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ErrorLabels {
    /// `unavailable`.
    error: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CallLabels {
    method: String,
    /// `ok`, the error code (`429`, `502`…), or `network`, `decode`, `request`.
    outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct MethodLabels {
    method: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ConflictLabels {
    /// `other_poller` or `webhook_active`.
    cause: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct TransitionLabels {
    /// `leader` or `standby`.
    to: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RoleLabels {
    role: &'static str,
}

const UPDATE_KINDS: [&str; 5] = [
    "message",
    "callback_query",
    "inline_query",
    "skipped",
    "duplicate",
];

/// What a handled update was, as its metrics name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UpdateKind {
    /// A message (or anything else the dialog reads that is not one of the below).
    Message,
    /// A button press.
    CallbackQuery,
    /// `@bot words` typed in some chat.
    InlineQuery,
}

impl UpdateKind {
    /// The kind of an update by its field's name, without decoding it again.
    pub(crate) fn of(kind: Option<&str>) -> UpdateKind {
        match kind {
            Some("callback_query") => UpdateKind::CallbackQuery,
            Some("inline_query") => UpdateKind::InlineQuery,
            _ => UpdateKind::Message,
        }
    }

    fn label(self) -> &'static str {
        match self {
            UpdateKind::Message => "message",
            UpdateKind::CallbackQuery => "callback_query",
            UpdateKind::InlineQuery => "inline_query",
        }
    }
}
const HANDLER_ERRORS: [&str; 1] = ["unavailable"];
const CONFLICT_CAUSES: [&str; 2] = ["other_poller", "webhook_active"];

/// The upper bounds of the latency buckets, in seconds: fine below 10 ms, where a healthy
/// update and a call to a nearby Bot API land, and up to a minute, where a long poll ends.
const LATENCY_BUCKETS: [f64; 16] = [
    0.000_5, 0.001, 0.002, 0.003, 0.005, 0.007_5, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
    15.0, 60.0,
];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The process's metrics. Share one behind an `Arc`: give it to the
/// [`Dispatcher`](crate::Dispatcher) ([`with_metrics`](crate::Dispatcher::with_metrics)) and to
/// the Telegram client ([`TelegramClient::with_observer`](vitrina_telegram::TelegramClient::with_observer)),
/// and serve [`Metrics::render`] on `/metrics`.
///
/// | metric | labels |
/// |---|---|
/// | `vitrina_updates_total` | `kind`: `message`, `callback_query`, `skipped`, `duplicate` |
/// | `vitrina_handler_errors_total` | `error`: `unavailable` (database) |
/// | `vitrina_bot_api_calls_total` | `method`; `outcome`: `ok`, the error code, `network`, `decode`, `request` |
/// | `vitrina_conflicts_total` | `cause`: `other_poller`, `webhook_active` |
/// | `vitrina_leader_transitions_total` | `to`: `leader`, `standby` |
/// | `vitrina_role` | `role`: 1 for the current one, 0 for the others |
/// | `vitrina_telegram_reachable` | — (0 while getUpdates fails for another reason than a 409, else 1) |
/// | `vitrina_outbox_recovered_total` | — (answers whose lock lapsed — their instance stopped, or lost the database for longer than a lock — sent by this one) |
/// | `vitrina_updates_handled_again_total` | — (updates whose first try a failed call spoiled, handled again with each call guarded; PostgreSQL) |
/// | `vitrina_update_handling_seconds` | histogram: `kind` as above; from the update's arrival to its answers sent (or its failure) |
/// | `vitrina_bot_api_call_seconds` | histogram: `method`; one request, each retry apart, without the rate limiter's wait |
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    updates: Family<UpdateLabels, Counter>,
    handler_errors: Family<ErrorLabels, Counter>,
    api_calls: Family<CallLabels, Counter>,
    conflicts: Family<ConflictLabels, Counter>,
    transitions: Family<TransitionLabels, Counter>,
    roles: Family<RoleLabels, Gauge>,
    role: Mutex<Option<Role>>,
    recovered: Counter,
    handled_again: Counter,
    handling_seconds: Family<UpdateLabels, Histogram, fn() -> Histogram>,
    api_call_seconds: Family<MethodLabels, Histogram, fn() -> Histogram>,
    telegram_reachable: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    /// The content type of [`Metrics::render`]'s text.
    pub const CONTENT_TYPE: &'static str =
        "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// Every metric at zero, no role yet.
    pub fn new() -> Metrics {
        let updates = Family::<UpdateLabels, Counter>::default();
        let handler_errors = Family::<ErrorLabels, Counter>::default();
        let api_calls = Family::<CallLabels, Counter>::default();
        let conflicts = Family::<ConflictLabels, Counter>::default();
        let transitions = Family::<TransitionLabels, Counter>::default();
        let roles = Family::<RoleLabels, Gauge>::default();
        // Every known series from the start, so that rates and alerts see a zero rather than
        // nothing.
        for kind in UPDATE_KINDS {
            updates.get_or_create(&UpdateLabels { kind }).inc_by(0);
        }
        for error in HANDLER_ERRORS {
            handler_errors
                .get_or_create(&ErrorLabels { error })
                .inc_by(0);
        }
        for cause in CONFLICT_CAUSES {
            conflicts.get_or_create(&ConflictLabels { cause }).inc_by(0);
        }
        for to in [Role::Leader, Role::Standby] {
            transitions
                .get_or_create(&TransitionLabels { to: to.as_str() })
                .inc_by(0);
        }
        for role in Role::ALL {
            roles
                .get_or_create(&RoleLabels {
                    role: role.as_str(),
                })
                .set(0);
        }

        let recovered = Counter::default();
        let handled_again = Counter::default();
        let handling_seconds: Family<UpdateLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let api_call_seconds: Family<MethodLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let telegram_reachable = Gauge::default();
        telegram_reachable.set(1);
        let mut registry = Registry::with_prefix("vitrina");
        registry.register(
            "updates",
            "Updates handled, by what became of them",
            updates.clone(),
        );
        registry.register(
            "handler_errors",
            "Updates that could not be handled now and will come again",
            handler_errors.clone(),
        );
        registry.register(
            "bot_api_calls",
            "Requests to the Bot API, retries included, by method and outcome \
             (webhook_reply: carried by a webhook's answer, made by Telegram untold)",
            api_calls.clone(),
        );
        registry.register(
            "conflicts",
            "409 Conflict answers to getUpdates, by cause",
            conflicts.clone(),
        );
        registry.register(
            "leader_transitions",
            "Changes between leader and standby",
            transitions.clone(),
        );
        registry.register(
            "role",
            "The role this instance plays now (1) and those it does not (0)",
            roles.clone(),
        );
        registry.register(
            "outbox_recovered",
            "Answers whose lock lapsed (their instance stopped, or lost the database for longer than a lock), sent by this one",
            recovered.clone(),
        );
        registry.register(
            "updates_handled_again",
            "Updates whose first try a failed call spoiled, handled again with each call guarded",
            handled_again.clone(),
        );
        registry.register(
            "update_handling_seconds",
            "Time from an update's arrival to its answers sent, by what became of it",
            handling_seconds.clone(),
        );
        registry.register(
            "bot_api_call_seconds",
            "Time of one request to the Bot API, by method",
            api_call_seconds.clone(),
        );
        registry.register(
            "telegram_reachable",
            "0 while getUpdates fails for another reason than a 409 (Telegram or the network is down), else 1",
            telegram_reachable.clone(),
        );
        Metrics {
            registry,
            updates,
            handler_errors,
            api_calls,
            conflicts,
            transitions,
            roles,
            role: Mutex::new(None),
            recovered,
            handled_again,
            handling_seconds,
            api_call_seconds,
            telegram_reachable,
        }
    }

    /// Counts answers taken from the outbox after their instance stopped.
    pub fn outbox_recovered(&self, count: usize) {
        self.recovered
            .inc_by(u64::try_from(count).unwrap_or(u64::MAX));
    }

    /// Counts an update handled a second time, guarded, after a failed call spoiled its first
    /// try.
    pub(crate) fn handled_again(&self) {
        self.handled_again.inc();
    }

    /// Records whether the last getUpdates reached Telegram.
    pub fn set_telegram_reachable(&self, reachable: bool) {
        self.telegram_reachable.set(i64::from(reachable));
    }

    /// Whether the last getUpdates reached Telegram (true before the first).
    pub fn telegram_reachable(&self) -> bool {
        self.telegram_reachable.get() != 0
    }

    /// Counts a 409 from getUpdates.
    pub fn conflict(&self, cause: ConflictCause) {
        let cause = match cause {
            ConflictCause::OtherPoller => "other_poller",
            ConflictCause::WebhookActive => "webhook_active",
        };
        self.conflicts
            .get_or_create(&ConflictLabels { cause })
            .inc();
    }

    /// Counts a change between leader and standby (`to` is [`Role::Leader`] or
    /// [`Role::Standby`]) and makes `to` the current role.
    pub fn leader_transition(&self, to: Role) {
        self.transitions
            .get_or_create(&TransitionLabels { to: to.as_str() })
            .inc();
        self.set_role(to);
    }

    /// Makes `role` the current role.
    pub fn set_role(&self, role: Role) {
        let mut current = self
            .role
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *current = Some(role);
        // Under the lock, so that two calls at once cannot leave two roles at 1.
        for other in Role::ALL {
            self.roles
                .get_or_create(&RoleLabels {
                    role: other.as_str(),
                })
                .set(i64::from(other == role));
        }
    }

    /// The current role, once one was set.
    pub fn role(&self) -> Option<Role> {
        *self
            .role
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every metric in the OpenMetrics text format ([`Metrics::CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut text = String::new();
        if let Err(error) = encode(&mut text, &self.registry) {
            // Writing into a String cannot fail; a label that cannot be encoded could.
            tracing::warn!(%error, "the metrics could not be rendered");
        }
        text
    }

    /// Counts what became of an update of kind `handled`, handled in `elapsed`. A failed
    /// update is counted among the errors, and its time with the kind it would have had.
    pub(crate) fn update_handled(
        &self,
        handled: UpdateKind,
        result: Result<&Handled, &DeliveryError>,
        elapsed: Duration,
    ) {
        let kind = match result {
            Ok(Handled::Duplicate) => "duplicate",
            Ok(Handled::Skipped(_)) => "skipped",
            Ok(Handled::Done) | Err(_) => handled.label(),
        };
        self.handling_seconds
            .get_or_create(&UpdateLabels { kind })
            .observe(elapsed.as_secs_f64());
        match result {
            Ok(_) => {
                self.updates.get_or_create(&UpdateLabels { kind }).inc();
            }
            Err(error) => {
                let error = match error {
                    DeliveryError::Unavailable(_) => "unavailable",
                };
                self.handler_errors
                    .get_or_create(&ErrorLabels { error })
                    .inc();
            }
        }
    }
}

impl Metrics {
    /// Counts a call carried by a webhook's answer ([`crate::Replied::reply`]): Telegram never
    /// tells whether it made it, so it has an outcome of its own and no duration.
    pub(crate) fn webhook_reply(&self, method: &str) {
        self.api_calls
            .get_or_create(&CallLabels {
                method: method.to_owned(),
                outcome: "webhook_reply".to_owned(),
            })
            .inc();
    }
}

impl CallObserver for Metrics {
    fn observe(&self, method: &str, outcome: Result<(), &TelegramError>, elapsed: Duration) {
        self.api_call_seconds
            .get_or_create(&MethodLabels {
                method: method.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
        let outcome = match outcome {
            Ok(()) => "ok".to_owned(),
            Err(TelegramError::Api { code, .. }) => code.to_string(),
            Err(TelegramError::Network(_)) => "network".to_owned(),
            Err(TelegramError::Decode(_)) => "decode".to_owned(),
            Err(TelegramError::Request(_)) => "request".to_owned(),
        };
        self.api_calls
            .get_or_create(&CallLabels {
                method: method.to_owned(),
                outcome,
            })
            .inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the sample `name{labels}` in `text`, or `None` when it is absent.
    fn sample(text: &str, series: &str) -> Option<f64> {
        text.lines().find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == series).then(|| value.parse().ok()).flatten()
        })
    }

    fn check(metrics: &Metrics, expected: &[(&str, f64)]) {
        let text = metrics.render();
        for (series, value) in expected {
            assert_eq!(sample(&text, series), Some(*value), "{series} in\n{text}");
        }
    }

    #[test]
    fn answers_recovered_from_the_outbox_are_counted() {
        let metrics = Metrics::new();
        metrics.outbox_recovered(3);
        metrics.outbox_recovered(2);
        check(&metrics, &[("vitrina_outbox_recovered_total", 5.0)]);
    }

    #[test]
    fn updates_handled_again_are_counted() {
        let metrics = Metrics::new();
        check(&metrics, &[("vitrina_updates_handled_again_total", 0.0)]);
        metrics.handled_again();
        metrics.handled_again();
        check(&metrics, &[("vitrina_updates_handled_again_total", 2.0)]);
    }

    #[test]
    fn known_series_start_at_zero_and_the_text_is_complete() {
        let metrics = Metrics::new();
        check(
            &metrics,
            &[
                ("vitrina_updates_total{kind=\"message\"}", 0.0),
                ("vitrina_updates_total{kind=\"duplicate\"}", 0.0),
                ("vitrina_handler_errors_total{error=\"unavailable\"}", 0.0),
                ("vitrina_conflicts_total{cause=\"webhook_active\"}", 0.0),
                ("vitrina_leader_transitions_total{to=\"standby\"}", 0.0),
                ("vitrina_role{role=\"webhook\"}", 0.0),
                ("vitrina_outbox_recovered_total", 0.0),
            ],
        );
        assert!(metrics.render().ends_with("# EOF\n"));
        assert_eq!(metrics.role(), None);
    }

    #[test]
    fn updates_are_counted_by_what_became_of_them() {
        let metrics = Metrics::new();
        let outcomes: [(UpdateKind, Result<Handled, DeliveryError>); 8] = [
            (UpdateKind::Message, Ok(Handled::Done)),
            (UpdateKind::Message, Ok(Handled::Done)),
            (UpdateKind::CallbackQuery, Ok(Handled::Done)),
            (UpdateKind::CallbackQuery, Ok(Handled::Duplicate)),
            (UpdateKind::InlineQuery, Ok(Handled::Done)),
            (UpdateKind::InlineQuery, Ok(Handled::Done)),
            (
                UpdateKind::Message,
                Ok(Handled::Skipped("edited_message".into())),
            ),
            (
                UpdateKind::Message,
                Err(DeliveryError::Unavailable("down".into())),
            ),
        ];
        for (kind, result) in &outcomes {
            metrics.update_handled(*kind, result.as_ref(), Duration::from_millis(2));
        }
        check(
            &metrics,
            &[
                ("vitrina_updates_total{kind=\"message\"}", 2.0),
                ("vitrina_updates_total{kind=\"callback_query\"}", 1.0),
                ("vitrina_updates_total{kind=\"inline_query\"}", 2.0),
                ("vitrina_updates_total{kind=\"duplicate\"}", 1.0),
                ("vitrina_updates_total{kind=\"skipped\"}", 1.0),
                ("vitrina_handler_errors_total{error=\"unavailable\"}", 1.0),
            ],
        );
    }

    #[test]
    fn api_calls_are_counted_by_method_and_outcome() {
        let metrics = Metrics::new();
        let flood = TelegramError::Api {
            code: 429,
            description: "Too Many Requests: retry after 1".into(),
            retry_after: Some(1),
        };
        let quick = Duration::from_millis(1);
        metrics.observe("sendMessage", Ok(()), quick);
        metrics.observe("sendMessage", Ok(()), quick);
        metrics.observe("sendMessage", Err(&flood), quick);
        metrics.observe(
            "getUpdates",
            Err(&TelegramError::Network("reset".into())),
            quick,
        );
        metrics.webhook_reply("answerCallbackQuery");
        check(
            &metrics,
            &[
                (
                    "vitrina_bot_api_calls_total{method=\"sendMessage\",outcome=\"ok\"}",
                    2.0,
                ),
                (
                    "vitrina_bot_api_calls_total{method=\"sendMessage\",outcome=\"429\"}",
                    1.0,
                ),
                (
                    "vitrina_bot_api_calls_total{method=\"getUpdates\",outcome=\"network\"}",
                    1.0,
                ),
                (
                    "vitrina_bot_api_calls_total{method=\"answerCallbackQuery\",outcome=\"webhook_reply\"}",
                    1.0,
                ),
            ],
        );
    }

    #[test]
    fn update_and_call_times_fall_into_their_buckets() {
        let metrics = Metrics::new();
        for millis in [1, 4, 4, 40] {
            metrics.update_handled(
                UpdateKind::Message,
                Ok(&Handled::Done),
                Duration::from_micros(millis * 1000 - 100),
            );
        }
        metrics.update_handled(
            UpdateKind::CallbackQuery,
            Err(&DeliveryError::Unavailable("down".into())),
            Duration::from_secs(2),
        );
        metrics.observe("sendMessage", Ok(()), Duration::from_micros(2_500));
        metrics.observe("getUpdates", Ok(()), Duration::from_secs(30));
        let handling = "vitrina_update_handling_seconds";
        let calls = "vitrina_bot_api_call_seconds";
        let expected = [
            (
                format!("{handling}_bucket{{le=\"0.001\",kind=\"message\"}}"),
                1.0,
            ),
            (
                format!("{handling}_bucket{{le=\"0.005\",kind=\"message\"}}"),
                3.0,
            ),
            (
                format!("{handling}_bucket{{le=\"0.05\",kind=\"message\"}}"),
                4.0,
            ),
            (format!("{handling}_count{{kind=\"message\"}}"), 4.0),
            (
                format!("{handling}_bucket{{le=\"1.0\",kind=\"callback_query\"}}"),
                0.0,
            ),
            (
                format!("{handling}_bucket{{le=\"5.0\",kind=\"callback_query\"}}"),
                1.0,
            ),
            (
                format!("{calls}_bucket{{le=\"0.002\",method=\"sendMessage\"}}"),
                0.0,
            ),
            (
                format!("{calls}_bucket{{le=\"0.003\",method=\"sendMessage\"}}"),
                1.0,
            ),
            (
                format!("{calls}_bucket{{le=\"15.0\",method=\"getUpdates\"}}"),
                0.0,
            ),
            (
                format!("{calls}_bucket{{le=\"60.0\",method=\"getUpdates\"}}"),
                1.0,
            ),
            (format!("{calls}_count{{method=\"getUpdates\"}}"), 1.0),
        ];
        let expected: Vec<(&str, f64)> = expected
            .iter()
            .map(|(series, value)| (series.as_str(), *value))
            .collect();
        check(&metrics, &expected);
    }

    #[test]
    fn conflicts_transitions_and_the_role_are_kept() {
        let metrics = Metrics::new();
        metrics.conflict(ConflictCause::OtherPoller);
        metrics.conflict(ConflictCause::OtherPoller);
        metrics.conflict(ConflictCause::WebhookActive);
        metrics.set_role(Role::Standby);
        metrics.leader_transition(Role::Leader);
        metrics.leader_transition(Role::Standby);
        metrics.leader_transition(Role::Leader);
        assert_eq!(metrics.role(), Some(Role::Leader));
        check(
            &metrics,
            &[
                ("vitrina_conflicts_total{cause=\"other_poller\"}", 2.0),
                ("vitrina_conflicts_total{cause=\"webhook_active\"}", 1.0),
                ("vitrina_leader_transitions_total{to=\"leader\"}", 2.0),
                ("vitrina_leader_transitions_total{to=\"standby\"}", 1.0),
                ("vitrina_role{role=\"leader\"}", 1.0),
                ("vitrina_role{role=\"standby\"}", 0.0),
                ("vitrina_role{role=\"polling\"}", 0.0),
            ],
        );
    }
}
