//! Equal-width histograms, with Sturges' number of bins (fewer for narrow integer ranges).

use crate::profile::model::Histogram;

const MAX_BINS: usize = 50;

/// The number of bins for `n` values between `min` and `max`.
pub fn bin_count(n: u64, min: f64, max: f64, integer: bool) -> usize {
    let sturges = (n.max(1) as f64).log2().ceil() as usize + 1;
    let mut bins = sturges.clamp(1, MAX_BINS);
    if integer {
        // One bin per integer when the range is narrow, so no bin straddles two values.
        let range = (max - min).max(0.0) + 1.0;
        if range < bins as f64 {
            bins = range as usize;
        }
    }
    if max <= min {
        bins = 1;
    }
    bins.max(1)
}

/// Histogram of weighted, finite values; `None` when there are none.
pub fn histogram(values: &[(f64, u64)], integer: bool) -> Option<Histogram> {
    let finite = values.iter().filter(|v| v.0.is_finite());
    let (mut min, mut max, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0u64);
    for &(x, w) in finite.clone() {
        min = min.min(x);
        max = max.max(x);
        n += w;
    }
    if n == 0 {
        return None;
    }
    let bins = bin_count(n, min, max, integer);
    let width = (max - min) / bins as f64;
    let mut counts = vec![0u64; bins];
    for &(x, w) in finite {
        let i = if width > 0.0 {
            (((x - min) / width) as usize).min(bins - 1)
        } else {
            0
        };
        counts[i] += w;
    }
    let mut edges: Vec<f64> = (0..bins).map(|i| min + i as f64 * width).collect();
    edges.push(max);
    Some(Histogram { edges, counts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_max_lands_in_the_last_bin() {
        let values: Vec<(f64, u64)> = (0..100).map(|i| (i as f64 / 7.0, 1)).collect();
        let h = histogram(&values, false).expect("values");
        assert_eq!(h.edges.len(), h.counts.len() + 1);
        assert_eq!(h.counts.iter().sum::<u64>(), 100);
        assert_eq!(h.counts.len(), 8);
        assert_eq!(h.edges.last(), Some(&(99.0 / 7.0)));
    }

    #[test]
    fn narrow_integers_get_one_bin_each_and_constants_one_bin() {
        let values: Vec<(f64, u64)> = (0..1000).map(|i| ((i % 3) as f64, 1)).collect();
        assert_eq!(
            histogram(&values, true).map(|h| h.counts),
            Some(vec![334, 333, 333])
        );
        assert_eq!(
            histogram(&[(5.0, 4)], false).map(|h| h.counts),
            Some(vec![4])
        );
        assert_eq!(histogram(&[], false), None);
        assert_eq!(histogram(&[(f64::NAN, 1)], false), None);
    }
}
