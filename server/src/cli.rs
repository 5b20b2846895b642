//! The `quire` command line.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "quire",
    version,
    about = "Tabular data in, analysed PDF report out"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web dashboard and the JSON API (the default).
    Serve,
}
