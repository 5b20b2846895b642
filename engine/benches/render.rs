//! Render time and size of a ~50-page report from a large synthetic profile, beside headless
//! Chromium printing an HTML page with the same content.
//!
//! `CARGO_BUILD_JOBS=1 cargo bench -p engine --bench render` (set `QUIRE_BENCH_NO_CHROMIUM=1`
//! to skip the browser).

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use engine::profile::*;
use engine::render::spec::{ReportSpec, Section};
use engine::render::{render_pdf, RenderInput};

const COLUMNS: usize = 44;

fn profile() -> Profile {
    let columns: Vec<ColumnProfile> = (0..COLUMNS)
        .map(|i| {
            let mean = 100.0 + i as f64 * 17.25;
            ColumnProfile {
                name: format!("measure_{i:02}"),
                column_type: ColumnType::Float,
                count: 1_000_000,
                missing: i as u64 * 31,
                distinct: 900_000 - i as u64,
                min: Some(Scalar::Number(mean - 50.0)),
                max: Some(Scalar::Number(mean + 50.0)),
                mean: Some(mean),
                std: Some(9.5 + i as f64),
                quantiles: Some(Quantiles {
                    p5: mean - 30.0,
                    p50: mean,
                    p95: mean + 30.0,
                    ..Default::default()
                }),
                histogram: Some(Histogram {
                    edges: (0..=20).map(|k| mean - 50.0 + k as f64 * 5.0).collect(),
                    counts: (0..20u64)
                        .map(|k| 1000 + (k * (20 - k)) * 900 + i as u64)
                        .collect(),
                }),
                ..Default::default()
            }
        })
        .collect();
    let names: Vec<String> = columns.iter().take(12).map(|c| c.name.clone()).collect();
    let matrix: Vec<Vec<Option<f64>>> = (0..12)
        .map(|a| {
            (0..12)
                .map(|b| {
                    Some(if a == b {
                        1.0
                    } else {
                        ((a * 7 + b * 3) % 19) as f64 / 10.0 - 0.9
                    })
                })
                .collect()
        })
        .collect();
    Profile {
        rows: 1_000_000,
        table: TableStats {
            rows: 1_000_000,
            columns: COLUMNS as u64,
            format: "csv".into(),
            ..Default::default()
        },
        columns,
        correlations: Some(Correlations {
            columns: names,
            pearson: matrix.clone(),
            spearman: matrix,
            spearman_sample: None,
        }),
        group_by: Some(GroupBy {
            column: "region".into(),
            measures: vec!["measure_00".into()],
            groups: (0..30)
                .map(|g| Group {
                    key: format!("group {g}"),
                    count: 50_000 - g * 1000,
                    aggregates: vec![Aggregate {
                        sum: 1e6 / (g as f64 + 1.0),
                        ..Default::default()
                    }],
                })
                .collect(),
        }),
        time_series: Some(TimeSeries {
            column: "day".into(),
            period: "day".into(),
            measures: vec![],
            points: (0..365)
                .map(|d| TimePoint {
                    period: format!("2025-day-{d:03}"),
                    count: 2000 + (d * 37 % 400) as u64,
                    sums: vec![],
                })
                .collect(),
            trend: Some(Trend {
                slope: 0.4,
                intercept: 2100.0,
                r2: 0.2,
            }),
        }),
        alerts: vec![],
    }
}

fn input() -> RenderInput {
    let header: Vec<String> = (0..12).map(|i| format!("measure_{i:02}")).collect();
    let rows = (0..100)
        .map(|r| {
            (0..12)
                .map(|c| format!("{:.2}", r as f64 * 1.5 + c as f64))
                .collect()
        })
        .collect();
    RenderInput {
        sample_header: header,
        sample_rows: rows,
        source_name: Some("synthetic.csv".into()),
    }
}

fn spec() -> ReportSpec {
    let mut spec = ReportSpec {
        title: "Benchmark report".into(),
        date: Some("2026-11-22".into()),
        ..ReportSpec::default()
    };
    spec.sections.push(Section::Notes {
        heading: None,
        text: "Synthetic profile of 1,000,000 rows.".into(),
    });
    for section in &mut spec.sections {
        if let Section::Sample { rows } = section {
            *rows = 100;
        }
    }
    spec
}

/// The same content as HTML: the tables as tables, the histograms as inline SVG.
fn html(profile: &Profile, input: &RenderInput) -> String {
    let mut h = String::from("<!doctype html><meta charset=utf-8><style>body{font-family:'DejaVu Sans';font-size:9pt}table{border-collapse:collapse;width:100%}td,th{padding:2px 4px;border-bottom:1px solid #ddd;text-align:right}h1{page-break-before:always}</style><h1>Benchmark report</h1>");
    for c in &profile.columns {
        let _ = write!(h, "<h1>{}</h1><table>", c.name);
        for (k, v) in [
            ("Values", c.count as f64),
            ("Missing", c.missing as f64),
            ("Mean", c.mean.unwrap_or(0.0)),
            ("Std", c.std.unwrap_or(0.0)),
        ] {
            let _ = write!(h, "<tr><th>{k}</th><td>{v:.2}</td></tr>");
        }
        h.push_str("</table><svg width=500 height=150>");
        if let Some(hist) = &c.histogram {
            let max = hist.counts.iter().copied().max().unwrap_or(1) as f64;
            for (i, n) in hist.counts.iter().enumerate() {
                let bar = 140.0 * *n as f64 / max;
                let _ = write!(
                    h,
                    "<rect x={} y={} width=23 height={bar} fill='#1f5f9e'/>",
                    i * 25,
                    140.0 - bar
                );
            }
        }
        h.push_str("</svg>");
    }
    h.push_str("<h1>Data sample</h1><table><tr>");
    for name in &input.sample_header {
        let _ = write!(h, "<th>{name}</th>");
    }
    for row in &input.sample_rows {
        h.push_str("<tr>");
        for cell in row {
            let _ = write!(h, "<td>{cell}</td>");
        }
    }
    h.push_str("</table>");
    h
}

fn chromium(html: &str) -> Option<(Duration, u64)> {
    let dir = std::env::temp_dir().join("quire-render-bench");
    std::fs::create_dir_all(&dir).ok()?;
    let page = dir.join("report.html");
    let out = dir.join("chromium.pdf");
    std::fs::write(&page, html).ok()?;
    let start = Instant::now();
    let status = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .ok()?;
    let took = start.elapsed();
    status
        .status
        .success()
        .then(|| (took, std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0)))
}

/// The same profile with its column names in right-to-left scripts, Hangul, emoji and rare
/// CJK, which take the shaping and fallback-font paths.
fn world(mut profile: Profile, mut input: RenderInput) -> (Profile, RenderInput) {
    const NAMES: [&str; 5] = ["الإيرادات", "הכנסות", "매출", "mood 🚀", "臺灣 峠"];
    for (i, column) in profile.columns.iter_mut().enumerate() {
        column.name = format!("{} {i:02}", NAMES[i % NAMES.len()]);
    }
    for (i, name) in input.sample_header.iter_mut().enumerate() {
        *name = format!("{} {i:02}", NAMES[i % NAMES.len()]);
    }
    (profile, input)
}

/// Renders 15 times after a first render; returns the median and the first PDF.
fn measure(label: &str, profile: &Profile, spec: &ReportSpec, input: &RenderInput) -> Duration {
    let start = Instant::now();
    let first = render_pdf(profile, spec, input).expect("renders");
    let first_time = start.elapsed();
    let page_count = first
        .windows(b"/Type /Page\n".len())
        .filter(|w| *w == b"/Type /Page\n")
        .count();
    let mut times: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            let pdf = render_pdf(profile, spec, input).expect("renders");
            assert_eq!(pdf, first, "output is reproducible");
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let path = std::env::temp_dir().join(format!("quire-render-bench{label}.pdf"));
    std::fs::write(&path, &first).expect("write");
    println!(
        "quire render{label}: median {:.1} ms over {} runs (first in process {:.1} ms), {} bytes ({} /Page markers; see pdfinfo {})",
        median.as_secs_f64() * 1e3,
        times.len(),
        first_time.as_secs_f64() * 1e3,
        first.len(),
        page_count,
        path.display()
    );
    median
}

fn main() {
    let (profile, spec, input) = (profile(), spec(), input());
    let median = measure("", &profile, &spec, &input);
    let (world_profile, world_input) = world(profile.clone(), input.clone());
    measure("-world", &world_profile, &spec, &world_input);
    if std::env::var_os("QUIRE_BENCH_NO_CHROMIUM").is_some() {
        return;
    }
    let page = html(&profile, &input);
    let runs: Vec<(Duration, u64)> = (0..3).filter_map(|_| chromium(&page)).collect();
    match runs.iter().map(|r| r.0).min() {
        Some(best) => println!(
            "chromium --headless --print-to-pdf: best {:.0} ms of {} runs, {} bytes; quire is {:.0}x faster",
            best.as_secs_f64() * 1e3, runs.len(), runs[0].1,
            best.as_secs_f64() / median.as_secs_f64()
        ),
        None => println!("chromium did not run"),
    }
}
