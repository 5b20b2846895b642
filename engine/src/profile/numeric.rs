//! Moments of a numeric column in one pass, mergeable across chunks.
//!
//! Central moments are updated and merged with Pébay's formulas (2008), which stay accurate where
//! the textbook sum-of-squares cancels catastrophically. Skewness and kurtosis are the
//! sample-adjusted G1 and G2 that pandas and Excel report.

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moments {
    pub count: u64,
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
    sum: f64,
    /// Neumaier compensation for `sum`.
    sum_error: f64,
    pub zeros: u64,
    pub negatives: u64,
    /// ±inf and NaN: counted, but left out of every other figure.
    pub non_finite: u64,
    min: f64,
    max: f64,
}

impl Moments {
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            self.non_finite += 1;
            return;
        }
        if self.count == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.zeros += u64::from(x == 0.0);
        self.negatives += u64::from(x < 0.0);
        self.add_to_sum(x);

        let n1 = self.count as f64;
        self.count += 1;
        let n = self.count as f64;
        let delta = x - self.mean;
        let delta_n = delta / n;
        let delta_n2 = delta_n * delta_n;
        let term1 = delta * delta_n * n1;
        self.mean += delta_n;
        self.m4 += term1 * delta_n2 * (n * n - 3.0 * n + 3.0) + 6.0 * delta_n2 * self.m2
            - 4.0 * delta_n * self.m3;
        self.m3 += term1 * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term1;
    }

    /// Adds finite values at once: their central moments in two passes (mean, then powers of
    /// the deviations, with no division per value), merged as a block. Each pass keeps four
    /// running sums side by side, which the processor adds in parallel where one would make
    /// every addition wait for the one before.
    /// Gives their least and greatest (`None` for no values).
    pub fn push_finite(&mut self, xs: &[f64]) -> Option<(f64, f64)> {
        let &first = xs.first()?;
        let mut lanes = Lanes::starting_at(first);
        let (groups, rest) = xs.as_chunks::<LANES>();
        for group in groups {
            for (lane, &x) in group.iter().enumerate() {
                lanes.push(lane, x);
            }
        }
        for (lane, &x) in rest.iter().enumerate() {
            lanes.push(lane, x);
        }
        let mut block = Moments {
            count: xs.len() as u64,
            min: first,
            max: first,
            ..Moments::default()
        };
        for lane in 0..LANES {
            block.min = block.min.min(lanes.min[lane]);
            block.max = block.max.max(lanes.max[lane]);
            block.zeros += lanes.zeros[lane];
            block.negatives += lanes.negatives[lane];
            block.add_to_sum(lanes.sum[lane]);
            block.sum_error += lanes.sum_error[lane];
        }
        let n = xs.len() as f64;
        // Equal values deviate by exactly nothing, whatever the rounding of their sum.
        block.mean = if block.min == block.max {
            first
        } else {
            block.sum() / n
        };
        // The second, third and fourth powers of the deviations, one array of lanes each.
        let mut powers = [[0.0; LANES]; 3];
        let mut add = |lane: usize, x: f64| {
            let d = x - block.mean;
            let d2 = d * d;
            powers[0][lane] += d2;
            powers[1][lane] += d2 * d;
            powers[2][lane] += d2 * d2;
        };
        for group in groups {
            for (lane, &x) in group.iter().enumerate() {
                add(lane, x);
            }
        }
        for (lane, &x) in rest.iter().enumerate() {
            add(lane, x);
        }
        let total = |i: usize| powers[i].iter().sum::<f64>();
        (block.m2, block.m3, block.m4) = (total(0), total(1), total(2));
        self.merge(&block);
        Some((block.min, block.max))
    }

    fn add_to_sum(&mut self, x: f64) {
        neumaier(&mut self.sum, &mut self.sum_error, x);
    }

    pub fn merge(&mut self, other: &Moments) {
        self.non_finite += other.non_finite;
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            let non_finite = self.non_finite;
            *self = other.clone();
            self.non_finite = non_finite;
            return;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        let d2 = delta * delta;
        let m2 = self.m2 + other.m2 + d2 * na * nb / n;
        let m3 = self.m3
            + other.m3
            + d2 * delta * na * nb * (na - nb) / (n * n)
            + 3.0 * delta * (na * other.m2 - nb * self.m2) / n;
        let m4 = self.m4
            + other.m4
            + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (n * n * n)
            + 6.0 * d2 * (na * na * other.m2 + nb * nb * self.m2) / (n * n)
            + 4.0 * delta * (na * other.m3 - nb * self.m3) / n;
        self.mean += delta * nb / n;
        self.m2 = m2;
        self.m3 = m3;
        self.m4 = m4;
        self.count += other.count;
        self.zeros += other.zeros;
        self.negatives += other.negatives;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.add_to_sum(other.sum);
        self.sum_error += other.sum_error;
    }

    pub fn sum(&self) -> f64 {
        self.sum + self.sum_error
    }

    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }

    /// Sample variance (n − 1).
    pub fn variance(&self) -> Option<f64> {
        (self.count > 1).then(|| self.m2 / (self.count as f64 - 1.0))
    }

    pub fn std(&self) -> Option<f64> {
        self.variance().map(f64::sqrt)
    }

    /// Adjusted Fisher–Pearson skewness G1; `None` below three values or without spread.
    pub fn skewness(&self) -> Option<f64> {
        let n = self.count as f64;
        if self.count < 3 || self.m2 <= 0.0 {
            return None;
        }
        let g1 = n.sqrt() * self.m3 / self.m2.powf(1.5);
        Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
    }

    /// Excess kurtosis G2 (0 for a normal distribution); `None` below four values or without spread.
    pub fn kurtosis(&self) -> Option<f64> {
        let n = self.count as f64;
        if self.count < 4 || self.m2 <= 0.0 {
            return None;
        }
        let g2 = n * self.m4 / (self.m2 * self.m2) - 3.0;
        Some(((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)))
    }
}

/// Running sums kept side by side by [`Moments::push_finite`].
const LANES: usize = 4;

/// The side-by-side running figures of [`Moments::push_finite`], each an array of one per lane:
/// laid out so, the same step on every lane is one vector instruction.
struct Lanes {
    min: [f64; LANES],
    max: [f64; LANES],
    zeros: [u64; LANES],
    negatives: [u64; LANES],
    sum: [f64; LANES],
    sum_error: [f64; LANES],
}

impl Lanes {
    fn starting_at(first: f64) -> Self {
        Lanes {
            min: [first; LANES],
            max: [first; LANES],
            zeros: [0; LANES],
            negatives: [0; LANES],
            sum: [0.0; LANES],
            sum_error: [0.0; LANES],
        }
    }

    /// Adds finite `x` to lane `lane`: plain compares (no NaN to care about) let the loop use
    /// vector min/max.
    #[inline(always)]
    fn push(&mut self, lane: usize, x: f64) {
        self.min[lane] = if x < self.min[lane] {
            x
        } else {
            self.min[lane]
        };
        self.max[lane] = if x > self.max[lane] {
            x
        } else {
            self.max[lane]
        };
        self.zeros[lane] += u64::from(x == 0.0);
        self.negatives[lane] += u64::from(x < 0.0);
        neumaier(&mut self.sum[lane], &mut self.sum_error[lane], x);
    }
}

/// Adds `x` to `sum`, keeping what rounding lost in `error` (Neumaier's compensated sum).
fn neumaier(sum: &mut f64, error: &mut f64, x: f64) {
    let t = *sum + x;
    *error += if sum.abs() >= x.abs() {
        (*sum - t) + x
    } else {
        (x - t) + *sum
    };
    *sum = t;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(xs: &[f64]) -> Moments {
        let mut m = Moments::default();
        xs.iter().for_each(|&x| m.push(x));
        m
    }

    fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0),
            _ => false,
        }
    }

    #[test]
    fn empty_and_single_values() {
        let m = of(&[]);
        assert_eq!((m.count, m.mean(), m.variance()), (0, None, None));
        let m = of(&[5.0]);
        assert_eq!(
            (m.mean(), m.variance(), m.min(), m.max()),
            (Some(5.0), None, Some(5.0), Some(5.0))
        );
    }

    #[test]
    fn known_values() {
        let m = of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(m.mean(), Some(5.0));
        assert!(close(m.variance(), Some(32.0 / 7.0), 1e-12));
        // pandas: Series([2,4,4,4,5,5,7,9]).skew() / .kurt()
        assert!(close(m.skewness(), Some(0.8184875533567997), 1e-12));
        assert!(close(m.kurtosis(), Some(0.940625), 1e-12));
        assert_eq!((m.zeros, m.negatives), (0, 0));
    }

    #[test]
    fn non_finite_values_are_counted_and_left_out() {
        let m = of(&[1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 3.0]);
        assert_eq!((m.count, m.non_finite, m.mean()), (2, 3, Some(2.0)));
    }

    #[test]
    fn stable_with_a_large_offset() {
        let m = of(&[1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0]);
        assert!(close(m.variance(), Some(30.0), 1e-9));
    }

    proptest! {
        #[test]
        fn merging_two_halves_equals_one_pass(
            xs in prop::collection::vec(-1e6f64..1e6, 0..200),
            cut in 0usize..200,
        ) {
            let cut = cut.min(xs.len());
            let whole = of(&xs);
            let mut left = of(&xs[..cut]);
            left.merge(&of(&xs[cut..]));
            prop_assert_eq!(left.count, whole.count);
            prop_assert_eq!(left.zeros, whole.zeros);
            prop_assert_eq!(left.min(), whole.min());
            prop_assert!(close(left.mean(), whole.mean(), 1e-9));
            prop_assert!(close(left.sum().into(), whole.sum().into(), 1e-9));
            prop_assert!(close(left.variance(), whole.variance(), 1e-7));
            prop_assert!(close(left.skewness(), whole.skewness(), 1e-5));
            prop_assert!(close(left.kurtosis(), whole.kurtosis(), 1e-5));
        }

        #[test]
        fn a_block_equals_one_value_at_a_time(
            xs in prop::collection::vec(prop_oneof![-1e6f64..1e6, Just(0.0), Just(3.5)], 0..300),
        ) {
            let mut block = Moments::default();
            let bounds = block.push_finite(&xs);
            let single = of(&xs);
            prop_assert_eq!(bounds, single.min().zip(single.max()));
            prop_assert_eq!(block.count, single.count);
            prop_assert_eq!((block.zeros, block.negatives), (single.zeros, single.negatives));
            prop_assert_eq!((block.min(), block.max()), (single.min(), single.max()));
            prop_assert_eq!(block.sum(), single.sum());
            // Summed in another order, a mean near zero of large values differs by rounding
            // errors of the values' size, not of the mean's.
            let scale = xs.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            let (a, b) = (block.mean().unwrap_or(0.0), single.mean().unwrap_or(0.0));
            prop_assert_eq!(block.mean().is_some(), single.mean().is_some());
            prop_assert!((a - b).abs() <= 1e-12 * scale, "{} vs {}", a, b);
            prop_assert!(close(block.variance(), single.variance(), 1e-9));
            prop_assert!(close(block.skewness(), single.skewness(), 1e-6));
            prop_assert!(close(block.kurtosis(), single.kurtosis(), 1e-6));
        }

        #[test]
        fn huge_and_tiny_values_stay_finite(xs in prop::collection::vec(prop_oneof![-1e150f64..1e150, -1e-150f64..1e-150], 1..50)) {
            let m = of(&xs);
            prop_assert!(m.mean().is_some_and(f64::is_finite));
            prop_assert!(m.variance().is_none_or(|v| v.is_finite() && v >= 0.0));
        }
    }
}
