//! The `quire` server: configuration, HTTP (pages and JSON API), accounts, sessions, API tokens,
//! the database, file storage, background jobs and rate limits. `main.rs` only parses the command line and calls [`startup`].

pub mod accounts;
pub mod api;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod datasets;
pub mod db;
pub mod error;
pub mod http;
pub mod jobs;
pub mod ratelimit;
pub mod reporting;
pub mod reports;
pub mod services;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod templates;
pub mod tokens;
