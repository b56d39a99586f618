//! Every Bot API call goes through [`Sender::call`]: the one place where Telegram's rate
//! limits are kept and failed calls are retried.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use frankenstein::reqwest::header::{CONTENT_TYPE, HeaderValue};
use frankenstein::reqwest::{Client, Url};
use frankenstein::response::{ErrorResponse, MethodResponse};
use rustls_platform_verifier::BuilderVerifierExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::TelegramError;
use crate::error::chain;
use crate::transport::{Transport, proxy_named};

/// How long connecting to the Bot API may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How fast messages may go out (sends and edits; callback answers and control calls are not
/// counted).
///
/// Telegram allows about 30 messages a second per bot and one a second per chat, with short
/// bursts tolerated; going faster earns 429s. The limits are this client's: instances that
/// share a bot share Telegram's limits too, so each should be given its part.
///
/// Rates may be fractions (0.5 is one message every two seconds); a rate that is not a
/// positive finite number counts as [`RateLimits::SLOWEST`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Messages per second over all chats.
    pub per_second: f64,
    /// Messages per second into one chat, sustained.
    pub per_chat_per_second: f64,
    /// Messages that may go into one chat at once before the per-chat rate applies (a card's
    /// photos and its text).
    pub per_chat_burst: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_second: 30.0,
            per_chat_per_second: 1.0,
            per_chat_burst: 3,
        }
    }
}

impl RateLimits {
    /// The slowest rate kept: one message in 100 seconds.
    pub const SLOWEST: f64 = 0.01;

    /// The time between two messages at `per_second`.
    fn interval(per_second: f64) -> Duration {
        let rate = if per_second.is_finite() {
            per_second.max(Self::SLOWEST)
        } else {
            Self::SLOWEST
        };
        Duration::from_secs_f64(1.0 / rate)
    }
}

/// How failed calls are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The longest `retry_after` of a 429 that is waited for; a longer one fails the call at
    /// once rather than hold up the chat.
    pub max_retry_after: Duration,
    /// The wait before the first retry of a 5xx or a network failure, doubling after each.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 3,
            max_retry_after: Duration::from_secs(30),
            backoff: Duration::from_millis(250),
        }
    }
}

/// Told of every request sent to the Bot API, each retry included, with how it ended and how
/// long it took: the one hook for counting and timing calls (metrics) without wrapping each
/// method.
///
/// Called on the task that made the call, right after the answer: keep it quick and never
/// block.
pub trait CallObserver: Send + Sync {
    /// `method` (such as `sendMessage`) was called and ended with `outcome` after `elapsed`
    /// (the request alone: the wait for the rate limiter is not in it).
    fn observe(&self, method: &str, outcome: Result<(), &TelegramError>, elapsed: Duration);
}

/// What a call is, for the limits and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// A message sent or edited in this chat: rate-limited and retried.
    Message(i64),
    /// Anything else that must get through (callback answers, commands, webhook calls):
    /// retried, not rate-limited.
    Control,
    /// A long poll: neither, because the poller loops and handles 409s itself.
    Poll,
}

/// Where the calls of one bot go, and how.
///
/// The base URL is parsed once: a method's path is the base's with the method's name pushed
/// on, not a URL formatted and parsed again per call.
#[derive(Clone)]
pub(crate) struct Endpoint {
    route: Route,
    /// How long a call may take, connecting included.
    timeout: Duration,
}

/// How the requests reach the Bot API, and what each addresses a method by.
#[derive(Clone)]
enum Route {
    /// Straight to the server, over connections the calls drive themselves (`transport`);
    /// clones share the idle connections.
    Direct {
        transport: Transport,
        /// The base's path without a trailing `/` (`/bot{token}`), the start of every
        /// request target.
        base_path: String,
    },
    /// Through the proxy the environment names (`HTTPS_PROXY`, `ALL_PROXY`…), which reqwest
    /// reads and speaks to.
    Proxied {
        http: Client,
        /// `{api_url}/bot{token}`.
        base: Url,
    },
}

impl Endpoint {
    /// The bot at `base` (`{api_url}/bot{token}`), each call taking at most `timeout`;
    /// through a proxy when the process's environment names one.
    pub(crate) fn new(base: &str, timeout: Duration) -> Result<Endpoint, TelegramError> {
        Endpoint::with_route(base, timeout, proxy_named(|name| std::env::var(name).ok()))
    }

    fn with_route(base: &str, timeout: Duration, proxied: bool) -> Result<Endpoint, TelegramError> {
        let base = Url::parse(base)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                TelegramError::Request("the Bot API URL is not an http(s) URL".to_owned())
            })?;
        let route = if proxied {
            Route::Proxied {
                http: reqwest_client(timeout)?,
                base,
            }
        } else {
            let host = base.host_str().ok_or_else(|| {
                TelegramError::Request("the Bot API URL names no host".to_owned())
            })?;
            let port = base.port_or_known_default().unwrap_or(443);
            let tls = match base.scheme() {
                "https" => Some(tls_config()?),
                _ => None,
            };
            Route::Direct {
                transport: Transport::new(host, port, tls, CONNECT_TIMEOUT)
                    .map_err(|error| TelegramError::Request(error.to_string()))?,
                base_path: base.path().trim_end_matches('/').to_owned(),
            }
        };
        Ok(Endpoint { route, timeout })
    }

    /// The same bot with another timeout, sharing the connections.
    pub(crate) fn with_timeout(&self, timeout: Duration) -> Result<Endpoint, TelegramError> {
        let route = match &self.route {
            Route::Direct { .. } => self.route.clone(),
            Route::Proxied { base, .. } => Route::Proxied {
                http: reqwest_client(timeout)?,
                base: base.clone(),
            },
        };
        Ok(Endpoint { route, timeout })
    }

    /// Calls `method` with `params` as JSON and reads the answer's `result`.
    async fn request<P, R>(&self, method: &str, params: &P) -> Result<R, TelegramError>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let body = serde_json::to_vec(params)
            .map_err(|error| TelegramError::Request(format!("{method}: {error}")))?;
        let (success, answer) = match &self.route {
            Route::Direct {
                transport,
                base_path,
            } => {
                let answer = transport
                    .post_json(&request_target(base_path, method), body, self.timeout)
                    .await
                    .map_err(|error| TelegramError::Network(chain(&error)))?;
                (answer.success, answer.body)
            }
            Route::Proxied { http, base } => {
                let response = http
                    .post(method_url(base, method))
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(body)
                    .send()
                    .await
                    .map_err(TelegramError::unanswered)?;
                let success = response.status().is_success();
                // Bytes, not text: JSON is UTF-8 and is checked as it is parsed.
                let answer = response.bytes().await.map_err(TelegramError::unanswered)?;
                (success, answer)
            }
        };
        let unreadable = |error| TelegramError::unreadable(&error, &answer);
        if !success {
            let refusal = serde_json::from_slice::<ErrorResponse>(&answer).map_err(unreadable)?;
            return Err(TelegramError::refused(refusal));
        }
        serde_json::from_slice::<MethodResponse<R>>(&answer)
            .map(|response| response.result)
            .map_err(unreadable)
    }
}

/// The URL of `method` under `base`.
fn method_url(base: &Url, method: &str) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().push(method);
    }
    url
}

/// The request target of `method` under `base_path` (`/bot{token}/{method}`).
fn request_target(base_path: &str, method: &str) -> String {
    let mut path = String::with_capacity(base_path.len() + 1 + method.len());
    path.push_str(base_path);
    path.push('/');
    path.push_str(method);
    path
}

/// reqwest's client for calls through a proxy, each taking at most `timeout`.
fn reqwest_client(timeout: Duration) -> Result<Client, TelegramError> {
    Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(timeout)
        .build()
        .map_err(|error| TelegramError::Request(error.to_string()))
}

/// TLS to the Bot API: rustls with the certificates the system trusts, as reqwest's own.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, TelegramError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(BuilderVerifierExt::with_platform_verifier)
        .map_err(|error| TelegramError::Request(format!("TLS: {error}")))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The Bot API client with the limits and the retry policy around it; clones share the
/// limits.
#[derive(Clone)]
pub(crate) struct Sender {
    /// For calls answered at once.
    bot: Endpoint,
    /// For getUpdates, whose answer may take the whole long-poll timeout.
    poll_bot: Endpoint,
    limiter: Option<Arc<Limiter>>,
    retry: RetryPolicy,
    observer: Option<Arc<dyn CallObserver>>,
}

impl fmt::Debug for Sender {
    // Never the URLs: they hold the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field(
                "limits",
                &self.limiter.as_ref().map(|limiter| limiter.limits),
            )
            .field("retry", &self.retry)
            .field("observed", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}

impl Sender {
    pub(crate) fn new(bot: Endpoint, poll_bot: Endpoint) -> Sender {
        Sender {
            bot,
            poll_bot,
            limiter: Some(Arc::new(Limiter::new(RateLimits::default()))),
            retry: RetryPolicy::default(),
            observer: None,
        }
    }

    pub(crate) fn set_rate_limits(&mut self, limits: Option<RateLimits>) {
        self.limiter = limits.map(|limits| Arc::new(Limiter::new(limits)));
    }

    pub(crate) fn set_retry_policy(&mut self, retry: RetryPolicy) {
        self.retry = retry;
    }

    pub(crate) fn set_observer(&mut self, observer: Option<Arc<dyn CallObserver>>) {
        self.observer = observer;
    }

    /// Waits until a message to `chat` may go under the rate limits, for a message sent
    /// outside [`Sender::call`] (an upload).
    pub(crate) async fn wait_for_turn(&self, chat: i64) {
        if let Some(limiter) = &self.limiter {
            tokio::time::sleep_until(limiter.reserve(chat)).await;
        }
    }

    /// Calls `method` with `params` and returns its `result`.
    pub(crate) async fn call<P, R>(
        &self,
        method: &str,
        lane: Lane,
        params: &P,
    ) -> Result<R, TelegramError>
    where
        P: Serialize + fmt::Debug + Sync,
        R: DeserializeOwned,
    {
        let bot = if lane == Lane::Poll {
            &self.poll_bot
        } else {
            &self.bot
        };
        let mut attempt = 0;
        loop {
            if let (Lane::Message(chat), Some(limiter)) = (lane, &self.limiter) {
                tokio::time::sleep_until(limiter.reserve(chat)).await;
            }
            let started = Instant::now();
            let answer = bot.request::<P, R>(method, params).await;
            if let Some(observer) = &self.observer {
                observer.observe(method, answer.as_ref().map(drop), started.elapsed());
            }
            let error = match answer {
                Ok(result) => return Ok(result),
                Err(error) => error,
            };
            let delay = match self.retry_delay(lane, attempt, &error) {
                Some(delay) => delay,
                None => return Err(error),
            };
            tracing::debug!(method, %error, attempt, ?delay, "retrying a Bot API call");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    fn retry_delay(&self, lane: Lane, attempt: u32, error: &TelegramError) -> Option<Duration> {
        if lane == Lane::Poll || attempt >= self.retry.retries {
            return None;
        }
        if let Some(seconds) = error.retry_after() {
            let wait = Duration::from_secs(u64::from(seconds));
            return (wait <= self.retry.max_retry_after).then_some(wait);
        }
        error.is_transient().then(|| {
            self.retry
                .backoff
                .saturating_mul(2u32.saturating_pow(attempt))
        })
    }
}

/// Rate limits as generic cell rate algorithms: one theoretical arrival time for the bot and
/// one per chat. Reserving computes when a message may go and moves the times on, under a
/// lock held only for that arithmetic; the wait happens outside it.
struct Limiter {
    limits: RateLimits,
    global_interval: Duration,
    chat_interval: Duration,
    chat_tolerance: Duration,
    state: Mutex<LimiterState>,
}

struct LimiterState {
    global: Instant,
    chats: HashMap<i64, Instant>,
}

/// Above this many chats, chats whose slots have passed are forgotten.
const CHATS_REMEMBERED: usize = 4096;

impl Limiter {
    fn new(limits: RateLimits) -> Limiter {
        let chat_interval = RateLimits::interval(limits.per_chat_per_second);
        Limiter {
            limits,
            global_interval: RateLimits::interval(limits.per_second),
            chat_interval,
            chat_tolerance: chat_interval.saturating_mul(limits.per_chat_burst.saturating_sub(1)),
            state: Mutex::new(LimiterState {
                global: Instant::now(),
                chats: HashMap::new(),
            }),
        }
    }

    /// Takes the next slot for a message to `chat` and returns when it begins.
    fn reserve(&self, chat: i64) -> Instant {
        let now = Instant::now();
        // A panic elsewhere while the lock was held leaves consistent instants behind.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.chats.len() > CHATS_REMEMBERED {
            state.chats.retain(|_, due| *due > now);
        }
        let chat_due = state.chats.entry(chat).or_insert(now);
        let chat_start = gcra(chat_due, now, self.chat_interval, self.chat_tolerance);
        gcra(
            &mut state.global,
            chat_start,
            self.global_interval,
            Duration::ZERO,
        )
    }
}

/// One step of GCRA: `due` is the theoretical arrival time; a message may go at `earliest`
/// if that is no more than `tolerance` before `due`, else at `due - tolerance`.
fn gcra(due: &mut Instant, earliest: Instant, interval: Duration, tolerance: Duration) -> Instant {
    let base = (*due).max(earliest);
    let start = base
        .checked_sub(tolerance)
        .map_or(earliest, |start| start.max(earliest));
    *due = base + interval;
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(limiter: &Limiter, chats: &[i64]) -> Vec<u128> {
        let origin = Instant::now();
        chats
            .iter()
            .map(|chat| {
                limiter
                    .reserve(*chat)
                    .saturating_duration_since(origin)
                    .as_millis()
            })
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn one_chat_gets_its_burst_then_one_message_a_second() {
        let limiter = Limiter::new(RateLimits::default());
        let starts = offsets(&limiter, &[1, 1, 1, 1, 1]);
        assert_eq!(starts, vec![0, 33, 66, 1000, 2000]);
    }

    #[tokio::test(start_paused = true)]
    async fn many_chats_share_the_bot_rate() {
        let limiter = Limiter::new(RateLimits {
            per_second: 10.0,
            per_chat_per_second: 1.0,
            per_chat_burst: 1,
        });
        let starts = offsets(&limiter, &[1, 2, 3, 4]);
        assert_eq!(starts, vec![0, 100, 200, 300]);
    }

    #[tokio::test(start_paused = true)]
    async fn fractional_rates_are_honoured() {
        // Half a message a second into a chat: one every two seconds, not one a second.
        let limiter = Limiter::new(RateLimits {
            per_second: 30.0,
            per_chat_per_second: 0.5,
            per_chat_burst: 1,
        });
        assert_eq!(offsets(&limiter, &[1, 1, 1]), vec![0, 2000, 4000]);
        // 2.5 a second over all chats: 400 ms apart, not the 333 ms of 3.
        let limiter = Limiter::new(RateLimits {
            per_second: 2.5,
            per_chat_per_second: 1.0,
            per_chat_burst: 1,
        });
        assert_eq!(offsets(&limiter, &[1, 2, 3, 4]), vec![0, 400, 800, 1200]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_that_is_not_a_positive_number_is_the_slowest() {
        for rate in [0.0, -1.0, f64::NAN, 0.000_1] {
            let limiter = Limiter::new(RateLimits {
                per_second: 30.0,
                per_chat_per_second: rate,
                per_chat_burst: 1,
            });
            assert_eq!(offsets(&limiter, &[1, 1]), vec![0, 100_000], "{rate}");
        }
    }

    /// Records what it is told, as "method ok" or "method <code>".
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl CallObserver for Recorder {
        fn observe(&self, method: &str, outcome: Result<(), &TelegramError>, _: Duration) {
            let outcome = match outcome {
                Ok(()) => "ok".to_owned(),
                Err(error) => error
                    .code()
                    .map_or_else(|| "network".to_owned(), |code| code.to_string()),
            };
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(format!("{method} {outcome}"));
        }
    }

    #[tokio::test]
    async fn the_observer_is_told_of_every_attempt_and_clones_share_it() {
        use vitrina_fake_bot_api::{Config, FakeBotApi, Fault};

        let server = FakeBotApi::start(Config::default())
            .await
            .expect("the fake Bot API starts");
        let recorder = Arc::new(Recorder::default());
        let client = crate::TelegramClient::new(&server.base_url(), server.token())
            .expect("a client")
            .with_retry_policy(RetryPolicy {
                retries: 2,
                max_retry_after: Duration::from_secs(1),
                backoff: Duration::from_millis(5),
            })
            .with_observer(recorder.clone());
        server
            .handle()
            .fail_next("getMe", 1, Fault::ServerError { status: 502 });
        client.clone().get_me().await.expect("getMe after a retry");
        server
            .handle()
            .fail_next("getWebhookInfo", 3, Fault::ServerError { status: 500 });
        let failed = client.get_webhook_info().await;
        assert!(failed.is_err(), "{failed:?}");

        let seen = recorder.0.lock().expect("not poisoned").clone();
        assert_eq!(
            seen,
            [
                "getMe 502",
                "getMe ok",
                "getWebhookInfo 500",
                "getWebhookInfo 500",
                "getWebhookInfo 500",
            ]
        );
    }

    #[test]
    fn a_method_is_called_under_the_bots_base() {
        for proxied in [false, true] {
            let endpoint = Endpoint::with_route(
                "https://example.org/prefix/bot12:AB-c_d",
                Duration::from_secs(1),
                proxied,
            )
            .expect("a base URL");
            match &endpoint.route {
                Route::Direct { base_path, .. } => assert_eq!(
                    request_target(base_path, "sendMessage"),
                    "/prefix/bot12:AB-c_d/sendMessage"
                ),
                Route::Proxied { base, .. } => assert_eq!(
                    method_url(base, "sendMessage").as_str(),
                    "https://example.org/prefix/bot12:AB-c_d/sendMessage"
                ),
            }
            assert_eq!(
                matches!(endpoint.route, Route::Proxied { .. }),
                proxied,
                "the route the environment asks for"
            );
            let bad = |base: &str| Endpoint::with_route(base, Duration::from_secs(1), proxied);
            assert!(bad("api.telegram.org/bot12:x").is_err());
            assert!(bad("mailto:bot@example.org").is_err());
            assert!(bad("ftp://example.org/bot12:x").is_err());
        }
    }

    #[test]
    fn retries_follow_the_error() {
        let endpoint =
            Endpoint::new("http://127.0.0.1:9/bot1:x", Duration::from_secs(1)).expect("a base URL");
        let sender = Sender::new(endpoint.clone(), endpoint);
        let check = |lane: Lane, attempt: u32, error: TelegramError, expected: Option<Duration>| {
            assert_eq!(
                sender.retry_delay(lane, attempt, &error),
                expected,
                "{error} #{attempt}"
            );
        };
        let flood = |seconds: u32| TelegramError::Api {
            code: 429,
            description: format!("Too Many Requests: retry after {seconds}"),
            retry_after: Some(seconds),
        };
        let api = |code: u16| TelegramError::Api {
            code,
            description: "x".to_owned(),
            retry_after: None,
        };
        let network = TelegramError::Network("reset".to_owned());
        check(Lane::Message(1), 0, flood(2), Some(Duration::from_secs(2)));
        check(Lane::Message(1), 0, flood(31), None);
        check(
            Lane::Message(1),
            0,
            api(502),
            Some(Duration::from_millis(250)),
        );
        check(
            Lane::Control,
            2,
            network.clone(),
            Some(Duration::from_millis(1000)),
        );
        check(Lane::Message(1), 3, network.clone(), None);
        check(Lane::Poll, 0, network, None);
        check(Lane::Message(1), 0, api(400), None);
        check(Lane::Message(1), 0, api(403), None);
    }
}
