//! Statistics of a table and its columns.
//!
//! [`profile_path`] and [`profile_reader`] stream a file through [`crate::ingest`] into a
//! [`profiler::Profiler`], which feeds one accumulator per statistic family (`numeric`,
//! `quantiles`, `distinct`, …) and turns them into the [`Profile`] of `model.rs`.

pub mod alerts;
mod chunks;
pub mod column;
pub mod correlation;
pub mod distinct;
mod error;
mod format;
pub mod group_by;
pub mod histogram;
mod log_buckets;
mod merger;
pub mod model;
pub mod numeric;
mod options;
mod parallel;
pub mod profiler;
pub mod quantiles;
mod sample;
mod sums;
pub mod table;
pub mod temporal;
pub mod text;
pub mod time_series;

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

pub use error::EngineError;
pub use format::format_table;
pub use model::*;
pub use options::ProfileOptions;
pub use sample::Sample;

use chunks::{Batcher, Chunk};
use merger::{Merged, Merger, Shared, Work};

use crate::ingest::csv::RecordFormat;
use crate::ingest::{self, read_prefix, Format, IngestError, IngestOptions};

/// Profiles the file at `path`, its format taken from the extension or else sniffed.
pub fn profile_path(path: &Path, opts: &ProfileOptions) -> Result<Profile, EngineError> {
    profile_path_with_sample(path, opts, 0).map(|(profile, _)| profile)
}

/// Profiles the file at `path` and keeps its first `sample_rows` rows as text, in one pass.
pub fn profile_path_with_sample(
    path: &Path,
    opts: &ProfileOptions,
    sample_rows: usize,
) -> Result<(Profile, Sample), EngineError> {
    let file = File::open(path).map_err(|source| EngineError::Open {
        path: path.display().to_string(),
        source,
    })?;
    let hint = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension);
    // Unbuffered: CSV is read a block (a megabyte) at a time straight into the block, and JSON
    // is buffered by its reader; a buffer here would only copy every byte once more.
    profile_reader_with_sample(file, hint, opts, sample_rows)
}

/// Profiles a byte stream; without a format hint, JSON is recognised by its first character.
pub fn profile_reader(
    reader: impl Read,
    format_hint: Option<Format>,
    opts: &ProfileOptions,
) -> Result<Profile, EngineError> {
    profile_reader_with_sample(reader, format_hint, opts, 0).map(|(profile, _)| profile)
}

/// [`profile_reader`], also keeping the first `sample_rows` rows as text.
pub fn profile_reader_with_sample(
    reader: impl Read,
    format_hint: Option<Format>,
    opts: &ProfileOptions,
    sample_rows: usize,
) -> Result<(Profile, Sample), EngineError> {
    let mut reader = reader;
    let prefix = read_prefix(&mut reader, 1024).map_err(ingest::IngestError::from)?;
    let format = format_hint.unwrap_or_else(|| sniff_format(&prefix));
    let format = match (format, first_byte(&prefix)) {
        // A `.json` file may hold JSON Lines and a `.jsonl` one an array.
        (Format::Json | Format::JsonLines, Some(b'{')) => Format::JsonLines,
        (Format::Json | Format::JsonLines, _) => Format::Json,
        (f, _) => f,
    };
    let ingest_opts = IngestOptions {
        skip_bad_rows: opts.skip_bad_rows,
    };
    let input = Cursor::new(prefix).chain(reader);
    let (summary, merged) = match format {
        Format::Csv => profile_csv(input, &ingest_opts, opts, sample_rows)?,
        Format::Json | Format::JsonLines => {
            profile_rows(input, format, &ingest_opts, opts, sample_rows)?
        }
    };
    let mut sample = merged.sample;
    sample.square();
    Ok((merged.profiler.finish(format, summary)?, sample))
}

/// CSV, cut into blocks of bytes that the profiling threads parse.
fn profile_csv(
    input: impl Read,
    ingest_opts: &IngestOptions,
    opts: &ProfileOptions,
    sample_rows: usize,
) -> Result<(ingest::IngestSummary, Merged), IngestError> {
    let mut stream = ingest::csv::open_csv(input, ingest_opts)?;
    let shared = Shared::new(opts, stream.format.clone(), sample_rows, stream.latin1);
    let merger = Merger::new(&shared, stream.header_lines);
    let blocks = &mut stream.blocks;
    let (read, merger) = parallel::profile_work(&shared, merger, |send| {
        let mut spare = Vec::new();
        // The first block is twice as large: a file of up to about that size is one chunk,
        // profiled with no thread to hand it to and nothing to merge.
        let mut size = 2 * opts.chunk_bytes;
        while !shared.stopped() {
            let mut block = std::mem::take(&mut spare);
            let Some(last) = blocks.next_into(&mut block, size)? else {
                break;
            };
            size = opts.chunk_bytes;
            if let Some(Work::Csv { block, .. }) = send(Work::Csv { block, last }) {
                spare = block;
            }
        }
        Ok::<(), IngestError>(())
    });
    read?;
    let merged = merger.finish()?;
    Ok((stream.summary(merged.skipped, merged.latin1), merged))
}

/// JSON: rows read on this thread, batched into chunks for the profiling threads.
fn profile_rows(
    input: impl Read,
    format: Format,
    ingest_opts: &IngestOptions,
    opts: &ProfileOptions,
    sample_rows: usize,
) -> Result<(ingest::IngestSummary, Merged), IngestError> {
    let shared = Shared::new(opts, RecordFormat::default(), sample_rows, false);
    let merger = Merger::new(&shared, 0);
    let (summary, merger) = parallel::profile_work(&shared, merger, |send| {
        let mut send_chunk = |chunk: Chunk| match send(Work::Rows(chunk)) {
            Some(Work::Rows(spare)) => Some(spare),
            _ => None,
        };
        let mut batcher = Batcher::new(opts.chunk_rows, &mut send_chunk);
        let summary = ingest::read_rows(input, format, ingest_opts, &mut batcher);
        batcher.finish();
        summary
    });
    Ok((summary?, merger.finish()?))
}

fn first_byte(prefix: &[u8]) -> Option<u8> {
    let body = prefix.strip_prefix(ingest::UTF8_BOM).unwrap_or(prefix);
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

fn sniff_format(prefix: &[u8]) -> Format {
    match first_byte(prefix) {
        Some(b'[') => Format::Json,
        Some(b'{') => Format::JsonLines,
        _ => Format::Csv,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_reader_sniffs_json_and_reports_alerts() {
        let jsonl =
            b"{\"k\": 1, \"c\": \"x\"}\n{\"k\": 1, \"c\": \"x\"}\n{\"k\": 1, \"c\": \"y\"}\n";
        let p = profile_reader(&jsonl[..], None, &ProfileOptions::default()).expect("valid");
        assert_eq!(p.table.format, "jsonl");
        assert_eq!(p.table.duplicate_rows, 1);
        let kinds: Vec<&str> = p.alerts.iter().map(|a| a.kind.as_str()).collect();
        assert!(kinds.contains(&"constant"), "{kinds:?}");
        assert!(kinds.contains(&"duplicate_rows"), "{kinds:?}");
        let table = format_table(&p);
        assert!(table.starts_with("3 rows, 2 columns"), "{table}");
        assert!(table.contains("[constant]"), "{table}");
    }

    #[test]
    fn unknown_or_non_temporal_columns_are_errors() {
        let csv = b"a,b\n1,x\n2,y\n";
        let opts = ProfileOptions {
            group_by: Some("nope".into()),
            ..ProfileOptions::default()
        };
        let err = profile_reader(&csv[..], Some(Format::Csv), &opts).expect_err("unknown column");
        assert!(matches!(err, EngineError::UnknownColumn { .. }), "{err}");
        let opts = ProfileOptions {
            time_column: Some("a".into()),
            ..ProfileOptions::default()
        };
        let err = profile_reader(&csv[..], Some(Format::Csv), &opts).expect_err("not temporal");
        assert!(matches!(err, EngineError::NotTemporal { .. }), "{err}");
    }

    #[test]
    fn edge_shaped_inputs_profile_without_error() {
        let inputs: [&[u8]; 7] = [
            b"a,b\n",
            b"only\n1\n2\n\n3\n",
            b"[]",
            b"{}\n{}\n",
            b"x\n1e999\n-1e999\n5\n",
            b"d\n0001-01-01\n9999-12-31\n",
            b"t\n\xff\xfe\n\x80\n",
        ];
        for input in inputs {
            let opts = ProfileOptions {
                time_column: None,
                ..ProfileOptions::default()
            };
            let p = profile_reader(input, None, &opts);
            assert!(
                p.is_ok(),
                "{:?}: {:?}",
                String::from_utf8_lossy(input),
                p.err()
            );
        }
        let dates = ProfileOptions {
            time_column: Some("d".into()),
            ..ProfileOptions::default()
        };
        let p = profile_reader(&b"d\n0001-01-01\n9999-12-31\n"[..], None, &dates).expect("valid");
        assert_eq!(p.time_series.map(|t| t.period), Some("month".to_string()));
    }

    #[test]
    fn rows_with_equal_values_are_duplicates_however_written() {
        let csv = b"n,t\n1.50,x\n1.5, x\n1.5,x\n2,x\n,x\nNA,x\n1.5,y\n";
        let p = profile_reader(&csv[..], None, &ProfileOptions::default()).expect("valid");
        // 1.5 as written before, twice; an empty cell and NA are both missing.
        assert_eq!(p.table.duplicate_rows, 3);
    }

    #[test]
    fn mixed_and_high_missing_columns_raise_alerts() {
        let csv = b"m,s\n1,\nx,\n2,\n3,5\n";
        let p = profile_reader(&csv[..], None, &ProfileOptions::default()).expect("valid");
        let kinds: Vec<(&str, Option<&str>)> = p
            .alerts
            .iter()
            .map(|a| (a.kind.as_str(), a.column.as_deref()))
            .collect();
        assert!(kinds.contains(&("mixed_types", Some("m"))), "{kinds:?}");
        assert!(kinds.contains(&("high_missing", Some("s"))), "{kinds:?}");
    }
}
