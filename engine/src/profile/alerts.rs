//! Data-quality alerts with ydata-profiling's default thresholds.

use crate::profile::model::{Alert, ColumnType, Profile};

const HIGH_MISSING_SHARE: f64 = 0.2;
const HIGH_CARDINALITY_DISTINCT: u64 = 50;
const HIGH_CARDINALITY_SHARE: f64 = 0.5;
const SKEWNESS: f64 = 20.0;
const MANY_ZEROS_SHARE: f64 = 0.1;

pub fn alerts(profile: &Profile) -> Vec<Alert> {
    let mut out = Vec::new();
    let mut push = |kind: &str, column: Option<&str>, message: String| {
        out.push(Alert {
            kind: kind.to_string(),
            column: column.map(str::to_string),
            message,
        })
    };
    let rows = profile.rows;
    for c in &profile.columns {
        let name = Some(c.name.as_str());
        let n = &c.name;
        if c.count > 0 && c.distinct == 1 && c.distinct_exact {
            push("constant", name, format!("{n} has a single value"));
        }
        if rows > 0 && c.missing as f64 / rows as f64 > HIGH_MISSING_SHARE {
            let pct = 100.0 * c.missing as f64 / rows as f64;
            push(
                "high_missing",
                name,
                format!("{n} is missing in {pct:.1}% of rows"),
            );
        }
        let categorical = matches!(c.column_type, ColumnType::Text | ColumnType::Mixed);
        let unique = c.count > 1 && c.distinct_exact && c.distinct == c.count;
        if unique {
            push(
                "unique",
                name,
                format!("{n} has a different value in every row"),
            );
        } else if categorical
            && c.distinct > HIGH_CARDINALITY_DISTINCT
            && c.distinct as f64 > HIGH_CARDINALITY_SHARE * c.count as f64
        {
            push(
                "high_cardinality",
                name,
                match c.distinct_exact {
                    true => format!("{n} has {} distinct values", c.distinct),
                    false => format!("{n} has about {} distinct values", c.distinct),
                },
            );
        }
        if let Some(s) = c.skewness.filter(|s| s.abs() > SKEWNESS) {
            push(
                "skewed",
                name,
                format!("{n} is highly skewed (γ1 = {s:.2})"),
            );
        }
        if let Some(z) = c
            .zeros
            .filter(|&z| c.count > 0 && z as f64 / c.count as f64 > MANY_ZEROS_SHARE)
        {
            let pct = 100.0 * z as f64 / c.count as f64;
            push(
                "many_zeros",
                name,
                format!("{n} is zero in {pct:.1}% of values"),
            );
        }
        if c.column_type == ColumnType::Mixed {
            push(
                "mixed_types",
                name,
                format!("{n} holds values of several types"),
            );
        }
    }
    if profile.table.duplicate_rows > 0 {
        let d = profile.table.duplicate_rows;
        push(
            "duplicate_rows",
            None,
            format!("{d} rows repeat an earlier row"),
        );
    }
    out
}
