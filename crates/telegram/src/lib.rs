//! # vitrina-telegram
//!
//! Vitrina's Telegram adapter: the only crate that knows the Bot API. Updates come in as raw
//! JSON and leave as the dialog's [`Incoming`](vitrina_dialog::Incoming); the dialog's
//! [`Effect`](vitrina_dialog::Effect)s go out as Bot API calls.
//!
//! - [`RawUpdate`]: one update at a time, `update_id` first, so an update of a
//!   kind this version does not know is [`Decoded::Skipped`] (and confirmed), never an error
//!   for its batch. Only private chats are served.
//! - [`to_html`]: rich text as Telegram HTML, every span escaped, cut to the limit (4096 for
//!   messages, 1024 for captions) without breaking a tag, an escape or a character.
//! - [`TelegramClient`]: getUpdates, the effects ([`TelegramClient::execute`]), the webhook
//!   and the command menus. Every call goes through one sender that keeps Telegram's rate
//!   limits ([`RateLimits`]) and retries 429s after `retry_after`, and 5xx answers and
//!   network failures with backoff ([`RetryPolicy`]), and tells a [`CallObserver`] (metrics)
//!   of each request. The requests go over HTTP/1.1 keep-alive connections that each call
//!   drives in its own poll (no connection task to hand them to), or through reqwest when
//!   the environment names a proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`).
//! - [`WebhookReply`]: an answer to a press or an inline query written as the call a webhook's
//!   answer carries, for Telegram to make: one request fewer.
//! - [`TelegramFiles`]: a photo uploaded from bytes and a file downloaded by its `file_id`,
//!   for the Mini App.
//!
//! ```
//! use vitrina_dialog::{Input, RichText};
//! use vitrina_telegram::{Decoded, RawUpdate, TEXT_LIMIT, to_html};
//!
//! // People's words are escaped; long texts are cut with closed tags.
//! let text = RichText::default().bold("Phở & <Bún>").text(" — 50% off");
//! assert_eq!(to_html(&text, TEXT_LIMIT), "<b>Phở &amp; &lt;Bún&gt;</b> — 50% off");
//! assert_eq!(to_html(&text, 6), "<b>Phở &amp;</b>…");
//!
//! let update = RawUpdate::from_slice(br#"{
//!     "update_id": 7,
//!     "message": {
//!         "message_id": 1, "date": 1700000000,
//!         "chat": {"id": 42, "type": "private"},
//!         "from": {"id": 42, "is_bot": false, "first_name": "Anna", "language_code": "vi"},
//!         "text": "/start@vitrina_bot ref",
//!         "entities": [{"type": "bot_command", "offset": 0, "length": 18}]
//!     }
//! }"#)?;
//! let Decoded::Incoming { incoming, .. } = update.decode() else { panic!("a message") };
//! assert_eq!(incoming.input, Input::Command { name: "start".into(), args: "ref".into() });
//!
//! // A kind Telegram added after this version: skipped, with its id to confirm.
//! let unknown = RawUpdate::from_slice(br#"{"update_id": 8, "hologram": {}}"#)?;
//! assert_eq!(unknown.decode().update_id(), 8);
//! # Ok::<(), vitrina_telegram::TelegramError>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod client;
mod commands;
mod error;
mod files;
mod profile;
mod qr;
mod render;
mod sender;
mod transport;
mod update;

pub use client::{BotInfo, EffectOutcome, TelegramClient, UpdateKind, WebhookReply, WebhookStatus};
pub use error::{ConflictCause, TelegramError};
pub use files::TelegramFiles;
pub use qr::qr_png;
pub use render::{CALLBACK_TEXT_LIMIT, CAPTION_LIMIT, TEXT_LIMIT, cut_plain, to_html};
pub use sender::{CallObserver, RateLimits, RetryPolicy};
pub use update::{Decoded, RawUpdate, SkipReason};
