//! The `quire` server: configuration, HTTP (pages and JSON API), accounts, sessions, API tokens
//! and the database. `main.rs` only parses the command line and calls [`startup`].

pub mod accounts;
pub mod api;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tokens;
