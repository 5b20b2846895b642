//! The profile is the same whatever the number of threads: every chunk is profiled apart and the
//! chunks are merged in file order, so only the chunk size (never the thread count) groups sums.

use std::path::{Path, PathBuf};

use engine::profile::{profile_path, ProfileOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The profile as JSON text: every key, every digit.
fn profile_json(file: &str, opts: &ProfileOptions) -> String {
    let profile = profile_path(&fixture(file), opts).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::to_string(&profile).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn one_two_and_four_threads_give_identical_profiles() {
    let cases = [
        ("generated.csv", Some("city"), Some("day")),
        ("events.jsonl", Some("event"), Some("ts")),
        ("nested.json", None, None),
        ("quoting.csv", None, None),
    ];
    for (file, group_by, time_column) in cases {
        for sketches in [false, true] {
            let mut opts = ProfileOptions {
                group_by: group_by.map(String::from),
                time_column: time_column.map(String::from),
                // Small chunks, so that even the fixtures are split into many.
                chunk_rows: 2,
                chunk_bytes: 16,
                ..ProfileOptions::default()
            };
            if file == "generated.csv" {
                opts.chunk_rows = 97;
                opts.chunk_bytes = 997;
            }
            if sketches {
                opts.exact_quantile_limit = 256;
                opts.exact_distinct_limit = 100;
                opts.spearman_sample = 1_000;
            }
            let one = profile_json(
                file,
                &ProfileOptions {
                    threads: 1,
                    ..opts.clone()
                },
            );
            for threads in [2, 4] {
                let many = profile_json(
                    file,
                    &ProfileOptions {
                        threads,
                        ..opts.clone()
                    },
                );
                assert!(
                    one == many,
                    "{file} (sketches: {sketches}): {threads} threads differ from one"
                );
            }
        }
    }
}

#[test]
fn repeated_runs_on_many_threads_agree() {
    let opts = ProfileOptions {
        threads: 4,
        chunk_rows: 50,
        chunk_bytes: 500,
        group_by: Some("city".into()),
        time_column: Some("day".into()),
        ..ProfileOptions::default()
    };
    let first = profile_json("generated.csv", &opts);
    for _ in 0..5 {
        assert!(profile_json("generated.csv", &opts) == first);
    }
}

#[test]
fn a_file_of_one_chunk_gives_the_same_profile_on_any_thread_count() {
    let opts = ProfileOptions {
        group_by: Some("city".into()),
        time_column: Some("day".into()),
        chunk_rows: 1_000_000,
        chunk_bytes: 1 << 30,
        ..ProfileOptions::default()
    };
    let one = profile_json(
        "generated.csv",
        &ProfileOptions {
            threads: 1,
            ..opts.clone()
        },
    );
    for threads in [2, 4] {
        assert!(
            profile_json(
                "generated.csv",
                &ProfileOptions {
                    threads,
                    ..opts.clone()
                }
            ) == one
        );
    }
}
