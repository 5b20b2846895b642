//! The usual block, valid UTF-8 from end to end, split into cells field by field rather than
//! byte by byte, and without copying: a cell is a span of the block's own text unless quotes
//! were doubled in it (or text follows its closing quote), and only those cells are written out,
//! after the block. It reads exactly what `csv_core` reads (see `records.rs`), which stays the
//! reader of every other block.

use super::masked::split_clean_block;
use super::records::{line_of, BlockParse, RecordFormat};
use crate::ingest::IngestError;

/// Where the cells go: each cell's span in the block's text followed by `extra` (which holds the
/// cells that are not spans of the block), column by column, and each row's cell count. Columns
/// apart keep each column's cells together for the profile, which reads a column at a time.
pub(crate) struct Cells<'a> {
    pub extra: &'a mut String,
    pub columns: &'a mut Vec<Vec<(u32, u32)>>,
    pub widths: &'a mut Vec<usize>,
}

/// How a field ended.
enum FieldEnd {
    Delimiter,
    Record,
    /// The block ended before the field did, and more input follows.
    Cut,
}

/// Splits `block` into rows of cells, as [`super::parse_block`] would for a block that is UTF-8:
/// by bit masks when the block is clean (see [`split_clean_block`]), else field by field.
pub(crate) fn split_block(
    block: &str,
    last: bool,
    format: &RecordFormat,
    cells: &mut Cells<'_>,
) -> BlockParse {
    let (extra_mark, rows) = (cells.extra.len(), cells.widths.len());
    if let Some(parse) = split_clean_block(block, last, format, cells) {
        return parse;
    }
    cells.extra.truncate(extra_mark);
    cells.widths.truncate(rows);
    cells.columns.iter_mut().for_each(|c| c.truncate(rows));
    let bytes = block.as_bytes();
    let mut parse = BlockParse::default();
    let width = format.header.len();
    cells.columns.resize_with(width, Vec::new);
    let mut pos = 0;
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
        let (extra_mark, rows) = (cells.extra.len(), cells.widths.len());
        let mut fields = 0;
        let mut text_len = 0;
        let complete = loop {
            let (span, end) = field(block, &mut pos, last, format.delimiter, cells.extra);
            text_len += span.1;
            if let Some(column) = cells.columns.get_mut(fields) {
                column.push(span);
            }
            fields += 1;
            match end {
                FieldEnd::Delimiter => {}
                FieldEnd::Record => break true,
                FieldEnd::Cut => break false,
            }
        };
        let blank = fields == 1 && text_len == 0;
        if !complete || fields != width {
            cells.extra.truncate(extra_mark);
            cells.columns.iter_mut().for_each(|c| c.truncate(rows));
        }
        if !complete {
            break;
        }
        parse.consumed = pos;
        if fields == width {
            cells.widths.push(fields);
        } else if blank {
            // A lone empty field is not a row.
        } else if format.skip_bad_rows {
            parse.skipped += 1;
        } else {
            parse.error = Some(IngestError::RaggedRow {
                line: line_of(bytes, record_start),
                expected: width,
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

/// The field at `pos` (unquoted, quotes undoubled) as a span of the block, or of `extra` past
/// the block's end when it had to be written out; moves `pos` past the field and what ended it.
fn field(
    block: &str,
    pos: &mut usize,
    last: bool,
    delimiter: u8,
    extra: &mut String,
) -> ((u32, u32), FieldEnd) {
    let bytes = block.as_bytes();
    let is_end = |b: u8| b == delimiter || b == b'\n' || b == b'\r';
    // Where the field starts in `extra`, once (part of) it is written out there.
    let mut written: Option<usize> = None;
    // The field's text in the block (its last piece, when written out).
    let (from, to);
    if bytes.get(*pos) == Some(&b'"') {
        let mut piece = *pos + 1;
        loop {
            let Some(quote) = find(bytes, piece, |b| b == b'"') else {
                // An open quote at the end of the stream holds the rest of it.
                if !last {
                    return ((0, 0), FieldEnd::Cut);
                }
                *pos = bytes.len();
                return (
                    span_of(block, piece, *pos, written, extra),
                    FieldEnd::Record,
                );
            };
            match bytes.get(quote + 1) {
                Some(b'"') => {
                    written.get_or_insert(extra.len());
                    extra.push_str(block.get(piece..quote).unwrap_or_default());
                    extra.push('"');
                    piece = quote + 2;
                }
                // The next byte decides between a doubled quote and a closing one.
                None if !last => return ((0, 0), FieldEnd::Cut),
                None => {
                    (from, to) = (piece, quote);
                    *pos = quote + 1;
                    break;
                }
                Some(&b) if is_end(b) => {
                    (from, to) = (piece, quote);
                    *pos = quote + 1;
                    break;
                }
                Some(_) => {
                    // Text after the closing quote belongs to the field, quotes and all.
                    written.get_or_insert(extra.len());
                    extra.push_str(block.get(piece..quote).unwrap_or_default());
                    from = quote + 1;
                    to = find(bytes, from, is_end).unwrap_or(bytes.len());
                    *pos = to;
                    break;
                }
            }
        }
    } else {
        // Unquoted text, taken as it is, quotes included.
        from = *pos;
        to = find(bytes, from, is_end).unwrap_or(bytes.len());
        *pos = to;
    }
    let span = span_of(block, from, to, written, extra);
    let end = match bytes.get(*pos) {
        None if last => FieldEnd::Record,
        None => FieldEnd::Cut,
        // A CRLF's LF is skipped with the empty lines before the next record.
        Some(b'\r' | b'\n') => {
            *pos += 1;
            FieldEnd::Record
        }
        Some(_) => {
            *pos += 1;
            // A delimiter ending the stream leaves one more, empty, field.
            if *pos >= bytes.len() && !last {
                FieldEnd::Cut
            } else {
                FieldEnd::Delimiter
            }
        }
    };
    (span, end)
}

/// The span of `block[from..to]`, or of all that was written to `extra` from `written` on
/// followed by that text, offset past the block.
fn span_of(
    block: &str,
    from: usize,
    to: usize,
    written: Option<usize>,
    extra: &mut String,
) -> (u32, u32) {
    match written {
        None => (from as u32, (to - from) as u32),
        Some(start) => {
            extra.push_str(block.get(from..to).unwrap_or_default());
            ((block.len() + start) as u32, (extra.len() - start) as u32)
        }
    }
}

/// The first position from `from` on whose byte is `wanted`.
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
        let (mut extra, mut columns, mut widths) = (String::new(), Vec::new(), Vec::new());
        let mut cells = Cells {
            extra: &mut extra,
            columns: &mut columns,
            widths: &mut widths,
        };
        let parse = split_block(block, last, format, &mut cells);
        let text = format!("{block}{extra}");
        let rows = (0..widths.len())
            .map(|r| {
                columns
                    .iter()
                    .map(|c| {
                        let (at, len) = c[r];
                        text[at as usize..(at + len) as usize].to_string()
                    })
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

    /// What `csv_core` reads from `block`: its rows and where it stops.
    fn csv_core_reads(
        block: &str,
        last: bool,
        format: &RecordFormat,
    ) -> (Vec<Vec<String>>, String) {
        let mut rows = Rows::default();
        let parse = parse_block(
            block.as_bytes(),
            last,
            format,
            false,
            &mut rows,
            &mut RecordBuffers::default(),
        );
        let rows = rows
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.clone().unwrap_or_default()).collect())
            .collect();
        (rows, summary(&parse))
    }

    /// A field as a writer would quote it (or not), long enough at times to cross a window.
    fn field() -> impl Strategy<Value = String> {
        let text = "[a-zé ]{0,3}|[a-z]{60,90}";
        prop_oneof![
            text.prop_map(|t| t.to_string()),
            (text, "[,\"\r\n;]{0,3}", text).prop_map(|(a, b, c)| {
                format!("\"{}\"", format!("{a}{b}{c}").replace('"', "\"\""))
            }),
        ]
    }

    fn format(delimiter: u8, width: usize) -> RecordFormat {
        RecordFormat {
            delimiter,
            header: (0..width).map(|i| format!("c{i}")).collect(),
            skip_bad_rows: false,
        }
    }

    #[test]
    fn a_clean_block_is_split_by_masks() {
        let block = "1,\"a, \"\"b\"\"\",x\r\n\n2,\"\",\"multi\nline\"";
        let mut cells = (String::new(), Vec::new(), Vec::new());
        let parse = split_clean_block(
            block,
            true,
            &format(b',', 3),
            &mut Cells {
                extra: &mut cells.0,
                columns: &mut cells.1,
                widths: &mut cells.2,
            },
        );
        assert_eq!(parse.map(|p| p.consumed), Some(block.len()));
        assert_eq!(cells.2.len(), 2);
        assert_eq!(
            split(block, true, &format(b',', 3)),
            csv_core_reads(block, true, &format(b',', 3))
        );
        // A stray quote inside an unquoted field, and a ragged row, are for the field by field
        // splitter.
        for (block, width) in [("5'11\",x\n", 2), ("1,2\n3\n", 2)] {
            let mut cells = (String::new(), Vec::new(), Vec::new());
            let fallback = split_clean_block(
                block,
                true,
                &format(b',', width),
                &mut Cells {
                    extra: &mut cells.0,
                    columns: &mut cells.1,
                    widths: &mut cells.2,
                },
            );
            assert!(fallback.is_none(), "{block:?}");
        }
    }

    proptest! {
        /// Clean blocks, cut anywhere: the masks find what `csv_core` finds.
        #[test]
        fn clean_blocks_split_as_csv_core_parses(
            rows in prop::collection::vec(prop::collection::vec(field(), 3), 0..12),
            ends in prop::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n")], 12),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
            cut in 0usize..2_000,
            last: bool,
        ) {
            let separator = char::from(delimiter).to_string();
            let mut block: String = rows
                .iter()
                .zip(ends.iter().cycle())
                .map(|(r, end)| format!("{}{end}", r.join(&separator)))
                .collect();
            let mut at = cut.min(block.len());
            while !block.is_char_boundary(at) {
                at -= 1;
            }
            block.truncate(at);
            let format = format(delimiter, 3);
            prop_assert_eq!(split(&block, last, &format), csv_core_reads(&block, last, &format));
        }

        /// Whatever the bytes, the fields and where the block stops are those `csv_core` finds.
        #[test]
        fn splits_as_csv_core_parses(
            block in prop_oneof!["[ab\",\r\né]{0,30}", "[ab\",\né]{0,40}"],
            last: bool,
            skip: bool,
            width in 1usize..4,
        ) {
            let format = RecordFormat {
                delimiter: b',',
                header: (0..width).map(|i| format!("c{i}")).collect(),
                skip_bad_rows: skip,
            };
            prop_assert_eq!(split(&block, last, &format), csv_core_reads(&block, last, &format));
        }
    }
}
