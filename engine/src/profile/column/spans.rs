//! The column loop for cells that are spans of a chunk's text, as a CSV block's are, with plain
//! numbers pushed in place: a column of numbers is most of a table's cells, and each of them
//! needs only a few of the figures the general loop keeps for any kind of cell.

use super::ColumnAcc;
use crate::ingest::infer::{plain_decimal, Decimal, Kind};
use crate::profile::distinct::{NumberKey, ValueCounts};
use crate::profile::text::TextLengths;

/// The figures of a chunk's plain numbers, kept apart from the column's while the loop runs (in
/// registers, where the column's own would be read and written back for every cell) and added
/// to them after it: counts and text lengths come out the same in any order.
struct PlainNumbers {
    integers: u64,
    floats: u64,
    missing: u64,
    /// The numbers' lengths: characters in all, least and greatest.
    characters: u64,
    shortest: u64,
    longest: u64,
}

impl PlainNumbers {
    fn new() -> Self {
        PlainNumbers {
            integers: 0,
            floats: 0,
            missing: 0,
            characters: 0,
            shortest: u64::MAX,
            longest: 0,
        }
    }

    /// Counts the length of a number of `len` bytes, as many characters: numbers are ASCII.
    #[inline(always)]
    fn push_length(&mut self, len: usize) {
        let len = len as u64;
        self.characters += len;
        self.shortest = self.shortest.min(len);
        self.longest = self.longest.max(len);
    }

    fn lengths(&self) -> TextLengths {
        let count = self.integers + self.floats;
        TextLengths::of_run(count, self.characters, self.shortest, self.longest)
    }
}

/// Whether the cells `spans` of `text` look like a column of numbers, worth pushing by
/// [`ColumnAcc::push_spans`]: its first cell that is not empty is a plain decimal. (A chunk's
/// column is a fresh one, whatever the table's held before; either way of pushing gives the
/// same figures, so this only decides which is faster.)
pub fn look_numeric(text: &str, spans: &[(u32, u32)]) -> bool {
    spans
        .iter()
        .map(|&(start, len)| text.get(start as usize..start as usize + len as usize))
        .find(|cell| cell != &Some(""))
        .is_none_or(|cell| cell.and_then(plain_decimal).is_some())
}

impl ColumnAcc {
    /// [`ColumnAcc::push_column`] for the cells `spans` of `text` (start and length), each row's.
    /// An empty cell and a plain decimal (see [`plain_decimal`]) are pushed here, any other
    /// cell the general way, out of line; both leave the same figures.
    #[inline(never)]
    pub fn push_spans(
        &mut self,
        text: &str,
        spans: &[(u32, u32)],
        numbers: &mut Vec<f64>,
        finite: &mut Vec<f64>,
        row_hashes: &mut [u64],
    ) {
        let mut pushed = self.start_chunk(numbers, finite, spans.len());
        let mut plain = PlainNumbers::new();
        for (&(start, len), row) in spans.iter().zip(row_hashes.iter_mut()) {
            let value = text.get(start as usize..start as usize + len as usize);
            let (x, ordered, counted) = match value.map(|v| (v, plain_decimal(v))) {
                Some(("", _)) => {
                    plain.missing += 1;
                    (f64::NAN, None, None)
                }
                Some((v, Some(Decimal::Integer(i)))) => {
                    plain.push_length(v.len());
                    plain.integers += 1;
                    let hash = ValueCounts::hash_of_number(NumberKey::of_integer(i));
                    // Integers count towards the text min/max: with identifiers they are text.
                    (i as f64, Some(v), Some((v, hash)))
                }
                Some((v, Some(Decimal::Fraction { value: f, whole }))) => {
                    plain.push_length(v.len());
                    plain.floats += 1;
                    // The key `NumberKey::of_float` gives, without asking the float (a plain
                    // decimal has no exponent and is finite: see `push_cell`).
                    let key = whole.map_or(NumberKey::Float(f), NumberKey::of_integer);
                    (f, None, Some((v, ValueCounts::hash_of_number(key))))
                }
                _ => self.push_raw_apart(value),
            };
            pushed.record(x, ordered, counted, row);
        }
        self.kinds[Kind::Integer as usize] += plain.integers;
        self.kinds[Kind::Float as usize] += plain.floats;
        self.missing += plain.missing;
        self.lengths.merge(&plain.lengths());
        self.finish_chunk(pushed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileOptions;
    use proptest::prelude::*;

    /// `cells` as a block's text, each followed by a comma (so a loop may read past a cell), and
    /// their spans in it.
    fn block_of(cells: &[impl AsRef<str>]) -> (String, Vec<(u32, u32)>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        for cell in cells {
            let cell = cell.as_ref();
            spans.push((text.len() as u32, cell.len() as u32));
            text.push_str(cell);
            text.push(',');
        }
        (text, spans)
    }

    /// The column's profile, each row's number and each row's hash after pushing `cells` (in
    /// chunks of `chunk` rows) by spans or by the general loop.
    fn pushed(cells: &[String], chunk: usize, by_spans: bool) -> (String, Vec<u64>, Vec<u64>) {
        let opts = ProfileOptions {
            exact_distinct_limit: 8,
            exact_quantile_limit: 8,
            ..ProfileOptions::default()
        };
        let mut acc = ColumnAcc::new("c".into(), &opts);
        let (mut numbers, mut rows) = (Vec::new(), Vec::new());
        for part in cells.chunks(chunk.max(1)) {
            let (text, spans) = block_of(part);
            let (mut xs, mut finite) = (Vec::new(), Vec::new());
            let mut hashes = vec![0; part.len()];
            if by_spans {
                acc.push_spans(&text, &spans, &mut xs, &mut finite, &mut hashes);
            } else {
                let values = part.iter().map(|c| Some(c.as_str()));
                acc.push_column(values, &mut xs, &mut finite, &mut hashes, None);
            }
            numbers.extend(xs.iter().map(|x| x.to_bits()));
            rows.extend(hashes);
        }
        let profile = serde_json::to_string(&acc.finish(5)).unwrap_or_default();
        (profile, numbers, rows)
    }

    proptest! {
        #[test]
        fn cells_pushed_by_spans_leave_what_the_general_loop_leaves(
            cells in prop::collection::vec(
                prop_oneof![
                    4 => "-?[1-9][0-9]{0,7}(\\.[0-9]{1,9})?",
                    1 => "0|-?0\\.0{1,3}|[0-9]{1,3}\\.0|00[0-9]|[0-9]{19,21}",
                    1 => "| |NA|-| 7 |1e3|2E0|\\.5|inf|[a-z]{1,4}|Köln|2024-01-0[1-9]",
                ],
                0..60,
            ),
            chunk in 1usize..25,
        ) {
            prop_assert_eq!(pushed(&cells, chunk, true), pushed(&cells, chunk, false));
        }
    }

    #[test]
    fn cells_look_numeric_when_the_first_that_is_not_empty_is_a_plain_decimal() {
        let look = |cells: &[&str]| {
            let (text, spans) = block_of(cells);
            look_numeric(&text, &spans)
        };
        assert!(look(&["", "", "-1.5", "x"]));
        assert!(look(&["7", "Köln"]));
        assert!(look(&["", ""]));
        assert!(look(&[]));
        assert!(!look(&["", "cat1", "2"]));
        assert!(!look(&[" 2", "3"]));
        assert!(!look(&["NA", "3"]));
    }
}
