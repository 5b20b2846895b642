//! What a chunk's cells of one column leave, row by row, for the figures taken from them as a
//! whole (moments, quantiles, order, text min/max and the count of each value).

use crate::profile::table::{fold_cell, MISSING_CELL};
use crate::profile::text::TextRange;

/// A chunk's cells of one column, pushed in row order.
pub(super) struct Pushed<'o, 'v> {
    /// Each row's finite number, or NaN.
    pub numbers: &'o mut Vec<f64>,
    /// The finite numbers alone.
    pub finite: &'o mut Vec<f64>,
    /// The values to count, and their hashes (texts only when the counts need them).
    pub texts: Vec<&'v str>,
    pub hashes: Vec<u64>,
    keep_texts: bool,
    /// The chunk's own text min and max, compared to the column's once at the end.
    pub range: Option<TextRange<'v>>,
}

impl<'o, 'v> Pushed<'o, 'v> {
    /// For `cells` cells, into `numbers` and `finite` (emptied first), keeping the values' texts
    /// if `keep_texts`.
    pub(super) fn new(
        numbers: &'o mut Vec<f64>,
        finite: &'o mut Vec<f64>,
        cells: usize,
        keep_texts: bool,
    ) -> Self {
        numbers.clear();
        finite.clear();
        // Given away to the last column's quantiles, maybe (see `QuantileSketch::take_finite`).
        finite.reserve(cells);
        Pushed {
            numbers,
            finite,
            texts: Vec::with_capacity(if keep_texts { cells } else { 0 }),
            hashes: Vec::with_capacity(cells),
            keep_texts,
            range: None,
        }
    }

    /// Records the next row's cell: its finite number `x` (or NaN), its text if it counts
    /// towards the text min/max, and the value to count with its hash (`None`: missing), folded
    /// into `row`.
    #[inline(always)]
    pub(super) fn record(
        &mut self,
        x: f64,
        ordered: Option<&'v str>,
        counted: Option<(&'v str, u64)>,
        row: &mut u64,
    ) {
        let hash = match counted {
            Some((text, hash)) => {
                if self.keep_texts {
                    self.texts.push(text);
                }
                self.hashes.push(hash);
                hash
            }
            None => MISSING_CELL,
        };
        *row = fold_cell(*row, hash);
        if !x.is_nan() {
            self.finite.push(x);
        }
        self.numbers.push(x);
        if let Some(v) = ordered {
            match &mut self.range {
                None => self.range = Some(TextRange::of(v)),
                Some(range) => range.push(v),
            }
        }
    }
}
