//! The engine's command-line commands; `serve` lives in [`crate::startup`].

pub mod profile;
pub mod report;
