//! Sums of many floats, kept in four running sums side by side: with one, every addition waits
//! for the one before; four let the processor add in parallel (and the compiler use vector
//! arithmetic). The grouping is fixed by the length of the input alone, so results do not depend
//! on the number of threads.

/// The sum of `f` over `xs`.
pub(crate) fn lanes(xs: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut lanes = [0.0; 4];
    let groups = xs.chunks_exact(4);
    let rest: f64 = groups.remainder().iter().map(|&x| f(x)).sum();
    for group in groups {
        for (lane, &x) in lanes.iter_mut().zip(group) {
            *lane += f(x);
        }
    }
    lanes.iter().sum::<f64>() + rest
}

/// The sum of the products of `xs` and `ys`, pair by pair.
pub(crate) fn dot(xs: &[f64], ys: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let (x_groups, y_groups) = (xs.chunks_exact(4), ys.chunks_exact(4));
    let rest: f64 = x_groups
        .remainder()
        .iter()
        .zip(y_groups.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in x_groups.zip(y_groups) {
        for ((lane, x), y) in lanes.iter_mut().zip(x).zip(y) {
            *lane += x * y;
        }
    }
    lanes.iter().sum::<f64>() + rest
}

/// The sum of the products of `xs`, `ys` and `ws`, row by row.
pub(crate) fn dot3(xs: &[f64], ys: &[f64], ws: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let (x_groups, y_groups, w_groups) =
        (xs.chunks_exact(4), ys.chunks_exact(4), ws.chunks_exact(4));
    let rest: f64 = (x_groups.remainder().iter())
        .zip(y_groups.remainder())
        .zip(w_groups.remainder())
        .map(|((x, y), w)| x * y * w)
        .sum();
    for ((x, y), w) in x_groups.zip(y_groups).zip(w_groups) {
        for (((lane, x), y), w) in lanes.iter_mut().zip(x).zip(y).zip(w) {
            *lane += x * y * w;
        }
    }
    lanes.iter().sum::<f64>() + rest
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lane_sums_are_plain_sums(xs in prop::collection::vec(-1e6f64..1e6, 0..40)) {
            let plain: f64 = xs.iter().sum();
            prop_assert!((lanes(&xs, |x| x) - plain).abs() <= 1e-6);
            let squares: f64 = xs.iter().map(|x| x * x).sum();
            prop_assert!((dot(&xs, &xs) - squares).abs() <= 1e-9 * squares.max(1.0));
            let cubes: f64 = xs.iter().map(|x| x * x * x).sum();
            prop_assert!((dot3(&xs, &xs, &xs) - cubes).abs() <= 1e-9 * xs.iter().map(|x| (x * x * x).abs()).sum::<f64>().max(1.0));
        }
    }
}
