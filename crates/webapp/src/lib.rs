//! # vitrina-webapp
//!
//! Vitrina's Telegram Mini App: the partner cabinet (cards with filters, a card form with the
//! wizard's fields, rules and reference data and a live preview, hide / show / delete,
//! resubmit after rejection) and the moderation queue (approve, reject with a reason), as a
//! small page served by the bot's own HTTP server with a JSON API beside it.
//!
//! - [`InitDataCheck`]: Telegram's WebApp `initData`, checked as Telegram documents it
//!   (HMAC-SHA-256 with the key derived from the bot token, constant-time comparison, a
//!   bounded age). Every API request carries it as `Authorization: tma <initData>`: no
//!   cookie, so no cross-site request can act for anyone.
//! - [`WebApp`]: the page (embedded files) and the API, on the same storage ports and rules
//!   as the dialog: ownership is part of every partner query, admin rights are read per
//!   request, bad input is answered with the wizard's own messages, of two decisions on one
//!   card exactly one wins, and notices to other people (admins told of a submission, a
//!   partner of a decision) are queued in the delivery's outbox in the change's transaction,
//!   each in its reader's language, so that they are sent once.
//! - [`Photos`]: uploads go to Telegram (sendPhoto), the card keeps the `file_id`, and the
//!   page shows them through getFile.
//!
//! ```
//! use std::time::Duration;
//! use vitrina_webapp::{InitDataCheck, WebAppUser};
//!
//! let check = InitDataCheck::new("123456:token", Duration::from_secs(3600));
//! let user = WebAppUser { id: 42, first_name: "Lan".into(), username: None, language_code: Some("vi".into()) };
//! let init_data = check.sign(&user, 1_800_000_000);
//! assert_eq!(check.verify(&init_data, 1_800_000_100), Ok(user));
//! assert!(check.verify(&init_data, 1_800_009_999).is_err()); // stale
//! ```
//!
//! ## Architecture invariant
//! An adapter: it holds no product rule of its own. Statuses move by the cards domain's
//! table, fields are checked by its newtypes, decisions by the moderation repository; the
//! page's words come from the same Fluent catalog as the chat's.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod api;
mod assets;
mod init_data;
mod photos;
mod words;

pub use api::WebApp;
pub use assets::names as asset_names;
pub use init_data::{AuthError, InitDataCheck, WebAppUser};
pub use photos::Photos;

/// The largest request body the page sends: a photo, which Telegram takes up to 10 MB.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
