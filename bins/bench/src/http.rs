//! HTTP on the loopback interface: a keep-alive client, the bare endpoint that is the
//! ceiling, and a forwarding proxy that tells when each bot instance polls.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;

/// Keep-alive HTTP/1.1 connections to one address, reused one request at a time each.
#[derive(Debug)]
pub struct Client {
    addr: SocketAddr,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

/// One connection, taken from a [`Client`] for one request.
pub struct Connection(SendRequest<Full<Bytes>>);

/// A request: method, path, extra headers, body.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub path: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

impl Call {
    /// A POST of a JSON body.
    pub fn post_json(path: impl Into<String>, body: Bytes) -> Call {
        Call {
            method: Method::POST,
            path: path.into(),
            headers: vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            body,
        }
    }

    /// A GET.
    pub fn get(path: impl Into<String>) -> Call {
        Call {
            method: Method::GET,
            path: path.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// An idle connection, or a new one.
    pub async fn checkout(&self) -> anyhow::Result<Connection> {
        loop {
            let idle = self
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop();
            let Some(mut sender) = idle else { break };
            if sender.ready().await.is_ok() {
                return Ok(Connection(sender));
            }
        }
        let stream = TcpStream::connect(self.addr)
            .await
            .with_context(|| format!("cannot connect to {}", self.addr))?;
        // Small requests and answers must not wait for delayed acknowledgements.
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP handshake failed")?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Connection(sender))
    }

    /// Gives a connection back for reuse.
    pub fn checkin(&self, connection: Connection) {
        if !connection.0.is_closed() {
            self.idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(connection.0);
        }
    }

    /// Sends `call` on a pooled connection and returns the status and the whole body.
    pub async fn send(&self, call: Call) -> anyhow::Result<(StatusCode, Bytes)> {
        let mut connection = self.checkout().await?;
        let answer = connection.send(self.addr, call).await?;
        self.checkin(connection);
        Ok(answer)
    }
}

impl Connection {
    /// Sends `call` and reads the whole answer.
    pub async fn send(
        &mut self,
        addr: SocketAddr,
        call: Call,
    ) -> anyhow::Result<(StatusCode, Bytes)> {
        let mut builder = Request::builder()
            .method(call.method)
            .uri(call.path)
            .header(HOST, addr.to_string())
            .header(CONTENT_LENGTH, call.body.len());
        for (name, value) in call.headers {
            builder = builder.header(name, value);
        }
        let request = builder.body(Full::new(call.body))?;
        self.0.ready().await?;
        let response = self.0.send_request(request).await?;
        let status = response.status();
        let body = response.into_body().collect().await?.to_bytes();
        Ok((status, body))
    }
}

/// Serves `listener` with one service per connection until the task is dropped.
async fn serve<S, F>(listener: TcpListener, service: S)
where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<Full<Bytes>>> + Send + 'static,
{
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = service.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let answer = service(request);
                async move { Ok::<_, Infallible>(answer.await) }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The ceiling: reads each request's body and answers 200 with nothing, as fast as hyper
/// can. Runs until the process ends.
pub async fn serve_bare(listener: TcpListener) {
    serve(listener, |request: Request<Incoming>| async move {
        let _ = request.into_body().collect().await;
        Response::new(Full::new(Bytes::new()))
    })
    .await;
}

/// When the bot behind one proxy called getUpdates.
#[derive(Debug, Default)]
pub struct Polls {
    at: Mutex<Vec<Instant>>,
    changed: Notify,
}

impl Polls {
    /// The first getUpdates that arrived after `since`, waiting up to `timeout` for it.
    pub async fn first_after(&self, since: Instant, timeout: Duration) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(found) = self
                .at
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .find(|at| **at >= since)
            {
                return Some(*found);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return None;
            }
        }
    }

    fn record(&self, at: Instant) {
        self.at
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(at);
        self.changed.notify_waiters();
    }
}

/// A proxy in front of `upstream` that notes the arrival of every getUpdates: with one proxy
/// per bot instance, it tells which instance polled and when, to the millisecond, without
/// the instances knowing. Runs until the task running it is dropped.
pub async fn proxy(
    upstream: SocketAddr,
) -> anyhow::Result<(SocketAddr, Arc<Polls>, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let polls = Arc::new(Polls::default());
    let client = Arc::new(Client::new(upstream));
    let seen = Arc::clone(&polls);
    let task = tokio::spawn(serve(listener, move |request: Request<Incoming>| {
        let client = Arc::clone(&client);
        let seen = Arc::clone(&seen);
        async move {
            if request.uri().path().ends_with("/getUpdates") {
                seen.record(Instant::now());
            }
            let call = forwarded(request).await;
            match client.send(call).await {
                Ok((status, body)) => {
                    let mut response = Response::new(Full::new(body));
                    *response.status_mut() = status;
                    response
                        .headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
                Err(_) => {
                    let mut response = Response::new(Full::new(Bytes::new()));
                    *response.status_mut() = StatusCode::BAD_GATEWAY;
                    response
                }
            }
        }
    }));
    Ok((addr, polls, task))
}

async fn forwarded(request: Request<Incoming>) -> Call {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|body| body.to_bytes())
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| **name == CONTENT_TYPE)
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Call {
        method: parts.method,
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |path| path.as_str().to_owned()),
        headers,
        body,
    }
}
