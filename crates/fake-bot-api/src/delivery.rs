//! Webhook delivery: each pending update is POSTed to the webhook, one update per chat in flight
//! at a time (chats in parallel, up to `max_connections`), retried with a doubling delay or the
//! answer's `Retry-After`, and confirmed by a 2xx answer, whose body may carry a call for the
//! server to make (a webhook reply).

use std::collections::HashSet;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::header::{CONTENT_TYPE, HOST, RETRY_AFTER};
use hyper::{Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::state::{Shared, State, is_allowed, now};

const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The largest webhook answer read for a reply; a bigger one is taken as a bare 2xx.
const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// How a POST was answered.
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    content_type: Option<String>,
    body: Bytes,
}

/// One update on its way to the webhook.
struct Job {
    update_id: u32,
    chat: Option<i64>,
    body: Bytes,
    url: String,
    secret_token: Option<String>,
    generation: u64,
}

/// Runs until the server stops: claims deliverable updates whenever something changes.
pub(crate) async fn run(shared: Arc<Shared>) {
    let mut deliveries = JoinSet::new();
    loop {
        let mut woken = pin!(shared.updates.notified());
        woken.as_mut().enable();
        let jobs = claim(&mut shared.lock());
        for job in jobs {
            deliveries.spawn(deliver(Arc::clone(&shared), job));
        }
        tokio::select! {
            () = &mut woken => {}
            Some(_) = deliveries.join_next(), if !deliveries.is_empty() => {}
        }
    }
}

/// The oldest pending update of every chat that has none in flight, marking those chats busy.
fn claim(state: &mut State) -> Vec<Job> {
    let Some(hook) = state.webhook.clone() else {
        return Vec::new();
    };
    state
        .pending
        .retain(|update| is_allowed(&update.kind, &hook.allowed_updates));
    let capacity = usize::try_from(hook.max_connections).unwrap_or(usize::MAX);
    let mut seen = HashSet::new();
    let mut jobs = Vec::new();
    for update in &state.pending {
        if state.webhook_busy.len() + jobs.len() >= capacity {
            break;
        }
        // Only the oldest update of a chat may go; later ones wait for it.
        if !seen.insert(update.chat) || state.webhook_busy.contains(&update.chat) {
            continue;
        }
        jobs.push(Job {
            update_id: update.id,
            chat: update.chat,
            body: Bytes::from(update.body.to_string()),
            url: hook.url.clone(),
            secret_token: hook.secret_token.clone(),
            generation: hook.generation,
        });
    }
    for job in &jobs {
        state.webhook_busy.insert(job.chat);
    }
    jobs
}

/// Delivers one update until it is confirmed, dropped, or its webhook changes.
async fn deliver(shared: Arc<Shared>, job: Job) {
    let config = &shared.config;
    let mut delay = config.webhook_retry_initial;
    loop {
        {
            let mut state = shared.lock();
            let current =
                state.webhook.as_ref().map(|hook| hook.generation) == Some(job.generation);
            let pending = state
                .pending
                .iter()
                .any(|update| update.id == job.update_id);
            if !current || !pending {
                state.webhook_busy.remove(&job.chat);
                drop(state);
                shared.notify_updates();
                return;
            }
        }
        let outcome = tokio::time::timeout(config.webhook_request_timeout, post(&job))
            .await
            .unwrap_or_else(|_| Err("Connection timed out".to_owned()));
        // Like Telegram, the call a 2xx answer carries is made as the update is confirmed.
        if let Ok(answer) = &outcome
            && answer.status.is_success()
        {
            crate::server::webhook_reply(&shared, answer.content_type.as_deref(), &answer.body)
                .await;
        }
        let wait = {
            let mut state = shared.lock();
            state.counters.webhook_attempts += 1;
            match outcome {
                Ok(answer) if answer.status.is_success() => {
                    state.pending.retain(|update| update.id != job.update_id);
                    state.webhook_busy.remove(&job.chat);
                    state.counters.webhook_deliveries += 1;
                    drop(state);
                    shared.notify_updates();
                    return;
                }
                Ok(answer) => {
                    state.counters.webhook_failures += 1;
                    state.webhook_last_error = Some((
                        now(),
                        format!("Wrong response from the webhook: {}", answer.status),
                    ));
                    answer.retry_after.unwrap_or(delay)
                }
                Err(message) => {
                    state.counters.webhook_failures += 1;
                    state.webhook_last_error = Some((now(), message));
                    delay
                }
            }
        };
        shared.notify_changed();
        pause(&shared, job.generation, wait).await;
        delay = (delay * 2).min(config.webhook_retry_max);
    }
}

/// Sleeps before a retry, but no longer than the webhook stays the same: a new or deleted
/// webhook must not wait out the old one's backoff.
async fn pause(shared: &Shared, generation: u64, wait: Duration) {
    let until = tokio::time::Instant::now() + wait;
    loop {
        let mut changed = pin!(shared.updates.notified());
        changed.as_mut().enable();
        if shared.lock().webhook.as_ref().map(|hook| hook.generation) != Some(generation) {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep_until(until) => return,
            () = &mut changed => {}
        }
    }
}

/// One POST and its answer.
async fn post(job: &Job) -> Result<Answer, String> {
    let uri: Uri = job
        .url
        .parse()
        .map_err(|_| "Invalid webhook URL".to_owned())?;
    if uri.scheme_str() != Some("http") {
        return Err("SSL error: this server delivers to http:// webhooks only".to_owned());
    }
    let authority = uri.authority().map(ToString::to_string).unwrap_or_default();
    let host = uri
        .host()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let path = uri.path_and_query().map_or("/", |path| path.as_str());

    let stream = TcpStream::connect((host, port))
        .await
        .map_err(|error| format!("Connection refused: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("Connection failed: {error}"))?;
    let mut request = Request::post(path)
        .header(HOST, authority)
        .header(CONTENT_TYPE, "application/json");
    if let Some(secret) = &job.secret_token {
        request = request.header(SECRET_HEADER, secret);
    }
    let request = request
        .body(Full::new(job.body.clone()))
        .map_err(|error| format!("Invalid webhook request: {error}"))?;
    let mut connection = pin!(connection);
    let response = tokio::select! {
        response = sender.send_request(request) => {
            response.map_err(|error| format!("Connection failed: {error}"))?
        }
        closed = &mut connection => {
            return Err(match closed {
                Ok(()) => "Connection closed".to_owned(),
                Err(error) => format!("Connection failed: {error}"),
            });
        }
    };
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = if status.is_success() {
        let read = Limited::new(response.into_body(), MAX_REPLY_BYTES).collect();
        tokio::select! {
            read = read => read.map(|body| body.to_bytes()).unwrap_or_default(),
            _ = &mut connection => Bytes::new(),
        }
    } else {
        Bytes::new()
    };
    Ok(Answer {
        status,
        retry_after,
        content_type,
        body,
    })
}
