//! # vitrina-http
//!
//! The HTTP server of every mode of Vitrina, on hyper: `GET /healthz` (200 while the process
//! runs), `GET /readyz` (200 when the checks pass, else 503, the body listing each check and
//! the instance's role), `GET /metrics`, and in webhook mode the path Telegram posts updates
//! to ([`Webhook`]).
//!
//! The server knows nothing of databases or Redis: the readiness checks, the metrics text and
//! the update handler are closures given by the binary. A [`Mount`] hands every path under a
//! prefix (the Mini App's page and API) to a service given the same way. The webhook answers as Telegram needs
//! it: a missing or wrong `X-Telegram-Bot-Api-Secret-Token` gets 401 (compared in constant
//! time), a body over 1 MiB 413 (refused while reading, never buffered whole), a body that is
//! not an update 400; a handled update 200 (with [`Webhook::dispatching`], carrying the update's
//! answer to a press as the call for Telegram to make), and one that cannot be handled now 503 with
//! `Retry-After`, so that Telegram delivers it again. A stop lets the requests in hand finish,
//! within a bound.
//!
//! ```
//! use std::net::SocketAddr;
//! use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
//! use tokio_util::sync::CancellationToken;
//! use vitrina_delivery::Handled;
//! use vitrina_http::{HttpServer, Readiness, Webhook};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = HttpServer::new(|| async { Readiness::new("webhook").check("database", Ok::<(), String>(())) })
//!     .metrics("text/plain; version=0.0.4", || "updates_total 1\n".to_owned())
//!     .webhook(Webhook::new("/bot/webhook", "s3cret", |update| async move {
//!         println!("update {}", update.update_id);
//!         Ok(Handled::Done)
//!     }))
//!     .bind(SocketAddr::from(([127, 0, 0, 1], 0)))
//!     .await?;
//! let addr = server.local_addr();
//! let stop = CancellationToken::new();
//! let serving = tokio::spawn(server.serve(stop.clone()));
//!
//! let body = r#"{"update_id": 7}"#;
//! let mut connection = tokio::net::TcpStream::connect(addr).await?;
//! connection
//!     .write_all(
//!         format!(
//!             "POST /bot/webhook HTTP/1.1\r\nHost: bot\r\nConnection: close\r\n\
//!              X-Telegram-Bot-Api-Secret-Token: s3cret\r\nContent-Length: {}\r\n\r\n{body}",
//!             body.len()
//!         )
//!         .as_bytes(),
//!     )
//!     .await?;
//! let mut answer = String::new();
//! connection.read_to_string(&mut answer).await?;
//! assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
//!
//! stop.cancel();
//! serving.await?;
//! # Ok(())
//! # }
//! ```
//!
//! ## Architecture invariant
//! No storage, no Redis, no Bot API calls here: what is checked, counted and handled comes in
//! as closures, so the same server runs in every mode and in tests without a database.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod mount;
mod readiness;
mod server;
mod webhook;

pub use mount::Mount;
pub use readiness::Readiness;
pub use server::{BoundServer, DEFAULT_SHUTDOWN_GRACE, HttpError, HttpServer};
pub use webhook::{MAX_BODY_BYTES, SECRET_HEADER, Webhook};
