//! The server over loopback with a real HTTP client: routes, the webhook's refusals and
//! answers, readiness, metrics, and the graceful stop.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use vitrina_delivery::{DeliveryError, Handled};
use vitrina_http::{HttpServer, MAX_BODY_BYTES, Readiness, SECRET_HEADER, Webhook};

const SECRET: &str = "right_secret-123";
const PATH: &str = "/bot/webhook";

/// Update ids that make the test handler answer in a given way.
const UNAVAILABLE: i64 = 503;
const DUPLICATE: i64 = 2;
const SKIPPED: i64 = 3;
const SLOW: i64 = 900;
const ENDLESS: i64 = 901;

/// A server on a free port, with the updates its handler was given.
struct Running {
    addr: SocketAddr,
    stop: CancellationToken,
    serving: JoinHandle<()>,
    seen: Arc<Mutex<Vec<i64>>>,
}

#[derive(Clone, Copy)]
struct Options {
    webhook: bool,
    ready: bool,
    grace: Duration,
    metrics_token: Option<&'static str>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            webhook: true,
            ready: true,
            grace: Duration::from_secs(5),
            metrics_token: None,
        }
    }
}

async fn start(options: Options) -> Running {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let ready = options.ready;
    let mut server = HttpServer::new(move || async move {
        let redis = if ready {
            Ok(())
        } else {
            Err("connection refused")
        };
        Readiness::new("standby")
            .check("database", Ok::<(), &str>(()))
            .check("redis", redis)
    })
    .metrics("text/plain; version=0.0.4", || {
        "vitrina_updates_total 3\n".to_owned()
    })
    .shutdown_grace(options.grace);
    if let Some(token) = options.metrics_token {
        server = server.metrics_token(token);
    }
    if options.webhook {
        let seen = Arc::clone(&seen);
        server = server.webhook(Webhook::new(PATH, SECRET, move |update| {
            let seen = Arc::clone(&seen);
            async move {
                let id = update.update_id;
                seen.lock().expect("not poisoned").push(id);
                match id {
                    SLOW => tokio::time::sleep(Duration::from_millis(300)).await,
                    ENDLESS => std::future::pending::<()>().await,
                    _ => {}
                }
                match id {
                    UNAVAILABLE => Err(DeliveryError::Unavailable("connection refused".into())),
                    DUPLICATE => Ok(Handled::Duplicate),
                    SKIPPED => Ok(Handled::Skipped("edited_message".into())),
                    _ => Ok(Handled::Done),
                }
            }
        }));
    }
    let bound = server
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a free port");
    let addr = bound.local_addr();
    let stop = CancellationToken::new();
    let serving = tokio::spawn(bound.serve(stop.clone()));
    Running {
        addr,
        stop,
        serving,
        seen,
    }
}

impl Running {
    /// Waits until the handler was given update `id`.
    async fn handler_started(&self, id: i64) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !self.seen.lock().expect("not poisoned").contains(&id) {
            assert!(
                Instant::now() < deadline,
                "update {id} never reached the handler"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// What came back.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    allow: Option<String>,
    retry_after: Option<String>,
    content_type: Option<String>,
    body: String,
}

async fn send(addr: SocketAddr, request: Request<Full<Bytes>>) -> Reply {
    let stream = TcpStream::connect(addr).await.expect("the server accepts");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("an HTTP connection");
    tokio::spawn(connection);
    let response = sender.send_request(request).await.expect("an answer");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value: &hyper::header::HeaderValue| value.to_str().ok())
            .map(str::to_owned)
    };
    let (status, allow, retry_after, content_type) = (
        response.status(),
        header(ALLOW),
        header(RETRY_AFTER),
        header(CONTENT_TYPE),
    );
    let body = response
        .into_body()
        .collect()
        .await
        .expect("the whole body")
        .to_bytes();
    Reply {
        status,
        allow,
        retry_after,
        content_type,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn request(
    method: Method,
    path: &str,
    secret: Option<&str>,
    body: impl Into<Bytes>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "bot.example");
    if let Some(secret) = secret {
        builder = builder.header(SECRET_HEADER, secret);
    }
    builder
        .body(Full::new(body.into()))
        .expect("a valid request")
}

fn post(secret: Option<&str>, body: impl Into<Bytes>) -> Request<Full<Bytes>> {
    request(Method::POST, PATH, secret, body)
}

fn update(id: i64) -> String {
    format!(
        r#"{{"update_id":{id},"message":{{"message_id":1,"date":0,"chat":{{"id":5,"type":"private"}},"text":"hi"}}}}"#
    )
}

/// A JSON update of exactly `size` bytes.
fn update_of_size(size: usize) -> String {
    let head = r#"{"update_id":1,"pad":""#;
    let tail = r#""}"#;
    format!("{head}{}{tail}", "x".repeat(size - head.len() - tail.len()))
}

fn check(reply: &Reply, status: StatusCode, body_contains: &str) {
    assert_eq!(reply.status, status, "{reply:?}");
    assert!(
        reply.body.contains(body_contains),
        "{body_contains:?} in {reply:?}"
    );
}

#[tokio::test]
async fn the_secret_is_required_and_must_match() {
    let server = start(Options::default()).await;
    let cases: [(Option<&str>, StatusCode); 5] = [
        (Some(SECRET), StatusCode::OK),
        (None, StatusCode::UNAUTHORIZED),
        (Some("wrong_secret-123"), StatusCode::UNAUTHORIZED),
        (Some("right_secret-12"), StatusCode::UNAUTHORIZED),
        (Some(""), StatusCode::UNAUTHORIZED),
    ];
    for (id, (secret, status)) in (1..).zip(cases) {
        let reply = send(server.addr, post(secret, update(id))).await;
        assert_eq!(reply.status, status, "{secret:?}: {reply:?}");
    }
    // Only the request with the right secret reached the handler.
    assert_eq!(*server.seen.lock().expect("not poisoned"), vec![1]);
}

#[tokio::test]
async fn bodies_that_are_not_updates_are_refused() {
    let server = start(Options::default()).await;
    for body in [
        "",
        "not json",
        "{\"update_id\": 1",
        "[1, 2]",
        "{\"message\": {}}",
        "{\"update_id\": \"7\"}",
        "{\"update_id\": 1.5}",
    ] {
        let reply = send(server.addr, post(Some(SECRET), body)).await;
        check(&reply, StatusCode::BAD_REQUEST, "update_id");
    }
    assert!(server.seen.lock().expect("not poisoned").is_empty());
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused_and_one_of_exactly_that_size_is_taken() {
    let server = start(Options::default()).await;
    let reply = send(
        server.addr,
        post(Some(SECRET), update_of_size(MAX_BODY_BYTES)),
    )
    .await;
    check(&reply, StatusCode::OK, "");
    let reply = send(
        server.addr,
        post(Some(SECRET), update_of_size(MAX_BODY_BYTES + 1)),
    )
    .await;
    check(&reply, StatusCode::PAYLOAD_TOO_LARGE, "over 1048576 bytes");
    assert_eq!(*server.seen.lock().expect("not poisoned"), vec![1]);
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_once_it_passes_the_limit() {
    let server = start(Options::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nHost: bot\r\n{SECRET_HEADER}: {SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let body = update_of_size(MAX_BODY_BYTES + 1);
    let (mut reader, mut writer) = stream.split();
    let write = async {
        writer.write_all(head.as_bytes()).await?;
        for chunk in body.as_bytes().chunks(64 * 1024) {
            writer
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            writer.write_all(chunk).await?;
            writer.write_all(b"\r\n").await?;
        }
        writer.write_all(b"0\r\n\r\n").await
    };
    let read = async {
        let mut answer = Vec::new();
        let mut buffer = [0u8; 1024];
        while !answer.windows(4).any(|window| window == b"\r\n\r\n") {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => answer.extend_from_slice(&buffer[..read]),
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    };
    // The server may stop reading and close before the last chunk is written.
    let (_, answer) = tokio::join!(write, read);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(server.seen.lock().expect("not poisoned").is_empty());
}

#[tokio::test]
async fn handled_updates_get_200_and_unhandled_ones_503_with_retry_after() {
    let server = start(Options::default()).await;
    let cases: [(i64, StatusCode, Option<&str>); 4] = [
        (1, StatusCode::OK, None),
        (DUPLICATE, StatusCode::OK, None),
        (SKIPPED, StatusCode::OK, None),
        (UNAVAILABLE, StatusCode::SERVICE_UNAVAILABLE, Some("5")),
    ];
    for (id, status, retry_after) in cases {
        let reply = send(server.addr, post(Some(SECRET), update(id))).await;
        assert_eq!(reply.status, status, "{id}: {reply:?}");
        assert_eq!(reply.retry_after.as_deref(), retry_after, "{id}: {reply:?}");
    }
    assert_eq!(
        *server.seen.lock().expect("not poisoned"),
        vec![1, DUPLICATE, SKIPPED, UNAVAILABLE]
    );
}

#[tokio::test]
async fn health_readiness_and_metrics_are_served() {
    let server = start(Options::default()).await;
    let get = |path: &str| request(Method::GET, path, None, "");
    check(
        &send(server.addr, get("/healthz")).await,
        StatusCode::OK,
        "ok",
    );
    let ready = send(server.addr, get("/readyz")).await;
    check(
        &ready,
        StatusCode::OK,
        "ready\nrole: standby\ndatabase: ok\nredis: ok\n",
    );
    let metrics = send(server.addr, get("/metrics")).await;
    check(&metrics, StatusCode::OK, "vitrina_updates_total 3");
    assert_eq!(
        metrics.content_type.as_deref(),
        Some("text/plain; version=0.0.4")
    );
    let head = send(server.addr, request(Method::HEAD, "/healthz", None, "")).await;
    check(&head, StatusCode::OK, "");
    assert!(head.body.is_empty(), "{head:?}");

    let failing = start(Options {
        ready: false,
        ..Options::default()
    })
    .await;
    let not_ready = send(failing.addr, get("/readyz")).await;
    check(
        &not_ready,
        StatusCode::SERVICE_UNAVAILABLE,
        "not ready\nrole: standby\ndatabase: ok\nredis: failed: connection refused\n",
    );
    // Alive all the same.
    check(
        &send(failing.addr, get("/healthz")).await,
        StatusCode::OK,
        "ok",
    );
}

#[tokio::test]
async fn metrics_with_a_token_answer_only_its_bearer() {
    let server = start(Options {
        metrics_token: Some("metrics-token-1"),
        ..Options::default()
    })
    .await;
    let metrics = |authorization: Option<&str>| {
        let mut builder = Request::builder()
            .method(Method::GET)
            .uri("/metrics")
            .header("host", "bot.example");
        if let Some(value) = authorization {
            builder = builder.header("authorization", value);
        }
        builder
            .body(Full::new(Bytes::new()))
            .expect("a valid request")
    };
    for refused in [
        None,
        Some("Bearer wrong"),
        Some("Bearer metrics-token-"),
        Some("Bearer metrics-token-12"),
        Some("Basic metrics-token-1"),
        Some("metrics-token-1"),
    ] {
        let reply = send(server.addr, metrics(refused)).await;
        check(&reply, StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(!reply.body.contains("vitrina_updates_total"), "{refused:?}");
    }
    let admitted = send(server.addr, metrics(Some("Bearer metrics-token-1"))).await;
    check(&admitted, StatusCode::OK, "vitrina_updates_total 3");
    // Health and readiness stay open: probes carry no token.
    let get = |path: &str| request(Method::GET, path, None, "");
    check(
        &send(server.addr, get("/healthz")).await,
        StatusCode::OK,
        "ok",
    );
    check(
        &send(server.addr, get("/readyz")).await,
        StatusCode::OK,
        "ready",
    );
}

#[tokio::test]
async fn unknown_paths_get_404_and_wrong_methods_405() {
    let server = start(Options::default()).await;
    let cases: [(Method, &str, StatusCode, Option<&str>); 7] = [
        (Method::GET, "/", StatusCode::NOT_FOUND, None),
        (Method::GET, "/bot/webhook/x", StatusCode::NOT_FOUND, None),
        (Method::POST, "/other", StatusCode::NOT_FOUND, None),
        (
            Method::GET,
            PATH,
            StatusCode::METHOD_NOT_ALLOWED,
            Some("POST"),
        ),
        (
            Method::PUT,
            PATH,
            StatusCode::METHOD_NOT_ALLOWED,
            Some("POST"),
        ),
        (
            Method::POST,
            "/healthz",
            StatusCode::METHOD_NOT_ALLOWED,
            Some("GET, HEAD"),
        ),
        (
            Method::DELETE,
            "/metrics",
            StatusCode::METHOD_NOT_ALLOWED,
            Some("GET, HEAD"),
        ),
    ];
    for (method, path, status, allow) in cases {
        let reply = send(server.addr, request(method.clone(), path, Some(SECRET), "")).await;
        assert_eq!(reply.status, status, "{method} {path}: {reply:?}");
        assert_eq!(reply.allow.as_deref(), allow, "{method} {path}: {reply:?}");
    }

    // Without a webhook (the polling modes) its path is nothing special.
    let polling = start(Options {
        webhook: false,
        ..Options::default()
    })
    .await;
    let reply = send(polling.addr, post(Some(SECRET), update(1))).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reply:?}");
}

#[tokio::test]
async fn a_stop_finishes_the_request_in_hand_and_then_refuses_connections() {
    let server = start(Options::default()).await;
    let addr = server.addr;
    let slow = tokio::spawn(async move { send(addr, post(Some(SECRET), update(SLOW))).await });
    server.handler_started(SLOW).await;
    server.stop.cancel();
    let reply = slow.await.expect("the client task");
    assert_eq!(reply.status, StatusCode::OK, "{reply:?}");
    server.serving.await.expect("the server stops");
    assert_eq!(*server.seen.lock().expect("not poisoned"), vec![SLOW]);
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn a_stop_waits_no_longer_than_the_grace() {
    let server = start(Options {
        grace: Duration::from_millis(300),
        ..Options::default()
    })
    .await;
    let addr = server.addr;
    let stuck = tokio::spawn(async move {
        let stream = TcpStream::connect(addr).await.expect("connects");
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("an HTTP connection");
        tokio::spawn(connection);
        sender
            .send_request(post(Some(SECRET), update(ENDLESS)))
            .await
    });
    server.handler_started(ENDLESS).await;
    let started = Instant::now();
    server.stop.cancel();
    server.serving.await.expect("the server stops");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    stuck.abort();
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_is_read() {
    let server = start(Options::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connects");
    // Headers only: the server must answer without waiting for the body.
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nHost: bot\r\n{SECRET_HEADER}: {SECRET}\r\n{CONTENT_LENGTH}: {}\r\n\r\n",
        MAX_BODY_BYTES + 1
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let mut answer = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("an answer without the body")
        .expect("readable");
    let answer = String::from_utf8_lossy(&answer[..read]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_mount_serves_everything_under_its_prefix_and_nothing_else() {
    let server = HttpServer::new(|| async { Readiness::new("polling") })
        .mount(vitrina_http::Mount::new(
            "/app/",
            16,
            |request| async move {
                let answer = format!(
                    "{} {} {}",
                    request.method(),
                    request.uri(),
                    String::from_utf8_lossy(request.body())
                );
                hyper::Response::new(Bytes::from(answer))
            },
        ))
        .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a free port");
    let addr = server.local_addr();
    let stop = CancellationToken::new();
    let serving = tokio::spawn(server.serve(stop.clone()));
    let call = |method: Method, path: &str, body: &'static str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("host", "bot")
            .body(Full::new(Bytes::from_static(body.as_bytes())))
            .expect("a request")
    };
    let cases = [
        (Method::GET, "/app", "", StatusCode::OK, "GET /app "),
        (Method::GET, "/app/", "", StatusCode::OK, "GET /app/ "),
        (
            Method::POST,
            "/app/api/cards?x=1",
            "{}",
            StatusCode::OK,
            "POST /app/api/cards?x=1 {}",
        ),
        (
            Method::GET,
            "/application",
            "",
            StatusCode::NOT_FOUND,
            "not found\n",
        ),
        (Method::GET, "/healthz", "", StatusCode::OK, "ok\n"),
        (
            Method::POST,
            "/app/api/photos",
            "seventeen bytes!!",
            StatusCode::PAYLOAD_TOO_LARGE,
            "body too large\n",
        ),
    ];
    for (method, path, body, status, text) in cases {
        let reply = send(addr, call(method.clone(), path, body)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (status, text),
            "{method} {path}"
        );
    }
    stop.cancel();
    serving.await.expect("stopped");
}
