//! Runs the fake Telegram Bot API server.
fn main() {}
