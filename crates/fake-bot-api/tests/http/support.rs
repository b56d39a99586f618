//! Starting a server with a frankenstein client pointed at it, and reading errors.

use std::time::Duration;

use frankenstein::client_reqwest::Bot;
use frankenstein::reqwest;
use frankenstein::response::ErrorResponse;
use serde_json::Value;
use vitrina_fake_bot_api::{Config, FakeBotApi, Handle, RunningServer};

pub struct Fixture {
    pub server: RunningServer,
    pub bot: Bot,
}

impl Fixture {
    pub fn fake(&self) -> &Handle {
        self.server.handle()
    }

    /// A plain HTTP call, for what frankenstein cannot send (forms, bad tokens, unknown methods).
    pub async fn raw(&self, path: &str, content_type: &str, body: &str) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}{path}", self.server.base_url()))
            .header("content-type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

impl Fixture {
    /// A GET of the control API, its JSON answer.
    pub async fn get(&self, path: &str) -> Value {
        let text = reqwest::get(format!("{}{path}", self.server.base_url()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

pub async fn start() -> Fixture {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> Fixture {
    let server = FakeBotApi::start(config).await.unwrap();
    // Longer than any long poll in these tests.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let bot = Bot::builder()
        .api_url(server.api_url())
        .client(client)
        .build();
    Fixture { server, bot }
}

/// The Bot API error of a call that must fail.
pub fn api_error<T: std::fmt::Debug>(outcome: Result<T, frankenstein::Error>) -> ErrorResponse {
    match outcome {
        Err(frankenstein::Error::Api(error)) => error,
        other => panic!("expected a Bot API error, got {other:?}"),
    }
}

/// Checks the code and description of a failed call.
pub fn check_error<T: std::fmt::Debug>(
    outcome: Result<T, frankenstein::Error>,
    code: u64,
    description: &str,
) {
    let error = api_error(outcome);
    assert_eq!(
        (error.error_code, error.description.as_str()),
        (code, description)
    );
}
