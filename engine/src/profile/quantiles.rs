//! Quantiles: exact below a size limit, from log-linear buckets above it.
//!
//! Up to `limit` values are kept and quantiles use linear interpolation (numpy's default). Every
//! value is also counted in [`LogBuckets`]; past the limit the values are dropped and the same
//! interpolation runs on estimates of the two order statistics, each a point of the bucket that
//! holds it, so within [`WIDTH`] of it (relative).

use crate::profile::log_buckets::{LogBuckets, WIDTH};
use crate::profile::model::Quantiles;

pub const PROBABILITIES: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

#[derive(Debug, Clone)]
pub struct QuantileSketch {
    limit: usize,
    /// Every value while there are at most `limit`; `None` for good once there are more.
    exact: Option<Vec<f64>>,
    buckets: LogBuckets,
    /// Whether values are counted in `buckets` as they come; a chunk's are kept and left to the
    /// sketch it is merged into (see [`QuantileSketch::for_chunk`]).
    bucketing: bool,
    count: u64,
    min: f64,
    max: f64,
}

impl QuantileSketch {
    pub fn new(limit: usize) -> Self {
        QuantileSketch {
            limit,
            exact: Some(Vec::new()),
            buckets: LogBuckets::default(),
            bucketing: true,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// The sketch of a chunk of rows, to be merged into a table's: it keeps every value and
    /// buckets none, and the table's sketch buckets them as it takes them. Bucketed in the chunk,
    /// each chunk and column zeroed blocks of counts of its own (8 KiB per power of two its
    /// values spanned) only to add them to the table's.
    pub fn for_chunk() -> Self {
        QuantileSketch {
            bucketing: false,
            ..QuantileSketch::new(usize::MAX)
        }
    }

    /// Non-finite values are ignored: NaN has no rank, and infinities are left out of every
    /// figure but the count of values.
    pub fn push(&mut self, x: f64) {
        self.extend(&[x]);
    }

    pub fn extend(&mut self, xs: &[f64]) {
        if !xs.iter().all(|x| x.is_finite()) {
            let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
            return self.extend(&finite);
        }
        if self.bucketing {
            self.buckets.extend(xs);
        }
        self.count_in(xs);
        if self.count > self.limit as u64 {
            self.exact = None;
        } else if let Some(exact) = &mut self.exact {
            exact.extend_from_slice(xs);
        }
    }

    /// Counts the finite values `xs` in the count, minimum and maximum.
    fn count_in(&mut self, xs: &[f64]) {
        // Written as compares (no NaN to care about), so that the loops vectorise.
        let min = xs.iter().fold(self.min, |m, &x| if x < m { x } else { m });
        let max = xs.iter().fold(self.max, |m, &x| if x > m { x } else { m });
        self.count_range(xs.len(), (min, max));
    }

    /// Counts `n` finite values from `bounds.0` to `bounds.1`.
    fn count_range(&mut self, n: usize, (min, max): (f64, f64)) {
        self.min = self.min.min(min);
        self.max = self.max.max(max);
        self.count += n as u64;
    }

    /// [`QuantileSketch::extend`] with `xs`, all finite, from `bounds.0` to `bounds.1` (as
    /// [`crate::profile::numeric::Moments::push_finite`] found them), which it may take whole
    /// (leaving `xs` empty): a chunk's sketch with no values yet keeps them as they are instead
    /// of copying them, and looks at none of them again.
    pub fn take_finite(&mut self, xs: &mut Vec<f64>, bounds: (f64, f64)) {
        debug_assert!(xs.iter().all(|x| x.is_finite()), "finite values only");
        let empty = self.count == 0 && !self.bucketing && self.exact.is_some();
        if !empty {
            return self.extend(xs);
        }
        self.count_range(xs.len(), bounds);
        self.exact = Some(std::mem::take(xs));
    }

    pub fn merge(&mut self, other: &QuantileSketch) {
        if !self.bucketing && other.bucketing {
            self.start_bucketing();
        }
        if self.bucketing && !other.bucketing {
            // A chunk's: its values (all kept, all finite) are bucketed here.
            self.buckets
                .extend(other.exact.as_deref().unwrap_or_default());
        } else {
            self.buckets.merge(&other.buckets);
        }
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        match (&mut self.exact, &other.exact) {
            (Some(ours), Some(theirs)) if self.count <= self.limit as u64 => {
                ours.extend_from_slice(theirs);
            }
            _ => self.exact = None,
        }
    }

    /// Buckets the values kept so far, and every later one as it comes.
    fn start_bucketing(&mut self) {
        self.buckets
            .extend(self.exact.as_deref().unwrap_or_default());
        self.bucketing = true;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn is_exact(&self) -> bool {
        self.exact.is_some()
    }

    /// The values with their counts, in no particular order: every value while exact, else the
    /// buckets' representatives, with the exact minimum and maximum (at weight 0) so that a
    /// histogram spans them.
    pub fn weighted(&self, integers: bool) -> Vec<(f64, u64)> {
        if let Some(exact) = &self.exact {
            return exact.iter().map(|&x| (x, 1)).collect();
        }
        let mut points: Vec<(f64, u64)> = self
            .buckets
            .in_order()
            .map(|b| {
                (
                    b.representative(integers).clamp(self.min, self.max),
                    b.count,
                )
            })
            .collect();
        points.extend([(self.min, 0), (self.max, 0)]);
        points
    }

    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantiles(&[p], false).map(|q| q[0])
    }

    /// The quantiles at `ps` (ascending), sorting or walking the buckets once for all of them.
    fn quantiles(&self, ps: &[f64], integers: bool) -> Option<Vec<f64>> {
        if self.count == 0 {
            return None;
        }
        if let Some(exact) = &self.exact {
            let mut sorted = exact.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            return Some(ps.iter().map(|&p| linear(&sorted, p)).collect());
        }
        // The order statistics the interpolation needs, each estimated in its bucket.
        let mut wanted: Vec<u64> = ps
            .iter()
            .flat_map(|&p| {
                let (low, high, _) = bracket(self.count, p);
                [low, high]
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let estimates = self.order_statistics(&wanted, integers);
        let at = |rank: u64| {
            wanted
                .binary_search(&rank)
                .ok()
                .and_then(|i| estimates.get(i).copied())
                .unwrap_or(f64::NAN)
        };
        Some(ps.iter().map(|&p| interpolate(self.count, p, at)).collect())
    }

    /// Estimates of the values of 0-based `ranks` (ascending) in sorted order: the first and
    /// last are the exact minimum and maximum.
    fn order_statistics(&self, ranks: &[u64], integers: bool) -> Vec<f64> {
        let mut out = Vec::with_capacity(ranks.len());
        let mut wanted = ranks.iter().peekable();
        let mut seen = 0u64;
        for bucket in self.buckets.in_order() {
            let before = seen;
            seen += bucket.count;
            while let Some(&&rank) = wanted.peek() {
                if rank >= seen {
                    break;
                }
                let estimate = match rank {
                    0 => self.min,
                    r if r + 1 == self.count => self.max,
                    r => bucket
                        .value_at(r - before, integers)
                        .clamp(self.min, self.max),
                };
                out.push(estimate);
                wanted.next();
            }
        }
        out
    }

    pub fn summary(&self, integers: bool) -> Option<Quantiles> {
        let q = self.quantiles(&PROBABILITIES, integers)?;
        Some(summary_of(&q, self.is_exact()))
    }
}

fn summary_of(q: &[f64], exact: bool) -> Quantiles {
    Quantiles {
        p1: q[0],
        p5: q[1],
        p25: q[2],
        p50: q[3],
        p75: q[4],
        p95: q[5],
        p99: q[6],
        exact,
        error: (!exact).then_some(WIDTH),
    }
}

/// Exact quantiles (numpy's default) of values given with their counts, such as a column's exact
/// value counts: sorted once, each order statistic found by its cumulative count.
pub fn exact_summary(counted: &mut [(f64, u64)]) -> Option<Quantiles> {
    counted.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut cumulative = Vec::with_capacity(counted.len());
    let mut total = 0u64;
    for &(_, n) in counted.iter() {
        total += n;
        cumulative.push(total);
    }
    if total == 0 {
        return None;
    }
    let value = |rank: u64| {
        let i = cumulative.partition_point(|&c| c <= rank);
        counted.get(i).map_or(f64::NAN, |v| v.0)
    };
    let q: Vec<f64> = PROBABILITIES
        .iter()
        .map(|&p| interpolate(total, p, value))
        .collect();
    Some(summary_of(&q, true))
}

/// Where numpy's default ("linear", Hyndman–Fan 7) reads quantile `p` of `count` (> 0) sorted
/// values: the 0-based ranks of the two values it interpolates between, and how far between.
fn bracket(count: u64, p: f64) -> (u64, u64, f64) {
    let last = count - 1;
    let h = last as f64 * p;
    let low = (h.floor() as u64).min(last);
    (low, (low + 1).min(last), h - low as f64)
}

/// numpy's default quantile `p` of `count` (> 0) sorted values, `value(rank)` giving each.
fn interpolate(count: u64, p: f64, value: impl Fn(u64) -> f64) -> f64 {
    let (low, high, frac) = bracket(count, p);
    let a = value(low);
    if frac == 0.0 {
        a
    } else {
        a + frac * (value(high) - a)
    }
}

/// numpy's default ("linear", Hyndman–Fan 7) on sorted, non-empty values.
pub fn linear(sorted: &[f64], p: f64) -> f64 {
    interpolate(sorted.len() as u64, p, |rank| sorted[rank as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(xs: &[f64], limit: usize) -> QuantileSketch {
        let mut s = QuantileSketch::new(limit);
        xs.iter().for_each(|&x| s.push(x));
        s
    }

    /// What a sketch reports: its count, quantiles and weighted values.
    fn figures(s: &QuantileSketch) -> (u64, Option<Quantiles>, Vec<(f64, u64)>) {
        (s.count(), s.summary(false), s.weighted(false))
    }

    /// What numpy's default gives on `xs`, and the largest magnitude of the two values it
    /// interpolates between (the stated error is relative to it).
    fn reference(xs: &[f64], p: f64) -> (f64, f64) {
        let mut sorted = xs.to_vec();
        sorted.sort_by(f64::total_cmp);
        let h = (sorted.len() - 1) as f64 * p;
        let (lo, hi) = (
            h.floor() as usize,
            (h.floor() as usize + 1).min(sorted.len() - 1),
        );
        (linear(&sorted, p), sorted[lo].abs().max(sorted[hi].abs()))
    }

    #[test]
    fn exact_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [1, 25, 50, 99])
        let s = of(&[10.0, 1.0, 3.0, 2.0, 4.0], 100);
        assert_eq!(s.quantile(0.25), Some(2.0));
        assert_eq!(s.quantile(0.5), Some(3.0));
        assert!((s.quantile(0.01).unwrap_or(0.0) - 1.04).abs() < 1e-12);
        assert!((s.quantile(0.99).unwrap_or(0.0) - 9.76).abs() < 1e-12);
        assert!(of(&[], 100).summary(false).is_none());
        assert_eq!(of(&[7.0], 100).quantile(0.99), Some(7.0));
    }

    #[test]
    fn past_the_limit_quantiles_stay_within_the_stated_error() {
        let n = 200_000u64;
        // A deterministic shuffle of a skewed spread of values.
        let xs: Vec<f64> = (0..n)
            .map(|i| (((i * 7_919) % n) as f64 / 1_000.0).exp() - 50.0)
            .collect();
        let s = of(&xs, 1_000);
        let q = s.summary(false).expect("values");
        assert_eq!((q.exact, q.error), (false, Some(WIDTH)));
        for p in PROBABILITIES {
            let got = s.quantile(p).unwrap_or(f64::NAN);
            let (want, scale) = reference(&xs, p);
            assert!(
                (got - want).abs() <= WIDTH * scale,
                "p={p}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn small_integers_past_the_limit_give_numpys_quantiles() {
        let xs: Vec<f64> = (0..5_000u32).map(|i| f64::from(i * 37 % 1_500)).collect();
        let s = of(&xs, 100);
        let q = s.summary(true).expect("values");
        assert!(!q.exact);
        for (p, got) in PROBABILITIES
            .iter()
            .zip([q.p1, q.p5, q.p25, q.p50, q.p75, q.p95, q.p99])
        {
            assert_eq!(got, reference(&xs, *p).0, "p={p}");
        }
    }

    proptest! {
        #[test]
        fn quantiles_of_counted_values_equal_those_of_the_values_written_out(
            counted in prop::collection::vec((-1e3f64..1e3, 1u64..20), 1..60),
        ) {
            let xs: Vec<f64> = counted
                .iter()
                .flat_map(|&(x, n)| std::iter::repeat_n(x, n as usize))
                .collect();
            let want = of(&xs, usize::MAX).summary(false);
            prop_assert_eq!(exact_summary(&mut counted.clone()), want);
        }

        #[test]
        fn merging_two_halves_equals_one_pass(
            xs in prop::collection::vec(prop_oneof![-1e6f64..1e6, -1.0f64..1.0], 0..400),
            cut in 0usize..400,
            limit in prop_oneof![Just(1_000usize), 0usize..50],
        ) {
            let cut = cut.min(xs.len());
            let mut left = of(&xs[..cut], limit);
            left.merge(&of(&xs[cut..], limit));
            prop_assert_eq!(left.summary(false), of(&xs, limit).summary(false));
        }

        #[test]
        fn chunks_merged_in_any_grouping_equal_one_pass(
            xs in prop::collection::vec(
                prop_oneof![-1e6f64..1e6, -1.0f64..1.0, Just(f64::NAN), Just(f64::INFINITY)], 0..400),
            cuts in prop::collection::vec(0usize..400, 0..6),
            limit in prop_oneof![Just(1_000usize), 0usize..50],
            pair_first in any::<bool>(),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(xs.len())).collect();
            cuts.extend([0, xs.len()]);
            cuts.sort_unstable();
            let chunks: Vec<QuantileSketch> = cuts
                .windows(2)
                .map(|w| {
                    let mut chunk = QuantileSketch::for_chunk();
                    chunk.extend(&xs[w[0]..w[1]]);
                    chunk
                })
                .collect();
            let mut table = QuantileSketch::new(limit);
            if pair_first && chunks.len() >= 2 {
                // Two chunks merged with each other first; a table's sketch taken into a chunk's
                // that has values of its own counts them all.
                let mut pair = QuantileSketch::for_chunk();
                pair.merge(&chunks[0]);
                pair.merge(&chunks[1]);
                table.merge(&pair);
                chunks[2..].iter().for_each(|c| table.merge(c));
                let own = &xs[..cuts[1]];
                let mut absorbing = QuantileSketch::for_chunk();
                absorbing.extend(own);
                absorbing.merge(&table);
                if !table.is_exact() {
                    let both: Vec<f64> = own.iter().chain(&xs).copied().collect();
                    prop_assert_eq!(absorbing.summary(false), of(&both, 0).summary(false));
                }
            } else {
                chunks.iter().for_each(|c| table.merge(c));
            }
            let single = of(&xs, limit);
            prop_assert_eq!(figures(&table), figures(&single));
        }

        #[test]
        fn taking_values_equals_extending_with_them(
            first in prop::collection::vec(prop_oneof![-1e6f64..1e6, Just(f64::NAN)], 0..50),
            then in prop::collection::vec(-1e6f64..1e6, 0..50),
            chunk in any::<bool>(),
        ) {
            let fresh = || if chunk { QuantileSketch::for_chunk() } else { QuantileSketch::new(60) };
            let (mut taken, mut extended) = (fresh(), fresh());
            for xs in [&first, &then] {
                // As a column hands over a chunk's finite numbers, with the bounds it found.
                let mut finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
                let low = finite.iter().copied().fold(f64::INFINITY, f64::min);
                let high = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if !finite.is_empty() {
                    taken.take_finite(&mut finite, (low, high));
                }
                extended.extend(xs);
            }
            let (mut table_taken, mut table_extended) = (QuantileSketch::new(60), QuantileSketch::new(60));
            table_taken.merge(&taken);
            table_extended.merge(&extended);
            prop_assert_eq!(figures(&table_taken), figures(&table_extended));
        }

        #[test]
        fn extending_equals_pushing_one_by_one(
            xs in prop::collection::vec(
                prop_oneof![-1e6f64..1e6, Just(f64::NAN), Just(f64::INFINITY)], 0..300),
            limit in 0usize..400,
        ) {
            let mut block = QuantileSketch::new(limit);
            block.extend(&xs);
            let single = of(&xs, limit);
            prop_assert_eq!(figures(&block), figures(&single));
        }

        #[test]
        fn sketched_quantiles_stay_within_the_stated_error(
            xs in prop::collection::vec(prop_oneof![-1e9f64..1e9, -1.0f64..1.0, 1e-3f64..1e3], 2..500),
            p in 0.0f64..1.0,
        ) {
            let s = of(&xs, 1);
            let got = s.quantile(p).unwrap_or(f64::NAN);
            let (want, scale) = reference(&xs, p);
            // Interpolation itself rounds: allow a few ulps of the scale.
            let slack = WIDTH * scale + 4.0 * f64::EPSILON * scale;
            prop_assert!((got - want).abs() <= slack, "p={}: {} vs {}", p, got, want);
        }

        #[test]
        fn weights_add_up_to_the_count(xs in prop::collection::vec(-1e6f64..1e6, 0..2_000)) {
            let s = of(&xs, 64);
            let weight: u64 = s.weighted(false).iter().map(|w| w.1).sum();
            prop_assert_eq!(weight, xs.len() as u64);
        }
    }
}
