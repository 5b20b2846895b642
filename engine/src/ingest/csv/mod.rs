//! Delimited text: sniffs the delimiter, the encoding and the header row from the first bytes,
//! then cuts the rest into blocks at record boundaries ([`blocks`]) and parses each block's
//! records with `csv_core` ([`records`]): in turn here, or apart on several threads by the
//! profiler, which splits a UTF-8 block in place instead: by bit masks when it is clean
//! ([`masked`]), else field by field ([`fast`]), reading what `csv_core` reads.

mod blocks;
mod fast;
mod masked;
mod masks;
mod records;

use std::io::Read;

pub(crate) use blocks::Blocks;
pub(crate) use fast::{split_block, Cells};
pub(crate) use records::{parse_block, BlockParse, RecordBuffers, RecordFormat};

use super::infer::{classify, Cell};
use super::{read_prefix, IngestError, IngestOptions, IngestSummary, RowSink, UTF8_BOM};
use records::{decode, first_record};

const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 100;
const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Bytes per block when reading in turn.
const BLOCK_BYTES: usize = 1 << 20;

/// A CSV stream past its header: how to read its records, and the blocks that hold them.
pub(crate) struct CsvStream<R> {
    pub format: RecordFormat,
    /// Whether the first bytes already showed Windows-1252 text.
    pub latin1: bool,
    /// Line breaks (`\n`) before the first data row.
    pub header_lines: u64,
    pub blocks: Blocks<R>,
    /// Bytes read while sniffing, before the blocks.
    sniffed: u64,
}

impl<R> CsvStream<R> {
    pub(crate) fn summary(&self, skipped_rows: u64, latin1: bool) -> IngestSummary {
        IngestSummary {
            bytes: self.sniffed + self.blocks.bytes_read(),
            skipped_rows,
            encoding: Some(if latin1 { "windows-1252" } else { "UTF-8" }.to_string()),
            delimiter: Some(char::from(self.format.delimiter)),
        }
    }
}

/// Sniffs the delimiter, the encoding and the header row from the first bytes of `reader`.
pub(crate) fn open_csv<R: Read>(
    mut reader: R,
    opts: &IngestOptions,
) -> Result<CsvStream<R>, IngestError> {
    let mut prefix = read_prefix(&mut reader, SNIFF_BYTES)?;
    let mut sniffed = prefix.len() as u64;
    if prefix.starts_with(UTF8_BOM) {
        prefix.drain(..UTF8_BOM.len());
    }
    if prefix.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    let mut latin1 = !is_utf8_prefix(&prefix);
    let delimiter = sniff_delimiter(&prefix);
    // The first record, read on past the sample if it is longer.
    let mut ended = prefix.len() < SNIFF_BYTES;
    let (fields, end) = loop {
        if let Some(first) = first_record(&prefix, delimiter, ended) {
            break first;
        }
        if ended {
            return Err(IngestError::Empty);
        }
        let more = read_prefix(&mut reader, SNIFF_BYTES)?;
        sniffed += more.len() as u64;
        ended = more.is_empty();
        prefix.extend_from_slice(&more);
    };
    let fields: Vec<String> = fields.iter().map(|f| decode(f, &mut latin1)).collect();
    let (header, data_start) = if looks_like_header(&fields) {
        let names = fields
            .iter()
            .enumerate()
            .map(|(i, name)| match name.trim() {
                "" => format!("column_{}", i + 1),
                n => n.to_string(),
            })
            .collect();
        (names, end)
    } else {
        // No header: the first row is data, read with the rest.
        let names = (1..=fields.len()).map(|i| format!("column_{i}")).collect();
        (names, 0)
    };
    let header_lines = prefix[..data_start].iter().filter(|&&b| b == b'\n').count() as u64;
    prefix.drain(..data_start);
    Ok(CsvStream {
        format: RecordFormat {
            delimiter,
            header,
            skip_bad_rows: opts.skip_bad_rows,
        },
        latin1,
        header_lines,
        blocks: Blocks::new(prefix, reader),
        sniffed,
    })
}

/// Reads `reader` as CSV, pushing every row into `sink` in turn.
pub fn read_csv(
    reader: impl Read,
    opts: &IngestOptions,
    sink: &mut impl RowSink,
) -> Result<IngestSummary, IngestError> {
    read_csv_in_blocks(reader, opts, sink, BLOCK_BYTES)
}

fn read_csv_in_blocks(
    reader: impl Read,
    opts: &IngestOptions,
    sink: &mut impl RowSink,
    block_bytes: usize,
) -> Result<IngestSummary, IngestError> {
    let mut stream = open_csv(reader, opts)?;
    let mut latin1 = stream.latin1;
    let mut lines = stream.header_lines;
    let mut skipped = 0;
    let mut block = Vec::new();
    let mut buffers = RecordBuffers::default();
    while let Some(last) = stream.blocks.next_into(&mut block, block_bytes)? {
        let parse = parse_block(&block, last, &stream.format, latin1, sink, &mut buffers);
        if let Some(error) = parse.error {
            return Err(error.below(lines));
        }
        latin1 = parse.latin1;
        lines += parse.newlines;
        skipped += parse.skipped;
        // The block ended inside a record: its rest starts the next block.
        stream.blocks.unread(&block[parse.consumed..]);
    }
    Ok(stream.summary(skipped, latin1))
}

/// Valid UTF-8, allowing a character cut in two at the end of the sample.
fn is_utf8_prefix(prefix: &[u8]) -> bool {
    match std::str::from_utf8(prefix) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// The candidate that splits the sample into the most consistent number of fields (> 1).
fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut best = (b',', 0.0, 0usize);
    for &d in &CANDIDATE_DELIMITERS {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample);
        let mut lens: Vec<usize> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while lens.len() < SNIFF_RECORDS && rdr.read_byte_record(&mut rec).unwrap_or(false) {
            lens.push(rec.len());
        }
        // The last record of a cut sample may be partial.
        if lens.len() > 1 && sample.len() == SNIFF_BYTES {
            lens.pop();
        }
        let Some(&first) = lens.first() else { continue };
        if first < 2 {
            continue;
        }
        let consistent = lens.iter().filter(|&&l| l == first).count() as f64 / lens.len() as f64;
        if consistent > best.1 || (consistent == best.1 && first > best.2) {
            best = (d, consistent, first);
        }
    }
    best.0
}

/// A first row is a header when none of its cells is a number, boolean or date.
fn looks_like_header(fields: &[String]) -> bool {
    fields
        .iter()
        .all(|f| matches!(classify(f), Cell::Text | Cell::Missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::test_sink::Rows;

    fn read(input: &[u8], skip: bool) -> Result<(Rows, IngestSummary), IngestError> {
        read_in_blocks(input, skip, BLOCK_BYTES)
    }

    fn read_in_blocks(
        input: &[u8],
        skip: bool,
        block_bytes: usize,
    ) -> Result<(Rows, IngestSummary), IngestError> {
        let mut rows = Rows::default();
        let opts = IngestOptions {
            skip_bad_rows: skip,
        };
        let summary = read_csv_in_blocks(input, &opts, &mut rows, block_bytes)?;
        Ok((rows, summary))
    }

    fn ragged_line(input: &[u8], block_bytes: usize) -> Option<u64> {
        match read_in_blocks(input, false, block_bytes) {
            Err(IngestError::RaggedRow { line, .. }) => Some(line),
            _ => None,
        }
    }

    #[test]
    fn ragged_rows_name_their_own_line_whatever_the_line_ends_and_blocks() {
        let cases: [(&[u8], u64); 4] = [
            (b"a,b\r\n1,2\r\n3\r\n4,5\r\n", 3),
            (b"a,b\n1,\"x\ny\"\n\n3\n", 5),
            (b"\xEF\xBB\xBFa,b\n1,2\n3,4,5\n", 3),
            (b"\"a\nb\",c\n1,2\n3\n", 4),
        ];
        for (input, line) in cases {
            for block_bytes in [1, 2, 3, 5, 8, BLOCK_BYTES] {
                assert_eq!(
                    ragged_line(input, block_bytes),
                    Some(line),
                    "{:?} in blocks of {block_bytes}",
                    String::from_utf8_lossy(input)
                );
            }
        }
    }

    fn cell(rows: &Rows, r: usize, c: usize) -> &str {
        rows.rows[r][c].as_deref().unwrap_or("<none>")
    }

    #[test]
    fn sniffs_each_delimiter() {
        for d in [",", ";", "\t", "|"] {
            let text = format!("a{d}b{d}c\n1{d}2{d}3\n4{d}5{d}6\n");
            let (rows, summary) = read(text.as_bytes(), false).expect("valid");
            assert_eq!(summary.delimiter, Some(d.chars().next().unwrap_or(',')));
            assert_eq!(rows.header, ["a", "b", "c"]);
            assert_eq!(rows.rows.len(), 2);
        }
    }

    #[test]
    fn bom_crlf_and_quoted_newlines() {
        let text = b"\xEF\xBB\xBFname,note\r\nx,\"one, two\r\nthree\"\r\ny,\"say \"\"hi\"\"\"\r\n";
        let (rows, summary) = read(text, false).expect("valid");
        assert_eq!(rows.header, ["name", "note"]);
        assert_eq!(cell(&rows, 0, 1), "one, two\r\nthree");
        assert_eq!(cell(&rows, 1, 1), "say \"hi\"");
        assert_eq!(summary.encoding.as_deref(), Some("UTF-8"));
    }

    #[test]
    fn latin1_is_decoded() {
        let text = b"city;n\nK\xF6ln;1\nM\xFCnchen;2\n";
        let (rows, summary) = read(text, false).expect("valid");
        assert_eq!(cell(&rows, 0, 0), "Köln");
        assert_eq!(cell(&rows, 1, 0), "München");
        assert_eq!(summary.encoding.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn ragged_rows_name_their_line_or_are_skipped() {
        let text = b"a,b\n1,2\n3\n4,5,6\n7,8\n";
        match read(text, false) {
            Err(IngestError::RaggedRow {
                line,
                expected,
                found,
            }) => assert_eq!((line, expected, found), (3, 2, 1)),
            other => panic!("expected a ragged-row error, got {:?}", other.map(|r| r.1)),
        }
        let (rows, summary) = read(text, true).expect("skipping");
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(summary.skipped_rows, 2);
    }

    #[test]
    fn headerless_files_get_numbered_columns() {
        let (rows, _) = read(b"1,2\n3,4\n", false).expect("valid");
        assert_eq!(rows.header, ["column_1", "column_2"]);
        assert_eq!(rows.rows.len(), 2);
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(matches!(read(b"", false), Err(IngestError::Empty)));
    }

    proptest::proptest! {
        /// Blocks of any size, cut wherever quotes and line breaks fall, give the same rows.
        #[test]
        fn any_block_size_reads_the_same_rows(
            cells in proptest::collection::vec("[a\"\n\r,é]{0,4}", 1..40),
            block_bytes in 1usize..24,
        ) {
            let mut input = String::from("h1,h2\n");
            for (i, cell) in cells.iter().enumerate() {
                input.push_str(cell);
                input.push(if i % 2 == 0 { ',' } else { '\n' });
            }
            let whole = read(input.as_bytes(), true).map(|(r, s)| (r.rows, s.skipped_rows));
            let split = read_in_blocks(input.as_bytes(), true, block_bytes)
                .map(|(r, s)| (r.rows, s.skipped_rows));
            proptest::prop_assert_eq!(format!("{whole:?}"), format!("{split:?}"));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = read(&bytes, false);
            let _ = read(&bytes, true);
        }
    }
}
