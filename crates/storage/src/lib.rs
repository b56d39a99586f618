//! # vitrina-storage
//!
//! Vitrina's database: every repository port of the domain crates —
//! [`CardRepository`](vitrina_cards::CardRepository),
//! [`UserRepository`](vitrina_dialog::UserRepository),
//! [`ModerationRepository`](vitrina_moderation::ModerationRepository),
//! [`AdminRepository`](vitrina_moderation::AdminRepository),
//! [`DialogStore`](vitrina_dialog::DialogStore) — and the journal of handled Telegram updates
//! with the outbox of their answers ([`UpdateJournal`](vitrina_update_source::UpdateJournal),
//! [`Outbox`](vitrina_update_source::Outbox)), on SQLite (an embedded file, the default `sqlite://vitrina.db`) or PostgreSQL
//! (`postgres://…`), chosen by the URL given to [`Db::connect`]. Both engines behave the same;
//! one test suite runs against each.
//!
//! ```
//! use vitrina_cards::{
//!     CardContent, CardRepository, CardStatus, CategoryId, CityId, Contact, Timestamp, Title,
//!     UserId,
//! };
//! use vitrina_storage::Db;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let db = Db::connect(&format!("sqlite://{}", dir.path().join("vitrina.db").display())).await?;
//! let applied = db.migrate().await?;
//! assert!(!applied.is_empty());
//! assert!(db.migrate().await?.is_empty(), "a second run has nothing to do");
//!
//! let content = CardContent {
//!     city: CityId(1),
//!     area: None,
//!     category: CategoryId(1),
//!     subcategory: None,
//!     title: Title::parse("Кофейня «Утро»")?,
//!     description: None,
//!     contact: Contact::parse("@morning_cafe")?,
//!     address: None,
//!     map_link: None,
//!     photos: Vec::new(),
//!     discount: None,
//!     location: None,
//! };
//! let partner = UserId(42);
//! let id = db.submit_new(partner, &content, Timestamp(1_700_000_000_000)).await?;
//! let card = db.owned_card(partner, id).await?;
//! assert_eq!((card.status, card.content), (CardStatus::Pending, content));
//! # Ok(())
//! # }
//! ```
//!
//! ## How it is built
//! - One code path for both engines: [`Db`] holds the pool of one engine, and each query is
//!   written once inside a macro that expands it for both connection types.
//! - Migrations are embedded (`migrations/sqlite`, `migrations/postgres`); [`Db::migrate`]
//!   applies the pending ones. Ids are BIGINT; timestamps are BIGINT milliseconds since the
//!   Unix epoch, UTC.
//! - Status changes are conditional updates (`… WHERE status = <expected>`): of two
//!   concurrent decisions exactly one applies; the other gets a typed "already changed".
//!   Partner actions carry the owner in the query, so someone else's card is "not found".
//! - Errors are the domain's [`RepositoryError`](vitrina_cards::RepositoryError): connection
//!   and pool trouble is `Unavailable` (retry later), broken rules and unreadable rows are
//!   `Invalid`.
//! - [`Db::begin_transaction`] gives a `Db` bound to one open transaction: every call on it
//!   runs there (on PostgreSQL a writing call in a savepoint of its own, so that a failed
//!   call undoes only itself instead of aborting the transaction; reads need none, nor the
//!   journal's first and last writes, whose failure rolls it all back), and everything the
//!   dialog does for one update commits or rolls back at once. The journal opens an update's
//!   transaction without those savepoints: a failed call then spoils it
//!   (`UpdateJournal::spoiled`), it commits nothing, and the update is handled again on a
//!   guarded one (`UpdateJournal::open_guarded`). A transaction dropped
//!   unfinished is rolled back by closing its connection.
//! - SQLite connections use WAL, a busy timeout and foreign keys; write transactions begin
//!   `IMMEDIATE`. SQLite has one writer at a time: within the process the writers queue on an
//!   async lock instead of in SQLite's busy handler, which sleeps between tries. Titles are
//!   searched through a Unicode-folded copy computed in Rust, not through the engine's
//!   ASCII-only `lower()`.
//!
//! ## Features
//! Everything is on by default. The engines are `sqlite` and `postgres` (at least one is
//! needed); the ports come in groups, each bringing only the domain crate that declares it:
//! `cards` ([`CardRepository`](vitrina_cards::CardRepository)), `users` (`UserRepository`,
//! which brings vitrina-dialog, vitrina-i18n and Fluent; implies `cards`), `moderation` (its
//! two repositories; implies `cards`), `dialog-store` (`DialogStore`, which brings
//! vitrina-dialog too) and `journal` (`UpdateJournal`, `Outbox`). The migrations always create every
//! table, so a database is the same whichever features the program was built with.
#![deny(missing_docs)]

#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
compile_error!("vitrina-storage needs an engine: enable the `sqlite` or `postgres` feature");

#[macro_use]
mod kept_prepared;
#[macro_use]
mod pool;
#[cfg(feature = "sqlite")]
mod calling_thread;
#[cfg(feature = "sqlite")]
mod sqlite_writer;
#[cfg(feature = "cards")]
#[macro_use]
mod cards;
#[cfg(feature = "moderation")]
mod admins;
#[cfg(feature = "dialog-store")]
mod dialogs;
mod error;
#[cfg(all(feature = "sqlite", feature = "moderation"))]
mod legacy;
mod migrate;
#[cfg(feature = "cards")]
mod models;
#[cfg(feature = "moderation")]
mod moderation;
#[cfg(feature = "postgres")]
mod postgres_schema;
mod schema;
#[cfg(feature = "postgres")]
mod tls;
#[cfg(feature = "journal")]
mod updates;
#[cfg(feature = "users")]
mod users;

pub use error::StorageError;
#[cfg(all(feature = "sqlite", feature = "moderation"))]
pub use legacy::{ImportReport, LegacyData};
pub use pool::{ConnectOptions, Db};
#[cfg(feature = "postgres")]
pub use postgres_schema::{create_postgres_schema, drop_postgres_schema};
