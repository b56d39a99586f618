//! The HTTP side: binding, the accept loop, and routing `/bot<token>/<method>` and
//! `/control/…`.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

use crate::config::Config;
use crate::control::Handle;
use crate::envelope::ApiError;
use crate::error::Error;
use crate::faults::Fault;
use crate::params::Params;
use crate::state::Shared;
use crate::{control_http, delivery, methods};

/// Request bodies above this are refused (Telegram's own limit for JSON requests is far lower
/// than file uploads, which this server does not take).
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Starts fake Bot API servers.
#[derive(Debug, Clone, Copy)]
pub struct FakeBotApi;

impl FakeBotApi {
    /// Binds the configured address and serves the Bot API and the control API on it until the
    /// returned [`RunningServer`] is shut down or dropped.
    ///
    /// # Errors
    /// [`Error::Bind`] when the address cannot be bound; [`Error::InvalidToken`] for a token
    /// that cannot appear in a URL path.
    pub async fn start(config: Config) -> Result<RunningServer, Error> {
        let token = &config.token;
        if token.is_empty()
            || token
                .chars()
                .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#'))
        {
            return Err(Error::InvalidToken(token.clone()));
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
        let shared = Arc::new(Shared::new(config));
        let tasks = vec![
            tokio::spawn(serve(listener, Arc::clone(&shared))),
            tokio::spawn(delivery::run(Arc::clone(&shared))),
        ];
        Ok(RunningServer {
            addr,
            handle: Handle::new(shared),
            tasks,
        })
    }
}

/// A server that is listening. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    handle: Handle,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// The address listened on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`: what `TELEGRAM_API_URL` should be set to.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The token the server accepts.
    pub fn token(&self) -> &str {
        &self.handle.shared.config.token
    }

    /// `{base_url}/bot{token}`: the prefix of every method URL (what
    /// `frankenstein::client_reqwest::Bot::new_url` takes).
    pub fn api_url(&self) -> String {
        format!("{}/bot{}", self.base_url(), self.token())
    }

    /// The control handle: act as users, inspect chats and counters.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Stops listening and drops every connection and webhook delivery.
    pub async fn shutdown(mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
            // A cancelled task reports `JoinError::Cancelled`, which is the expected outcome.
            let _ = task.await;
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Accepts connections; aborting this task drops (and so aborts) every connection task.
async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors or similar: give the system a moment.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                // Without it, small answers wait on delayed ACKs and every call costs ~40 ms.
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                connections.spawn(async move {
                    let service = service_fn(move |request| route(Arc::clone(&shared), request));
                    // A client hanging up mid-request ends the connection with an error; that
                    // is its right, not a server fault.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Returned by the service to close a connection without an answer ([`crate::Fault::Disconnect`]).
#[derive(Debug)]
struct Hangup;

impl fmt::Display for Hangup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection closed by an injected fault")
    }
}

impl std::error::Error for Hangup {}

async fn route(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Hangup> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(ApiError::new(413, "Request Entity Too Large").into_response()),
    };
    let path = parts.uri.path();
    let query = parts.uri.query();
    if let Some(rest) = path.strip_prefix("/control/") {
        return Ok(control_http::handle(&shared, &parts.method, rest, query, &body).await);
    }
    if let Some((token, file_path)) = path
        .strip_prefix("/file/bot")
        .and_then(|rest| rest.split_once('/'))
    {
        if token != shared.config.token {
            return Ok(ApiError::unauthorized().into_response());
        }
        let contents = methods::files::download(&shared.lock(), file_path);
        return Ok(match contents {
            Some(bytes) => Response::new(Full::new(Bytes::from(bytes))),
            None => ApiError::not_found().into_response(),
        });
    }
    let Some((token, method)) = path
        .strip_prefix("/bot")
        .and_then(|rest| rest.split_once('/'))
    else {
        return Ok(ApiError::not_found().into_response());
    };
    if token != shared.config.token {
        return Ok(ApiError::unauthorized().into_response());
    }
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    bot_call(&shared, method, query, content_type, &body).await
}

/// Makes the call a webhook's answer carries, as Telegram does: `method` names it, the other
/// fields are its parameters, and how it went is told to nobody but the counters. A blank
/// answer carries no call.
pub(crate) async fn webhook_reply(shared: &Arc<Shared>, content_type: Option<&str>, body: &[u8]) {
    if body.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let made = async {
        let params = Params::from_request(None, content_type, body)?;
        let name = params
            .str("method")
            .ok_or_else(|| ApiError::bad_request("method is not specified"))?;
        let method = methods::canonical(&name)
            // A long poll cannot answer anyone.
            .filter(|method| *method != "getUpdates")
            .ok_or_else(ApiError::not_found)?;
        {
            let mut state = shared.lock();
            *state.counters.calls.entry(method.to_owned()).or_default() += 1;
            state.counters.webhook_replies += 1;
        }
        methods::call(shared, method, &params).await.map(drop)
    }
    .await;
    if made.is_err() {
        shared.lock().counters.webhook_reply_failures += 1;
    }
    shared.notify_changed();
}

async fn bot_call(
    shared: &Arc<Shared>,
    name: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Response<Full<Bytes>>, Hangup> {
    let method = methods::canonical(name);
    let fault = {
        let mut state = shared.lock();
        *state
            .counters
            .calls
            .entry(method.unwrap_or(name).to_owned())
            .or_default() += 1;
        method.and_then(|method| state.faults.take(method))
    };
    shared.notify_changed();
    let Some(method) = method else {
        return Ok(ApiError::not_found().into_response());
    };
    if let Some(fault) = fault {
        if fault == Fault::Hang {
            std::future::pending::<()>().await;
        }
        return fault.error().map(ApiError::into_response).ok_or(Hangup);
    }
    let params = match Params::from_request(query, content_type, body) {
        Ok(params) => params,
        Err(error) => return Ok(error.into_response()),
    };
    let outcome = methods::call(shared, method, &params).await;
    shared.notify_changed();
    Ok(match outcome {
        Ok(reply) => reply.into_response(),
        Err(error) => error.into_response(),
    })
}
