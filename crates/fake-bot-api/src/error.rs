//! Errors of starting the server and of control actions.

use std::net::SocketAddr;
use std::time::Duration;

/// The server could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why binding failed.
        source: std::io::Error,
    },
    /// The token is empty or contains a character that cannot appear in a URL path segment.
    #[error(
        "invalid bot token {0:?}: it must be non-empty and contain no '/', '?', '#' or whitespace"
    )]
    InvalidToken(String),
}

/// A control action could not be done as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// The user's current reply keyboard has no button with this label (or there is none).
    #[error("user {user} has no reply button {label:?}; current reply keyboard: {keyboard}")]
    NoSuchReplyButton {
        /// The user.
        user: i64,
        /// The label looked for.
        label: String,
        /// The keyboard the user has, as text (`none` when there is none).
        keyboard: String,
    },
    /// No message of the bot in this chat has an inline button with this label.
    #[error("no message in chat {user} has an inline button {label:?}\n{transcript}")]
    NoSuchInlineButton {
        /// The user.
        user: i64,
        /// The label looked for.
        label: String,
        /// The chat as the user sees it.
        transcript: String,
    },
    /// The inline button exists but opens a URL or similar instead of sending callback data.
    #[error("inline button {label:?} in chat {user} carries no callback_data")]
    NotACallbackButton {
        /// The user.
        user: i64,
        /// The button's label.
        label: String,
    },
    /// The message is not in the chat (never sent, or deleted).
    #[error("chat {user} has no message {message_id}")]
    NoSuchMessage {
        /// The user.
        user: i64,
        /// The message id asked for.
        message_id: i32,
    },
    /// An injected update was not a valid update object.
    #[error("invalid update: {0}")]
    InvalidUpdate(String),
    /// A wait ended before its condition held.
    #[error("timed out after {waited:?} waiting for {what}\n{transcript}")]
    Timeout {
        /// What was waited for.
        what: String,
        /// How long it waited.
        waited: Duration,
        /// The chat (or the server counters) when the wait gave up.
        transcript: String,
    },
}
