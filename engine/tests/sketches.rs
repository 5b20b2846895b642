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

/// Ids, dates and times that go up, so that chunks past the distinct bound hold none of the
/// counted values and skip looking them up, then rows that repeat early values (and one text
/// cell in the last column): the counts of the values first seen must still take in every row.
#[test]
fn values_first_seen_are_counted_in_every_later_row_where_ids_and_times_go_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("ordered.csv");
    let mut csv = String::from("id,day,stamp,code\n");
    let row = |i: u64| {
        let (day, second) = (i % 28 + 1, i % 60);
        let month = i / 28 % 12 + 1;
        let year = 2000 + i / 336;
        format!(
            "{i},{year}-{month:02}-{day:02},{year}-{month:02}-{day:02}T10:00:{second:02}Z,{i}\n"
        )
    };
    (0..5_000).for_each(|i| csv.push_str(&row(i)));
    // Early values again, three times for the first ten, and a code that is text.
    for i in (0..10).chain(0..10).chain(0..10) {
        csv.push_str(&row(i * 7));
    }
    csv.push_str(&row(5_000).replace(",5000\n", ",X5000\n"));
    std::fs::write(&path, &csv).expect("writes");

    // What a single pass counts: the first 100 values of each column and all their rows.
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    for (column, threads) in (0..4).flat_map(|c| [(c, 1), (c, 2)]) {
        let opts = ProfileOptions {
            exact_distinct_limit: 100,
            chunk_bytes: 4 << 10,
            threads,
            ..ProfileOptions::default()
        };
        let profile = profile_path(&path, &opts).expect("profiles");
        let c = &profile.columns[column];
        assert!(!c.distinct_exact, "{} is past the bound", c.name);
        let mut counted: Vec<(&str, u64)> = Vec::new();
        for row in &rows {
            let value = row[column];
            if let Some((_, n)) = counted.iter_mut().find(|(v, _)| *v == value) {
                *n += 1;
            } else if counted.len() < 100 {
                counted.push((value, 1));
            }
        }
        counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let top: Vec<(&str, u64)> = c.top.iter().map(|t| (t.value.as_str(), t.count)).collect();
        assert_eq!(top, counted[..top.len()], "{} on {threads} threads", c.name);
        assert_eq!(top[0].1, 4, "{}: its first value is in four rows", c.name);
    }
}
