//! Merging chunks' value counts into the whole table's, in file order, for a column whose values
//! are all different (ids, measurements): the work done before the table reaches its bound of
//! exactly counted values. Chunks are counted as `ColumnAcc::push_column` counts them (by
//! `ValueCounts::push_batch`, sized after their first 1024 values). Prints nanoseconds per value
//! for each side, best of `DISTINCT_MERGE_RUNS` (default 15).
//!
//!     cargo bench -p engine --bench distinct_merge

use std::time::{Duration, Instant};

use engine::profile::distinct::{NumberKey, OrderSpan, ValueCounts};

const CHUNK_VALUES: usize = 8_000;
const CHUNKS: usize = 16;
const BOUND: usize = 100_000;

fn count_chunk(chunk: &[(String, f64)], mut counts: ValueCounts) -> ValueCounts {
    let texts: Vec<&str> = chunk.iter().map(|(text, _)| text.as_str()).collect();
    let hashes: Vec<u64> = chunk
        .iter()
        .map(|(_, x)| ValueCounts::hash_of_number(NumberKey::of_float(*x)))
        .collect();
    let mut span = OrderSpan::default();
    chunk
        .iter()
        .for_each(|(_, x)| span.include(NumberKey::of_float(*x).order()));
    counts.push_batch(&texts, &hashes, span);
    counts
}

/// Best times to count the chunks and to merge them, over `runs`.
fn measure(values: &[(String, f64)], runs: usize) -> (Duration, Duration) {
    let (mut build, mut merge) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        let started = Instant::now();
        let chunks: Vec<ValueCounts> = values
            .chunks(CHUNK_VALUES)
            .map(|chunk| count_chunk(chunk, ValueCounts::new(usize::MAX)))
            .collect();
        let built = Instant::now();
        let mut whole = ValueCounts::new(BOUND);
        chunks.into_iter().for_each(|c| whole.merge_owned(c));
        let merged = Instant::now();
        build = build.min(built - started);
        merge = merge.min(merged - built);
        assert!(!whole.is_exact(), "the bound is passed");
    }
    (build, merge)
}

fn main() {
    let runs: usize = std::env::var("DISTINCT_MERGE_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    // Six decimals, as a measurement column: 128 000 values, past the bound of 100 000.
    let values: Vec<(String, f64)> = (0..CHUNK_VALUES * CHUNKS)
        .map(|i| {
            let x = (i * 7919 % 1000) as f64 + i as f64 * 1e-6;
            (format!("{x:.6}"), x)
        })
        .collect();
    let per_value = |d: Duration| d.as_nanos() as f64 / values.len() as f64;
    println!(
        "{} values in {CHUNKS} chunks, bound {BOUND}, best of {runs}:",
        values.len()
    );
    let (build, merge) = measure(&values, runs);
    println!(
        "counting the chunks {:.1} ns/value, merging them {:.1} ns/value",
        per_value(build),
        per_value(merge)
    );
}
