//! Counts of values by log-linear bucket (the layout of HDR histograms): every power of two is cut
//! into `2^SUB_BITS` equal buckets, so a value's bucket is its bits shifted, and every value of a
//! bucket lies within [`RELATIVE_ERROR`] of the bucket's midpoint.
//!
//! Counts add exactly, so buckets merged in any grouping or order are the same buckets: a
//! quantile read from them does not depend on how rows were cut into chunks. Adding a value costs
//! a shift and an increment, where a compactor sketch sorts every value at least once.

/// Buckets per power of two.
const SUB_BITS: u32 = 10;
const SUB: usize = 1 << SUB_BITS;
/// The bits below a bucket number: the rest of the mantissa.
const SHIFT: u32 = 52 - SUB_BITS;

/// Half a bucket's width over its lower edge, at most: how far a bucket's midpoint can be from any
/// value in it, relative to the value (for magnitudes of at least `f64::MIN_POSITIVE`, the
/// smallest normal float; smaller ones share buckets of absolute width 2^-1032).
pub const RELATIVE_ERROR: f64 = 1.0 / (2 * SUB) as f64;

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

    pub fn merge(&mut self, other: &LogBuckets) {
        for (ours, theirs) in self.sides.iter_mut().zip(&other.sides) {
            ours.merge(theirs);
        }
    }

    /// Every non-empty bucket in increasing order of value, as its representative value and count.
    /// A bucket's representative is its midpoint, or for `integers` in a bucket narrower than 1 (as
    /// is every integer's below 2048) the one integer inside it: small integers come out exact.
    pub fn in_order(&self, integers: bool) -> impl Iterator<Item = (f64, u64)> + '_ {
        let negative = self.sides[0]
            .ascending()
            .rev()
            .map(move |(b, n)| (-representative(b, integers), n));
        let positive = self.sides[1]
            .ascending()
            .map(move |(b, n)| (representative(b, integers), n));
        negative.chain(positive)
    }
}

/// The value that stands for the magnitudes of `bucket`: 0 for the bucket of zero.
fn representative(bucket: usize, integers: bool) -> f64 {
    if bucket == 0 {
        return 0.0;
    }
    let edge = |b: usize| f64::from_bits((b as u64) << SHIFT);
    let (low, high) = (edge(bucket), edge(bucket + 1));
    if integers && high - low <= 1.0 {
        low.ceil()
    } else {
        low + (high - low) / 2.0
    }
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
        let out: Vec<(f64, u64)> = b.in_order(false).collect();
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
        let values: Vec<f64> = of(&xs).in_order(true).map(|o| o.0).collect();
        let small: Vec<f64> = values.into_iter().filter(|v| v.abs() < 2048.0).collect();
        assert_eq!(small, (-2047..2048).map(f64::from).collect::<Vec<_>>());
    }

    proptest! {
        #[test]
        fn a_value_is_within_the_relative_error_of_its_representative(
            x in prop_oneof![-1e300f64..1e300, -1e-300f64..1e-300, -1e6f64..1e6],
        ) {
            prop_assume!(x.abs() >= f64::MIN_POSITIVE);
            let (rep, count) = of(&[x]).in_order(false).next().unwrap_or((f64::NAN, 0));
            prop_assert_eq!(count, 1);
            prop_assert!((rep - x).abs() <= RELATIVE_ERROR * x.abs(), "{} for {}", rep, x);
        }

        #[test]
        fn integers_below_2048_are_exact_and_larger_ones_within_the_relative_error(
            x in prop_oneof![-1e15f64..1e15, -2048f64..2048.0],
        ) {
            let x = x.trunc();
            let (rep, _) = of(&[x]).in_order(true).next().unwrap_or((f64::NAN, 0));
            if x.abs() < 2048.0 {
                prop_assert_eq!(rep, x);
            } else {
                prop_assert!((rep - x).abs() <= RELATIVE_ERROR * x.abs(), "{} for {}", rep, x);
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
