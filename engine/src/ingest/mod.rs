//! Reading CSV and JSON: sniffing, decoding, streaming rows, inferring types.
//!
//! Readers never hold the whole file: they push one row at a time into a [`RowSink`], so memory
//! is bounded by the sink, not by the input.

pub mod csv;
mod fast_parse;
pub mod infer;
pub mod json;

use std::io::Read;
use std::ops::Range;

/// The source format. `Json` is an array of objects; `JsonLines` one object per line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    JsonLines,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
        }
    }

    /// The format named by a file extension, if it names one.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Skip malformed rows (counting them) instead of failing on the first one.
    pub skip_bad_rows: bool,
}

/// What a reader learnt about its input besides the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestSummary {
    pub bytes: u64,
    pub skipped_rows: u64,
    pub encoding: Option<String>,
    pub delimiter: Option<char>,
}

/// Receives rows as they are read. `header` may grow between calls (JSON objects can bring new
/// keys); `values` always has `header.len()` entries and `None` means absent or JSON `null`.
pub trait RowSink {
    fn row(&mut self, header: &[String], values: &[Option<&str>]);

    /// A row whose cells all lie in `text`, cell `i` at `bounds[i]` (on character boundaries):
    /// how the CSV reader holds a record, so that a sink may copy the row at once. By default it
    /// is split for [`RowSink::row`].
    fn row_in(&mut self, header: &[String], text: &str, bounds: &[Range<usize>]) {
        let values: Vec<Option<&str>> = bounds.iter().map(|r| text.get(r.clone())).collect();
        self.row(header, &values);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("could not read the input: {0}")]
    Io(#[from] std::io::Error),
    /// The column is the first field too many, or the first one missing.
    #[error(
        "line {line}, column {}: expected {expected} fields as in the header, found {found}",
        (*.expected).min(*.found) + 1
    )]
    RaggedRow {
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("line {line}: malformed CSV: {message}")]
    Csv { line: u64, message: String },
    #[error("line {line}, column {column}: expected {expected}: {message}")]
    Json {
        line: u64,
        column: u64,
        expected: &'static str,
        message: String,
    },
    #[error("the input is empty: expected a header row or at least one record")]
    Empty,
}

impl IngestError {
    /// The error with its line counted from `lines` line breaks earlier: for an error found in a
    /// block of the input that many lines in.
    pub(crate) fn below(self, lines: u64) -> IngestError {
        match self {
            IngestError::RaggedRow {
                line,
                expected,
                found,
            } => IngestError::RaggedRow {
                line: line + lines,
                expected,
                found,
            },
            IngestError::Csv { line, message } => IngestError::Csv {
                line: line + lines,
                message,
            },
            other => other,
        }
    }
}

/// Reads `reader` as `format`, pushing every row into `sink`.
pub fn read_rows(
    reader: impl Read,
    format: Format,
    opts: &IngestOptions,
    sink: &mut impl RowSink,
) -> Result<IngestSummary, IngestError> {
    match format {
        Format::Csv => csv::read_csv(reader, opts, sink),
        Format::Json | Format::JsonLines => json::read_json(reader, opts, sink),
    }
}

/// Counts the bytes that pass through, for the table's `bytes` figure.
pub(crate) struct CountingReader<R> {
    pub inner: R,
    pub count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> CountingReader<R> {
    /// Wraps `inner`; the returned cell holds the bytes read so far.
    pub(crate) fn new(inner: R) -> (Self, std::rc::Rc<std::cell::Cell<u64>>) {
        let count = std::rc::Rc::new(std::cell::Cell::new(0));
        (
            CountingReader {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

/// The UTF-8 byte-order mark some tools put before CSV and JSON text.
pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Reads up to `limit` bytes from the start of `reader`, for sniffing.
pub(crate) fn read_prefix(reader: &mut impl Read, limit: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(limit.min(1 << 16));
    reader.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// A sink that keeps every row, for the readers' tests.
#[cfg(test)]
pub(crate) mod test_sink {
    use super::RowSink;

    #[derive(Default)]
    pub(crate) struct Rows {
        pub(crate) header: Vec<String>,
        pub(crate) rows: Vec<Vec<Option<String>>>,
    }

    impl RowSink for Rows {
        fn row(&mut self, header: &[String], values: &[Option<&str>]) {
            self.header = header.to_vec();
            self.rows
                .push(values.iter().map(|v| v.map(str::to_string)).collect());
        }
    }
}
