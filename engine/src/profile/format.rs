//! The plain-text table `quire profile --format table` prints.

use std::fmt::Write;

use crate::profile::model::{Profile, Scalar};

fn number(x: Option<f64>) -> String {
    match x {
        None => "-".to_string(),
        Some(x) if x == x.trunc() && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) if x.abs() >= 1e6 || x.abs() < 1e-3 => format!("{x:.4e}"),
        Some(x) => format!("{x:.4}"),
    }
}

fn scalar(s: &Option<Scalar>) -> String {
    match s {
        None => "-".to_string(),
        Some(Scalar::Number(x)) => number(Some(*x)),
        Some(Scalar::Text(t)) if t.chars().count() > 24 => {
            format!("{}…", t.chars().take(23).collect::<String>())
        }
        Some(Scalar::Text(t)) => t.clone(),
    }
}

pub fn format_table(profile: &Profile) -> String {
    let header = [
        "column", "type", "count", "missing", "distinct", "mean", "std", "min", "median", "max",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for c in &profile.columns {
        let distinct = if c.distinct_exact {
            c.distinct.to_string()
        } else {
            format!("~{}", c.distinct)
        };
        rows.push(vec![
            c.name.clone(),
            c.column_type.as_str().to_string(),
            c.count.to_string(),
            c.missing.to_string(),
            distinct,
            number(c.mean),
            number(c.std),
            scalar(&c.min),
            number(c.quantiles.as_ref().map(|q| q.p50)),
            scalar(&c.max),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let t = &profile.table;
    let mut out = format!(
        "{} rows, {} columns, {} duplicate rows, {} skipped rows, {} bytes ({})\n\n",
        t.rows, t.columns, t.duplicate_rows, t.skipped_rows, t.bytes, t.format
    );
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, &w))| {
                let pad = w - cell.chars().count();
                // Names and types read left to right; figures line up on the right.
                if i < 2 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    if !profile.alerts.is_empty() {
        out.push_str("\nAlerts\n");
        for a in &profile.alerts {
            let _ = writeln!(out, "  [{}] {}", a.kind, a.message);
        }
    }
    out
}
