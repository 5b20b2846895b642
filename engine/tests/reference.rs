//! Every statistic of every fixture against `fixtures/reference.json`, which
//! `fixtures/make_reference.py` computes independently with Python's stdlib.
//!
//! Exact statistics must agree within 1e-9 relative (plus 1e-12 absolute, for values that
//! should be zero but are rounding noise in one of the two computations).

use std::path::{Path, PathBuf};

use engine::profile::{profile_path, ColumnProfile, Profile, ProfileOptions, Scalar};
use serde_json::Value;

const RELATIVE: f64 = 1e-9;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Check {
    file: String,
    failures: Vec<String>,
}

impl Check {
    fn fail(&mut self, what: &str, got: impl std::fmt::Debug, want: &Value) {
        self.failures.push(format!(
            "{}: {what}: engine {got:?}, reference {want}",
            self.file
        ));
    }

    fn number(&mut self, what: &str, got: Option<f64>, want: Option<&Value>) {
        let want_f = want.and_then(Value::as_f64);
        let ok = match (got, want_f) {
            (None, None) => true,
            (Some(a), Some(b)) => (a - b).abs() <= RELATIVE * a.abs().max(b.abs()) + 1e-12,
            _ => false,
        };
        if !ok {
            self.fail(what, got, want.unwrap_or(&Value::Null));
        }
    }

    fn exact<T: PartialEq + std::fmt::Debug + serde::Serialize>(
        &mut self,
        what: &str,
        got: T,
        want: Option<&Value>,
    ) {
        let got_json = serde_json::to_value(&got).unwrap_or(Value::Null);
        let want = want.cloned().unwrap_or(Value::Null);
        if got_json != want {
            self.fail(what, got, &want);
        }
    }

    fn column(&mut self, got: &ColumnProfile, want: &Value) {
        let name = got.name.clone();
        let w = |k: &str| want.get(k);
        self.exact(&format!("{name}.name"), &got.name, w("name"));
        self.exact(&format!("{name}.type"), got.column_type, w("type"));
        for (k, v) in [
            ("count", got.count),
            ("missing", got.missing),
            ("distinct", got.distinct),
        ] {
            self.exact(&format!("{name}.{k}"), v, w(k));
        }
        self.exact(&format!("{name}.top"), &got.top, w("top"));
        self.exact(&format!("{name}.monotonic"), &got.monotonic, w("monotonic"));
        self.exact(&format!("{name}.zeros"), got.zeros, w("zeros"));
        self.exact(&format!("{name}.negatives"), got.negatives, w("negatives"));
        for (k, s) in [("min", &got.min), ("max", &got.max)] {
            match s {
                Some(Scalar::Number(x)) => self.number(&format!("{name}.{k}"), Some(*x), w(k)),
                other => self.exact(&format!("{name}.{k}"), other, w(k)),
            }
        }
        for (k, v) in [
            ("sum", got.sum),
            ("mean", got.mean),
            ("variance", got.variance),
            ("std", got.std),
            ("skewness", got.skewness),
            ("kurtosis", got.kurtosis),
        ] {
            self.number(&format!("{name}.{k}"), v, w(k));
        }
        match (&got.quantiles, w("quantiles")) {
            (Some(q), Some(wq)) => {
                let pairs = [
                    ("p1", q.p1),
                    ("p5", q.p5),
                    ("p25", q.p25),
                    ("p50", q.p50),
                    ("p75", q.p75),
                    ("p95", q.p95),
                    ("p99", q.p99),
                ];
                for (k, v) in pairs {
                    self.number(&format!("{name}.quantiles.{k}"), Some(v), wq.get(k));
                }
                if !q.exact {
                    self.fail(
                        &format!("{name}.quantiles.exact"),
                        q.exact,
                        &Value::Bool(true),
                    );
                }
            }
            (None, None) => {}
            (got_q, want_q) => self.fail(
                &format!("{name}.quantiles"),
                got_q,
                want_q.unwrap_or(&Value::Null),
            ),
        }
        match (&got.histogram, w("histogram")) {
            (Some(h), Some(wh)) => {
                self.exact(
                    &format!("{name}.histogram.counts"),
                    &h.counts,
                    wh.get("counts"),
                );
                let edges = wh.get("edges").and_then(Value::as_array);
                if edges.map(Vec::len) != Some(h.edges.len()) {
                    self.fail(&format!("{name}.histogram.edges"), &h.edges, wh);
                } else if let Some(edges) = edges {
                    for (i, (e, we)) in h.edges.iter().zip(edges).enumerate() {
                        self.number(&format!("{name}.histogram.edges[{i}]"), Some(*e), Some(we));
                    }
                }
            }
            (None, None) => {}
            (got_h, want_h) => self.fail(
                &format!("{name}.histogram"),
                got_h,
                want_h.unwrap_or(&Value::Null),
            ),
        }
        match (&got.text_lengths, w("text_lengths")) {
            (Some(l), Some(wl)) => {
                self.exact(&format!("{name}.text_lengths.min"), l.min, wl.get("min"));
                self.exact(&format!("{name}.text_lengths.max"), l.max, wl.get("max"));
                self.number(
                    &format!("{name}.text_lengths.mean"),
                    Some(l.mean),
                    wl.get("mean"),
                );
            }
            (None, None) => {}
            (got_l, want_l) => self.fail(
                &format!("{name}.text_lengths"),
                got_l,
                want_l.unwrap_or(&Value::Null),
            ),
        }
    }

    fn matrix(&mut self, what: &str, got: &[Vec<Option<f64>>], want: Option<&Value>) {
        let rows = want.and_then(Value::as_array).cloned().unwrap_or_default();
        if rows.len() != got.len() {
            self.fail(what, got, want.unwrap_or(&Value::Null));
            return;
        }
        for (i, (g, w)) in got.iter().zip(&rows).enumerate() {
            let w = w.as_array().cloned().unwrap_or_default();
            if w.len() != g.len() {
                self.fail(what, g, &Value::Array(w));
                continue;
            }
            for (j, (a, b)) in g.iter().zip(&w).enumerate() {
                self.number(&format!("{what}[{i}][{j}]"), *a, Some(b));
            }
        }
    }

    fn profile(&mut self, got: &Profile, want: &Value) {
        let w = |k: &str| want.get(k);
        self.exact("rows", got.rows, w("rows"));
        self.exact("skipped_rows", got.table.skipped_rows, w("skipped_rows"));
        self.exact(
            "duplicate_rows",
            got.table.duplicate_rows,
            w("duplicate_rows"),
        );
        self.exact("encoding", &got.table.encoding, w("encoding"));
        self.exact("delimiter", &got.table.delimiter, w("delimiter"));
        let columns = w("columns")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if columns.len() != got.columns.len() {
            let names: Vec<&str> = got.columns.iter().map(|c| c.name.as_str()).collect();
            self.fail("columns", names, w("columns").unwrap_or(&Value::Null));
        }
        for (g, c) in got.columns.iter().zip(&columns) {
            self.column(g, c);
        }
        match (&got.correlations, w("correlations")) {
            (Some(c), Some(wc)) => {
                self.exact("correlations.columns", &c.columns, wc.get("columns"));
                self.matrix("pearson", &c.pearson, wc.get("pearson"));
                self.matrix("spearman", &c.spearman, wc.get("spearman"));
            }
            (None, None) => {}
            (g, wc) => self.fail("correlations", g, wc.unwrap_or(&Value::Null)),
        }
        if let Some(wg) = w("group_by") {
            self.group_by(got, wg);
        }
        if let Some(wt) = w("time_series") {
            self.time_series(got, wt);
        }
    }

    fn group_by(&mut self, got: &Profile, want: &Value) {
        let Some(g) = &got.group_by else {
            return self.fail("group_by", &got.group_by, want);
        };
        self.exact("group_by.column", &g.column, want.get("column"));
        self.exact("group_by.measures", &g.measures, want.get("measures"));
        let groups = want
            .get("groups")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let keys: Vec<(&str, u64)> = g.groups.iter().map(|g| (g.key.as_str(), g.count)).collect();
        let want_keys: Vec<(String, u64)> = groups
            .iter()
            .map(|w| {
                (
                    w["key"].as_str().unwrap_or("").to_string(),
                    w["count"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        if keys
            .iter()
            .map(|(k, c)| (k.to_string(), *c))
            .collect::<Vec<_>>()
            != want_keys
        {
            return self.fail("group_by.groups", keys, want);
        }
        for (group, wg) in g.groups.iter().zip(&groups) {
            let aggs = wg["aggregates"].as_array().cloned().unwrap_or_default();
            for (m, (a, wa)) in g.measures.iter().zip(group.aggregates.iter().zip(&aggs)) {
                let at = |k: &str| format!("group_by[{}].{m}.{k}", group.key);
                self.number(&at("sum"), Some(a.sum), wa.get("sum"));
                self.number(&at("mean"), a.mean, wa.get("mean"));
                self.number(&at("min"), a.min, wa.get("min"));
                self.number(&at("max"), a.max, wa.get("max"));
            }
        }
    }

    fn time_series(&mut self, got: &Profile, want: &Value) {
        let Some(t) = &got.time_series else {
            return self.fail("time_series", &got.time_series, want);
        };
        self.exact("time_series.period", &t.period, want.get("period"));
        self.exact("time_series.measures", &t.measures, want.get("measures"));
        let points = want
            .get("points")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if points.len() != t.points.len() {
            return self.fail("time_series.points", t.points.len(), want);
        }
        for (p, wp) in t.points.iter().zip(&points) {
            self.exact(
                &format!("time_series[{}].period", p.period),
                &p.period,
                wp.get("period"),
            );
            self.exact(
                &format!("time_series[{}].count", p.period),
                p.count,
                wp.get("count"),
            );
            let sums = wp["sums"].as_array().cloned().unwrap_or_default();
            for (m, (s, ws)) in t.measures.iter().zip(p.sums.iter().zip(&sums)) {
                self.number(
                    &format!("time_series[{}].{m}", p.period),
                    Some(*s),
                    Some(ws),
                );
            }
        }
        let wt = want.get("trend").cloned().unwrap_or(Value::Null);
        let trend = t.trend.as_ref();
        self.number("trend.slope", trend.map(|t| t.slope), wt.get("slope"));
        self.number(
            "trend.intercept",
            trend.map(|t| t.intercept),
            wt.get("intercept"),
        );
        self.number("trend.r2", trend.map(|t| t.r2), wt.get("r2"));
    }
}

#[test]
fn every_statistic_matches_the_independent_reference() {
    let text = std::fs::read_to_string(fixtures().join("reference.json"))
        .expect("fixtures/reference.json exists (run make_reference.py)");
    let reference: Vec<Value> = serde_json::from_str(&text).expect("reference.json parses");
    assert!(reference.len() >= 8, "every fixture has a reference");
    let mut failures = Vec::new();
    for want in &reference {
        let column = |k: &str| {
            want.get(k)
                .and_then(|g| g["column"].as_str())
                .map(String::from)
        };
        let opts = ProfileOptions {
            skip_bad_rows: true,
            group_by: column("group_by"),
            time_column: column("time_series"),
            ..ProfileOptions::default()
        };
        // In one chunk, and in many small chunks merged on three threads.
        let chunked = ProfileOptions {
            chunk_rows: 7,
            threads: 3,
            ..opts.clone()
        };
        for opts in [opts, chunked] {
            let file = want["file"].as_str().expect("file name").to_string();
            let mut check = Check {
                file: format!("{file} (chunks of {})", opts.chunk_rows),
                failures: Vec::new(),
            };
            match profile_path(&fixtures().join(&file), &opts) {
                Ok(got) => check.profile(&got, want),
                Err(e) => check.failures.push(format!("{file}: {e}")),
            }
            failures.extend(check.failures);
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ragged_rows_fail_with_their_line_unless_skipped() {
    let err = profile_path(&fixtures().join("ragged.csv"), &ProfileOptions::default())
        .expect_err("ragged rows are an error by default");
    // "4,5" under a three-column header: the third field is the one missing.
    assert!(err.to_string().contains("line 3, column 3"), "{err}");
}
