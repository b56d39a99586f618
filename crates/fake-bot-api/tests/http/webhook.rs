//! setWebhook limits and webhook delivery to a real HTTP receiver.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use frankenstein::AsyncTelegramApi;
use frankenstein::methods::{DeleteWebhookParams, SetWebhookParams};
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use vitrina_fake_bot_api::Config;

use crate::support::{api_error, check_error, start, start_with};

/// What the receiver saw.
#[derive(Default)]
struct Log {
    deliveries: Vec<(Option<String>, Value)>,
    in_flight: HashMap<i64, u32>,
    max_same_chat: u32,
    total: u32,
    max_total: u32,
}

/// A webhook endpoint answering with the scripted statuses (then 200), each after `delay`.
struct Receiver {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
}

/// What a receiver's answer to an update carries: a content type and a body.
type Reply = fn(&Value) -> Option<(&'static str, String)>;

impl Receiver {
    async fn start(statuses: Vec<u16>, delay: Duration) -> Self {
        Self::start_replying(statuses, delay, |_| None).await
    }

    /// A receiver whose answers carry `reply` of each update.
    async fn start_replying(statuses: Vec<u16>, delay: Duration, reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Log::default()));
        let statuses = Arc::new(Mutex::new(VecDeque::from(statuses)));
        let shared_log = Arc::clone(&log);
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let log = Arc::clone(&shared_log);
                let statuses = Arc::clone(&statuses);
                tokio::spawn(async move {
                    let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                        let log = Arc::clone(&log);
                        let statuses = Arc::clone(&statuses);
                        async move {
                            let secret = request
                                .headers()
                                .get("x-telegram-bot-api-secret-token")
                                .map(|value| value.to_str().unwrap().to_owned());
                            let body = request.into_body().collect().await.unwrap().to_bytes();
                            let update: Value = serde_json::from_slice(&body).unwrap();
                            let replied = reply(&update);
                            let chat = update["message"]["chat"]["id"].as_i64().unwrap_or(0);
                            {
                                let mut log = log.lock().unwrap();
                                let same = log.in_flight.entry(chat).or_default();
                                *same += 1;
                                let same = *same;
                                log.max_same_chat = log.max_same_chat.max(same);
                                log.total += 1;
                                log.max_total = log.max_total.max(log.total);
                            }
                            tokio::time::sleep(delay).await;
                            let status = statuses.lock().unwrap().pop_front().unwrap_or(200);
                            {
                                let mut log = log.lock().unwrap();
                                *log.in_flight.entry(chat).or_default() -= 1;
                                log.total -= 1;
                                log.deliveries.push((secret, update));
                            }
                            let mut response = match replied {
                                Some((content_type, body)) => {
                                    let mut response = Response::new(Full::new(Bytes::from(body)));
                                    response.headers_mut().insert(
                                        hyper::header::CONTENT_TYPE,
                                        content_type.parse().unwrap(),
                                    );
                                    response
                                }
                                None => Response::new(Full::new(Bytes::new())),
                            };
                            *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { addr, log }
    }

    fn url(&self) -> String {
        format!("http://{}/bot/webhook", self.addr)
    }
}

#[tokio::test]
async fn set_webhook_twice_within_a_second_gets_429_with_retry_after() {
    let fixture = start().await;
    let hook = SetWebhookParams::builder()
        .url("http://127.0.0.1:9/hook")
        .build();
    fixture.bot.set_webhook(&hook).await.unwrap();
    let error = api_error(fixture.bot.set_webhook(&hook).await);
    assert_eq!(error.error_code, 429);
    assert_eq!(error.description, "Too Many Requests: retry after 1");
    assert_eq!(
        error
            .parameters
            .and_then(|parameters| parameters.retry_after),
        Some(1)
    );
    let info = fixture.bot.get_webhook_info().await.unwrap().result;
    assert_eq!(info.url, "http://127.0.0.1:9/hook");
}

#[tokio::test]
async fn set_webhook_validates_the_secret_token() {
    let fixture = start().await;
    let hook = SetWebhookParams::builder()
        .url("http://127.0.0.1:9/hook")
        .secret_token("not allowed!")
        .build();
    check_error(
        fixture.bot.set_webhook(&hook).await,
        400,
        "Bad Request: bad webhook: secret token contains unallowed characters",
    );
    assert!(fixture.fake().webhook().is_none());
}

#[tokio::test]
async fn delivery_sends_the_secret_and_retries_after_a_500() {
    let receiver = Receiver::start(vec![500], Duration::ZERO).await;
    let fixture = start().await;
    let hook = SetWebhookParams::builder()
        .url(receiver.url())
        .secret_token("s3cret-token")
        .build();
    fixture.bot.set_webhook(&hook).await.unwrap();
    let sent = fixture.fake().send_text(11, "via webhook").await;

    let stats = fixture
        .fake()
        .wait_for_stats(
            |stats| stats.webhook_deliveries == 1,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            stats.webhook_attempts,
            stats.webhook_failures,
            stats.pending_updates
        ),
        (2, 1, 0)
    );
    let deliveries = receiver.log.lock().unwrap().deliveries.clone();
    assert_eq!(deliveries.len(), 2);
    for (secret, update) in &deliveries {
        assert_eq!(secret.as_deref(), Some("s3cret-token"));
        assert_eq!(update["update_id"].as_u64(), Some(u64::from(sent)));
        assert_eq!(update["message"]["text"], "via webhook");
    }
    let info = fixture.bot.get_webhook_info().await.unwrap().result;
    assert_eq!(info.pending_update_count, 0);
    assert_eq!(
        info.last_error_message.as_deref(),
        Some("Wrong response from the webhook: 500 Internal Server Error")
    );
}

#[tokio::test]
async fn the_call_a_webhook_answer_carries_is_made_once_the_update_is_confirmed() {
    // Chat 1 is answered by JSON, chat 2 by a form, chat 3 by an unknown method, chat 4 by
    // a failed answer that carries a call (never made, as with Telegram).
    let receiver = Receiver::start_replying(vec![500], Duration::ZERO, |update| {
        let chat = update["message"]["chat"]["id"].as_i64()?;
        Some(match chat {
            1 => (
                "application/json",
                format!(r#"{{"method":"sendMessage","chat_id":{chat},"text":"by json"}}"#),
            ),
            2 => (
                "application/x-www-form-urlencoded",
                format!("method=sendMessage&chat_id={chat}&text=by+form"),
            ),
            3 => ("application/json", r#"{"method":"sendDice"}"#.to_owned()),
            _ => (
                "application/json",
                format!(r#"{{"method":"sendMessage","chat_id":{chat},"text":"retried"}}"#),
            ),
        })
    })
    .await;
    let fixture = start_with(
        Config::default().with_webhook_retry(Duration::from_millis(10), Duration::from_millis(50)),
    )
    .await;
    let fake = fixture.fake();
    // The first delivery (chat 4's, the only one queued then) gets the 500.
    fake.send_text(4, "first").await;
    let hook = SetWebhookParams::builder().url(receiver.url()).build();
    fixture.bot.set_webhook(&hook).await.unwrap();
    fake.wait_for_stats(
        |stats| stats.webhook_deliveries == 1,
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    for chat in [1, 2, 3] {
        fake.send_text(chat, "hello").await;
    }
    let stats = fake
        .wait_for_stats(
            |stats| stats.webhook_deliveries == 4,
            Duration::from_secs(5),
        )
        .await
        .unwrap();

    assert_eq!(stats.webhook_failures, 1);
    // Chat 4's retried delivery carried its call too, and that one was made.
    assert_eq!(
        (stats.webhook_replies, stats.webhook_reply_failures),
        (3, 1)
    );
    assert_eq!(stats.calls_of("sendMessage"), 3);
    let bot_texts = |chat: i64| -> Vec<String> {
        fake.chat(chat)
            .messages
            .iter()
            .filter(|message| message.from_bot)
            .filter_map(|message| message.text.clone())
            .collect()
    };
    assert_eq!(bot_texts(1), ["by json"]);
    assert_eq!(bot_texts(2), ["by form"]);
    assert!(bot_texts(3).is_empty());
    assert_eq!(
        bot_texts(4),
        ["retried"],
        "made once, after the 2xx, not after the 500"
    );
}

#[tokio::test]
async fn delivery_keeps_one_update_per_chat_in_flight_and_chats_in_parallel() {
    let receiver = Receiver::start(Vec::new(), Duration::from_millis(100)).await;
    let fixture = start_with(
        Config::default().with_webhook_retry(Duration::from_millis(10), Duration::from_millis(50)),
    )
    .await;
    let fake = fixture.fake();
    let mut sent = Vec::new();
    for index in 0..3 {
        sent.push(fake.send_text(1, &format!("a{index}")).await);
        sent.push(fake.send_text(2, &format!("b{index}")).await);
    }
    let hook = SetWebhookParams::builder().url(receiver.url()).build();
    fixture.bot.set_webhook(&hook).await.unwrap();
    fake.wait_for_stats(
        |stats| stats.webhook_deliveries == 6,
        Duration::from_secs(10),
    )
    .await
    .unwrap();

    let log = receiver.log.lock().unwrap();
    assert_eq!(log.max_same_chat, 1);
    assert_eq!(log.max_total, 2);
    for chat in [1, 2] {
        let texts: Vec<&str> = log
            .deliveries
            .iter()
            .filter(|(_, update)| update["message"]["chat"]["id"] == chat)
            .filter_map(|(_, update)| update["message"]["text"].as_str())
            .collect();
        let prefix = if chat == 1 { "a" } else { "b" };
        assert_eq!(
            texts,
            (0..3)
                .map(|index| format!("{prefix}{index}"))
                .collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn delete_webhook_can_drop_pending_updates() {
    let fixture = start().await;
    let hook = SetWebhookParams::builder()
        .url("http://127.0.0.1:9/hook")
        .build();
    fixture.bot.set_webhook(&hook).await.unwrap();
    fixture.fake().send_text(1, "never delivered").await;
    assert_eq!(
        fixture
            .bot
            .get_webhook_info()
            .await
            .unwrap()
            .result
            .pending_update_count,
        1
    );
    let deleted = fixture
        .bot
        .delete_webhook(
            &DeleteWebhookParams::builder()
                .drop_pending_updates(true)
                .build(),
        )
        .await
        .unwrap();
    assert_eq!(deleted.description.as_deref(), Some("Webhook was deleted"));
    let info = fixture.bot.get_webhook_info().await.unwrap().result;
    assert_eq!((info.url.as_str(), info.pending_update_count), ("", 0));
}

#[tokio::test]
async fn a_new_webhook_does_not_wait_out_the_old_ones_backoff() {
    let receiver = Receiver::start(Vec::new(), Duration::ZERO).await;
    let fixture = start_with(
        Config::default()
            .with_set_webhook_interval(Duration::ZERO)
            .with_webhook_retry(Duration::from_secs(30), Duration::from_secs(30)),
    )
    .await;
    let fake = fixture.fake();
    let dead = SetWebhookParams::builder()
        .url("http://127.0.0.1:9/hook")
        .build();
    fixture.bot.set_webhook(&dead).await.unwrap();
    fake.send_text(1, "waiting").await;
    fake.wait_for_stats(|stats| stats.webhook_failures == 1, Duration::from_secs(5))
        .await
        .unwrap();

    let live = SetWebhookParams::builder().url(receiver.url()).build();
    fixture.bot.set_webhook(&live).await.unwrap();
    fake.wait_for_stats(
        |stats| stats.webhook_deliveries == 1,
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert_eq!(receiver.log.lock().unwrap().deliveries.len(), 1);
}
