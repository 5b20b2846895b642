//! Everything accumulated for one column while rows stream by. The column's type is only known
//! at the end, so each cell feeds the accumulators of its own kind and `finish` reports those
//! that fit the resolved type.

use crate::ingest::infer::{
    classify, classify_trimmed, format_seconds, resolve_type, trim, Cell, Kind, KINDS,
};
use std::sync::Arc;

mod pushed;
mod spans;

pub use spans::look_numeric;

use pushed::Pushed;

use crate::profile::distinct::{FrozenKeys, HyperLogLog, NumberKey, OrderSpan, ValueCounts};
use crate::profile::histogram::histogram;
use crate::profile::model::{ColumnProfile, ColumnType, Scalar};
use crate::profile::numeric::Moments;
use crate::profile::quantiles::{exact_summary, QuantileSketch};
use crate::profile::temporal::Temporal;
use crate::profile::text::TextLengths;
use crate::profile::ProfileOptions;

/// What a pushed cell leaves to the figures of its chunk as a whole: its finite number (or NaN),
/// its text if it counts towards the text min/max, and the value to count with its hash (`None`:
/// missing).
type PushedCell<'v> = (f64, Option<&'v str>, Option<(&'v str, u64)>);

/// A cell (`None`: absent) trimmed, and what it holds.
#[inline(always)]
fn classified(raw: Option<&str>) -> (Option<&str>, Cell) {
    let value = raw.map(trim);
    // A match, not `map_or`: a closure's call, if not inlined, would return the cell through
    // memory (see `classify_trimmed`).
    let cell = match value {
        Some(v) => classify_trimmed(v),
        None => Cell::Missing,
    };
    (value, cell)
}

/// Whether values only go up, only go down, or neither, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Monotonic {
    first: Option<f64>,
    last: Option<f64>,
    increasing: bool,
    decreasing: bool,
}

impl Monotonic {
    pub fn push(&mut self, x: f64) {
        match self.last {
            None => {
                self.first = Some(x);
                self.increasing = true;
                self.decreasing = true;
            }
            Some(prev) => {
                self.increasing &= x >= prev;
                self.decreasing &= x <= prev;
            }
        }
        self.last = Some(x);
    }

    /// Pushes `xs` in order. Once values have gone both up and down, nothing but the last
    /// counts: a column of measurements is looked at for its first few values only.
    pub fn extend(&mut self, xs: &[f64]) {
        let (Some(&first), Some(&last)) = (xs.first(), xs.last()) else {
            return;
        };
        let mut prev = match self.last {
            Some(prev) => prev,
            None => {
                (self.first, self.increasing, self.decreasing) = (Some(first), true, true);
                first
            }
        };
        for &x in xs {
            if !(self.increasing || self.decreasing) {
                break;
            }
            self.increasing &= x >= prev;
            self.decreasing &= x <= prev;
            prev = x;
        }
        self.last = Some(last);
    }

    /// `other` holds the values that came after ours.
    pub fn merge(&mut self, other: &Monotonic) {
        let (Some(last), Some(next)) = (self.last, other.first) else {
            if self.last.is_none() {
                *self = other.clone();
            }
            return;
        };
        self.increasing &= other.increasing && next >= last;
        self.decreasing &= other.decreasing && next <= last;
        self.last = other.last;
    }

    pub fn label(&self) -> Option<String> {
        self.last?;
        Some(
            match (self.increasing, self.decreasing) {
                (true, _) => "increasing",
                (false, true) => "decreasing",
                _ => "none",
            }
            .to_string(),
        )
    }
}

fn has_exponent(number: &str) -> bool {
    number.bytes().any(|b| b | 0x20 == b'e')
}

/// Replaces `slot` with `value` when empty or when `value` compares `wanted` to it, reusing the
/// slot's buffer: an increasing column would otherwise allocate on every row.
fn keep_if(slot: &mut Option<String>, value: &str, wanted: std::cmp::Ordering) {
    match slot {
        None => *slot = Some(value.to_string()),
        Some(s) if value.cmp(s.as_str()) == wanted => {
            s.clear();
            s.push_str(value);
        }
        Some(_) => {}
    }
}

#[derive(Debug, Clone)]
pub struct ColumnAcc {
    pub name: String,
    kinds: [u64; KINDS],
    pub missing: u64,
    values: ValueCounts,
    moments: Moments,
    quantiles: QuantileSketch,
    temporal: Temporal,
    lengths: TextLengths,
    monotonic: Monotonic,
    text_min: Option<String>,
    text_max: Option<String>,
}

impl ColumnAcc {
    pub fn new(name: String, opts: &ProfileOptions) -> Self {
        ColumnAcc {
            name,
            kinds: [0; KINDS],
            missing: 0,
            values: ValueCounts::new(opts.exact_distinct_limit)
                .with_text_bound(opts.exact_distinct_bytes),
            moments: Moments::default(),
            quantiles: QuantileSketch::new(opts.exact_quantile_limit),
            temporal: Temporal::default(),
            lengths: TextLengths::default(),
            monotonic: Monotonic::default(),
            text_min: None,
            text_max: None,
        }
    }

    /// Counts values only against `keys`, the frozen values of the column this one will be merged
    /// into (see [`ValueCounts::against`]).
    pub fn counting_against(mut self, keys: Option<Arc<FrozenKeys>>) -> Self {
        if let Some(keys) = keys {
            self.values = ValueCounts::against(keys);
        }
        self
    }

    /// For a chunk of rows, to be merged into a table's column: its quantiles are left to the
    /// table's (see [`QuantileSketch::for_chunk`]).
    pub fn for_chunk(mut self) -> Self {
        self.quantiles = QuantileSketch::for_chunk();
        self
    }

    /// The counted values, once there are as many as the bound allows.
    pub fn frozen_keys(&self) -> Option<Arc<FrozenKeys>> {
        self.values.frozen_keys().cloned()
    }

    /// Pushes a chunk's cells of this column, leaves each row's finite number (NaN for none) in
    /// `numbers`, folds each cell's hash into its row's, and leaves the classified cells in
    /// `cells` when asked. Numbers are summarised as a block
    /// (see [`Moments::push_finite`]) rather than one by one.
    #[inline(never)]
    pub fn push_column<'v>(
        &mut self,
        values: impl ExactSizeIterator<Item = Option<&'v str>>,
        numbers: &mut Vec<f64>,
        finite: &mut Vec<f64>,
        row_hashes: &mut [u64],
        mut cells: Option<&mut Vec<Cell>>,
    ) {
        let mut pushed = self.start_chunk(numbers, finite, values.len());
        for (raw, row) in values.zip(row_hashes.iter_mut()) {
            let (value, cell) = classified(raw);
            if let Some(cells) = cells.as_deref_mut() {
                cells.push(cell);
            }
            let (x, ordered, counted) = self.push_cell(value, cell);
            pushed.record(x, ordered, counted, row);
        }
        self.finish_chunk(pushed);
    }

    /// What a chunk's `cells` cells of this column are gathered into.
    fn start_chunk<'o, 'v>(
        &self,
        numbers: &'o mut Vec<f64>,
        finite: &'o mut Vec<f64>,
        cells: usize,
    ) -> Pushed<'o, 'v> {
        // Values are counted after the loop, all at once (see `ValueCounts::push_batch`).
        Pushed::new(numbers, finite, cells, self.values.needs_texts())
    }

    /// Classifies and pushes one cell (`None`: absent), out of line, for the few cells a fast
    /// loop leaves to it; gives what [`ColumnAcc::push_cell`] gives.
    #[inline(never)]
    fn push_raw_apart<'v>(&mut self, raw: Option<&'v str>) -> PushedCell<'v> {
        let (value, cell) = classified(raw);
        self.push_cell(value, cell)
    }

    /// The figures taken from a chunk's cells as a whole, once they are all pushed.
    fn finish_chunk(&mut self, pushed: Pushed<'_, '_>) {
        if let Some((low, high)) = pushed.range.map(|r| r.bounds()) {
            keep_if(&mut self.text_min, low, std::cmp::Ordering::Less);
            keep_if(&mut self.text_max, high, std::cmp::Ordering::Greater);
        }
        let bounds = self.moments.push_finite(pushed.finite);
        self.monotonic.extend(pushed.finite);
        self.values
            .push_batch(&pushed.texts, &pushed.hashes, self.counted_span());
        // Last: a chunk's sketch may take the numbers whole.
        if let Some(bounds) = bounds {
            self.quantiles.take_finite(pushed.finite, bounds);
        }
    }

    /// Where every value counted so far lies in the order of numbers and times (see
    /// [`OrderSpan`]): between the least and greatest number and time, unless some value is
    /// text or an infinity. Taken from figures kept anyway, at no cost per cell.
    fn counted_span(&self) -> OrderSpan {
        let unordered = [Kind::Boolean, Kind::Text, Kind::Identifier]
            .iter()
            .any(|&k| self.kinds[k as usize] > 0);
        if unordered || self.moments.non_finite > 0 {
            return OrderSpan::everything();
        }
        let mut span = OrderSpan::default();
        [
            self.moments.min(),
            self.moments.max(),
            self.temporal.first(),
            self.temporal.last(),
        ]
        .into_iter()
        .flatten()
        .for_each(|order| span.include(order));
        span
    }

    /// Everything but the finite number's moments, quantiles and order, the text min/max and the
    /// count of its value, left to the caller: the cell's finite number (or NaN), its (trimmed)
    /// text if it counts towards the text min/max, and the value to count with its hash.
    #[inline(always)]
    fn push_cell<'v>(&mut self, value: Option<&'v str>, cell: Cell) -> PushedCell<'v> {
        // One match on the cell for every figure: asked one by one (its kind, its number, its
        // seconds), the cell was matched again for each.
        let value = match (value, cell) {
            (Some(value), cell) if cell != Cell::Missing => value,
            _ => {
                self.missing += 1;
                return (f64::NAN, None, None);
            }
        };
        // Text min/max are over every value of the column, in code-point order. Only text,
        // identifiers and integers can make up a text column; the others would make it another
        // type.
        let (kind, hash, number, ordered) = match cell {
            Cell::Integer(i) => {
                // Numbers are written in ASCII: as many characters as bytes.
                self.lengths.push_chars(value.len());
                let hash = ValueCounts::hash_of_number(NumberKey::of_integer(i));
                (Kind::Integer, hash, i as f64, Some(value))
            }
            Cell::Float(f) => {
                self.lengths.push_chars(value.len());
                let hash = match NumberKey::of_float(f) {
                    // A whole number written with an exponent is likelier a code than a number
                    // (the airports "0E0" and "0E8" are two values, not two zeros): counted by
                    // its text.
                    NumberKey::Integer(_) if has_exponent(value) => {
                        ValueCounts::hash_of_text(value)
                    }
                    key => ValueCounts::hash_of_number(key),
                };
                let number = if f.is_finite() {
                    f
                } else {
                    // Counted, and left out of every other figure.
                    self.moments.push(f);
                    f64::NAN
                };
                (Kind::Float, hash, number, None)
            }
            Cell::Date(days) => {
                let hash = self.push_time(value, days as f64 * 86_400.0);
                (Kind::Date, hash, f64::NAN, None)
            }
            Cell::Datetime(seconds) => {
                let hash = self.push_time(value, seconds);
                (Kind::Datetime, hash, f64::NAN, None)
            }
            Cell::Boolean(_) => (Kind::Boolean, self.push_text(value), f64::NAN, None),
            Cell::Identifier => (
                Kind::Identifier,
                self.push_text(value),
                f64::NAN,
                Some(value),
            ),
            Cell::Text | Cell::Missing => {
                (Kind::Text, self.push_text(value), f64::NAN, Some(value))
            }
        };
        self.kinds[kind as usize] += 1;
        (number, ordered, Some((value, hash)))
    }

    /// The length of a cell counted by its text, and the hash of that text.
    #[inline(always)]
    fn push_text(&mut self, value: &str) -> u64 {
        self.lengths.push(value);
        ValueCounts::hash_of_text(value)
    }

    /// [`ColumnAcc::push_text`] for a date or time, which is also `seconds` since the epoch.
    #[inline(always)]
    fn push_time(&mut self, value: &str, seconds: f64) -> u64 {
        self.temporal.push(seconds);
        // Only a temporal column reports its order, and it holds no numbers: pushing its times
        // before a block's numbers changes no reported figure.
        self.monotonic.push(seconds);
        self.push_text(value)
    }

    /// How many values merging this column (a chunk's) adds or looks up one by one.
    pub fn values_to_merge(&self) -> usize {
        self.values.values_to_merge()
    }

    /// Adds `other`, which holds the rows that came after ours.
    pub fn merge(&mut self, other: ColumnAcc) {
        for (a, b) in self.kinds.iter_mut().zip(&other.kinds) {
            *a += b;
        }
        self.missing += other.missing;
        self.values.merge_owned(other.values);
        self.moments.merge(&other.moments);
        self.quantiles.merge(&other.quantiles);
        self.temporal.merge(&other.temporal);
        self.lengths.merge(&other.lengths);
        self.monotonic.merge(&other.monotonic);
        if let Some(m) = &other.text_min {
            keep_if(&mut self.text_min, m, std::cmp::Ordering::Less);
        }
        if let Some(m) = &other.text_max {
            keep_if(&mut self.text_max, m, std::cmp::Ordering::Greater);
        }
    }

    /// Does what can be done ahead of a merge, so the thread that merges chunks in order has less
    /// to do.
    pub fn prepare_merge(&mut self) {
        self.values.settle();
    }

    pub fn column_type(&self) -> ColumnType {
        resolve_type(&self.kinds)
    }

    /// Past the exact quantile limit, a column whose distinct values are still counted exactly
    /// (a rating, a price list) has exact quantiles all the same: its finite numbers with their
    /// counts. `None` where the limit was not passed or the counts are an estimate.
    fn counted_numbers(&self) -> Option<Vec<(f64, u64)>> {
        if self.quantiles.is_exact() {
            return None;
        }
        let finite = |s: &str| classify(s).as_number().filter(|x| x.is_finite());
        let counted = self.values.exact_counts(finite)?;
        // Every number the sketch saw must be there, or the sketch is the better answer.
        let total: u64 = counted.iter().map(|c| c.1).sum();
        (total == self.quantiles.count()).then_some(counted)
    }

    pub fn finish(&self, top_k: usize) -> ColumnProfile {
        let column_type = self.column_type();
        let count = self.kinds.iter().sum();
        let mut p = ColumnProfile {
            name: self.name.clone(),
            column_type,
            count,
            missing: self.missing,
            // An estimate may overshoot; no column has more distinct values than values.
            distinct: self.values.distinct().min(count),
            distinct_exact: self.values.is_exact(),
            distinct_error: (!self.values.is_exact()).then_some(HyperLogLog::STANDARD_ERROR),
            top: self.values.top(top_k),
            ..ColumnProfile::default()
        };
        match column_type {
            ColumnType::Integer | ColumnType::Float => {
                let m = &self.moments;
                p.min = m.min().map(Scalar::Number);
                p.max = m.max().map(Scalar::Number);
                p.sum = Some(m.sum());
                p.mean = m.mean();
                p.variance = m.variance();
                p.std = m.std();
                p.skewness = m.skewness();
                p.kurtosis = m.kurtosis();
                p.zeros = Some(m.zeros);
                p.negatives = Some(m.negatives);
                let integers = column_type == ColumnType::Integer;
                match self.counted_numbers() {
                    Some(mut counted) => {
                        p.quantiles = exact_summary(&mut counted);
                        p.histogram = histogram(&counted);
                    }
                    None => {
                        p.quantiles = self.quantiles.summary(integers);
                        p.histogram = histogram(&self.quantiles.weighted(integers));
                    }
                }
                p.monotonic = self.monotonic.label();
            }
            ColumnType::Date | ColumnType::Datetime => {
                let date_only = column_type == ColumnType::Date;
                let fmt = |s: f64| Scalar::Text(format_seconds(s, date_only));
                p.min = self.temporal.first().map(fmt);
                p.max = self.temporal.last().map(fmt);
                p.temporal = self.temporal.summary(date_only);
                p.monotonic = self.monotonic.label();
            }
            ColumnType::Text => {
                p.min = self.text_min.clone().map(Scalar::Text);
                p.max = self.text_max.clone().map(Scalar::Text);
                p.text_lengths = self.lengths.summary();
            }
            ColumnType::Mixed => p.text_lengths = self.lengths.summary(),
            ColumnType::Boolean => {}
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[&str]) -> ColumnProfile {
        let (c, _) = pushed(
            ColumnAcc::new("c".into(), &ProfileOptions::default()),
            values,
        );
        c.finish(3)
    }

    fn pushed(mut acc: ColumnAcc, values: &[&str]) -> (ColumnAcc, Vec<u64>) {
        let cells = values.iter().map(|v| Some(*v));
        let mut hashes = vec![0; values.len()];
        acc.push_column(cells, &mut Vec::new(), &mut Vec::new(), &mut hashes, None);
        (acc, hashes)
    }

    #[test]
    fn a_chunk_counted_against_a_snapshot_counts_as_one_pass_would() {
        let opts = ProfileOptions::default();
        let first = ["b", "a", "b", "c", "1", "1.0"];
        // Known values, new ones (some twice), a missing cell and a number spelt anew.
        let last = ["z", "a", "NA", "y", "z", "2", "1.00", "b"];
        let (mut whole, _) = pushed(ColumnAcc::new("c".into(), &opts), &first);
        // A merge that adds no new value makes the table hand out a snapshot of its keys.
        whole.merge(pushed(ColumnAcc::new("c".into(), &opts), &first).0);
        let keys = whole.frozen_keys();
        assert!(keys.is_some());
        let chunk = ColumnAcc::new("c".into(), &opts).counting_against(keys);
        let (chunk, chunk_hashes) = pushed(chunk, &last);
        whole.merge(chunk);

        let one_pass: Vec<&str> = first.iter().chain(&first).chain(&last).copied().collect();
        let (alone, alone_hashes) = pushed(ColumnAcc::new("c".into(), &opts), &one_pass);
        let (merged, expected) = (whole.finish(10), alone.finish(10));
        assert_eq!(merged.distinct, expected.distinct);
        assert_eq!(merged.top, expected.top);
        assert_eq!(chunk_hashes, alone_hashes[first.len() * 2..]);
        assert_eq!((merged.distinct, merged.top[0].count), (7, 5));
    }

    #[test]
    fn all_missing_is_an_empty_text_column() {
        let p = column(&["", "NA", "null"]);
        assert_eq!(
            (p.column_type, p.count, p.missing, p.distinct),
            (ColumnType::Text, 0, 3, 0)
        );
        assert_eq!(p.mean, None);
    }

    #[test]
    fn numbers_get_moments_and_monotonicity() {
        let p = column(&["1", "2", "2.5", "", "4"]);
        assert_eq!(p.column_type, ColumnType::Float);
        assert_eq!((p.count, p.missing), (4, 1));
        assert_eq!(p.mean, Some(2.375));
        assert_eq!(p.monotonic.as_deref(), Some("increasing"));
        assert_eq!(p.quantiles.map(|q| q.p50), Some(2.25));
    }

    #[test]
    fn numbers_count_by_value_but_whole_ones_with_an_exponent_by_text() {
        let p = column(&["2", "2.0", "2.00", "0E0", "0E8", "0", "1.5e-3", "0.0015"]);
        // 2 = 2.0 = 2.00, 0, "0E0" and "0E8" by their text, and 1.5e-3 = 0.0015.
        assert_eq!(p.distinct, 5);
        assert_eq!(p.top[0].value, "2");
        assert_eq!(p.top[0].count, 3);
    }

    #[test]
    fn an_estimated_distinct_count_never_passes_the_values() {
        let opts = ProfileOptions {
            exact_distinct_bytes: 1_000,
            ..ProfileOptions::default()
        };
        let texts: Vec<String> = (0..3_000).map(|i| format!("{i:0>100}")).collect();
        let raw: Vec<Option<&str>> = texts.iter().map(|v| Some(v.as_str())).collect();
        let mut c = ColumnAcc::new("c".into(), &opts);
        c.push_column(
            raw.iter().copied(),
            &mut Vec::new(),
            &mut Vec::new(),
            &mut vec![0; 3_000],
            None,
        );
        let p = c.finish(3);
        assert!(!p.distinct_exact);
        assert!(
            p.distinct <= p.count && p.distinct as f64 >= 0.97 * 3_000.0,
            "{}",
            p.distinct
        );
    }

    #[test]
    fn text_and_mixed_columns() {
        let p = column(&["Zürich", "Köln", "00501"]);
        assert_eq!(p.column_type, ColumnType::Text);
        assert_eq!(p.min, Some(Scalar::Text("00501".into())));
        assert_eq!(p.text_lengths.map(|l| l.max), Some(6));
        assert_eq!(column(&["1", "x"]).column_type, ColumnType::Mixed);
    }

    proptest::proptest! {
        #[test]
        fn monotonic_extended_equals_pushed_one_by_one(
            runs in proptest::collection::vec(proptest::collection::vec(-3.0f64..3.0, 0..8), 0..6),
            sorted in proptest::bool::ANY,
        ) {
            let mut whole: Vec<f64> = runs.concat();
            if sorted {
                whole.sort_by(f64::total_cmp);
            }
            let mut one_by_one = Monotonic::default();
            whole.iter().for_each(|&x| one_by_one.push(x));
            let mut extended = Monotonic::default();
            let mut at = 0;
            for run in &runs {
                extended.extend(&whole[at..at + run.len()]);
                at += run.len();
            }
            proptest::prop_assert_eq!(extended, one_by_one);
        }
    }

    #[test]
    fn monotonic_merges_in_order() {
        let mut a = Monotonic::default();
        let mut b = Monotonic::default();
        [1.0, 2.0].iter().for_each(|&x| a.push(x));
        [2.0, 3.0].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert_eq!(a.label().as_deref(), Some("increasing"));
        let mut c = Monotonic::default();
        c.push(0.0);
        a.merge(&c);
        assert_eq!(a.label().as_deref(), Some("none"));
    }
}
