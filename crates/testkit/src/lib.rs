//! # vitrina-testkit
//!
//! What Vitrina's tests share, so that each test file says only what it tests:
//!
//! - [`process`]: the `bot` binary (or any program) run with a clean environment — `PATH`
//!   and what the test gives, nothing of the developer's shell — to its end, or kept running
//!   while the test watches its log and waits for its exit.
//! - [`services`]: the shared PostgreSQL and Redis named by `TEST_DATABASE_URL` and
//!   `TEST_REDIS_URL`; a test that needs one skips, saying why, when it is not set. Also names
//!   no other test shares, for keys and schemas on those services.
//! - [`postgres`]: a schema of the test's own on the shared PostgreSQL, dropped at the end even
//!   when the test fails.
//! - [`fixtures`]: card contents for setting a test up through the storage.
//! - [`net`]: a free port on the loopback interface.
//! - [`cluster`]: a PostgreSQL server of the test's own, to stop and start or to configure
//!   as the shared one cannot be.
//!
//! ```
//! use vitrina_testkit::{fixtures, net, process, services};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // A program run with a clean environment sees PATH and what it is given, nothing else.
//! let mut command = process::clean_command("env", std::env::temp_dir());
//! command.env("DATABASE_URL", "sqlite://vitrina.db");
//! let finished = process::run_async(command).await;
//! assert_eq!(finished.status, Some(0), "{}", finished.stderr);
//! let mut names: Vec<&str> = finished
//!     .stdout
//!     .lines()
//!     .filter_map(|line| line.split_once('=').map(|(name, _)| name))
//!     .collect();
//! names.sort_unstable();
//! assert_eq!(names, ["DATABASE_URL", "PATH"]);
//!
//! // Without TEST_REDIS_URL this prints why the test skips and gives `None`.
//! if let Some(url) = services::redis_url() {
//!     assert!(url.starts_with("redis://"));
//! }
//!
//! // A card with the required fields only, valid for the storage's reference data.
//! let card = fixtures::shop_card("Corner Shop");
//! assert_eq!(card.title.as_str(), "Corner Shop");
//! assert_eq!(card.city, fixtures::NHA_TRANG);
//!
//! assert_ne!(net::free_port(), 0);
//! # }
//! ```
//!
//! Not for production code: the helpers panic with a message rather than return errors, as a
//! test wants. The benchmark uses [`process::clean_command`] alone, which cannot fail.
#![deny(missing_docs)]

pub mod cluster;
pub mod fixtures;
pub mod net;
pub mod postgres;
pub mod process;
pub mod services;
