//! The listener, the connections, the routes and the graceful stop.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

use crate::{Mount, Readiness, Webhook};

/// A response of this server.
pub(crate) type Answer = Response<Full<Bytes>>;

type ReadinessFuture = Pin<Box<dyn Future<Output = Readiness> + Send>>;
type ReadinessCheck = Arc<dyn Fn() -> ReadinessFuture + Send + Sync>;
type Render = Arc<dyn Fn() -> String + Send + Sync>;

/// How long requests in hand may take to finish after a stop, by default.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long the readiness checks may take before `/readyz` answers 503 without them.
const READINESS_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a client may take to send its request headers: a connection that trickles them
/// would otherwise be held open for ever.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// The pause after a failed accept (out of file descriptors), so that the loop does not spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

const PLAIN_TEXT: &str = "text/plain; charset=utf-8";

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The address could not be listened on: in use, not an address of this host, or a
    /// privileged port.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
}

/// The HTTP server of every mode: `/healthz`, `/readyz`, `/metrics`, and the webhook path
/// when one is given. Configure it, [`bind`](HttpServer::bind) it, then
/// [`serve`](BoundServer::serve) until a stop.
///
/// | request | answer |
/// |---|---|
/// | `GET /healthz` | 200 `ok` while the process runs |
/// | `GET /readyz` | 200 when every check of the [`Readiness`] passed, else 503; the body lists them |
/// | `GET /metrics` | 200 with the text of the metrics renderer (404 without one); 401 without the bearer token when one is set |
/// | `POST <webhook path>` | see [`Webhook`] |
/// | any path under a [`Mount`]'s prefix | what its service answers |
/// | any other path | 404 |
/// | another method on a known path | 405 with `Allow` |
pub struct HttpServer {
    readiness: ReadinessCheck,
    metrics: Option<(HeaderValue, Render)>,
    metrics_token: Option<MetricsToken>,
    webhook: Option<Webhook>,
    mounts: Vec<Mount>,
    grace: Duration,
}

impl fmt::Debug for HttpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpServer")
            .field("metrics", &self.metrics.is_some())
            .field("webhook", &self.webhook)
            .field("mounts", &self.mounts)
            .field("grace", &self.grace)
            .finish_non_exhaustive()
    }
}

impl HttpServer {
    /// A server whose `/readyz` runs `readiness` on each request.
    pub fn new<R, F>(readiness: R) -> HttpServer
    where
        R: Fn() -> F + Send + Sync + 'static,
        F: Future<Output = Readiness> + Send + 'static,
    {
        HttpServer {
            readiness: Arc::new(move || Box::pin(readiness())),
            metrics: None,
            metrics_token: None,
            webhook: None,
            mounts: Vec::new(),
            grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }

    /// Serves `/metrics` with the text `render` gives, as `content_type` (such as
    /// `text/plain; version=0.0.4` or `application/openmetrics-text; version=1.0.0`).
    #[must_use]
    pub fn metrics<M>(mut self, content_type: &'static str, render: M) -> Self
    where
        M: Fn() -> String + Send + Sync + 'static,
    {
        self.metrics = Some((HeaderValue::from_static(content_type), Arc::new(render)));
        self
    }

    /// Serves `/metrics` only to requests carrying `Authorization: Bearer <token>`; others get
    /// 401. Without it, `/metrics` is open to whoever reaches the server.
    #[must_use]
    pub fn metrics_token(mut self, token: impl Into<String>) -> Self {
        self.metrics_token = Some(MetricsToken(token.into().into_bytes()));
        self
    }

    /// Serves the webhook too.
    #[must_use]
    pub fn webhook(mut self, webhook: Webhook) -> Self {
        self.webhook = Some(webhook);
        self
    }

    /// Serves every path under the mount's prefix with its service (the Mini App).
    #[must_use]
    pub fn mount(mut self, mount: Mount) -> Self {
        self.mounts.push(mount);
        self
    }

    /// How long requests in hand may take to finish after a stop
    /// ([`DEFAULT_SHUTDOWN_GRACE`] unless set).
    #[must_use]
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Listens on `addr` (port 0: a free port, see [`BoundServer::local_addr`]).
    ///
    /// # Errors
    /// [`HttpError::Bind`] when the address cannot be listened on.
    pub async fn bind(self, addr: SocketAddr) -> Result<BoundServer, HttpError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| HttpError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| HttpError::Bind { addr, source })?;
        Ok(BoundServer {
            listener,
            local_addr,
            grace: self.grace,
            routes: Arc::new(Routes {
                readiness: self.readiness,
                metrics: self.metrics,
                metrics_token: self.metrics_token,
                webhook: self.webhook,
                mounts: self.mounts,
                tasks: TaskTracker::new(),
            }),
        })
    }
}

/// A server listening, not yet serving.
pub struct BoundServer {
    listener: TcpListener,
    local_addr: SocketAddr,
    grace: Duration,
    routes: Arc<Routes>,
}

impl fmt::Debug for BoundServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundServer")
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl BoundServer {
    /// The address listened on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until `stop` is cancelled; then stops accepting, lets the requests in hand (and
    /// the updates they carry) finish within the shutdown grace, and returns.
    pub async fn serve(self, stop: CancellationToken) {
        let BoundServer {
            listener,
            local_addr,
            grace,
            routes,
        } = self;
        info!(addr = %local_addr, webhook = routes.webhook.as_ref().map(Webhook::path), "HTTP server listening");
        let connections = GracefulShutdown::new();
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT);
        loop {
            let (stream, peer) = tokio::select! {
                () = stop.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        warn!(%error, "could not accept a connection");
                        tokio::time::sleep(ACCEPT_PAUSE).await;
                        continue;
                    }
                },
            };
            let routes = Arc::clone(&routes);
            let service = service_fn(move |request| {
                let routes = Arc::clone(&routes);
                async move { Ok::<_, Infallible>(routes.route(request).await) }
            });
            let connection =
                connections.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    debug!(%peer, %error, "HTTP connection ended with an error");
                }
            });
        }
        drop(listener);
        info!("HTTP server stopping: finishing the requests in hand");
        routes.tasks.close();
        let finished = async {
            connections.shutdown().await;
            routes.tasks.wait().await;
        };
        if tokio::time::timeout(grace, finished).await.is_err() {
            warn!("requests in hand did not finish within {grace:?}; stopping anyway");
        }
        info!("HTTP server stopped");
    }
}

/// What the server answers.
struct Routes {
    readiness: ReadinessCheck,
    metrics: Option<(HeaderValue, Render)>,
    metrics_token: Option<MetricsToken>,
    webhook: Option<Webhook>,
    mounts: Vec<Mount>,
    /// The updates being handled, so that a stop waits for them even when their request is gone.
    tasks: TaskTracker,
}

impl Routes {
    async fn route(&self, request: Request<Incoming>) -> Answer {
        let path = request.uri().path().to_owned();
        if let Some(webhook) = self
            .webhook
            .as_ref()
            .filter(|webhook| webhook.path() == path)
        {
            return if request.method() == Method::POST {
                webhook.answer(request, &self.tasks).await
            } else {
                not_allowed("POST")
            };
        }
        if let Some(mount) = self.mounts.iter().find(|mount| mount.serves(&path)) {
            return mount.answer(request).await;
        }
        let known = matches!(path.as_str(), "/healthz" | "/readyz")
            || (path == "/metrics" && self.metrics.is_some());
        if !known {
            return answer(StatusCode::NOT_FOUND, "not found\n");
        }
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return not_allowed("GET, HEAD");
        }
        match path.as_str() {
            "/healthz" => answer(StatusCode::OK, "ok\n"),
            "/readyz" => self.readiness().await,
            _ => match &self.metrics_token {
                Some(token) if !token.admits(&request) => unauthorized(),
                _ => self.metrics(),
            },
        }
    }

    async fn readiness(&self) -> Answer {
        match tokio::time::timeout(READINESS_TIMEOUT, (self.readiness)()).await {
            Ok(report) => {
                let status = if report.is_ready() {
                    StatusCode::OK
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                };
                answer(status, report.to_string())
            }
            Err(_) => answer(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready\nchecks: timed out after {READINESS_TIMEOUT:?}\n"),
            ),
        }
    }

    fn metrics(&self) -> Answer {
        let Some((content_type, render)) = &self.metrics else {
            return answer(StatusCode::NOT_FOUND, "not found\n");
        };
        let mut response = answer(StatusCode::OK, render());
        response
            .headers_mut()
            .insert(CONTENT_TYPE, content_type.clone());
        response
    }
}

/// A plain-text answer.
pub(crate) fn answer(status: StatusCode, text: impl Into<Bytes>) -> Answer {
    let mut response = Response::new(Full::new(text.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(PLAIN_TEXT));
    response
}

/// The bearer token of `/metrics`.
struct MetricsToken(Vec<u8>);

impl MetricsToken {
    /// Whether `request` carries the token, compared in constant time.
    fn admits(&self, request: &Request<Incoming>) -> bool {
        use subtle::ConstantTimeEq as _;
        request
            .headers()
            .get(AUTHORIZATION)
            .and_then(|value| value.as_bytes().strip_prefix(b"Bearer "))
            .is_some_and(|given| bool::from(given.ct_eq(&self.0)))
    }
}

fn unauthorized() -> Answer {
    let mut response = answer(StatusCode::UNAUTHORIZED, "unauthorized\n");
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

fn not_allowed(allow: &'static str) -> Answer {
    let mut response = answer(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}
