//! # vitrina-dialog
//!
//! Vitrina's conversation as logic: one person's input and their stored state in, the new
//! state and the effects (messages to send or edit, callback answers, notifications to other
//! people) out. It knows nothing of Telegram, HTTP or a database: an adapter converts
//! updates into [`Incoming`] and [`Effect`]s into Bot API calls, and storage comes in through
//! the repository ports of `vitrina-cards`, `vitrina-moderation` and this crate's
//! [`UserRepository`] and [`DialogStore`]. Vitrina's cities and categories are a value
//! ([`reference::vitrina`]) given in the [`Settings`]; the words of every screen, rule, status
//! and rejection reason are chosen here, from the catalog of strings.
//!
//! Routing is data ([`route`]): commands and reply buttons are recognised in all four
//! languages before any dialog step sees the text, so no step or fallback can swallow them.
//! Inline buttons carry a [`Callback`], compact ASCII of at most 64 bytes, parsed whole.
//!
//! ```
//! use vitrina_dialog::{Callback, Command};
//! use vitrina_cards::CardId;
//!
//! let data = Callback::MyCardDeleteConfirm(CardId(42), 3).encode();
//! assert_eq!(data, "my:dy:42:3");
//! assert_eq!(Callback::parse(&data), Some(Callback::MyCardDeleteConfirm(CardId(42), 3)));
//! assert_eq!(Callback::parse("pc:del:confirm:42"), None); // outdated: answered, not obeyed
//! assert_eq!(Command::parse("moderate"), Some(Command::Moderate));
//! ```
#![deny(missing_docs)]

mod cabinet;
mod callback;
mod card_admin;
mod catalog;
mod dialog;
mod forget;
mod io;
mod links;
#[cfg(feature = "memory")]
pub mod memory;
mod moderation;
mod places;
pub mod reference;
mod render;
mod route;
mod search;
mod start;
mod state;
mod store;
mod text;
mod user;
mod wizard;

pub use callback::{Callback, DraftVersion, LanguageChoice, MAX_CALLBACK_BYTES, NearPoint};
pub use dialog::{Dialog, DialogError, DialogPorts, Settings};
pub use io::{
    ButtonAction, ChatId, Effect, Incoming, InlineArticle, InlineButton, Input, Keyboard, MapPoint,
    MessageId, Person, ReplyButton, ReplyRequest, ScreenTag,
};
pub use render::{reason_button_key, reason_key, rule_key, status_key};
pub use route::{Command, Route, route};
pub use state::DRAFT_LIFETIME_MILLIS;
pub use store::{DialogStore, PersonAndDialog};
pub use text::{RichText, Span, Style};
pub use user::{Forgotten, UserProfile, UserRepository};
