//! What the storage suite and the contract suite share: a fresh database per test and the
//! data tests start from. Each suite uses part of it.
#![allow(dead_code)]

pub mod database;
pub mod given;
