//! The storage suite: every test is written once as `async fn(&Fixture)` and runs on SQLite
//! always and on PostgreSQL when `TEST_DATABASE_URL` is set, each on a database of its own.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;
mod given;

mod admins;
mod cards;
mod catalog;
mod connect;
mod dialogs;
mod migrations;
mod moderation;
mod updates;
mod users;
