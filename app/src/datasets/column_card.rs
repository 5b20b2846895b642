//! One column of a profile: its type, the statistics that apply to it, and a small chart.

use engine::profile::{ColumnProfile, ColumnType};
use leptos::prelude::*;

use super::charts::{HistogramChart, PeriodChart, TopValuesChart};
use super::format::{count, number, percent, scalar};

#[component]
pub fn ColumnCard(column: ColumnProfile) -> impl IntoView {
    let cells = column.count + column.missing;
    let kind = column.column_type;
    let mut stats: Vec<(&'static str, String)> = vec![
        ("Missing", percent(column.missing, cells)),
        (
            "Distinct",
            if column.distinct_exact {
                count(column.distinct)
            } else {
                format!("≈ {}", count(column.distinct))
            },
        ),
    ];
    if kind.is_numeric() {
        let q = column.quantiles.as_ref();
        stats.extend([
            ("Mean", column.mean.map(number).unwrap_or_default()),
            ("Std dev", column.std.map(number).unwrap_or_default()),
            ("Min", column.min.as_ref().map(scalar).unwrap_or_default()),
            ("Median", q.map(|q| number(q.p50)).unwrap_or_default()),
            ("Max", column.max.as_ref().map(scalar).unwrap_or_default()),
            (
                "Zeros",
                column
                    .zeros
                    .map(|z| percent(z, column.count))
                    .unwrap_or_default(),
            ),
        ]);
    } else if kind.is_temporal() {
        let t = column.temporal.as_ref();
        stats.extend([
            ("First", t.map(|t| t.first.clone()).unwrap_or_default()),
            ("Last", t.map(|t| t.last.clone()).unwrap_or_default()),
        ]);
    } else if let Some(lengths) = &column.text_lengths {
        stats.extend([
            ("Shortest", format!("{} chars", lengths.min)),
            ("Longest", format!("{} chars", lengths.max)),
            ("Mean length", number(lengths.mean)),
        ]);
    }
    stats.retain(|(_, value)| !value.is_empty());

    let name = column.name.clone();
    let chart = if let (true, Some(histogram)) = (kind.is_numeric(), column.histogram.clone()) {
        view! { <HistogramChart histogram column=name.clone()/> }.into_any()
    } else if let Some(t) = column.temporal.clone().filter(|t| !t.counts.is_empty()) {
        view! { <PeriodChart counts=t.counts period=t.period column=name.clone()/> }.into_any()
    } else if !column.top.is_empty() {
        view! { <TopValuesChart top=column.top.clone() total=column.count column=name.clone()/> }
            .into_any()
    } else {
        view! { <p class="muted small">"No values to chart."</p> }.into_any()
    };

    view! {
        <article class="column-card" data-testid="column-card">
            <header>
                <h3 title=name.clone()>{name.clone()}</h3>
                <span class="type" data-type=kind.as_str()>{type_label(kind)}</span>
            </header>
            <dl class="stats">
                // Long values (dates, datetimes) take two cells rather than being cut short.
                {stats.into_iter().map(|(term, value)| {
                    let wide = value.chars().count() > 8;
                    let full = value.clone();
                    view! {
                    <div class:wide=wide>
                        <dt>{term}</dt><dd title=full>{value}</dd>
                    </div>
                    }
                }).collect_view()}
            </dl>
            {chart}
        </article>
    }
    .into_any()
}

fn type_label(kind: ColumnType) -> &'static str {
    match kind {
        ColumnType::Integer => "Integer",
        ColumnType::Float => "Decimal",
        ColumnType::Boolean => "Boolean",
        ColumnType::Date => "Date",
        ColumnType::Datetime => "Date & time",
        ColumnType::Text => "Text",
        ColumnType::Mixed => "Mixed",
    }
}
