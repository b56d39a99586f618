//! The fake Bot API driven over real HTTP, with frankenstein (the bot's own client) wherever
//! the call is one frankenstein can make.
#![allow(clippy::unwrap_used)]

mod control;
mod messages;
mod support;
mod updates;
mod webhook;
