//! A stand-in for the Telegram Bot API.
