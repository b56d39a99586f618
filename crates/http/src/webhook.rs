//! The webhook path: Telegram posts one update per request.
//!
//! The checks go from cheapest to dearest, so that a stranger costs almost nothing: the
//! secret header before the body is read, the body's size while it is read, its shape before
//! anything is handled.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Request, StatusCode};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use tokio_util::task::TaskTracker;
use tracing::{debug, error, warn};
use vitrina_delivery::{DeliveryError, DeliveryStore, Dispatcher, Handled, Replied};
use vitrina_telegram::{RawUpdate, WebhookReply};

use crate::server::{Answer, answer};

/// The header in which Telegram sends the webhook's `secret_token`.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The largest body taken: an update is a few kilobytes; anything near this is not Telegram.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long the body may take to arrive once the headers are in.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// `Retry-After` while the database is unreachable: long enough not to hammer it, short
/// enough that the chat resumes soon after it is back.
const RETRY_AFTER_UNAVAILABLE: &str = "5";

type HandlerFuture = Pin<Box<dyn Future<Output = Result<Replied, DeliveryError>> + Send>>;
type Handler = Arc<dyn Fn(RawUpdate) -> HandlerFuture + Send + Sync>;

/// The webhook route: the path Telegram posts to, the secret it must send, and what handles
/// each update.
///
/// The answer tells Telegram what to do: 200 once the update is handled (or was handled
/// before, or is of a kind the bot skips), carrying the update's answer to a press or an
/// inline query when it has one ([`WebhookReply`]); 503 with `Retry-After` when it could not
/// be handled now ([`DeliveryError`]), so that Telegram delivers it again; 401 for a missing
/// or wrong secret, 413 for a body over [`MAX_BODY_BYTES`], 400 for a body that is not an
/// update.
#[derive(Clone)]
pub struct Webhook {
    path: String,
    secret: [u8; 32],
    handler: Handler,
}

impl fmt::Debug for Webhook {
    // Never the secret, not even its digest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// Serves `path` (such as `/bot/webhook`), accepting requests whose
    /// [`SECRET_HEADER`] is `secret`, and hands each update to `handler`.
    ///
    /// The handler runs on a task of its own: an update whose request is dropped half-way
    /// (Telegram timing out) is still finished, and a shutdown waits for it.
    pub fn new<H, F>(path: impl Into<String>, secret: &str, handler: H) -> Webhook
    where
        H: Fn(RawUpdate) -> F + Send + Sync + 'static,
        F: Future<Output = Result<Handled, DeliveryError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        Webhook::with_replies(path, secret, move |update| {
            let handled = handler(update);
            async move { handled.await.map(Replied::from) }
        })
    }

    /// As [`Webhook::new`], with a handler that may give a call for the answer to carry.
    fn with_replies<H, F>(path: impl Into<String>, secret: &str, handler: H) -> Webhook
    where
        H: Fn(RawUpdate) -> F + Send + Sync + 'static,
        F: Future<Output = Result<Replied, DeliveryError>> + Send + 'static,
    {
        Webhook {
            path: path.into(),
            secret: Sha256::digest(secret.as_bytes()).into(),
            handler: Arc::new(move |update| Box::pin(handler(update))),
        }
    }

    /// Serves `path` with `secret`, handing each update to `dispatcher`, whose answers to
    /// queries ride back in the webhook's answers ([`Dispatcher::handle_replying`]).
    pub fn dispatching<S>(
        path: impl Into<String>,
        secret: &str,
        dispatcher: Arc<Dispatcher<S>>,
    ) -> Webhook
    where
        S: DeliveryStore,
    {
        Webhook::with_replies(path, secret, move |update: RawUpdate| {
            let dispatcher = Arc::clone(&dispatcher);
            async move { dispatcher.handle_replying(&update).await }
        })
    }

    /// The path served.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether `given` is the secret. Both sides are hashed first and the digests compared in
    /// constant time, so neither the secret's bytes nor its length show in the timing.
    fn secret_matches(&self, given: Option<&HeaderValue>) -> bool {
        let Some(given) = given else {
            return false;
        };
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        given.ct_eq(&self.secret).into()
    }

    /// Answers one request to the webhook path.
    pub(crate) async fn answer(&self, request: Request<Incoming>, tasks: &TaskTracker) -> Answer {
        if !self.secret_matches(request.headers().get(SECRET_HEADER)) {
            debug!("webhook request without the right secret");
            return answer(StatusCode::UNAUTHORIZED, "missing or wrong secret token\n");
        }
        let declared = request
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            return too_large();
        }
        let body = match read_body(request.into_body()).await {
            Ok(body) => body,
            Err(refusal) => return refusal,
        };
        let Ok(update) = RawUpdate::from_slice(&body) else {
            return answer(
                StatusCode::BAD_REQUEST,
                "the body is not a JSON update with an integer update_id\n",
            );
        };
        let update_id = update.update_id;
        match tasks.spawn((self.handler)(update)).await {
            Ok(Ok(Replied { handled, reply })) => {
                debug!(
                    update_id,
                    ?handled,
                    reply = reply.as_ref().map(WebhookReply::method),
                    "webhook update handled"
                );
                match reply {
                    Some(reply) => carrying(reply),
                    None => answer(StatusCode::OK, ""),
                }
            }
            Ok(Err(DeliveryError::Unavailable(reason))) => {
                warn!(update_id, %reason, "webhook update not handled: storage unavailable; Telegram will deliver it again");
                retry_later(RETRY_AFTER_UNAVAILABLE, "storage unavailable\n")
            }
            Err(failure) => {
                error!(update_id, %failure, "the webhook handler failed");
                answer(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the update could not be handled\n",
                )
            }
        }
    }
}

/// Reads the body, never holding more than [`MAX_BODY_BYTES`] of it.
async fn read_body(body: Incoming) -> Result<Bytes, Answer> {
    match tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY_BYTES).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(error)) => Err(answer(
            StatusCode::BAD_REQUEST,
            format!("the body could not be read: {error}\n"),
        )),
        Err(_) => Err(answer(
            StatusCode::REQUEST_TIMEOUT,
            "the body took too long to arrive\n",
        )),
    }
}

/// 200, with `reply` for Telegram to make.
fn carrying(reply: WebhookReply) -> Answer {
    let mut response = answer(StatusCode::OK, reply.into_body());
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(WebhookReply::CONTENT_TYPE),
    );
    response
}

fn too_large() -> Answer {
    answer(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is over {MAX_BODY_BYTES} bytes\n"),
    )
}

fn retry_later(seconds: &'static str, text: &'static str) -> Answer {
    let mut response = answer(StatusCode::SERVICE_UNAVAILABLE, text);
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static(seconds));
    response
}
