//! Quire's engine: a plain library with no web and no async.
//!
//! Data flows one way: [`ingest`] reads CSV or JSON into typed values, [`profile`] computes the
//! statistics of every column and of the table, and [`render`] draws a PDF report from a profile.

pub mod ingest;
pub mod profile;
pub mod render;
