//! The usual block, valid UTF-8 from end to end, split into cells field by field rather than
//! byte by byte: a field's text is copied in one piece (in pieces around doubled quotes), and
//! validating the block once replaces validating each record. It reads exactly what `csv_core`
//! reads (see `records.rs`), which stays the reader of every other block.

use super::records::{line_of, BlockParse, RecordFormat};
use crate::ingest::IngestError;

/// Where the cells go: text end to end, each cell's span in it, and each row's cell count.
pub(crate) struct Cells<'a> {
    pub text: &'a mut String,
    pub spans: &'a mut Vec<Option<(u32, u32)>>,
    pub widths: &'a mut Vec<usize>,
}

/// How a field ended.
enum FieldEnd {
    Delimiter,
    Record,
    /// The block ended before the field did, and more input follows.
    Cut,
}

/// Splits `block` into rows of cells, as [`super::parse_block`] would for a block that is UTF-8.
pub(crate) fn split_block(
    block: &str,
    last: bool,
    format: &RecordFormat,
    cells: &mut Cells<'_>,
) -> BlockParse {
    let bytes = block.as_bytes();
    let mut parse = BlockParse::default();
    let mut pos = 0;
    // The cells' text is at most the block's.
    cells.text.reserve(block.len());
    loop {
        let after_last_record = pos;
        // Empty lines (and the LF of a CRLF cut after its CR) are no records.
        while matches!(bytes.get(pos), Some(b'\r' | b'\n')) {
            pos += 1;
        }
        if pos >= bytes.len() {
            parse.consumed = pos;
            break;
        }
        let record_start = pos;
        let marks = (cells.text.len(), cells.spans.len());
        let mut fields = 0;
        let complete = loop {
            let start = cells.text.len();
            let end = field(block, &mut pos, last, format.delimiter, cells.text);
            cells
                .spans
                .push(Some((start as u32, (cells.text.len() - start) as u32)));
            fields += 1;
            match end {
                FieldEnd::Delimiter => {}
                FieldEnd::Record => break true,
                FieldEnd::Cut => break false,
            }
        };
        let blank = fields == 1 && cells.text.len() == marks.0;
        if !complete || fields != format.header.len() {
            cells.text.truncate(marks.0);
            cells.spans.truncate(marks.1);
        }
        if !complete {
            break;
        }
        parse.consumed = pos;
        if fields == format.header.len() {
            cells.widths.push(fields);
        } else if blank {
            // A lone empty field is not a row.
        } else if format.skip_bad_rows {
            parse.skipped += 1;
        } else {
            parse.error = Some(IngestError::RaggedRow {
                line: line_of(bytes, record_start),
                expected: format.header.len(),
                found: fields,
            });
            parse.consumed = after_last_record;
            break;
        }
    }
    let consumed = bytes.get(..parse.consumed).unwrap_or_default();
    parse.newlines = memchr::memchr_iter(b'\n', consumed).count() as u64;
    parse
}

/// Copies the field at `pos` into `text` (unquoted, quotes undoubled) and moves past it and what
/// ended it.
fn field(block: &str, pos: &mut usize, last: bool, delimiter: u8, text: &mut String) -> FieldEnd {
    let bytes = block.as_bytes();
    let mut at = *pos;
    if bytes.get(at) == Some(&b'"') {
        at += 1;
        loop {
            let Some(quote) = find(bytes, at, |b| b == b'"') else {
                // An open quote at the end of the stream holds the rest of it.
                if !last {
                    return FieldEnd::Cut;
                }
                text.push_str(block.get(at..).unwrap_or_default());
                *pos = bytes.len();
                return FieldEnd::Record;
            };
            text.push_str(block.get(at..quote).unwrap_or_default());
            match bytes.get(quote + 1) {
                Some(b'"') => {
                    text.push('"');
                    at = quote + 2;
                }
                // The next byte decides between a doubled quote and a closing one.
                None if !last => return FieldEnd::Cut,
                _ => {
                    at = quote + 1;
                    break;
                }
            }
        }
    }
    // Unquoted text, or what follows a closing quote: taken as it is, quotes included.
    let end = find(bytes, at, |b| b == delimiter || b == b'\n' || b == b'\r');
    let end_at = end.unwrap_or(bytes.len());
    text.push_str(block.get(at..end_at).unwrap_or_default());
    match end.map(|e| (e, bytes[e])) {
        None if last => {
            *pos = bytes.len();
            FieldEnd::Record
        }
        None => FieldEnd::Cut,
        // A CRLF's LF is skipped with the empty lines before the next record.
        Some((e, b'\r' | b'\n')) => {
            *pos = e + 1;
            FieldEnd::Record
        }
        Some((e, _)) => {
            *pos = e + 1;
            // A delimiter ending the stream leaves one more, empty, field.
            if *pos >= bytes.len() && !last {
                return FieldEnd::Cut;
            }
            FieldEnd::Delimiter
        }
    }
}

fn find(bytes: &[u8], from: usize, wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| wanted(b)).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::{parse_block, RecordBuffers};
    use crate::ingest::test_sink::Rows;
    use proptest::prelude::*;

    fn split(block: &str, last: bool, format: &RecordFormat) -> (Vec<Vec<String>>, String) {
        let (mut text, mut spans, mut widths) = (String::new(), Vec::new(), Vec::new());
        let mut cells = Cells {
            text: &mut text,
            spans: &mut spans,
            widths: &mut widths,
        };
        let parse = split_block(block, last, format, &mut cells);
        let mut spans = spans.iter().flatten();
        let rows = widths
            .iter()
            .map(|&w| {
                (0..w)
                    .filter_map(|_| spans.next())
                    .map(|&(at, len)| text[at as usize..(at + len) as usize].to_string())
                    .collect()
            })
            .collect();
        (rows, summary(&parse))
    }

    fn summary(parse: &BlockParse) -> String {
        format!(
            "consumed {} newlines {} skipped {} error {:?}",
            parse.consumed,
            parse.newlines,
            parse.skipped,
            parse.error.as_ref().map(ToString::to_string)
        )
    }

    proptest! {
        /// Whatever the bytes, the fields and where the block stops are those `csv_core` finds.
        #[test]
        fn splits_as_csv_core_parses(
            block in "[ab\",\r\né]{0,30}",
            last: bool,
            skip: bool,
            width in 1usize..4,
        ) {
            let format = RecordFormat {
                delimiter: b',',
                header: (0..width).map(|i| format!("c{i}")).collect(),
                skip_bad_rows: skip,
            };
            let mut rows = Rows::default();
            let parse = parse_block(
                block.as_bytes(),
                last,
                &format,
                false,
                &mut rows,
                &mut RecordBuffers::default(),
            );
            let expected: Vec<Vec<String>> = rows
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.clone().unwrap_or_default()).collect())
                .collect();
            prop_assert_eq!(split(&block, last, &format), (expected, summary(&parse)));
        }
    }
}
