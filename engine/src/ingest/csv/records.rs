//! Records from a block of CSV bytes that starts at a record boundary, parsed with `csv_core`.
//!
//! A block may end inside a record (the boundary it was cut at was only a guess): then only the
//! complete records are pushed, and [`BlockParse::consumed`] says where the rest starts, to be
//! parsed again in front of the next block. So blocks can be parsed on any thread, in any order,
//! and still give exactly the records one pass over the stream would.

use std::ops::Range;

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use encoding_rs::WINDOWS_1252;

use crate::ingest::{IngestError, RowSink};

/// How a block's records are read: the same for every block of a stream.
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordFormat {
    pub delimiter: u8,
    pub header: Vec<String>,
    pub skip_bad_rows: bool,
}

/// What parsing a block found besides its records.
#[derive(Debug, Default)]
pub(crate) struct BlockParse {
    /// Bytes up to the end of the last complete record (and any empty lines after it): the
    /// whole block unless it ends inside a record.
    pub consumed: usize,
    /// Line breaks (`\n`) in the consumed bytes.
    pub newlines: u64,
    pub skipped: u64,
    /// Whether the stream is read as Windows-1252 after this block (see [`decode`]).
    pub latin1: bool,
    /// The first bad row, its line counted from 1 at the block's start.
    pub error: Option<IngestError>,
}

/// Reusable buffers for [`parse_block`].
#[derive(Debug, Default)]
pub(crate) struct RecordBuffers {
    output: Vec<u8>,
    ends: Vec<usize>,
    bounds: Vec<Range<usize>>,
    owned: Vec<String>,
}

/// Pushes every complete record of `block` into `sink`. `last` blocks end the stream, so their
/// final record needs no terminator. `latin1` is whether the stream is read as Windows-1252 when
/// the block starts.
pub(crate) fn parse_block(
    block: &[u8],
    last: bool,
    format: &RecordFormat,
    latin1: bool,
    sink: &mut impl RowSink,
    buffers: &mut RecordBuffers,
) -> BlockParse {
    let mut reader = ReaderBuilder::new().delimiter(format.delimiter).build();
    let mut parse = BlockParse {
        latin1,
        ..BlockParse::default()
    };
    let mut pos = 0;
    loop {
        let start = pos;
        let Some((len, fields)) = next_record(&mut reader, block, &mut pos, last, buffers) else {
            break;
        };
        parse.consumed = pos;
        let RecordBuffers {
            output,
            ends,
            bounds,
            owned,
        } = &mut *buffers;
        let record = output.get(..len).unwrap_or_default();
        let ends = ends.get(..fields).unwrap_or_default();
        if ends.len() != format.header.len() {
            // A lone empty line is not a row.
            if ends.len() == 1 && record.is_empty() {
                continue;
            }
            if format.skip_bad_rows {
                parse.skipped += 1;
                continue;
            }
            parse.error = Some(IngestError::RaggedRow {
                line: line_of(block, start),
                expected: format.header.len(),
                found: ends.len(),
            });
            parse.consumed = start;
            break;
        }
        bounds.clear();
        let mut from = 0;
        for &end in ends {
            bounds.push(from..end);
            from = end;
        }
        push_record(
            record,
            bounds,
            &format.header,
            &mut parse.latin1,
            sink,
            owned,
        );
    }
    // A block cut after a record's terminator may still hold the rest of a CRLF or empty lines.
    if parse.error.is_none() {
        let rest = block.get(parse.consumed..).unwrap_or_default();
        if last || rest.iter().all(|&b| b == b'\r' || b == b'\n') {
            parse.consumed = block.len();
        }
    }
    let consumed = block.get(..parse.consumed).unwrap_or_default();
    parse.newlines = memchr::memchr_iter(b'\n', consumed).count() as u64;
    parse
}

/// The fields of the first record of `block` and where it ends (past its terminator), unless the
/// block ends first and is not the `last`.
pub(crate) fn first_record(
    block: &[u8],
    delimiter: u8,
    last: bool,
) -> Option<(Vec<Vec<u8>>, usize)> {
    let mut reader = ReaderBuilder::new().delimiter(delimiter).build();
    let mut buffers = RecordBuffers::default();
    let mut pos = 0;
    let (len, fields) = next_record(&mut reader, block, &mut pos, last, &mut buffers)?;
    let record = buffers.output.get(..len).unwrap_or_default();
    let mut from = 0;
    let fields = buffers
        .ends
        .get(..fields)
        .unwrap_or_default()
        .iter()
        .map(|&end| {
            let field = record.get(from..end).unwrap_or_default().to_vec();
            from = end;
            field
        })
        .collect();
    Some((fields, pos))
}

/// Reads the next record into `buffers.output` and `buffers.ends` (field ends, relative to the
/// record): its length and field count, or `None` at the end of the block or of the stream.
fn next_record(
    reader: &mut Reader,
    block: &[u8],
    pos: &mut usize,
    last: bool,
    buffers: &mut RecordBuffers,
) -> Option<(usize, usize)> {
    let (mut len, mut fields) = (0, 0);
    loop {
        let input = block.get(*pos..).unwrap_or_default();
        if input.is_empty() && !last {
            // Only a stream's end completes a record without a terminator.
            return None;
        }
        if buffers.output.len() <= len {
            buffers.output.resize((2 * len).max(4096), 0);
        }
        if buffers.ends.len() <= fields {
            buffers.ends.resize((2 * fields).max(64), 0);
        }
        let (result, read, written, ended) = reader.read_record(
            input,
            &mut buffers.output[len..],
            &mut buffers.ends[fields..],
        );
        *pos += read;
        len += written;
        fields += ended;
        match result {
            ReadRecordResult::Record => return Some((len, fields)),
            ReadRecordResult::End => return None,
            ReadRecordResult::InputEmpty
            | ReadRecordResult::OutputFull
            | ReadRecordResult::OutputEndsFull => {}
        }
    }
}

/// The line, counted from 1 at the block's start, of the first byte of the record read from
/// `start` (empty lines before it, and a CRLF's LF, belong to no record).
pub(crate) fn line_of(block: &[u8], start: usize) -> u64 {
    let rest = block.get(start..).unwrap_or_default();
    let first = start
        + rest
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
    let before = block.get(..first).unwrap_or_default();
    1 + memchr::memchr_iter(b'\n', before).count() as u64
}

/// Pushes a record whose fields lie at `bounds` in `record`. Text is UTF-8 until a field is not:
/// from that field on, the stream is read as Windows-1252 (a superset of Latin-1, and what
/// spreadsheets on Windows export).
fn push_record(
    record: &[u8],
    bounds: &[Range<usize>],
    header: &[String],
    latin1: &mut bool,
    sink: &mut impl RowSink,
    owned: &mut Vec<String>,
) {
    if !*latin1 {
        // A UTF-8 record goes on whole, validated at once.
        if let Ok(text) = std::str::from_utf8(record) {
            if bounds
                .iter()
                .all(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
            {
                sink.row_in(header, text, bounds);
                return;
            }
        }
    }
    owned.clear();
    owned.extend(
        bounds
            .iter()
            .map(|r| decode(record.get(r.clone()).unwrap_or_default(), latin1)),
    );
    let values: Vec<Option<&str>> = owned.iter().map(|s| Some(s.as_str())).collect();
    sink.row(header, &values);
}

/// A field as UTF-8, or as Windows-1252 once `latin1` (which the first invalid field sets).
pub(crate) fn decode(field: &[u8], latin1: &mut bool) -> String {
    if !*latin1 {
        match std::str::from_utf8(field) {
            Ok(s) => return s.to_string(),
            Err(_) => *latin1 = true,
        }
    }
    WINDOWS_1252
        .decode_without_bom_handling(field)
        .0
        .into_owned()
}
