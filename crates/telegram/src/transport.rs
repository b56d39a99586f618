//! HTTP/1.1 to the Bot API over keep-alive connections that the calls drive themselves.
//!
//! A general-purpose client (reqwest over hyper-util's pool) runs every connection as a task
//! of its own: a call hands its request to that task through a channel and is woken with the
//! answer, a thread hand-off each way on a multi-threaded runtime, and on the way it parses
//! the call's URL again and runs the redirect, retry and proxy layers. The Bot API needs none
//! of that: one host, JSON `POST`s, answers read whole. Here a call takes an idle connection
//! (or opens one), polls the connection itself in its own poll until the answer's body is
//! read, and puts the connection back: the request, the answer and the connection's
//! bookkeeping all run on the calling task's thread.
//!
//! A connection lies idle unpolled, so a server's close is noticed when the next call takes
//! it: before the request is written, the connection is polled once, which reads a pending
//! end of stream and drops it; one idle for longer than [`IDLE_LIMIT`] is not tried at all.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1;
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::either::Either;

/// How long a connection may lie idle and still be used: servers close idle connections
/// after a while, and a call should not be the one to find out.
pub(crate) const IDLE_LIMIT: Duration = Duration::from_secs(30);

/// The idle connections kept at most; more are closed when put back.
const IDLE_KEPT: usize = 32;

type Stream = Either<TcpStream, TlsStream<TcpStream>>;
type Body = Full<Bytes>;

/// Why an exchange got no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum TransportError {
    /// The TCP connection or the TLS handshake failed.
    #[error("cannot connect: {0}")]
    Connect(#[source] io::Error),
    /// Opening the connection took longer than the connect timeout.
    #[error("connecting timed out")]
    ConnectTimeout,
    /// The exchange took longer than its timeout.
    #[error("no answer in time")]
    Timeout,
    /// HTTP failed: the connection broke, or the answer was not HTTP.
    #[error(transparent)]
    Http(#[from] hyper::Error),
    /// The path is not a valid request target.
    #[error("invalid request path: {0}")]
    Path(#[from] hyper::http::uri::InvalidUri),
    /// The host name cannot be a TLS server name.
    #[error("invalid TLS server name: {0}")]
    ServerName(#[from] rustls::pki_types::InvalidDnsNameError),
    /// The request could not be built.
    #[error("invalid request: {0}")]
    Request(#[from] hyper::http::Error),
}

/// An answer read whole: its status and its body.
#[derive(Debug)]
pub(crate) struct Answer {
    /// Whether the status is 2xx.
    pub(crate) success: bool,
    pub(crate) body: Bytes,
}

/// Where the connections go, and over what.
struct Server {
    host: String,
    port: u16,
    /// The `Host` header.
    authority: HeaderValue,
    /// For `https`: the TLS client and the name the certificate must carry.
    tls: Option<(TlsConnector, ServerName<'static>)>,
}

/// A connection: the handle that sends requests, and the state machine that must be polled
/// for anything to happen on it.
struct Connection {
    sender: http1::SendRequest<Body>,
    driver: http1::Connection<TokioIo<Stream>, Body>,
    idle_since: Instant,
}

/// HTTP/1.1 client of one server (scheme, host and port); clones share the idle connections.
#[derive(Clone)]
pub(crate) struct Transport {
    shared: Arc<Shared>,
}

struct Shared {
    server: Server,
    connect_timeout: Duration,
    idle: Mutex<Vec<Connection>>,
}

impl Transport {
    /// A client of the server at `scheme://host:port`; `tls` is used for `https`.
    pub(crate) fn new(
        host: &str,
        port: u16,
        tls: Option<Arc<rustls::ClientConfig>>,
        connect_timeout: Duration,
    ) -> Result<Transport, TransportError> {
        let default_port = if tls.is_some() { 443 } else { 80 };
        let authority = if port == default_port {
            host.to_owned()
        } else {
            format!("{host}:{port}")
        };
        let authority = HeaderValue::from_str(&authority)
            .map_err(|error| TransportError::Request(error.into()))?;
        // An IPv6 literal comes bracketed in a URL's host (and the `Host` header), not in an
        // address to connect to or a server name.
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let tls = match tls {
            Some(config) => Some((
                TlsConnector::from(config),
                ServerName::try_from(bare.to_owned())?,
            )),
            None => None,
        };
        Ok(Transport {
            shared: Arc::new(Shared {
                server: Server {
                    host: bare.to_owned(),
                    port,
                    authority,
                    tls,
                },
                connect_timeout,
                idle: Mutex::new(Vec::new()),
            }),
        })
    }

    /// `POST`s `body` as JSON to `path` (origin form: `/bot…/sendMessage`) and reads the
    /// answer whole, within `timeout` (connecting included).
    pub(crate) async fn post_json(
        &self,
        path: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<Answer, TransportError> {
        let request = Request::post(Uri::try_from(path)?)
            .header(HOST, self.shared.server.authority.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(Full::new(Bytes::from(body)))?;
        tokio::time::timeout(timeout, self.exchange(request))
            .await
            .map_err(|_| TransportError::Timeout)?
    }

    async fn exchange(&self, request: Request<Body>) -> Result<Answer, TransportError> {
        let mut connection = self.ready_connection().await?;
        let sender = &mut connection.sender;
        let work = async move {
            let response = sender.send_request(request).await?;
            let success = response.status().is_success();
            let body = response.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>(Answer { success, body })
        };
        let (answer, alive) = drive(&mut connection.driver, work).await;
        let answer = answer?;
        if alive {
            connection.idle_since = Instant::now();
            let mut idle = self.shared.idle();
            if idle.len() < IDLE_KEPT {
                idle.push(connection);
            }
        }
        Ok(answer)
    }

    /// An idle connection that is still open and ready for a request, or a new one.
    async fn ready_connection(&self) -> Result<Connection, TransportError> {
        loop {
            // The most recently used first: its server is the least likely to have closed it.
            let taken = self.shared.idle().pop();
            let Some(mut connection) = taken else {
                return self.open().await;
            };
            if connection.idle_since.elapsed() > IDLE_LIMIT {
                continue;
            }
            let Connection { sender, driver, .. } = &mut connection;
            let (ready, alive) = drive(driver, poll_fn(|cx| sender.poll_ready(cx))).await;
            if alive && ready.is_ok() {
                return Ok(connection);
            }
        }
    }

    async fn open(&self) -> Result<Connection, TransportError> {
        let server = &self.shared.server;
        let connect = async {
            let tcp = TcpStream::connect((server.host.as_str(), server.port))
                .await
                .map_err(TransportError::Connect)?;
            // Requests are written whole; Nagle's delay would only hold the last segment.
            tcp.set_nodelay(true).map_err(TransportError::Connect)?;
            let stream = match &server.tls {
                None => Either::Left(tcp),
                Some((connector, name)) => Either::Right(
                    connector
                        .connect(name.clone(), tcp)
                        .await
                        .map_err(TransportError::Connect)?,
                ),
            };
            Ok::<_, TransportError>(stream)
        };
        let stream = tokio::time::timeout(self.shared.connect_timeout, connect)
            .await
            .map_err(|_| TransportError::ConnectTimeout)??;
        let (sender, driver) = http1::handshake(TokioIo::new(stream)).await?;
        Ok(Connection {
            sender,
            driver,
            idle_since: Instant::now(),
        })
    }
}

impl Shared {
    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Polls `work` until it finishes, with the connection's `driver` polled around it; also
/// says whether the connection is still open afterwards.
///
/// The driver is what notices a closed connection, writes the request and reads the answer
/// into `work`'s hands: it is polled first (a close pending since the connection was last
/// used ends it before anything is sent), and again after `work` has queued something, so
/// that the request goes out in this same poll. Once the driver has finished (the
/// connection closed) it is not polled again, and `work` ends with the error hyper gives it.
async fn drive<W: Future>(
    driver: &mut http1::Connection<TokioIo<Stream>, Body>,
    work: W,
) -> (W::Output, bool) {
    let mut work = pin!(work);
    let mut alive = true;
    poll_fn(|cx| {
        for _ in 0..2 {
            if alive && driver.poll_without_shutdown(cx).is_ready() {
                alive = false;
            }
            if let Poll::Ready(output) = work.as_mut().poll(cx) {
                return Poll::Ready((output, alive));
            }
        }
        Poll::Pending
    })
    .await
}

/// The variables a proxy is named in, as reqwest reads them.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Whether the environment (read through `var`) names a proxy: then the calls go through
/// reqwest, which speaks to proxies, rather than straight to the server.
pub(crate) fn proxy_named(var: impl Fn(&str) -> Option<String>) -> bool {
    PROXY_VARIABLES
        .iter()
        .any(|name| var(name).is_some_and(|value| !value.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use hyper::Response;
    use hyper::body::Incoming;
    use hyper::service::service_fn;
    use tokio::net::TcpListener;

    use super::*;

    const LONG: Duration = Duration::from_secs(10);

    /// A server on loopback that answers every `POST` with what it was asked (method, path,
    /// `Host`, content type and body), counting the connections it accepted; with
    /// `keep_alive` off it closes each connection after one answer.
    async fn echo_server(keep_alive: bool) -> (u16, Arc<AtomicUsize>) {
        echo_server_over(keep_alive, None).await
    }

    /// [`echo_server`], over TLS when `tls` is given.
    async fn echo_server_over(
        keep_alive: bool,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> (u16, Arc<AtomicUsize>) {
        let (listener, port) = free_port().await;
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let tls = tls.clone();
                tokio::spawn(async move {
                    let stream = match tls {
                        None => Either::Left(stream),
                        Some(acceptor) => match acceptor.accept(stream).await {
                            Ok(stream) => Either::Right(stream),
                            Err(_) => return,
                        },
                    };
                    let service = service_fn(|request: Request<Incoming>| async move {
                        let header = |name| {
                            request
                                .headers()
                                .get(name)
                                .and_then(|value: &HeaderValue| value.to_str().ok())
                                .unwrap_or_default()
                                .to_owned()
                        };
                        let seen = format!(
                            "{} {} host={} type={} ",
                            request.method(),
                            request.uri(),
                            header(HOST),
                            header(CONTENT_TYPE)
                        );
                        let body = request
                            .into_body()
                            .collect()
                            .await
                            .map_or_else(|_| Bytes::new(), http_body_util::Collected::to_bytes);
                        let mut answer = seen.into_bytes();
                        answer.extend_from_slice(&body);
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(answer))))
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .keep_alive(keep_alive)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        (port, accepted)
    }

    async fn free_port() -> (TcpListener, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("its address").port();
        (listener, port)
    }

    fn client(port: u16) -> Transport {
        Transport::new("127.0.0.1", port, None, LONG).expect("a transport")
    }

    async fn call(transport: &Transport, body: &str) -> String {
        let answer = transport
            .post_json("/bot1:x/sendMessage", body.as_bytes().to_vec(), LONG)
            .await
            .expect("an answer");
        assert!(answer.success);
        String::from_utf8(answer.body.to_vec()).expect("UTF-8")
    }

    #[tokio::test]
    async fn calls_in_turn_share_one_kept_alive_connection() {
        let (port, accepted) = echo_server(true).await;
        let transport = client(port);
        for n in 0..5 {
            let body = format!("{{\"n\":{n}}}");
            assert_eq!(
                call(&transport, &body).await,
                format!(
                    "POST /bot1:x/sendMessage host=127.0.0.1:{port} type=application/json {body}"
                )
            );
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn calls_at_once_open_connections_of_their_own_and_keep_them() {
        let (port, accepted) = echo_server(true).await;
        let transport = client(port);
        let (first, second) = tokio::join!(call(&transport, "1"), call(&transport, "2"));
        assert!(first.ends_with(" 1") && second.ends_with(" 2"));
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
        // Clones share them.
        let clone = transport.clone();
        let (first, second) = tokio::join!(call(&transport, "3"), call(&clone, "4"));
        assert!(first.ends_with(" 3") && second.ends_with(" 4"));
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_is_not_used_again() {
        let (port, accepted) = echo_server(false).await;
        let transport = client(port);
        for n in 0..3 {
            assert!(
                call(&transport, &n.to_string())
                    .await
                    .ends_with(&n.to_string())
            );
            // Let the server's close arrive, as it would between two calls of a quiet bot.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_connection_the_server_dropped_while_idle_is_replaced_before_the_call() {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let (listener, port) = free_port().await;
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let (close, mut told_to_close) = tokio::sync::mpsc::channel::<()>(1);
        let (closed, mut was_closed) = tokio::sync::mpsc::channel::<()>(1);
        // Answers one request as if the connection stayed open, and closes it when told: once
        // the client has put it back.
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut request = [0; 1024];
                let _ = stream.read(&mut request).await;
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                    .await;
                let _ = told_to_close.recv().await;
                drop(stream);
                let _ = closed.send(()).await;
            }
        });
        let transport = client(port);
        for _ in 0..3 {
            let answer = transport
                .post_json("/bot1:x/getMe", b"{}".to_vec(), LONG)
                .await
                .expect("an answer");
            assert_eq!(&answer.body[..], b"ok");
            close.send(()).await.expect("the server");
            was_closed.recv().await.expect("the server");
            // The runtime sees the close while the connection lies idle.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_ipv6_literal_is_connected_to_without_its_brackets() {
        let listener = match TcpListener::bind("[::1]:0").await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!("skipped: no IPv6 loopback here ({error})");
                return;
            }
        };
        let port = listener.local_addr().expect("its address").port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let service = service_fn(|request: Request<Incoming>| async move {
                    let host = request.headers().get(HOST).cloned();
                    let host = host
                        .map_or_else(Bytes::new, |host| Bytes::copy_from_slice(host.as_bytes()));
                    Ok::<_, Infallible>(Response::new(Full::new(host)))
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service),
                );
            }
        });
        let answer = Transport::new("[::1]", port, None, LONG)
            .expect("a transport")
            .post_json("/bot1:x/getMe", b"{}".to_vec(), LONG)
            .await
            .expect("an answer");
        assert_eq!(&answer.body[..], format!("[::1]:{port}").as_bytes());
    }

    #[tokio::test]
    async fn a_server_that_does_not_answer_in_time_fails_the_call() {
        let (listener, port) = free_port().await;
        // Accepts, reads, never answers.
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream);
            }
        });
        let outcome = client(port)
            .post_json("/bot1:x/getMe", b"{}".to_vec(), Duration::from_millis(200))
            .await;
        assert!(
            matches!(outcome, Err(TransportError::Timeout)),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn a_refused_connection_is_an_error_that_names_it() {
        let (listener, port) = free_port().await;
        drop(listener);
        let outcome = client(port)
            .post_json("/bot1:x/getMe", b"{}".to_vec(), LONG)
            .await;
        let Err(error @ TransportError::Connect(_)) = outcome else {
            panic!("{outcome:?}");
        };
        assert!(error.to_string().starts_with("cannot connect"), "{error}");
    }

    #[test]
    fn a_proxy_is_named_by_any_of_reqwest_s_variables_when_not_empty() {
        assert!(!proxy_named(|_| None));
        assert!(!proxy_named(|_| Some("  ".to_owned())));
        for name in PROXY_VARIABLES {
            assert!(
                proxy_named(|asked| (asked == name).then(|| "http://proxy:3128".to_owned())),
                "{name}"
            );
        }
        assert!(!proxy_named(
            |asked| (asked == "NO_PROXY").then(|| "example.org".to_owned())
        ));
    }

    /// A CA made for these tests, and a certificate for `localhost` it signed (valid for a
    /// hundred years), with its key.
    const TEST_CA: &str = include_str!("../tests/tls/ca.pem");
    const TEST_CERT: &str = include_str!("../tests/tls/localhost.pem");
    const TEST_KEY: &str = include_str!("../tests/tls/localhost.key");

    fn client_tls(trusted: &[&str]) -> Arc<rustls::ClientConfig> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject as _;
        let mut roots = rustls::RootCertStore::empty();
        for pem in trusted {
            let ca = CertificateDer::from_pem_slice(pem.as_bytes()).expect("a certificate");
            roots.add(ca).expect("a root");
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Arc::new(config)
    }

    fn server_tls() -> tokio_rustls::TlsAcceptor {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let cert = CertificateDer::from_pem_slice(TEST_CERT.as_bytes()).expect("a certificate");
        let key = PrivateKeyDer::from_pem_slice(TEST_KEY.as_bytes()).expect("a key");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("a server configuration");
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }

    #[tokio::test]
    async fn https_checks_the_certificate_and_keeps_the_connection() {
        let (port, accepted) = echo_server_over(true, Some(server_tls())).await;
        let transport =
            Transport::new("localhost", port, Some(client_tls(&[TEST_CA])), LONG).expect("TLS");
        for n in 0..3 {
            let answer = transport
                .post_json("/bot1:x/getMe", n.to_string().into_bytes(), LONG)
                .await
                .expect("an answer over TLS");
            assert_eq!(
                String::from_utf8(answer.body.to_vec()).expect("UTF-8"),
                format!("POST /bot1:x/getMe host=localhost:{port} type=application/json {n}")
            );
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);

        // A server whose certificate no trusted root signed is not spoken to.
        let untrusting = Transport::new("localhost", port, Some(client_tls(&[])), LONG)
            .expect("TLS without roots");
        let outcome = untrusting
            .post_json("/bot1:x/getMe", b"{}".to_vec(), LONG)
            .await;
        let Err(error @ TransportError::Connect(_)) = outcome else {
            panic!("{outcome:?}");
        };
        assert!(error.to_string().contains("certificate"), "{error}");
    }
}
