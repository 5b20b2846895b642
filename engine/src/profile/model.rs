//! The profile of a dataset: what `quire profile` prints as JSON, what the dashboard shows and
//! what a report is drawn from. The field names are a public contract (`docs/profile-schema.md`):
//! add fields freely, never rename or remove one.

use serde::{Deserialize, Serialize};

/// The whole profile of one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Profile {
    /// Data rows read (the header is not a row; skipped bad rows are not counted).
    pub rows: u64,
    pub columns: Vec<ColumnProfile>,
    pub table: TableStats,
    /// Pearson and Spearman matrices over the numeric columns; `None` with fewer than two.
    pub correlations: Option<Correlations>,
    /// Aggregates of the numeric columns by the chosen column, when one was chosen.
    pub group_by: Option<GroupBy>,
    /// Counts and sums per period of the chosen date/datetime column, when one was chosen.
    pub time_series: Option<TimeSeries>,
    pub alerts: Vec<Alert>,
}

/// Table-level figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TableStats {
    pub rows: u64,
    pub columns: u64,
    pub duplicate_rows: u64,
    pub bytes: u64,
    /// Rows left out because they were malformed (only when the caller asked to skip them).
    pub skipped_rows: u64,
    /// How many columns have each type, keyed by the type's name.
    pub types: std::collections::BTreeMap<String, u64>,
    /// Source format: `csv`, `json` or `jsonl`.
    pub format: String,
    /// Detected text encoding, e.g. `UTF-8` or `windows-1252`.
    pub encoding: Option<String>,
    /// Detected CSV delimiter.
    pub delimiter: Option<String>,
}

/// The inferred type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Integer,
    Float,
    Boolean,
    Date,
    Datetime,
    #[default]
    Text,
    /// Values of more than one type (besides missing values).
    Mixed,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
            ColumnType::Datetime => "datetime",
            ColumnType::Text => "text",
            ColumnType::Mixed => "mixed",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Float)
    }

    pub fn is_temporal(self) -> bool {
        matches!(self, ColumnType::Date | ColumnType::Datetime)
    }
}

/// A value as shown to people: numbers stay numbers, dates and text are strings
/// (dates in ISO 8601).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Number(f64),
    Text(String),
}

/// Everything known about one column. Statistics that do not apply to its type are `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ColumnProfile {
    pub name: String,
    #[serde(rename = "type")]
    pub column_type: ColumnType,
    /// Non-missing values.
    pub count: u64,
    pub missing: u64,
    pub distinct: u64,
    /// False when `distinct` is a HyperLogLog estimate; its relative error is then `distinct_error`.
    pub distinct_exact: bool,
    pub distinct_error: Option<f64>,
    pub min: Option<Scalar>,
    pub max: Option<Scalar>,
    pub sum: Option<f64>,
    pub mean: Option<f64>,
    /// Sample variance and standard deviation (n − 1).
    pub variance: Option<f64>,
    pub std: Option<f64>,
    pub skewness: Option<f64>,
    /// Excess kurtosis (0 for a normal distribution).
    pub kurtosis: Option<f64>,
    pub zeros: Option<u64>,
    pub negatives: Option<u64>,
    pub quantiles: Option<Quantiles>,
    /// Most frequent values, most frequent first, ties by value.
    pub top: Vec<TopValue>,
    pub histogram: Option<Histogram>,
    /// Lengths in characters of text values.
    pub text_lengths: Option<LengthStats>,
    /// First/last date and counts per period for date and datetime columns.
    pub temporal: Option<TemporalStats>,
    /// `increasing`, `decreasing` or `none` (strict or not, over non-missing values in file order).
    pub monotonic: Option<String>,
}

/// p1 … p99. `exact` is false when they come from a sketch; `error` is then its stated relative
/// error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Quantiles {
    pub p1: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
    pub p99: f64,
    pub exact: bool,
    pub error: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopValue {
    pub value: String,
    pub count: u64,
}

/// Equal-width bins: `edges` has one more entry than `counts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LengthStats {
    pub min: u64,
    pub max: u64,
    pub mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TemporalStats {
    pub first: String,
    pub last: String,
    /// Counts per period, the period chosen from the span (day, week, month or year).
    pub period: String,
    pub counts: Vec<PeriodCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodCount {
    /// Start of the period, ISO 8601.
    pub period: String,
    pub count: u64,
}

/// Square matrices over `columns`, row-major; `None` where a pair has no variance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Correlations {
    pub columns: Vec<String>,
    pub pearson: Vec<Vec<Option<f64>>>,
    pub spearman: Vec<Vec<Option<f64>>>,
    /// Rows Spearman was computed on, when it used a sample rather than every row.
    pub spearman_sample: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GroupBy {
    pub column: String,
    /// The numeric columns aggregated, in table order.
    pub measures: Vec<String>,
    /// Largest groups first (by count); the rest folded into one group named "other".
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Group {
    pub key: String,
    pub count: u64,
    /// One entry per measure, in `GroupBy::measures` order.
    pub aggregates: Vec<Aggregate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Aggregate {
    pub sum: f64,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimeSeries {
    pub column: String,
    /// `day`, `week` or `month`.
    pub period: String,
    pub measures: Vec<String>,
    pub points: Vec<TimePoint>,
    /// Least-squares line of the count per period against the period index.
    pub trend: Option<Trend>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimePoint {
    pub period: String,
    pub count: u64,
    /// Sums of each measure, in `TimeSeries::measures` order.
    pub sums: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Trend {
    pub slope: f64,
    pub intercept: f64,
    pub r2: f64,
}

/// A data-quality finding, as ydata-profiling would raise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// `constant`, `high_missing`, `high_cardinality`, `unique`, `skewed`, `many_zeros`,
    /// `duplicate_rows` or `mixed_types`.
    pub kind: String,
    /// The column concerned; `None` for table-level alerts.
    pub column: Option<String>,
    /// A sentence a person can read.
    pub message: String,
}
