//! Statistics of a table and its columns.

pub mod model;

pub use model::*;
