//! The `quire` command line: `serve` (the default) and the engine's commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Profile a CSV or JSON file and print every column's statistics.
    Profile(ProfileArgs),
    /// Profile a CSV or JSON file and render its PDF report.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The CSV, JSON or JSON Lines file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
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

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The CSV, JSON or JSON Lines file.
    pub file: PathBuf,
    /// Where to write the PDF.
    #[arg(short, long)]
    pub output: PathBuf,
    /// A report spec (JSON): title, logo, colour, page size, sections; every section by default.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Aggregate the numeric columns by this column (for the group-by section).
    #[arg(long)]
    pub group_by: Option<String>,
    /// The date or datetime column for the time-series section.
    #[arg(long = "time")]
    pub time_column: Option<String>,
    /// Skip malformed rows (and count them) instead of stopping at the first.
    #[arg(long)]
    pub skip_bad_rows: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Json,
    Table,
}
