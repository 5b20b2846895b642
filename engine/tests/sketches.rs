//! With tiny exact limits the profile falls back to its sketches: their answers must stay within
//! the error the profile states, and repeated runs must agree bit for bit.

use std::path::{Path, PathBuf};

use engine::ingest::infer::classify;
use engine::profile::{profile_path, ColumnProfile, ProfileOptions};

fn generated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated.csv")
}

fn sketch_options() -> ProfileOptions {
    ProfileOptions {
        exact_quantile_limit: 256,
        exact_distinct_limit: 100,
        ..ProfileOptions::default()
    }
}

/// The column's numbers, read independently of the profile.
fn numbers(column: usize) -> Vec<f64> {
    let mut reader = csv::Reader::from_path(generated()).expect("generated.csv opens");
    let mut xs: Vec<f64> = reader
        .records()
        .filter_map(|r| r.ok())
        .filter_map(|r| classify(r.get(column)?).as_number())
        .collect();
    xs.sort_by(f64::total_cmp);
    xs
}

/// numpy's default linear interpolation on sorted values, and the larger magnitude of the two
/// values it interpolates between, which the sketch's relative error applies to.
fn numpy_quantile(sorted: &[f64], p: f64) -> (f64, f64) {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    (a + (h - lo as f64) * (b - a), a.abs().max(b.abs()))
}

/// Past the quantile limit, a column whose distinct values are still counted exactly gets exact
/// quantiles from its counts; any other comes from the sketch, within its stated relative error.
#[test]
fn quantiles_past_the_limit_are_exact_or_within_their_stated_error() {
    let profile = profile_path(&generated(), &sketch_options()).expect("profiles");
    let numeric: Vec<(usize, &ColumnProfile)> = profile
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.column_type.is_numeric())
        .collect();
    assert!(numeric.len() >= 4);
    let mut sketched = 0;
    for (i, c) in numeric {
        let q = c
            .quantiles
            .as_ref()
            .expect("numeric columns have quantiles");
        assert_eq!(q.exact, c.distinct_exact, "{}", c.name);
        let err = match q.error {
            None => 1e-12,
            Some(err) => {
                sketched += 1;
                assert!(err <= 1e-3, "{}: error {err}", c.name);
                err
            }
        };
        let xs = numbers(i);
        for (p, v) in [
            (0.01, q.p1),
            (0.05, q.p5),
            (0.25, q.p25),
            (0.5, q.p50),
            (0.75, q.p75),
            (0.95, q.p95),
            (0.99, q.p99),
        ] {
            let (want, scale) = numpy_quantile(&xs, p);
            assert!(
                (v - want).abs() <= err * scale * (1.0 + 1e-12),
                "{} p{p}: {v}, numpy gives {want}, error {err}",
                c.name
            );
        }
    }
    assert!(
        sketched >= 3,
        "3000 values of many distinct numbers exceed the limit of 256"
    );
}

#[test]
fn estimated_distinct_counts_stay_within_three_standard_errors() {
    let exact = profile_path(&generated(), &ProfileOptions::default()).expect("profiles");
    let sketched = profile_path(&generated(), &sketch_options()).expect("profiles");
    for (e, s) in exact.columns.iter().zip(&sketched.columns) {
        assert!(e.distinct_exact);
        if e.distinct <= 100 {
            assert_eq!(
                (s.distinct, s.distinct_exact),
                (e.distinct, true),
                "{}",
                e.name
            );
            continue;
        }
        let err = s.distinct_error.expect("an estimate states its error");
        let rel = (s.distinct as f64 - e.distinct as f64).abs() / e.distinct as f64;
        assert!(
            !s.distinct_exact && rel <= 3.0 * err,
            "{}: {rel} > 3 × {err}",
            e.name
        );
    }
}

#[test]
fn profiling_twice_gives_identical_results() {
    let a = profile_path(&generated(), &sketch_options()).expect("profiles");
    let b = profile_path(&generated(), &sketch_options()).expect("profiles");
    assert_eq!(a, b);
}
