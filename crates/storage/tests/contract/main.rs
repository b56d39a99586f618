//! The contract suite of the ports: every test is written once against the port traits, as
//! `async fn(&Fixture<P>)`, and runs on the in-memory ports (`vitrina_dialog::memory`), on
//! SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set — so the in-memory ports the
//! dialog's tests use behave as the storage does.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;
mod given;
#[path = "../support/mod.rs"]
mod support;

mod admin_actions;
mod admins;
mod cards;
mod catalog;
mod dialogs;
mod moderation;
mod places;
mod users;
