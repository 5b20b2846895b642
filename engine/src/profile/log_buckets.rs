//! Counts of values by log-linear bucket (the layout of HDR histograms): every power of two is cut
//! into `2^SUB_BITS` equal buckets, so a value's bucket is its bits shifted, and every value of a
//! bucket lies within [`WIDTH`] of any point of the bucket, relative to the value.
//!
//! Counts add exactly, so buckets merged in any grouping or order are the same buckets: a
//! quantile read from them does not depend on how rows were cut into chunks. Adding a value costs
//! a shift and an increment, where a compactor sketch sorts every value at least once.

/// Buckets per power of two.
const SUB_BITS: u32 = 10;
const SUB: usize = 1 << SUB_BITS;
/// The bits below a bucket number: the rest of the mantissa.
const SHIFT: u32 = 52 - SUB_BITS;

/// A bucket's width over its lower edge, at most: how far any point of a bucket can be from a
/// value in it, relative to the value (for magnitudes of at least `f64::MIN_POSITIVE`, the
/// smallest normal float; smaller ones share buckets of absolute width 2^-1032). The midpoint is
/// within half of it.
pub const WIDTH: f64 = 1.0 / SUB as f64;

/// A non-empty bucket: the values from `low` to `high` (signed, `low <= high`) and how many of
/// them were counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub low: f64,
    pub high: f64,
    pub count: u64,
}

impl Bucket {
    /// The estimate of the `k`-th smallest (from 0) of the bucket's values: as if they were
    /// spread evenly across it, so that a run of order statistics in a dense bucket keeps its
    /// spacing; for `integers`, in a bucket narrower than 1, the one integer inside it.
    pub fn value_at(&self, k: u64, integers: bool) -> f64 {
        if let Some(only) = self.only_integer(integers) {
            return only;
        }
        let share = (k as f64 + 0.5) / self.count as f64;
        self.low + share * (self.high - self.low)
    }

    /// The value that stands for the bucket as a whole: its midpoint, or its one integer.
    pub fn representative(&self, integers: bool) -> f64 {
        self.only_integer(integers)
            .unwrap_or(self.low + (self.high - self.low) / 2.0)
    }

    fn only_integer(&self, integers: bool) -> Option<f64> {
        (integers && self.high - self.low <= 1.0).then(|| {
            // An integer's bucket holds no other: the integer closest to zero in it.
            if self.low >= 0.0 {
                self.low.ceil()
            } else {
                self.high.floor()
            }
        })
    }
}

/// Counts of finite values by bucket.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogBuckets {
    /// The magnitudes of negative values (`[0]`) and of positive ones (`[1]`); zeros of either
    /// sign fall in bucket 0, which holds no other normal float.
    sides: [Octaves; 2],
}

/// One side's buckets, a block of `SUB` counts per power of two that has values.
#[derive(Debug, Clone, Default, PartialEq)]
struct Octaves {
    /// The octave (biased exponent) of `blocks[0]`.
    first: usize,
    blocks: Vec<Option<Box<[u64; SUB]>>>,
}

impl Octaves {
    #[inline]
    fn add(&mut self, bucket: usize, n: u64) {
        let (octave, sub) = (bucket >> SUB_BITS, bucket & (SUB - 1));
        match self.blocks.get_mut(octave.wrapping_sub(self.first)) {
            Some(Some(block)) => block[sub] += n,
            _ => self.block_mut(octave)[sub] += n,
        }
    }

    /// The block of `octave`, made (and the list widened to reach it) if there is none yet.
    fn block_mut(&mut self, octave: usize) -> &mut [u64; SUB] {
        if self.blocks.is_empty() {
            self.first = octave;
        } else if octave < self.first {
            let before = self.first - octave;
            self.blocks
                .splice(0..0, std::iter::repeat_with(|| None).take(before));
            self.first = octave;
        }
        let i = octave - self.first;
        if i >= self.blocks.len() {
            self.blocks.resize_with(i + 1, || None);
        }
        self.blocks[i].get_or_insert_with(|| Box::new([0; SUB]))
    }

    fn merge(&mut self, other: &Octaves) {
        for (i, block) in other.blocks.iter().enumerate() {
            if let Some(theirs) = block {
                let ours = self.block_mut(other.first + i);
                for (a, b) in ours.iter_mut().zip(theirs.iter()) {
                    *a += b;
                }
            }
        }
    }

    /// Non-empty buckets by increasing magnitude: (bucket number, count).
    fn ascending(&self) -> impl DoubleEndedIterator<Item = (usize, u64)> + '_ {
        self.blocks.iter().enumerate().flat_map(move |(i, block)| {
            let base = (self.first + i) << SUB_BITS;
            block
                .iter()
                .flat_map(|b| b.iter().enumerate())
                .filter(|(_, &count)| count > 0)
                .map(move |(sub, &count)| (base + sub, count))
        })
    }
}

impl LogBuckets {
    /// Counts `x`, which must be finite (infinities would share the last bucket).
    #[inline]
    pub fn push(&mut self, x: f64) {
        let bits = x.to_bits();
        let positive = (bits >> 63 == 0) as usize;
        // Drop the sign bit, keep the exponent and the top of the mantissa.
        let bucket = ((bits << 1) >> (SHIFT + 1)) as usize;
        self.sides[positive].add(bucket, 1);
    }

    /// Counts every value of `xs`, each finite.
    pub fn extend(&mut self, xs: &[f64]) {
        xs.iter().for_each(|&x| self.push(x));
    }

    pub fn merge(&mut self, other: &LogBuckets) {
        for (ours, theirs) in self.sides.iter_mut().zip(&other.sides) {
            ours.merge(theirs);
        }
    }

    /// Every non-empty bucket in increasing order of value.
    pub fn in_order(&self) -> impl Iterator<Item = Bucket> + '_ {
        let negative = self.sides[0].ascending().rev().map(|(b, n)| {
            let (low, high) = magnitudes(b);
            Bucket {
                low: -high,
                high: -low,
                count: n,
            }
        });
        let positive = self.sides[1].ascending().map(|(b, n)| {
            let (low, high) = magnitudes(b);
            Bucket {
                low,
                high,
                count: n,
            }
        });
        negative.chain(positive)
    }
}

/// The magnitudes bucket number `bucket` holds, from its lower edge up to (not including) its
/// upper one; the bucket of zero stands for zero alone.
fn magnitudes(bucket: usize) -> (f64, f64) {
    if bucket == 0 {
        return (0.0, 0.0);
    }
    let edge = |b: usize| f64::from_bits((b as u64) << SHIFT);
    (edge(bucket), edge(bucket + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(xs: &[f64]) -> LogBuckets {
        let mut b = LogBuckets::default();
        xs.iter().for_each(|&x| b.push(x));
        b
    }

    #[test]
    fn buckets_come_out_in_value_order_with_their_counts() {
        let b = of(&[3.0, -2.0, 0.0, -0.0, 1e300, -1e-300, 3.0, 5e-324]);
        let out: Vec<(f64, u64)> = b
            .in_order()
            .map(|b| (b.representative(false), b.count))
            .collect();
        let values: Vec<f64> = out.iter().map(|o| o.0).collect();
        // -0.0 comes first, in the negative side's bucket of zero.
        assert!(
            values.windows(2).all(|w| w[0] < w[1] || w == [0.0, 0.0]),
            "{values:?}"
        );
        assert_eq!(out.iter().map(|o| o.1).sum::<u64>(), 8);
        // Both zeros and the smallest subnormal share the bucket of zero on the positive side.
        assert!(out.contains(&(0.0, 2)) && out.contains(&(-0.0, 1)));
        assert_eq!(
            out.iter().find(|o| o.0 > 2.9 && o.0 < 3.1).map(|o| o.1),
            Some(2)
        );
    }

    #[test]
    fn small_integers_are_represented_exactly() {
        let xs: Vec<f64> = (-2100..2100).map(f64::from).collect();
        let values: Vec<f64> = of(&xs).in_order().map(|b| b.representative(true)).collect();
        let small: Vec<f64> = values.into_iter().filter(|v| v.abs() < 2048.0).collect();
        assert_eq!(small, (-2047..2048).map(f64::from).collect::<Vec<_>>());
    }

    proptest! {
        #[test]
        fn a_value_is_within_half_a_width_of_its_midpoint_and_inside_its_bucket(
            x in prop_oneof![-1e300f64..1e300, -1e-300f64..1e-300, -1e6f64..1e6],
        ) {
            prop_assume!(x.abs() >= f64::MIN_POSITIVE);
            let bucket = of(&[x]).in_order().next().expect("one bucket");
            prop_assert_eq!(bucket.count, 1);
            let rep = bucket.representative(false);
            prop_assert!((rep - x).abs() <= WIDTH / 2.0 * x.abs(), "{} for {}", rep, x);
            prop_assert!(bucket.low <= x && x <= bucket.high);
            prop_assert!(bucket.high - bucket.low <= WIDTH * x.abs());
        }

        #[test]
        fn integers_below_2048_are_exact_and_larger_ones_within_a_width(
            x in prop_oneof![-1e15f64..1e15, -2048f64..2048.0],
        ) {
            let x = x.trunc();
            let rep = of(&[x]).in_order().next().map_or(f64::NAN, |b| b.value_at(0, true));
            if x.abs() < 2048.0 {
                prop_assert_eq!(rep, x);
            } else {
                prop_assert!((rep - x).abs() <= WIDTH * x.abs(), "{} for {}", rep, x);
            }
        }

        #[test]
        fn merging_in_any_grouping_gives_the_same_buckets(
            xs in prop::collection::vec(prop_oneof![-1e9f64..1e9, -1.0f64..1.0], 0..300),
            cut in 0usize..300,
        ) {
            let cut = cut.min(xs.len());
            let mut right_first = of(&xs[cut..]);
            right_first.merge(&of(&xs[..cut]));
            let mut left_first = of(&xs[..cut]);
            left_first.merge(&of(&xs[cut..]));
            prop_assert_eq!(&left_first, &of(&xs));
            prop_assert_eq!(&right_first, &of(&xs));
        }
    }
}
