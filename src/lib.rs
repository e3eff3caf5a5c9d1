//! tidings: a fast, safe terminal news reader.
#![warn(missing_docs)]
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod app;
pub mod backlog;
pub mod cache;
pub mod cli;
pub mod config;
pub mod extract;
pub mod feed;
pub mod memory;
pub mod model;
pub mod opener;
pub mod pictures;
pub mod query;
pub mod runtime;
pub mod secret;
pub mod session;
pub mod store;
pub mod text;
pub mod tui;
pub mod ui;

pub use cli::{run, Cli};
