//! Profile speed and memory on generated CSV files.
//!
//! `cargo bench -p engine --bench profile -- [ROWS ...]` (default 10000 1000000) writes
//! `target/bench-data/profile-ROWS.csv` once (deterministic: the same bytes on every machine),
//! profiles it with the default options plus a group-by and a time series, and prints wall time,
//! MB/s and the process's peak RSS. Run one size per process for a clean peak RSS.
//!
//! - `PROFILE_BENCH_THREADS=N`: profiling threads (default: every core);
//! - `PROFILE_BENCH_NO_SPEARMAN=1`: leave Spearman out;
//! - `PROFILE_BENCH_CHUNK_ROWS=N`: `ProfileOptions::chunk_rows`;
//! - `PROFILE_BENCH_CHUNK_BYTES=N`: `ProfileOptions::chunk_bytes`;
//! - `PROFILE_BENCH_DISTINCT_LIMIT=N`: `ProfileOptions::exact_distinct_limit`;
//! - `PROFILE_BENCH_RUNS=N`: profile N times, report the best wall time and list them all;
//! - `PROFILE_BENCH_CHECK_THREADS=1`: also profile on one thread and say if the JSON is identical;
//! - `PROFILE_BENCH_JSON=PATH`: write the last profile's JSON there, to compare two builds.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use engine::ingest::infer::classify;
use engine::ingest::{read_rows, Format, IngestOptions, RowSink};
use engine::profile::{profile_path, ProfileOptions};

/// Classifies every cell and nothing more: the floor under the full profile.
struct ClassifyOnly(u64);

impl RowSink for ClassifyOnly {
    fn row(&mut self, _header: &[String], values: &[Option<&str>]) {
        for v in values.iter().flatten() {
            self.0 += classify(v).kind().map_or(0, |k| k as u64);
        }
    }
}

/// SplitMix64: a tiny, well-known deterministic generator, so the data never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-300), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const WORDS: [&str; 8] = [
    "alpha",
    "naïve, café",
    "Zürich",
    "日本語",
    "plain words",
    "Łódź",
    "x, y",
    "déjà vu",
];

fn generate(path: &Path, rows: u64) -> std::io::Result<()> {
    let mut rng = Rng(rows);
    let mut out = BufWriter::new(File::create(path)?);
    writeln!(
        out,
        "id,ts,category,product,normal,lognormal,uniform,exponential,bimodal,quantity,discount,comment"
    )?;
    for id in 0..rows {
        let ts = 1_700_000_000 + id * 30 + rng.next() % 30;
        let secs = ts % 86_400;
        let day = ts / 86_400;
        let (y, m, d) = civil(day as i64);
        let discount = if rng.unit() < 0.05 {
            String::new()
        } else {
            format!("{:.2}", rng.unit() * 0.5)
        };
        let comment = format!(
            "{} {} {}",
            WORDS[(rng.next() % 8) as usize],
            WORDS[(rng.next() % 8) as usize],
            id % 97
        );
        writeln!(
            out,
            "{id},{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z,cat{},prod{},{:.6},{:.6},{:.6},{:.6},{:.6},{},{discount},\"{comment}\"",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            rng.next() % 10,
            rng.next() % 1000,
            100.0 + 15.0 * rng.normal(),
            rng.normal().exp(),
            rng.unit() * 1000.0,
            -rng.unit().max(1e-300).ln() * 3.0,
            if rng.unit() < 0.5 { -5.0 } else { 5.0 } + rng.normal(),
            1 + rng.next() % 20,
        )?;
    }
    out.flush()
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The number in environment variable `name`, or `default` when it is unset or not a number.
fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let sizes: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 1_000_000]
    } else {
        sizes
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let defaults = ProfileOptions::default();
    let threads = env_or("PROFILE_BENCH_THREADS", defaults.threads);
    let chunk_rows = env_or("PROFILE_BENCH_CHUNK_ROWS", defaults.chunk_rows);
    let chunk_bytes = env_or("PROFILE_BENCH_CHUNK_BYTES", defaults.chunk_bytes);
    let exact_distinct_limit = env_or(
        "PROFILE_BENCH_DISTINCT_LIMIT",
        defaults.exact_distinct_limit,
    );
    let opts = ProfileOptions {
        exact_distinct_limit,
        group_by: Some("category".into()),
        time_column: Some("ts".into()),
        threads,
        chunk_rows,
        chunk_bytes,
        // The speed target leaves Spearman out; the default figure keeps it in.
        spearman_sample: if std::env::var_os("PROFILE_BENCH_NO_SPEARMAN").is_some() {
            0
        } else {
            defaults.spearman_sample
        },
        ..defaults
    };
    let runs = env_or("PROFILE_BENCH_RUNS", 1).max(1);
    println!(
        "threads: {threads}, chunks of {chunk_rows} rows, Spearman sample {} rows, best of {runs} run(s)",
        opts.spearman_sample
    );
    println!("| rows | file MB | wall s | MB/s | peak RSS MiB |");
    println!("|---:|---:|---:|---:|---:|");
    for rows in sizes {
        let path = dir.join(format!("profile-{rows}.csv"));
        if !path.exists() {
            if let Err(e) = generate(&path, rows) {
                eprintln!("cannot write {}: {e}", path.display());
                return;
            }
        }
        let mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6);
        if std::env::var_os("PROFILE_BENCH_PARSE_ONLY").is_some() {
            let start = Instant::now();
            let mut sink = ClassifyOnly(0);
            let file = File::open(&path).map(|f| std::io::BufReader::with_capacity(1 << 20, f));
            let ok = file.map(|f| read_rows(f, Format::Csv, &IngestOptions::default(), &mut sink));
            let secs = start.elapsed().as_secs_f64();
            println!(
                "parse+classify only: {secs:.3} s ({:.1} MB/s) {:?}",
                mb / secs,
                ok.is_ok()
            );
        }
        // On a shared machine one run says little: the best of several is the least disturbed.
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let start = Instant::now();
            let result = profile_path(&path, &opts);
            times.push(start.elapsed().as_secs_f64());
            match result {
                Ok(p) => {
                    assert_eq!(p.rows, rows);
                    last = Some(p);
                }
                Err(e) => {
                    eprintln!("profile failed: {e}");
                    return;
                }
            }
        }
        if std::env::var_os("PROFILE_BENCH_CHECK_THREADS").is_some() {
            // The same file on one thread must give the same profile, to the last digit.
            let one = ProfileOptions {
                threads: 1,
                ..opts.clone()
            };
            let json = |p: &Option<engine::profile::Profile>| serde_json::to_string(p).ok();
            let same = json(&profile_path(&path, &one).ok()) == json(&last);
            println!("identical to the profile on 1 thread: {same}");
        }
        if let Some(out) = std::env::var_os("PROFILE_BENCH_JSON") {
            let written = serde_json::to_vec_pretty(&last)
                .map_err(std::io::Error::other)
                .and_then(|json| std::fs::write(&out, json));
            if let Err(e) = written {
                eprintln!("cannot write the profile's JSON: {e}");
            }
        }
        times.sort_by(f64::total_cmp);
        let secs = times[0];
        println!(
            "| {rows} | {mb:.1} | {secs:.3} | {:.1} | {:.0} |",
            mb / secs,
            peak_rss_mib().unwrap_or(f64::NAN)
        );
        if runs > 1 {
            let all: Vec<String> = times.iter().map(|t| format!("{t:.3}")).collect();
            println!("runs (s, sorted): {}", all.join(" "));
        }
    }
}
