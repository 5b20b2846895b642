//! Pearson (every row, pairwise-complete, mergeable co-moments) and Spearman (average ranks over
//! the first `sample` rows, pairwise-complete) correlation matrices.

use crate::profile::model::Correlations;
use crate::profile::parallel::par_map;
use crate::profile::sums::{dot, dot3, lanes};

/// Co-moments of one pair of columns over the rows where both are numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoMoments {
    n: f64,
    mean_x: f64,
    mean_y: f64,
    m2_x: f64,
    m2_y: f64,
    c_xy: f64,
}

impl CoMoments {
    pub fn push(&mut self, x: f64, y: f64) {
        self.n += 1.0;
        let dx = x - self.mean_x;
        self.mean_x += dx / self.n;
        let dy = y - self.mean_y;
        self.mean_y += dy / self.n;
        self.m2_x += dx * (x - self.mean_x);
        self.m2_y += dy * (y - self.mean_y);
        self.c_xy += dx * (y - self.mean_y);
    }

    pub fn merge(&mut self, o: &CoMoments) {
        if o.n == 0.0 {
            return;
        }
        if self.n == 0.0 {
            *self = *o;
            return;
        }
        let n = self.n + o.n;
        let dx = o.mean_x - self.mean_x;
        let dy = o.mean_y - self.mean_y;
        let f = self.n * o.n / n;
        self.m2_x += o.m2_x + dx * dx * f;
        self.m2_y += o.m2_y + dy * dy * f;
        self.c_xy += o.c_xy + dx * dy * f;
        self.mean_x += dx * o.n / n;
        self.mean_y += dy * o.n / n;
        self.n = n;
    }

    pub fn pearson(&self) -> Option<f64> {
        if self.n < 2.0 || self.m2_x <= 0.0 || self.m2_y <= 0.0 {
            return None;
        }
        Some((self.c_xy / (self.m2_x * self.m2_y).sqrt()).clamp(-1.0, 1.0))
    }
}

/// A chunk column's numbers as deviations from `shift`, their mean, with the sums its pairs
/// share.
struct ColumnSums {
    shift: f64,
    complete: bool,
    n: f64,
    sum: f64,
    sum_sq: f64,
    /// The one value of a column that has only one.
    constant: Option<f64>,
    /// Each row's deviation from `shift`, 0 where the row has no number.
    deviations: Vec<f64>,
    /// Where some rows have no number: 1 for each row that has one, 0 for the others.
    presence: Vec<f64>,
}

impl ColumnSums {
    /// Every pass in four lanes (see [`lanes`]), written so that it vectorises: rows without a
    /// number are zeros in `deviations` and `presence`, where a branch per row would cost more
    /// than the arithmetic.
    fn of(xs: &[f64]) -> Self {
        let (low, high) = min_max(xs);
        if low > high {
            // A column without numbers here, such as text.
            return ColumnSums {
                shift: 0.0,
                complete: false,
                n: 0.0,
                sum: 0.0,
                sum_sq: 0.0,
                constant: None,
                deviations: Vec::new(),
                presence: Vec::new(),
            };
        }
        let missing = xs.iter().fold(0, |n, x| n + usize::from(x.is_nan()));
        let n = (xs.len() - missing) as f64;
        let constant = (low == high).then_some(low);
        let shift = match constant {
            Some(v) => v,
            None => lanes(xs, |x| if x.is_nan() { 0.0 } else { x }) / n,
        };
        let deviations: Vec<f64> = (xs.iter())
            .map(|&x| if x.is_nan() { 0.0 } else { x - shift })
            .collect();
        let presence = match missing {
            0 => Vec::new(),
            _ => (xs.iter())
                .map(|x| if x.is_nan() { 0.0 } else { 1.0 })
                .collect(),
        };
        ColumnSums {
            shift,
            complete: missing == 0,
            n,
            sum: lanes(&deviations, |d| d),
            sum_sq: lanes(&deviations, |d| d * d),
            constant,
            deviations,
            presence,
        }
    }

    /// The sum and sum of squares of our deviations over the rows where `other` has a number.
    fn sums_where(&self, other: &ColumnSums) -> (f64, f64) {
        if other.complete {
            return (self.sum, self.sum_sq);
        }
        let d = &self.deviations;
        (dot(d, &other.presence), dot3(d, d, &other.presence))
    }
}

/// The least and greatest of `xs`, NaN left out (compares, so that the loop vectorises);
/// `(inf, -inf)` where there is none.
fn min_max(xs: &[f64]) -> (f64, f64) {
    xs.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), &x| {
            (
                if x < low { x } else { low },
                if x > high { x } else { high },
            )
        })
}

/// One side of a pair: its shift, the sum and sum of squares of deviations from it, and its
/// value if it has only one.
type Side = (f64, f64, f64, Option<f64>);

impl CoMoments {
    /// The co-moments of two complete columns from their sums and the sum of the products of
    /// their deviations.
    fn from_sums(x: &ColumnSums, y: &ColumnSums, sxy: f64) -> Self {
        Self::from_deviations(
            x.n,
            (x.shift, x.sum, x.sum_sq, x.constant),
            (y.shift, y.sum, y.sum_sq, y.constant),
            sxy,
        )
    }

    /// The co-moments over the rows where both columns have a number (NaN is none), from their
    /// deviations (zero where a row has none, so that no product needs leaving out).
    fn of_common_rows((xs, x): (&[f64], &ColumnSums), (ys, y): (&[f64], &ColumnSums)) -> Self {
        let n = match (x.complete, y.complete) {
            (true, _) => y.n,
            (false, true) => x.n,
            (false, false) => dot(&x.presence, &y.presence),
        };
        let ((sx, sxx), (sy, syy)) = (x.sums_where(y), y.sums_where(x));
        // A side whose values are all equal on these rows has no spread at all, which its sums
        // may not show after rounding: where they leave any doubt, its values are compared.
        let only = |side: &[f64], other: &[f64], s: f64, ss: f64| {
            let doubtful = ss - s * s / n <= ss * 1e-9;
            doubtful.then(|| only_value(side, other)).flatten()
        };
        Self::from_deviations(
            n,
            (
                x.shift,
                sx,
                sxx,
                x.constant.or_else(|| only(xs, ys, sx, sxx)),
            ),
            (
                y.shift,
                sy,
                syy,
                y.constant.or_else(|| only(ys, xs, sy, syy)),
            ),
            dot(&x.deviations, &y.deviations),
        )
    }

    /// `n` pairs from their sides' sums. A side with one value has no spread and no co-moment,
    /// and that value as its mean, exactly as adding its values one by one leaves them.
    fn from_deviations(
        n: f64,
        (kx, sx, sxx, x_only): Side,
        (ky, sy, syy, y_only): Side,
        sxy: f64,
    ) -> Self {
        if n == 0.0 {
            return CoMoments::default();
        }
        let spread = |s: f64, ss: f64| (ss - s * s / n).max(0.0);
        let constant = x_only.is_some() || y_only.is_some();
        CoMoments {
            n,
            mean_x: x_only.unwrap_or(kx + sx / n),
            mean_y: y_only.unwrap_or(ky + sy / n),
            m2_x: if x_only.is_some() {
                0.0
            } else {
                spread(sx, sxx)
            },
            m2_y: if y_only.is_some() {
                0.0
            } else {
                spread(sy, syy)
            },
            c_xy: if constant { 0.0 } else { sxy - sx * sy / n },
        }
    }
}

/// The one value `xs` has on the rows where `ys` has a number too, if it has only one there.
fn only_value(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let mut common = xs
        .iter()
        .zip(ys)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let (&first, _) = common.next()?;
    common.all(|(&x, _)| x == first).then_some(first)
}

/// Pairwise co-moments of up to `width` columns. Pair (i, j), i < j, lies at `j(j-1)/2 + i`, a
/// layout that does not depend on the width, so the matrix grows only as far as columns appear.
#[derive(Debug, Clone, Default)]
pub struct PearsonMatrix {
    width: usize,
    pairs: Vec<CoMoments>,
}

impl PearsonMatrix {
    pub fn new(width: usize) -> Self {
        PearsonMatrix {
            width,
            pairs: Vec::new(),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    fn index(i: usize, j: usize) -> usize {
        j * (j - 1) / 2 + i
    }

    /// `row[i]` is column i's number in this row, if it has one.
    pub fn push(&mut self, row: &[Option<f64>]) {
        let w = self.width.min(row.len());
        let needed = w * w.saturating_sub(1) / 2;
        if self.pairs.len() < needed {
            self.pairs.resize(needed, CoMoments::default());
        }
        for (j, y) in row.iter().enumerate().take(w).skip(1) {
            let Some(y) = *y else { continue };
            let base = Self::index(0, j);
            for (i, x) in row.iter().enumerate().take(j) {
                if let Some(x) = *x {
                    self.pairs[base + i].push(x, y);
                }
            }
        }
    }

    /// Pushes a chunk of rows held by column, `columns[i][r]` being column i's number in row r
    /// (NaN for none): each pair's co-moments over the chunk from sums of deviations from the
    /// column's mean, merged as one block. Where both columns have every row, the column sums
    /// are shared and only the cross products are summed per pair.
    pub fn push_columns(&mut self, columns: &[Vec<f64>]) {
        let w = self.width.min(columns.len());
        let needed = w * w.saturating_sub(1) / 2;
        if self.pairs.len() < needed {
            self.pairs.resize(needed, CoMoments::default());
        }
        let stats: Vec<ColumnSums> = columns[..w].iter().map(|c| ColumnSums::of(c)).collect();
        for j in 1..w {
            let base = Self::index(0, j);
            for i in 0..j {
                if stats[i].n == 0.0 || stats[j].n == 0.0 {
                    continue;
                }
                let block = if stats[i].complete && stats[j].complete {
                    let sxy = dot(&stats[i].deviations, &stats[j].deviations);
                    CoMoments::from_sums(&stats[i], &stats[j], sxy)
                } else {
                    CoMoments::of_common_rows((&columns[i], &stats[i]), (&columns[j], &stats[j]))
                };
                self.pairs[base + i].merge(&block);
            }
        }
    }

    pub fn merge(&mut self, other: &PearsonMatrix) {
        if self.pairs.len() < other.pairs.len() {
            self.pairs.resize(other.pairs.len(), CoMoments::default());
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.merge(b);
        }
    }

    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        match i.cmp(&j) {
            std::cmp::Ordering::Equal => Some(1.0),
            std::cmp::Ordering::Less => self.pairs.get(Self::index(i, j))?.pearson(),
            std::cmp::Ordering::Greater => self.get(j, i),
        }
    }
}

/// Average ranks (1-based) of `xs`, ties sharing the mean of their ranks.
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    ranks_where(&sorted_rows(xs), xs.len(), |_| true)
}

/// Pearson's r of two equally long series held in memory: two passes (means, then centred
/// sums) with no division per value, unlike the streaming [`CoMoments`].
fn pearson_of(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len().min(ys.len());
    if n < 2 {
        return None;
    }
    let mean_x = xs.iter().sum::<f64>() / n as f64;
    let mean_y = ys.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&x, &y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// A column's numbers (NaN where it has none) sorted, each with its row.
fn sorted_rows(xs: &[f64]) -> Vec<(f64, usize)> {
    // Integer keys that order as the numbers do compare faster than floats by `total_cmp`; the
    // stable sort keeps ties in row order, and runs already in order (ids, times) cost one pass.
    let mut keys: Vec<(u64, usize)> = Vec::with_capacity(xs.len());
    for (r, &x) in xs.iter().enumerate() {
        if !x.is_nan() {
            keys.push((order_key(x), r));
        }
    }
    keys.sort_by_key(|k| k.0);
    keys.into_iter().map(|(_, r)| (xs[r], r)).collect()
}

/// An integer that orders as `x` does (for numbers that are not NaN; -0.0 before 0.0).
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Average ranks (1-based, ties sharing the mean of their ranks) of the values of `order` whose
/// rows `keep` lets through, by row; the other rows are NaN.
fn ranks_where(order: &[(f64, usize)], rows: usize, keep: impl Fn(usize) -> bool) -> Vec<f64> {
    let mut kept: Vec<(f64, usize)> = Vec::with_capacity(order.len());
    kept.extend(order.iter().copied().filter(|&(_, r)| keep(r)));
    let mut out = vec![f64::NAN; rows];
    let mut i = 0;
    while i < kept.len() {
        let mut j = i;
        while j + 1 < kept.len() && kept[j + 1].0 == kept[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &(_, r) in &kept[i..=j] {
            if let Some(slot) = out.get_mut(r) {
                *slot = rank;
            }
        }
        i = j + 1;
    }
    out
}

/// Spearman's rho over the rows where both columns have numbers (NaN is none).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    let (rx, ry) = (ranks(&xs), ranks(&ys));
    let mut m = CoMoments::default();
    rx.iter().zip(&ry).for_each(|(&a, &b)| m.push(a, b));
    m.pearson()
}

/// Builds the matrices for `columns` (indices into the accumulated table, whose sampled numbers
/// are in `sample`, NaN where a row has none); `spread[k]` says
/// whether `columns[k]` varies at all (a constant column correlates with nothing, not even itself).
/// Spearman ranks the first `sampled_rows` of `total_rows`, on up to `threads` threads.
pub fn correlations(
    names: Vec<String>,
    columns: &[usize],
    spread: &[bool],
    pearson: &PearsonMatrix,
    sample: &[Vec<f64>],
    (sampled_rows, total_rows): (u64, u64),
    threads: usize,
) -> Correlations {
    let varies = |k: usize| spread.get(k).copied().unwrap_or(false);
    let pearson_rows = columns
        .iter()
        .enumerate()
        .map(|(a, &i)| {
            columns
                .iter()
                .map(|&j| pearson.get(i, j).filter(|_| i != j || varies(a)))
                .collect()
        })
        .collect();
    let empty = Vec::new();
    let column = |i: usize| sample.get(i).unwrap_or(&empty);
    // Each column is sorted once; the ranks over the rows a pair has in common come from its sorted
    // rows by filtering, not by sorting again.
    let orders: Vec<Vec<(f64, usize)>> = par_map(columns, threads, |&i| sorted_rows(column(i)));
    let complete_ranks: Vec<Option<Vec<f64>>> = columns
        .iter()
        .zip(&orders)
        .map(|(&i, order)| {
            let xs = column(i);
            (order.len() == xs.len()).then(|| ranks_where(order, xs.len(), |_| true))
        })
        .collect();
    let n = columns.len();
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|a| (a..n).map(move |b| (a, b))).collect();
    let rhos = par_map(&pairs, threads, |&(a, b)| {
        let rho = if let (Some(rx), Some(ry)) = (&complete_ranks[a], &complete_ranks[b]) {
            pearson_of(rx, ry)
        } else {
            let (x, y) = (column(columns[a]), column(columns[b]));
            let present = |v: &[f64], r: usize| v.get(r).is_some_and(|x| !x.is_nan());
            let rx = ranks_where(&orders[a], x.len(), |r| present(y, r));
            let ry = ranks_where(&orders[b], y.len(), |r| present(x, r));
            let (rx, ry): (Vec<f64>, Vec<f64>) = rx
                .into_iter()
                .zip(ry)
                .filter(|(p, q)| !p.is_nan() && !q.is_nan())
                .unzip();
            pearson_of(&rx, &ry)
        };
        if a == b {
            rho.map(|_| 1.0)
        } else {
            rho
        }
    });
    let mut spearman_rows = vec![vec![None; n]; n];
    for (&(a, b), rho) in pairs.iter().zip(rhos) {
        spearman_rows[a][b] = rho;
        spearman_rows[b][a] = rho;
    }
    Correlations {
        columns: names,
        pearson: pearson_rows,
        spearman: spearman_rows,
        spearman_sample: (sampled_rows < total_rows).then_some(sampled_rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn perfect_and_monotone_relations() {
        let mut m = PearsonMatrix::new(3);
        for i in 0..10 {
            let x = i as f64;
            m.push(&[Some(x), Some(2.0 * x + 1.0), Some(x * x * x)]);
        }
        assert!((m.get(0, 1).unwrap_or(0.0) - 1.0).abs() < 1e-12);
        assert!(m.get(0, 2).unwrap_or(1.0) < 1.0);
        let x: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let y: Vec<f64> = (0..10).map(|i| (i * i * i) as f64).collect();
        assert!((spearman(&x, &y).unwrap_or(0.0) - 1.0).abs() < 1e-12);
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
    }

    #[test]
    fn constant_columns_have_no_correlation() {
        let mut m = PearsonMatrix::new(2);
        m.push(&[Some(1.0), Some(1.0)]);
        m.push(&[Some(2.0), Some(1.0)]);
        assert_eq!(m.get(0, 1), None);
    }

    #[test]
    fn a_column_constant_on_the_rows_a_pair_shares_has_no_correlation() {
        // x varies, but not on the rows where y has a number: no spread there, however its
        // deviations from x's mean round (for some of these values they leave a little).
        let y = [f64::NAN, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0];
        for k in 1..200 {
            let v = f64::from(k) * 0.37;
            let x = [0.1, v, v, v, v, v, v];
            let mut m = PearsonMatrix::new(2);
            m.push_columns(&[x.to_vec(), y.to_vec()]);
            assert_eq!(m.get(0, 1), None, "{v}");
            let mut by_row = PearsonMatrix::new(2);
            for (&a, &b) in x.iter().zip(&y) {
                by_row.push(&[Some(a), (!b.is_nan()).then_some(b)]);
            }
            assert_eq!(by_row.get(0, 1), None, "{v}");
        }
    }

    proptest! {
        #[test]
        fn columns_pushed_as_a_block_equal_rows_pushed_one_by_one(
            rows in prop::collection::vec(prop::collection::vec(prop::option::of(prop_oneof![-1e3f64..1e3, Just(2.0)]), 4), 0..60),
        ) {
            let mut by_row = PearsonMatrix::new(4);
            rows.iter().for_each(|r| by_row.push(r));
            let columns: Vec<Vec<f64>> = (0..4)
                .map(|c| rows.iter().map(|r| r[c].unwrap_or(f64::NAN)).collect())
                .collect();
            let mut by_column = PearsonMatrix::new(4);
            by_column.push_columns(&columns);
            for j in 1..4 {
                for i in 0..j {
                    match (by_column.get(i, j), by_row.get(i, j)) {
                        (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-9, "{} {}", a, b),
                        (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
                    }
                }
            }
        }

        #[test]
        fn merging_two_halves_equals_one_pass(
            rows in prop::collection::vec(prop::collection::vec(prop::option::of(-1e3f64..1e3), 3), 0..100),
            cut in 0usize..100,
        ) {
            let cut = cut.min(rows.len());
            let (mut whole, mut left, mut right) = (PearsonMatrix::new(3), PearsonMatrix::new(3), PearsonMatrix::new(3));
            rows.iter().for_each(|r| whole.push(r));
            rows[..cut].iter().for_each(|r| left.push(r));
            rows[cut..].iter().for_each(|r| right.push(r));
            left.merge(&right);
            for (i, j) in [(0, 1), (0, 2), (1, 2)] {
                match (left.get(i, j), whole.get(i, j)) {
                    (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-6),
                    (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
                }
            }
        }
    }
}
