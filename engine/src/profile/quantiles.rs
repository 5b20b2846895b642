//! Quantiles: exact below a size limit, a deterministic mergeable sketch above it.
//!
//! Up to `limit` values are kept and quantiles use linear interpolation (numpy's default). Past
//! it, the buffer becomes level 0 of a compactor sketch (Manku–Rajagopalan–Lindsay, as in KLL
//! without randomness): a full level is sorted and every other value moves up one level with
//! twice the weight, the kept half alternating so that errors cancel. Each compaction at level
//! `h` moves ranks by at most `2^h`, which bounds the rank error by `levels / limit` of `n`.

use crate::profile::model::Quantiles;

pub const PROBABILITIES: [f64; 7] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

#[derive(Debug, Clone)]
pub struct QuantileSketch {
    limit: usize,
    /// `levels[h]` holds values of weight `2^h`, as [`sort_key`]s: integers sort faster.
    levels: Vec<Vec<u64>>,
    /// Which half the next compaction of each level keeps.
    parity: Vec<bool>,
    count: u64,
}

impl QuantileSketch {
    pub fn new(limit: usize) -> Self {
        QuantileSketch {
            limit: limit.max(2),
            levels: vec![Vec::new()],
            parity: vec![false],
            count: 0,
        }
    }

    /// NaN is ignored: it has no rank.
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.count += 1;
        self.levels[0].push(sort_key(x));
        if self.levels[0].len() > self.limit {
            self.compact_from(0);
        }
    }

    /// [`QuantileSketch::push`] of every value of `xs`, compacting exactly where pushing them one
    /// by one would.
    pub fn extend(&mut self, xs: &[f64]) {
        // A chunk's sketch starts empty: growing level 0 step by step would copy it each time.
        let room = (self.limit + 1).saturating_sub(self.levels[0].len());
        self.levels[0].reserve(xs.len().min(room));
        let mut rest = xs;
        while !rest.is_empty() {
            let room = (self.limit + 1).saturating_sub(self.levels[0].len()).max(1);
            let (now, later) = rest.split_at(room.min(rest.len()));
            let before = self.levels[0].len();
            self.levels[0].extend(now.iter().filter(|x| !x.is_nan()).map(|&x| sort_key(x)));
            self.count += (self.levels[0].len() - before) as u64;
            if self.levels[0].len() > self.limit {
                self.compact_from(0);
            }
            rest = later;
        }
    }

    pub fn merge(&mut self, other: &QuantileSketch) {
        self.count += other.count;
        for (h, level) in other.levels.iter().enumerate() {
            if self.levels.len() <= h {
                self.levels.push(Vec::new());
                self.parity.push(false);
            }
            self.levels[h].extend_from_slice(level);
        }
        for h in 0..self.levels.len() {
            if self.levels[h].len() > self.limit {
                self.compact_from(h);
            }
        }
    }

    /// Sorts every level. Merged levels are then runs of sorted values, which the (run-adaptive)
    /// stable sort of a compaction merges instead of sorting from scratch.
    pub fn sort_levels(&mut self) {
        for level in &mut self.levels {
            // A chunk's values come in file order: no runs for the stable sort to find.
            level.sort_unstable();
        }
    }

    fn compact_from(&mut self, mut h: usize) {
        while self.levels[h].len() > self.limit {
            if self.levels.len() == h + 1 {
                self.levels.push(Vec::new());
                self.parity.push(false);
            }
            // The level is emptied in place: it keeps its buffer for the values merged next,
            // where a fresh one would grow again (and fault its pages in) on every compaction.
            let (below, above) = self.levels.split_at_mut(h + 1);
            let (level, up) = (&mut below[h], &mut above[0]);
            level.sort();
            // An odd value out stays at this level so weights stay exact.
            let odd = if level.len() % 2 == 1 {
                level.pop()
            } else {
                None
            };
            let start = usize::from(self.parity[h]);
            self.parity[h] = !self.parity[h];
            up.extend(level.iter().skip(start).step_by(2));
            level.clear();
            level.extend(odd);
            h += 1;
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn is_exact(&self) -> bool {
        self.levels.len() == 1
    }

    /// The stated bound on the rank error, as a fraction of the count (0 when exact).
    pub fn rank_error(&self) -> f64 {
        (self.levels.len() - 1) as f64 / self.limit as f64
    }

    /// Values with their weights, sorted by value (levels are runs of sorted values after a merge,
    /// which the run-adaptive stable sort merges).
    pub fn weighted(&self) -> Vec<(f64, u64)> {
        let mut all: Vec<(u64, u64)> = self
            .levels
            .iter()
            .enumerate()
            .flat_map(|(h, level)| level.iter().map(move |&k| (k, 1u64 << h)))
            .collect();
        all.sort_by_key(|w| w.0);
        all.into_iter()
            .map(|(k, w)| (from_sort_key(k), w))
            .collect()
    }

    /// Values with their weights in no particular order: enough for a histogram, without a sort.
    pub fn weighted_unsorted(&self) -> Vec<(f64, u64)> {
        self.levels
            .iter()
            .enumerate()
            .flat_map(|(h, level)| level.iter().map(move |&k| (from_sort_key(k), 1u64 << h)))
            .collect()
    }

    pub fn quantile(&self, p: f64) -> Option<f64> {
        self.quantiles(&[p]).map(|q| q[0])
    }

    /// The quantiles at `ps`, sorting the values once for all of them.
    fn quantiles(&self, ps: &[f64]) -> Option<Vec<f64>> {
        if self.count == 0 {
            return None;
        }
        if self.is_exact() {
            let mut keys = self.levels[0].clone();
            // Merged chunks left sorted runs, which a merging sort takes as they are.
            keys.sort();
            let sorted: Vec<f64> = keys.into_iter().map(from_sort_key).collect();
            return Some(ps.iter().map(|&p| linear(&sorted, p)).collect());
        }
        let all = self.weighted();
        let total: u64 = all.iter().map(|w| w.1).sum();
        let last = all.last().map_or(f64::NAN, |w| w.0);
        let at = |p: f64| {
            let target = p * (total as f64 - 1.0);
            let mut seen = 0u64;
            for &(x, w) in &all {
                seen += w;
                if seen as f64 > target {
                    return x;
                }
            }
            last
        };
        Some(ps.iter().map(|&p| at(p)).collect())
    }

    pub fn summary(&self) -> Option<Quantiles> {
        let q = self.quantiles(&PROBABILITIES)?;
        Some(Quantiles {
            p1: q[0],
            p5: q[1],
            p25: q[2],
            p50: q[3],
            p75: q[4],
            p95: q[5],
            p99: q[6],
            exact: self.is_exact(),
            error: (!self.is_exact()).then(|| self.rank_error()),
        })
    }
}

/// An integer that orders as `x` does in [`f64::total_cmp`]: flip the sign bit of positive
/// numbers and every bit of negative ones.
fn sort_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn from_sort_key(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// numpy's default ("linear", Hyndman–Fan 7) on sorted, non-empty values.
pub fn linear(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = h - lo as f64;
    if frac == 0.0 {
        sorted[lo]
    } else {
        sorted[lo] + frac * (sorted[hi] - sorted[lo])
    }
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

    #[test]
    fn exact_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [1, 25, 50, 99])
        let s = of(&[10.0, 1.0, 3.0, 2.0, 4.0], 100);
        assert_eq!(s.quantile(0.25), Some(2.0));
        assert_eq!(s.quantile(0.5), Some(3.0));
        assert!((s.quantile(0.01).unwrap_or(0.0) - 1.04).abs() < 1e-12);
        assert!((s.quantile(0.99).unwrap_or(0.0) - 9.76).abs() < 1e-12);
        assert!(of(&[], 100).summary().is_none());
        assert_eq!(of(&[7.0], 100).quantile(0.99), Some(7.0));
    }

    #[test]
    fn sketch_stays_within_its_stated_error() {
        let n = 200_000u64;
        // A deterministic shuffle of 0..n.
        let xs: Vec<f64> = (0..n).map(|i| ((i * 7_919) % n) as f64).collect();
        let s = of(&xs, 1_000);
        assert!(!s.is_exact());
        let err = s.rank_error();
        for p in PROBABILITIES {
            let q = s.quantile(p).unwrap_or(f64::NAN);
            let rank = q / n as f64;
            assert!((rank - p).abs() <= err, "p={p} rank={rank} err={err}");
        }
    }

    proptest! {
        #[test]
        fn sort_keys_order_as_total_cmp_and_round_trip(a in any::<f64>(), b in any::<f64>()) {
            prop_assert_eq!(sort_key(a).cmp(&sort_key(b)), a.total_cmp(&b));
            prop_assert_eq!(from_sort_key(sort_key(a)).to_bits(), a.to_bits());
        }

        #[test]
        fn merging_two_halves_equals_one_pass_when_exact(
            xs in prop::collection::vec(-1e6f64..1e6, 0..200),
            cut in 0usize..200,
        ) {
            let cut = cut.min(xs.len());
            let mut left = of(&xs[..cut], 1_000);
            left.merge(&of(&xs[cut..], 1_000));
            prop_assert_eq!(left.summary(), of(&xs, 1_000).summary());
        }

        #[test]
        fn extending_equals_pushing_one_by_one(
            xs in prop::collection::vec(prop_oneof![-1e6f64..1e6, Just(f64::NAN)], 0..700),
        ) {
            let mut block = QuantileSketch::new(64);
            block.extend(&xs);
            let single = of(&xs, 64);
            prop_assert_eq!(block.count(), single.count());
            prop_assert_eq!(&block.levels, &single.levels);
        }

        #[test]
        fn merged_sketches_keep_their_weight(xs in prop::collection::vec(-1e6f64..1e6, 0..2_000)) {
            let half = xs.len() / 2;
            let mut left = of(&xs[..half], 64);
            left.merge(&of(&xs[half..], 64));
            let weight: u64 = left.weighted().iter().map(|w| w.1).sum();
            prop_assert_eq!(weight, xs.len() as u64);
        }
    }
}
