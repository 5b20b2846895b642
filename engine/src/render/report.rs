//! The report's sections, drawn in the order the spec lists them.

use super::charts::{self, PALETTE};
use super::fonts::Weight;
use super::format::{count, date, decimals_for, number};
use super::layout::{size, Align, Layout, TableColumn, INK, MUTED};
use super::logo::Logo;
use super::spec::{CorrelationMethod, Locale, ReportSpec, Section};
use super::RenderInput;
use crate::profile::{ColumnProfile, ColumnType, Profile, Scalar};

/// Columns of the data sample per table: wider tables are split into several.
const SAMPLE_COLUMNS_PER_TABLE: usize = 6;
/// Columns of one correlation heat map; larger matrices are cut into blocks.
const HEAT_MAP_MAX: usize = 16;
/// Group-by measures per table, beside the group and its row count.
const MEASURES_PER_TABLE: usize = 4;

pub fn draw(
    layout: &mut Layout,
    profile: &Profile,
    spec: &ReportSpec,
    input: &RenderInput,
    logo: Option<&Logo>,
) {
    let locale = spec.locale;
    let mut contents_page = None;
    for section in &spec.sections {
        match section {
            Section::Cover => cover(layout, profile, spec, input, logo),
            Section::TableOfContents => {
                layout.heading("Contents", 1);
                contents_page = Some((layout.page_index(), layout.cursor()));
            }
            Section::Summary => summary(layout, profile, locale),
            Section::Columns { only } => {
                for column in &profile.columns {
                    if only.is_empty() || only.contains(&column.name) {
                        column_page(layout, column, locale);
                    }
                }
            }
            Section::Correlations { method } => correlations(layout, profile, *method),
            Section::GroupBy => group_by(layout, profile, locale),
            Section::TimeSeries => time_series(layout, profile, locale),
            Section::Sample { rows } => sample(layout, input, *rows),
            Section::Notes { heading, text } => {
                layout.heading(heading.as_deref().unwrap_or("Notes"), 1);
                notes(layout, text);
            }
        }
    }
    if let Some(page) = contents_page {
        contents(layout, page);
    }
}

fn cover(
    layout: &mut Layout,
    profile: &Profile,
    spec: &ReportSpec,
    input: &RenderInput,
    logo: Option<&Logo>,
) {
    layout.new_page();
    layout.bare_pages.push(layout.page_index());
    let (x, w) = (layout.left(), layout.text_width());
    let accent = layout.accent;
    layout.rect(0.0, 0.0, layout.width, 14.0, accent);
    let mut y = layout.height * 0.3;
    if let Some(logo) = logo {
        let box_h = 56.0;
        let top = y - box_h - 24.0;
        if let Some(op) = logo.draw((x, top, w * 0.5, box_h), false, layout.height) {
            if let Some(page) = layout.pages.last_mut() {
                page.push(op);
            }
        }
    }
    layout.text_in(
        (x, y, w),
        &spec.title,
        (Weight::Bold, size::TITLE, INK),
        Align::Left,
    );
    y += size::TITLE + 14.0;
    if let Some(subtitle) = &spec.subtitle {
        layout.text_in(
            (x, y, w),
            subtitle,
            (Weight::Regular, size::H2, MUTED),
            Align::Left,
        );
        y += size::H2 + 10.0;
    }
    layout.rect(x, y + 6.0, 60.0, 3.0, accent);
    y += 30.0;
    let mut lines: Vec<String> = Vec::new();
    if let Some(author) = &spec.author {
        lines.push(author.clone());
    }
    if let Some(day) = &spec.date {
        lines.push(date(day, spec.locale));
    }
    if let Some(source) = &input.source_name {
        lines.push(source.clone());
    }
    lines.push(format!(
        "{} rows · {} columns",
        count(profile.rows, spec.locale),
        count(profile.columns.len() as u64, spec.locale)
    ));
    for line in lines {
        layout.text_in(
            (x, y, w),
            &line,
            (Weight::Regular, size::BODY + 1.5, INK),
            Align::Left,
        );
        y += (size::BODY + 1.5) * 1.6;
    }
}

fn contents(layout: &mut Layout, (page, y): (usize, f32)) {
    let entries = layout.outline.clone();
    layout.draw_on(Some((page, y)));
    let (x, w) = (layout.left(), layout.text_width());
    let line = size::BODY * 2.0;
    let max_lines = ((layout.height - layout.margin - 40.0 - y) / line).max(0.0) as usize;
    for entry in entries
        .iter()
        .filter(|e| e.title != "Contents")
        .take(max_lines)
    {
        let y = layout.cursor();
        layout.text_in(
            (x, y, w - 40.0),
            &entry.title,
            (Weight::Regular, size::BODY, INK),
            Align::Left,
        );
        layout.text_in(
            (x + w - 40.0, y, 40.0),
            &(entry.page + 1).to_string(),
            (Weight::Regular, size::BODY, INK),
            Align::Right,
        );
        layout.space(line);
    }
    layout.draw_on(None);
}

fn summary(layout: &mut Layout, profile: &Profile, locale: Locale) {
    layout.heading("Summary", 1);
    let t = &profile.table;
    let figures = [
        ("Rows", count(profile.rows, locale)),
        ("Columns", count(profile.columns.len() as u64, locale)),
        ("Duplicate rows", count(t.duplicate_rows, locale)),
        ("Skipped rows", count(t.skipped_rows, locale)),
        ("Size (bytes)", count(t.bytes, locale)),
        ("Format", t.format.clone()),
        ("Encoding", t.encoding.clone().unwrap_or_else(|| "—".into())),
    ];
    let rows: Vec<Vec<String>> = figures
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.clone()])
        .collect();
    layout.table(
        &[
            col("Figure", Align::Left, 2.0),
            col("Value", Align::Right, 1.0),
        ],
        &rows,
    );

    layout.heading("Columns", 2);
    let rows: Vec<Vec<String>> = profile
        .columns
        .iter()
        .map(|c| {
            let missing = if c.count + c.missing > 0 {
                100.0 * c.missing as f64 / (c.count + c.missing) as f64
            } else {
                0.0
            };
            vec![
                c.name.clone(),
                c.column_type.as_str().to_owned(),
                distinct(c, locale),
                format!("{} %", number(missing, 1, locale)),
            ]
        })
        .collect();
    layout.table(
        &[
            col("Column", Align::Left, 3.0),
            col("Type", Align::Left, 1.2),
            col("Distinct", Align::Right, 1.2),
            col("Missing", Align::Right, 1.0),
        ],
        &rows,
    );
    if !profile.alerts.is_empty() {
        layout.heading("Alerts", 2);
        for alert in &profile.alerts {
            bullet(layout, &alert.message);
        }
    }
}

/// The distinct count, marked when it is an estimate (as the dashboard marks it).
fn distinct(c: &ColumnProfile, locale: Locale) -> String {
    match c.distinct_exact {
        true => count(c.distinct, locale),
        false => format!("≈ {}", count(c.distinct, locale)),
    }
}

fn column_page(layout: &mut Layout, c: &ColumnProfile, locale: Locale) {
    layout.heading(&c.name, 1);
    // The figures the page shows, not the sum it does not: a column of small prices with a
    // large total would lose its cents.
    let bound = |s: &Option<Scalar>| match s {
        Some(Scalar::Number(v)) => Some(*v),
        _ => None,
    };
    let numbers: Vec<f64> = [c.mean, c.std, bound(&c.min), bound(&c.max)]
        .iter()
        .flatten()
        .copied()
        .collect();
    let d = decimals_for(&numbers);
    // An integer column's minimum and maximum (and the histogram's ends) are whole numbers.
    let bound_decimals = if c.column_type == ColumnType::Integer {
        0
    } else {
        d
    };
    let scalar = |s: &Option<Scalar>| match s {
        Some(Scalar::Number(v)) => number(*v, bound_decimals, locale),
        Some(Scalar::Text(t)) => t.clone(),
        None => "—".into(),
    };
    let opt = |v: Option<f64>| v.map_or("—".into(), |v| number(v, d, locale));
    let mut rows = vec![
        vec!["Type".into(), c.column_type.as_str().to_owned()],
        vec!["Values".into(), count(c.count, locale)],
        vec!["Missing".into(), count(c.missing, locale)],
        vec!["Distinct".into(), distinct(c, locale)],
        vec!["Minimum".into(), scalar(&c.min)],
        vec!["Maximum".into(), scalar(&c.max)],
    ];
    if c.column_type.is_numeric() {
        rows.push(vec!["Mean".into(), opt(c.mean)]);
        rows.push(vec!["Standard deviation".into(), opt(c.std)]);
        if let Some(q) = &c.quantiles {
            for (name, v) in [
                ("5th percentile", q.p5),
                ("Median", q.p50),
                ("95th percentile", q.p95),
            ] {
                rows.push(vec![name.into(), number(v, d, locale)]);
            }
        }
    }
    layout.table(
        &[
            col("Statistic", Align::Left, 2.0),
            col("Value", Align::Right, 1.0),
        ],
        &rows,
    );
    if let Some(h) = &c.histogram {
        layout.heading("Distribution", 2);
        let lo = h
            .edges
            .first()
            .map_or(String::new(), |v| number(*v, bound_decimals, locale));
        let hi = h
            .edges
            .last()
            .map_or(String::new(), |v| number(*v, bound_decimals, locale));
        charts::histogram(layout, &h.edges, &h.counts, (&lo, &hi), layout.accent);
    } else if !c.top.is_empty() {
        layout.heading("Most frequent values", 2);
        let items: Vec<(String, f64, String)> = c
            .top
            .iter()
            .take(12)
            .map(|t| (t.value.clone(), t.count as f64, count(t.count, locale)))
            .collect();
        charts::bars(layout, &items, layout.accent);
    }
}

fn correlations(layout: &mut Layout, profile: &Profile, method: CorrelationMethod) {
    let Some(corr) = &profile.correlations else {
        return;
    };
    let (matrix, name) = match method {
        CorrelationMethod::Pearson => (&corr.pearson, "Pearson"),
        CorrelationMethod::Spearman => (&corr.spearman, "Spearman"),
    };
    layout.heading(&format!("Correlations ({name})"), 1);
    let n = corr.columns.len();
    if n == 0 {
        return;
    }
    // Beyond HEAT_MAP_MAX columns the cells would be too small to read: the matrix is cut
    // into equal blocks and each block above the diagonal gets its own heat map.
    let blocks = n.div_ceil(HEAT_MAP_MAX);
    let step = n.div_ceil(blocks);
    for bi in 0..blocks {
        for bj in bi..blocks {
            let rows = bi * step..((bi + 1) * step).min(n);
            let cols = bj * step..((bj + 1) * step).min(n);
            if blocks > 1 {
                // Keep the heading on the page of its block.
                let (cell, size) = heat_cell(layout, cols.len());
                layout.ensure(size::H2 + 8.0 + size + 6.0 + cell * (rows.len() as f32 + 1.0));
                layout.heading(
                    &format!(
                        "Columns {}–{} × {}–{}",
                        rows.start + 1,
                        rows.end,
                        cols.start + 1,
                        cols.end
                    ),
                    2,
                );
            }
            heat_map(layout, &corr.columns, matrix, rows, cols);
        }
    }
    charts::legend(
        layout,
        &[("+1 positive", PALETTE[0]), ("−1 negative", PALETTE[5])],
    );
}

const HEAT_LABEL_SHARE: f32 = 0.25;

/// The side of a heat-map cell and the type size of its value, for `columns` columns.
fn heat_cell(layout: &Layout, columns: usize) -> (f32, f32) {
    let label_w = layout.text_width() * HEAT_LABEL_SHARE;
    let cell = ((layout.text_width() - label_w) / columns.max(1) as f32).min(48.0);
    (cell, if cell < 30.0 { size::TINY } else { size::SMALL })
}

/// The correlations of the columns `rows` with the columns `cols`, as coloured cells with
/// their values.
fn heat_map(
    layout: &mut Layout,
    names: &[String],
    matrix: &[Vec<Option<f64>>],
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
) {
    let label_w = layout.text_width() * HEAT_LABEL_SHARE;
    let (cell, size) = heat_cell(layout, cols.len());
    let x0 = layout.left() + label_w;
    layout.ensure(size + 6.0 + cell * (rows.len() as f32 + 1.0));
    let y0 = layout.cursor();
    for (j, name) in names[cols.clone()].iter().enumerate() {
        layout.text_in(
            (x0 + cell * j as f32 + 1.0, y0, cell - 2.0),
            name,
            (Weight::Regular, size, MUTED),
            Align::Left,
        );
    }
    let y0 = y0 + size + 6.0;
    for (i, name) in names[rows.clone()].iter().enumerate() {
        let y = y0 + cell * i as f32;
        layout.text_in(
            (layout.left(), y + (cell - size) / 2.0, label_w - 6.0),
            name,
            (Weight::Regular, size, INK),
            Align::Right,
        );
        for (j, c) in cols.clone().enumerate() {
            let value = matrix
                .get(rows.start + i)
                .and_then(|r| r.get(c))
                .copied()
                .flatten();
            let x = x0 + cell * j as f32;
            layout.rect(x, y, cell - 1.0, cell - 1.0, charts::heat_colour(value));
            let text = value.map_or("—".into(), |v| number(v, 2, Locale::En));
            let strong = value.is_some_and(|v| v.abs() > 0.6);
            let ink = if strong { (1.0, 1.0, 1.0) } else { INK };
            layout.text_in(
                (x + 2.0, y + (cell - size) / 2.0, cell - 5.0),
                &text,
                (Weight::Regular, size, ink),
                Align::Right,
            );
        }
    }
    layout.space(size + 6.0 + cell * rows.len() as f32 + 12.0);
}

fn group_by(layout: &mut Layout, profile: &Profile, locale: Locale) {
    let Some(g) = &profile.group_by else { return };
    layout.heading(&format!("By {}", g.column), 1);
    let sums: Vec<f64> = g
        .groups
        .iter()
        .flat_map(|gr| gr.aggregates.iter().map(|a| a.sum))
        .collect();
    let d = decimals_for(&sums);
    // Every measure is shown: a few per table, each table repeating the group and its rows,
    // so the sums stay legible however many measures there are.
    let mut parts: Vec<&[String]> = g.measures.chunks(MEASURES_PER_TABLE).collect();
    if parts.is_empty() {
        // No measures: the groups and their row counts still make a table.
        parts.push(&[]);
    }
    for (part, names) in parts.iter().enumerate() {
        let first = part * MEASURES_PER_TABLE;
        if parts.len() > 1 {
            layout.heading(
                &format!(
                    "Measures {}–{} of {}",
                    first + 1,
                    first + names.len(),
                    g.measures.len()
                ),
                2,
            );
        }
        let mut columns = vec![
            col(&g.column, Align::Left, 2.0),
            col("Rows", Align::Right, 1.0),
        ];
        for m in names.iter() {
            columns.push(col(&format!("Σ {m}"), Align::Right, 1.3));
        }
        let rows: Vec<Vec<String>> = g
            .groups
            .iter()
            .map(|gr| {
                let mut row = vec![gr.key.clone(), count(gr.count, locale)];
                for k in first..first + names.len() {
                    row.push(
                        gr.aggregates
                            .get(k)
                            .map_or("—".into(), |a| number(a.sum, d, locale)),
                    );
                }
                row
            })
            .collect();
        layout.table(&columns, &rows);
    }
    layout.heading("Rows per group", 2);
    let items: Vec<(String, f64, String)> = g
        .groups
        .iter()
        .take(15)
        .map(|gr| (gr.key.clone(), gr.count as f64, count(gr.count, locale)))
        .collect();
    charts::bars(layout, &items, PALETTE[2]);
}

fn time_series(layout: &mut Layout, profile: &Profile, locale: Locale) {
    let Some(ts) = &profile.time_series else {
        return;
    };
    layout.heading(&format!("Over time: {}", ts.column), 1);
    let values: Vec<f64> = ts.points.iter().map(|p| p.count as f64).collect();
    let first = ts
        .points
        .first()
        .map_or(String::new(), |p| date(&p.period, locale));
    let last = ts
        .points
        .last()
        .map_or(String::new(), |p| date(&p.period, locale));
    let trend = ts.trend.as_ref().map(|t| (t.slope, t.intercept));
    charts::line(layout, &values, trend, (&first, &last), layout.accent);
    if let Some(t) = &ts.trend {
        layout.paragraph(
            &format!(
                "Rows per {}: the trend changes by **{}** per period (R² = {}).",
                ts.period,
                number(t.slope, 2, locale),
                number(t.r2, 2, locale)
            ),
            size::BODY,
            0.0,
        );
    }
}

fn sample(layout: &mut Layout, input: &RenderInput, rows: usize) {
    if input.sample_header.is_empty() {
        return;
    }
    layout.heading("Data sample", 1);
    let shown: Vec<&Vec<String>> = input.sample_rows.iter().take(rows).collect();
    let chunks: Vec<&[String]> = input
        .sample_header
        .chunks(SAMPLE_COLUMNS_PER_TABLE)
        .collect();
    for (part, names) in chunks.iter().enumerate() {
        let start = part * SAMPLE_COLUMNS_PER_TABLE;
        if chunks.len() > 1 {
            layout.heading(&format!("Columns {}–{}", start + 1, start + names.len()), 2);
        }
        // Numeric columns right-aligned, so equal decimals line up on the point.
        let columns: Vec<TableColumn> = names
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let numeric = !shown.is_empty()
                    && shown.iter().all(|r| {
                        r.get(start + k)
                            .is_some_and(|v| v.trim().parse::<f64>().is_ok())
                    });
                col(n, if numeric { Align::Right } else { Align::Left }, 1.0)
            })
            .collect();
        let table_rows: Vec<Vec<String>> = shown
            .iter()
            .map(|r| {
                (start..start + names.len())
                    .map(|i| r.get(i).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        layout.table(&columns, &table_rows);
    }
}

fn notes(layout: &mut Layout, text: &str) {
    for block in text.split("\n\n") {
        let mut paragraph = String::new();
        for line in block.lines() {
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                bullet(layout, item);
            } else {
                paragraph.push_str(line);
                paragraph.push(' ');
            }
        }
        if !paragraph.trim().is_empty() {
            layout.paragraph(&paragraph, size::BODY, 0.0);
        }
        layout.space(size::BODY * 0.6);
    }
}

fn bullet(layout: &mut Layout, text: &str) {
    layout.ensure(size::BODY * 1.5);
    let (x, y, accent) = (layout.left(), layout.cursor(), layout.accent);
    layout.rect(x + 3.0, y + size::BODY * 0.35, 3.0, 3.0, accent);
    layout.paragraph(text, size::BODY, 14.0);
}

fn col(title: &str, align: Align, weight: f32) -> TableColumn {
    TableColumn {
        title: title.to_owned(),
        align,
        weight,
    }
}
