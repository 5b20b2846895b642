/// What to compute and the bounds that keep memory flat whatever the file size.
#[derive(Debug, Clone)]
pub struct ProfileOptions {
    /// Aggregate the numeric columns by this column.
    pub group_by: Option<String>,
    /// Counts and sums per period of this date/datetime column.
    pub time_column: Option<String>,
    /// Skip malformed rows (counted in `table.skipped_rows`) instead of failing.
    pub skip_bad_rows: bool,
    /// Quantiles are exact up to this many values per column, then come from a sketch.
    pub exact_quantile_limit: usize,
    /// Distinct values are counted exactly up to this many per column, then estimated.
    pub exact_distinct_limit: usize,
    /// ... and up to this many bytes of their text per column: a column of long texts (say
    /// descriptions of a few kilobytes) would otherwise keep 100 000 of them.
    pub exact_distinct_bytes: usize,
    /// How many most frequent values to list per column.
    pub top_k: usize,
    /// Spearman correlations use the first this-many rows.
    pub spearman_sample: usize,
    /// Rows remembered for finding duplicates.
    pub duplicate_rows_limit: usize,
    /// Distinct group-by keys tracked, and how many of the largest are reported.
    pub max_groups: usize,
    pub group_by_top: usize,
    /// Correlations are computed over the first this-many columns.
    pub max_correlation_columns: usize,
    /// Threads that profile chunks of rows (the calling thread reads; CSV is parsed by the
    /// profiling threads, JSON by the calling one); 0 or 1 profiles on the calling thread. The
    /// profile is the same whatever the number.
    pub threads: usize,
    /// Rows per chunk of JSON. Chunks are profiled apart and merged in file order, so this (and
    /// `chunk_bytes` for CSV), not `threads`, decides how floating-point sums are grouped:
    /// changing it may change the last digits.
    pub chunk_rows: usize,
    /// CSV is cut into blocks of about this many bytes (the first of twice as many), each parsed
    /// and profiled apart, as `chunk_rows` rows are for JSON.
    pub chunk_bytes: usize,
}

impl Default for ProfileOptions {
    fn default() -> Self {
        ProfileOptions {
            group_by: None,
            time_column: None,
            skip_bad_rows: false,
            exact_quantile_limit: 100_000,
            exact_distinct_limit: 100_000,
            exact_distinct_bytes: 16 << 20,
            top_k: 10,
            spearman_sample: 100_000,
            duplicate_rows_limit: 2_000_000,
            max_groups: 10_000,
            group_by_top: 20,
            max_correlation_columns: 64,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            // Large enough that a small file is one chunk (no merging at all, and no threads to
            // hand it to) and that merging chunks stays a small part of a large file's work;
            // small enough that the chunks in flight stay well inside the memory bound.
            chunk_rows: 16_384,
            // A block's text and cells are read once per column: at 1 MiB they stay in a core's
            // cache in between (2 MiB was 6-12 % slower, docs/BENCHMARKS.md).
            chunk_bytes: 1 << 20,
        }
    }
}
