//! Delimited text: sniffs the delimiter, the encoding and the header row from the first bytes,
//! then streams records with the `csv` crate.

use std::io::{Cursor, Read};
use std::ops::Range;

use encoding_rs::WINDOWS_1252;

use super::infer::{classify, Cell};
use super::{
    read_prefix, CountingReader, IngestError, IngestOptions, IngestSummary, RowSink, UTF8_BOM,
};

const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 100;
const CANDIDATE_DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub fn read_csv(
    reader: impl Read,
    opts: &IngestOptions,
    sink: &mut impl RowSink,
) -> Result<IngestSummary, IngestError> {
    let (mut reader, bytes) = CountingReader::new(reader);
    let mut prefix = read_prefix(&mut reader, SNIFF_BYTES)?;
    if prefix.starts_with(UTF8_BOM) {
        prefix.drain(..UTF8_BOM.len());
    }
    if prefix.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    let mut latin1 = !is_utf8_prefix(&prefix);
    let delimiter = sniff_delimiter(&prefix);

    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(Cursor::new(prefix).chain(reader));

    let mut record = csv::ByteRecord::new();
    let mut header: Vec<String> = Vec::new();
    let mut first_row: Option<Vec<String>> = None;
    if read_record(&mut csv, &mut record)? {
        let fields: Vec<String> = record.iter().map(|f| decode(f, &mut latin1)).collect();
        if looks_like_header(&fields) {
            header = fields
                .iter()
                .enumerate()
                .map(|(i, name)| match name.trim() {
                    "" => format!("column_{}", i + 1),
                    n => n.to_string(),
                })
                .collect();
        } else {
            header = (1..=fields.len()).map(|i| format!("column_{i}")).collect();
            first_row = Some(fields);
        }
    }
    if let Some(row) = first_row {
        let values: Vec<Option<&str>> = row.iter().map(|s| Some(s.as_str())).collect();
        sink.row(&header, &values);
    }

    let mut skipped = 0;
    let mut owned: Vec<String> = Vec::new();
    let mut bounds: Vec<Range<usize>> = Vec::new();
    while read_record(&mut csv, &mut record)? {
        if record.len() != header.len() {
            // A lone empty line is not a row.
            if record.len() == 1 && record.get(0).is_some_and(<[u8]>::is_empty) {
                continue;
            }
            if opts.skip_bad_rows {
                skipped += 1;
                continue;
            }
            return Err(IngestError::RaggedRow {
                line: record.position().map_or(0, |p| p.line()),
                expected: header.len(),
                found: record.len(),
            });
        }
        // A UTF-8 record goes on whole, validated at once; only Windows-1252 ones are decoded.
        if !latin1 && whole_record(&record, &mut bounds) {
            if let Ok(text) = std::str::from_utf8(record.as_slice()) {
                if bounds
                    .iter()
                    .all(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
                {
                    sink.row_in(&header, text, &bounds);
                    continue;
                }
            }
        }
        let borrowed: Option<Vec<Option<&str>>> = if latin1 {
            None
        } else {
            record
                .iter()
                .map(|f| std::str::from_utf8(f).ok().map(Some))
                .collect()
        };
        if let Some(values) = borrowed {
            sink.row(&header, &values);
        } else {
            owned.clear();
            owned.extend(record.iter().map(|f| decode(f, &mut latin1)));
            let decoded: Vec<Option<&str>> = owned.iter().map(|s| Some(s.as_str())).collect();
            sink.row(&header, &decoded);
        }
    }

    Ok(IngestSummary {
        bytes: bytes.get(),
        skipped_rows: skipped,
        encoding: Some(if latin1 { "windows-1252" } else { "UTF-8" }.to_string()),
        delimiter: Some(char::from(delimiter)),
    })
}

/// Fills `bounds` with where each field of `record` lies in its bytes.
fn whole_record(record: &csv::ByteRecord, bounds: &mut Vec<Range<usize>>) -> bool {
    bounds.clear();
    for i in 0..record.len() {
        match record.range(i) {
            Some(r) => bounds.push(r),
            None => return false,
        }
    }
    true
}

fn read_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<bool, IngestError> {
    csv.read_byte_record(record).map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => IngestError::Io(io),
            other => IngestError::Csv {
                line,
                message: format!("{other:?}"),
            },
        }
    })
}

/// UTF-8 unless a field is not valid UTF-8; from then on the file is read as Windows-1252
/// (a superset of Latin-1, and what spreadsheets on Windows export).
fn decode(field: &[u8], latin1: &mut bool) -> String {
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
        let mut rows = Rows::default();
        let opts = IngestOptions {
            skip_bad_rows: skip,
        };
        let summary = read_csv(input, &opts, &mut rows)?;
        Ok((rows, summary))
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
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = read(&bytes, false);
            let _ = read(&bytes, true);
        }
    }
}
