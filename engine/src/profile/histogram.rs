//! Histograms with Sturges' number of bins: equal-width bins, or, for values on a regular grid
//! (whole numbers, prices in cents, ratings in halves), bins of equally many grid points.

use std::collections::HashSet;

use crate::profile::distinct::OneShotBuild;
use crate::profile::model::Histogram;

const MAX_BINS: usize = 50;

/// Grids of more points than this are binned by width: with many points per bin, one more or
/// less no longer shows.
const MAX_GRID_POINTS: usize = 1000;

/// Sturges' number of bins for `n` values.
fn sturges(n: u64) -> usize {
    let bins = (n.max(1) as f64).log2().ceil() as usize + 1;
    bins.clamp(1, MAX_BINS)
}

/// Histogram of weighted values (infinities and NaN left out); `None` when there are none.
pub fn histogram(values: &[(f64, u64)]) -> Option<Histogram> {
    let finite: Vec<(f64, u64)> = values.iter().copied().filter(|v| v.0.is_finite()).collect();
    let (mut min, mut max, mut n) = (f64::INFINITY, f64::NEG_INFINITY, 0u64);
    for &(x, w) in &finite {
        min = min.min(x);
        max = max.max(x);
        n += w;
    }
    if n == 0 {
        return None;
    }
    if let Some(step) = grid_step(&finite, min) {
        return Some(grid_bins(&finite, (min, max), step, sturges(n)));
    }
    let bins = if max > min { sturges(n) } else { 1 };
    let width = (max - min) / bins as f64;
    let mut counts = vec![0u64; bins];
    for &(x, w) in &finite {
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

/// The spacing of a regular grid of at most [`MAX_GRID_POINTS`] points from `min` that holds
/// every value: the smallest gap between two values, of which every value's distance to `min`
/// is a whole multiple (to a millionth of a step, for decimals that binary floats only
/// approach).
fn grid_step(values: &[(f64, u64)], min: f64) -> Option<f64> {
    // Gathered until there are too many, so that a column of measurements is not sorted for
    // nothing (`+ 0.0` makes -0 and 0 one value).
    let mut seen: HashSet<u64, OneShotBuild> = HashSet::default();
    for &(x, _) in values {
        seen.insert((x + 0.0).to_bits());
        if seen.len() > MAX_GRID_POINTS {
            return None;
        }
    }
    let mut distinct: Vec<f64> = seen.into_iter().map(f64::from_bits).collect();
    distinct.sort_unstable_by(f64::total_cmp);
    let step = distinct
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let last = *distinct.last()?;
    if !(step > 0.0 && step.is_finite()) || (last - min) / step >= MAX_GRID_POINTS as f64 {
        return None;
    }
    let on_grid = |x: f64| {
        let i = (x - min) / step;
        (i - i.round()).abs() <= 1e-6
    };
    distinct.iter().all(|&x| on_grid(x)).then_some(step)
}

/// Bins of `per_bin` consecutive grid points each (the last may hold fewer), as few per bin as
/// keeps to `wanted` bins. Inner edges lie halfway between the last point of a bin and the first
/// of the next; the outer ones are the minimum and maximum.
fn grid_bins(values: &[(f64, u64)], (min, max): (f64, f64), step: f64, wanted: usize) -> Histogram {
    let index = |x: f64| ((x - min) / step).round() as usize;
    let points = index(max) + 1;
    let per_bin = points.div_ceil(wanted);
    let bins = points.div_ceil(per_bin);
    let mut counts = vec![0u64; bins];
    for &(x, w) in values {
        counts[(index(x) / per_bin).min(bins - 1)] += w;
    }
    let mut edges = vec![min];
    edges.extend((1..bins).map(|j| min + ((j * per_bin) as f64 - 0.5) * step));
    edges.push(max);
    Histogram { edges, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_max_lands_in_the_last_bin() {
        let values: Vec<(f64, u64)> = (0..100).map(|i| (i as f64 / 7.0, 1)).collect();
        let h = histogram(&values).expect("values");
        assert_eq!(h.edges.len(), h.counts.len() + 1);
        assert_eq!(h.counts.iter().sum::<u64>(), 100);
        assert_eq!(h.counts.len(), 8);
        assert_eq!(h.edges.last(), Some(&(99.0 / 7.0)));
        // Sevenths are a grid of 100 points: 13 to a bin, the last bin the rest.
        assert_eq!(h.counts, vec![13, 13, 13, 13, 13, 13, 13, 9]);
    }

    #[test]
    fn values_off_any_grid_get_equal_width_bins() {
        let values: Vec<(f64, u64)> = (0..100).map(|i| ((i as f64).sqrt(), 1)).collect();
        let h = histogram(&values).expect("values");
        assert_eq!(h.counts.len(), 8);
        assert_eq!(h.counts.iter().sum::<u64>(), 100);
        let width = 99f64.sqrt() / 8.0;
        assert!((h.edges[1] - width).abs() < 1e-12, "{:?}", h.edges);
    }

    #[test]
    fn grid_values_share_bins_evenly_instead_of_alternating() {
        // Cents from 0.00 to 0.50, a million values: 51 points, 21 bins wanted (equal widths
        // would hold 2 or 3 points each), 3 points to a bin.
        let values: Vec<(f64, u64)> = (0..=50)
            .map(|c| (format!("0.{c:02}").parse().unwrap_or(f64::NAN), 20_000))
            .collect();
        let h = histogram(&values).expect("values");
        assert_eq!(h.counts, vec![60_000; 17]);
        assert_eq!((h.edges[0], h.edges[17]), (0.0, 0.5));
        assert!((h.edges[1] - 0.025).abs() < 1e-12, "{:?}", h.edges);
        // Ratings in halves: one bin each, where 10 equal-width bins would leave one empty.
        let ratings: Vec<(f64, u64)> = (2..=10).map(|h| (f64::from(h) / 2.0, 50)).collect();
        assert_eq!(histogram(&ratings).map(|h| h.counts), Some(vec![50; 9]));
    }

    #[test]
    fn narrow_integers_get_one_bin_each_and_constants_one_bin() {
        let values: Vec<(f64, u64)> = (0..1000).map(|i| ((i % 3) as f64, 1)).collect();
        assert_eq!(
            histogram(&values).map(|h| h.counts),
            Some(vec![334, 333, 333])
        );
        assert_eq!(histogram(&[(5.0, 4)]).map(|h| h.counts), Some(vec![4]));
        assert_eq!(histogram(&[]), None);
        assert_eq!(histogram(&[(f64::NAN, 1)]), None);
    }
}
