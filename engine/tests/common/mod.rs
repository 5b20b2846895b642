//! A handwritten profile and spec for the render tests, and the poppler tools they use.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use engine::profile::*;
use engine::render::spec::{Logo, ReportSpec, Section};
use engine::render::RenderInput;

pub fn numeric(name: &str, mean: f64) -> ColumnProfile {
    ColumnProfile {
        name: name.into(),
        column_type: ColumnType::Float,
        count: 1000,
        missing: 12,
        distinct: 950,
        distinct_exact: true,
        min: Some(Scalar::Number(mean - 40.0)),
        max: Some(Scalar::Number(mean + 55.5)),
        mean: Some(mean),
        std: Some(12.345),
        sum: Some(mean * 1000.0),
        quantiles: Some(Quantiles {
            p1: 1.0,
            p5: mean - 20.0,
            p25: 3.0,
            p50: mean,
            p75: 5.0,
            p95: mean + 20.0,
            p99: 7.0,
            exact: true,
            error: None,
        }),
        histogram: Some(Histogram {
            edges: (0..=12).map(|i| mean - 40.0 + f64::from(i) * 8.0).collect(),
            counts: vec![3, 10, 30, 70, 120, 180, 200, 170, 110, 60, 30, 17],
        }),
        ..Default::default()
    }
}

pub fn text(name: &str, values: &[&str]) -> ColumnProfile {
    ColumnProfile {
        name: name.into(),
        column_type: ColumnType::Text,
        count: 1000,
        distinct: values.len() as u64,
        distinct_exact: true,
        min: Some(Scalar::Text(values.first().copied().unwrap_or("").into())),
        max: Some(Scalar::Text(values.last().copied().unwrap_or("").into())),
        top: values
            .iter()
            .enumerate()
            .map(|(i, v)| TopValue {
                value: (*v).into(),
                count: 400 / (i as u64 + 1),
            })
            .collect(),
        ..Default::default()
    }
}

pub fn profile() -> Profile {
    let columns = vec![
        numeric("revenue", 1234.5),
        numeric("Выручка", 56.25),
        text("城市", &["北京", "上海", "广州", "南京"]),
        text("region", &["North", "South", "East", "West", "Ωmega"]),
    ];
    let names = vec![
        "revenue".to_string(),
        "Выручка".to_string(),
        "score".to_string(),
    ];
    Profile {
        rows: 1_000_000,
        table: TableStats {
            rows: 1_000_000,
            columns: 4,
            duplicate_rows: 3,
            bytes: 48_000_000,
            types: BTreeMap::new(),
            format: "csv".into(),
            encoding: Some("UTF-8".into()),
            ..Default::default()
        },
        columns,
        correlations: Some(Correlations {
            columns: names,
            pearson: vec![
                vec![Some(1.0), Some(0.82), Some(-0.4)],
                vec![Some(0.82), Some(1.0), None],
                vec![Some(-0.4), None, Some(1.0)],
            ],
            spearman: vec![
                vec![Some(1.0), Some(0.7), Some(-0.3)],
                vec![Some(0.7), Some(1.0), Some(0.1)],
                vec![Some(-0.3), Some(0.1), Some(1.0)],
            ],
            spearman_sample: None,
        }),
        group_by: Some(GroupBy {
            column: "region".into(),
            measures: vec!["revenue".into()],
            groups: ["North", "South", "East", "West"]
                .iter()
                .enumerate()
                .map(|(i, k)| Group {
                    key: (*k).into(),
                    count: 400 - 50 * i as u64,
                    aggregates: vec![Aggregate {
                        sum: 12345.678 * (i as f64 + 1.0),
                        mean: None,
                        min: None,
                        max: None,
                    }],
                })
                .collect(),
        }),
        time_series: Some(TimeSeries {
            column: "order_date".into(),
            period: "month".into(),
            measures: vec![],
            points: (0..24)
                .map(|i| TimePoint {
                    period: format!("20{:02}-{:02}-01", 24 + i / 12, i % 12 + 1),
                    count: 100 + (i * 7 % 23) as u64 + i as u64 * 3,
                    sums: vec![],
                })
                .collect(),
            trend: Some(Trend {
                slope: 3.1,
                intercept: 105.0,
                r2: 0.61,
            }),
        }),
        alerts: vec![Alert {
            kind: "high_missing".into(),
            column: Some("Выручка".into()),
            message: "Выручка has 1.2 % missing values".into(),
        }],
    }
}

pub fn spec() -> ReportSpec {
    ReportSpec {
        title: "Quarterly sales".into(),
        subtitle: Some("Profile of orders.csv".into()),
        author: Some("Ada Lovelace".into()),
        date: Some("2026-11-22".into()),
        sections: vec![
            Section::Cover,
            Section::TableOfContents,
            Section::Summary,
            Section::Columns { only: vec![] },
            Section::Correlations {
                method: Default::default(),
            },
            Section::GroupBy,
            Section::TimeSeries,
            Section::Sample { rows: 50 },
            Section::Notes {
                heading: Some("Remarks".into()),
                text: "Revenue grew **strongly** in the north.\n\n- first point\n- second point"
                    .into(),
            },
        ],
        ..ReportSpec::default()
    }
}

pub fn input() -> RenderInput {
    let header: Vec<String> = [
        "id",
        "revenue",
        "Выручка",
        "城市",
        "region",
        "note",
        "extra_a",
        "extra_b",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = (0..80)
        .map(|i| {
            vec![
                i.to_string(),
                format!("{:.2}", 1000.0 + f64::from(i) * 3.5),
                "12,5".into(),
                "北京".into(),
                "North".into(),
                format!("row note {i}"),
                "a".into(),
                "b".into(),
            ]
        })
        .collect();
    RenderInput {
        sample_header: header,
        sample_rows: rows,
        source_name: Some("orders.csv".into()),
    }
}

pub fn logo() -> Logo {
    Logo {
        bytes: std::fs::read(fixture("logo.png")).expect("logo fixture"),
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/render")
        .join(name)
}

/// Runs a poppler tool; a missing tool fails the test with the reason, never skips it.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed by the render tests (apt-get install poppler-utils): {e}")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn write_temp(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    (dir, path)
}

/// Names and values in the scripts users complained about: Arabic, Hebrew, Hangul, emoji.
pub const WORLD_TEXT: [&str; 8] = [
    "الإيرادات",
    "القاهرة",
    "הכנסות",
    "תל אביב",
    "매출",
    "서울특별시",
    "🚀",
    "😀👍",
];

/// Hanzi, kanji and hanja outside the committed CJK subset (traditional, Japanese-only,
/// and one beyond the Basic Multilingual Plane), drawn from the full Noto Sans CJK font.
pub const RARE_CJK: &str = "臺灣 峠 鬱 𠮷";

/// A profile whose column names and values are in every script of [`WORLD_TEXT`], with a
/// group-by over eight measures and a correlation matrix of twenty columns.
pub fn world_profile() -> Profile {
    let mut profile = profile();
    let measures: Vec<String> = (0..8).map(|i| format!("measure_{i}")).collect();
    profile.columns = vec![
        numeric(WORLD_TEXT[0], 310.0),
        text(WORLD_TEXT[2], &[WORLD_TEXT[3], "חיפה", "ירושלים"]),
        text(WORLD_TEXT[4], &[WORLD_TEXT[5], "부산", "인천"]),
        text("city", &[WORLD_TEXT[1], "الإسكندرية (مصر)", "Zürich"]),
        text("mood 🚀", &[WORLD_TEXT[6], WORLD_TEXT[7], "ok"]),
    ];
    if let Some(g) = &mut profile.group_by {
        g.column = WORLD_TEXT[4].into();
        g.measures = measures.clone();
        for (i, group) in g.groups.iter_mut().enumerate() {
            group.key = [WORLD_TEXT[5], WORLD_TEXT[1], WORLD_TEXT[3], "Zürich"][i % 4].into();
            group.aggregates = (0..8)
                .map(|m| Aggregate {
                    sum: 1000.0 * (m as f64 + 1.0) + i as f64,
                    mean: None,
                    min: None,
                    max: None,
                })
                .collect();
        }
    }
    let n = 20;
    let names: Vec<String> = (0..n).map(|i| format!("c{i:02}")).collect();
    let matrix: Vec<Vec<Option<f64>>> = (0..n)
        .map(|a| {
            (0..n)
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
    profile.correlations = Some(Correlations {
        columns: names,
        pearson: matrix.clone(),
        spearman: matrix,
        spearman_sample: None,
    });
    profile.alerts.clear();
    profile
}

pub fn world_input() -> RenderInput {
    RenderInput {
        sample_header: vec![
            WORLD_TEXT[0].into(),
            WORLD_TEXT[2].into(),
            WORLD_TEXT[4].into(),
            "mood 🚀".into(),
        ],
        sample_rows: (0..5)
            .map(|i| {
                vec![
                    format!("{}.5", 100 + i),
                    WORLD_TEXT[3].into(),
                    WORLD_TEXT[5].into(),
                    WORLD_TEXT[6 + i % 2].into(),
                ]
            })
            .collect(),
        source_name: Some("مبيعات.csv".into()),
    }
}

pub fn world_spec() -> ReportSpec {
    ReportSpec {
        title: "تقرير المبيعات 2026 — 매출".into(),
        logo: Some(logo()),
        sections: vec![
            Section::Cover,
            Section::Summary,
            Section::Columns { only: vec![] },
            Section::Correlations {
                method: Default::default(),
            },
            Section::GroupBy,
            Section::Sample { rows: 5 },
            Section::Notes {
                heading: Some("ملاحظات".into()),
                text: "نمت الإيرادات في **القاهرة** بقوة. הכנסות גדלו בתל אביב. 서울 매출 증가 🚀"
                    .into(),
            },
        ],
        ..spec()
    }
}
