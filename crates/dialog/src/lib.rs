//! # vitrina-dialog
//!
//! Vitrina's conversation as pure logic. This part holds the [`DialogStore`] port through
//! which a person's dialog state outlives a process.
#![deny(missing_docs)]

mod store;

pub use store::DialogStore;
