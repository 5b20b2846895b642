//! The `quire` command line: `serve` (the default) and the engine's commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use engine::profile::ProfileOptions;

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
    /// Run background jobs only (QUIRE_WORKERS at once), beside web instances.
    Worker,
    /// Profile a CSV or JSON file and print every column's statistics.
    Profile(ProfileArgs),
    /// Profile a CSV or JSON file and render its PDF report.
    Report(ReportArgs),
}

/// The file to profile and how: shared by `profile` and `report`.
#[derive(Debug, Args)]
pub struct ProfileInput {
    /// The CSV, JSON or JSON Lines file.
    pub file: PathBuf,
    /// Aggregate the numeric columns by this column.
    #[arg(long)]
    pub group_by: Option<String>,
    /// Counts and sums per period of this date or datetime column.
    #[arg(long = "time")]
    pub time_column: Option<String>,
    /// Skip malformed rows (and count them) instead of stopping at the first.
    #[arg(long)]
    pub skip_bad_rows: bool,
}

impl ProfileInput {
    pub fn options(&self) -> ProfileOptions {
        ProfileOptions {
            group_by: self.group_by.clone(),
            time_column: self.time_column.clone(),
            skip_bad_rows: self.skip_bad_rows,
            ..ProfileOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(flatten)]
    pub input: ProfileInput,
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: ProfileInput,
    /// Where to write the PDF.
    #[arg(short, long)]
    pub output: PathBuf,
    /// A report spec (JSON): title, logo, colour, page size, sections; every section by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Json,
    Table,
}
