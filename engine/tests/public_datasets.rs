//! Profiles files no one here wrote, named in `QUIRE_PUBLIC_DATA` (paths separated by `:`), and
//! prints each profile as JSON for checking against pandas by hand:
//!
//! `QUIRE_PUBLIC_DATA=a.csv:b.json cargo test -p engine --test public_datasets -- --ignored --nocapture`
//!
//! then, for each file, `python3 engine/tests/compare_pandas.py a.csv $TMPDIR/quire-a.csv.json`
//! compares the figures with pandas' (results and the files used: docs/BENCHMARKS.md).

use std::path::Path;

use engine::profile::{format_table, profile_path, ProfileOptions};

#[test]
#[ignore = "needs QUIRE_PUBLIC_DATA"]
fn public_datasets_profile_without_error() {
    let Ok(paths) = std::env::var("QUIRE_PUBLIC_DATA") else {
        return;
    };
    for path in paths.split(':').filter(|p| !p.is_empty()) {
        let profile = profile_path(Path::new(path), &ProfileOptions::default())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        println!("== {path}\n{}", format_table(&profile));
        let json = serde_json::to_string(&profile).unwrap_or_default();
        let out = std::env::temp_dir().join(format!(
            "quire-{}.json",
            Path::new(path)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("profile")
        ));
        std::fs::write(&out, json).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}
