//! Small SVG charts for column cards. Plain shapes scaled into a fixed view box, so they need no
//! script, stay sharp at any size, and carry a text alternative.

use engine::profile::{Histogram, PeriodCount, TopValue};
use leptos::prelude::*;

use super::format::{count, number};

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 72.0;

/// Vertical bars of equal-width bins, labelled with the first and last edge.
#[component]
pub fn HistogramChart(histogram: Histogram, #[prop(into)] column: String) -> impl IntoView {
    let counts = histogram.counts.clone();
    let edges = histogram.edges.clone();
    let bars: Vec<(String, u64)> = counts
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let range = match (edges.get(i), edges.get(i + 1)) {
                (Some(a), Some(b)) => format!("{} – {}", number(*a), number(*b)),
                _ => String::new(),
            };
            (range, n)
        })
        .collect();
    let low = edges.first().map(|x| number(*x)).unwrap_or_default();
    let high = edges.last().map(|x| number(*x)).unwrap_or_default();
    let label = format!(
        "Histogram of {column}: {} bins from {low} to {high}",
        bars.len()
    );
    view! {
        <figure class="chart">
            <Bars bars label/>
            <figcaption class="axis"><span>{low}</span><span>{high}</span></figcaption>
        </figure>
    }
    .into_any()
}

/// Counts per period of a date column, oldest first.
#[component]
pub fn PeriodChart(
    counts: Vec<PeriodCount>,
    #[prop(into)] period: String,
    #[prop(into)] column: String,
) -> impl IntoView {
    let first = counts.first().map(|p| p.period.clone()).unwrap_or_default();
    let last = counts.last().map(|p| p.period.clone()).unwrap_or_default();
    let label = format!("Rows per {period} of {column}, from {first} to {last}");
    let bars = counts.into_iter().map(|p| (p.period, p.count)).collect();
    view! {
        <figure class="chart">
            <Bars bars label/>
            <figcaption class="axis"><span>{first}</span><span>{last}</span></figcaption>
        </figure>
    }
    .into_any()
}

#[component]
fn Bars(bars: Vec<(String, u64)>, label: String) -> impl IntoView {
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let n = bars.len().max(1) as f64;
    let slot = WIDTH / n;
    let gap = if slot > 4.0 { 1.0 } else { 0.0 };
    view! {
        <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=label class="bars">
            <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="baseline"/>
            {bars.into_iter().enumerate().map(|(i, (what, n))| {
                // A non-zero bin stays visible however small it is next to the largest.
                let h = if n == 0 { 0.0 } else { (n as f64 / max * (HEIGHT - 2.0)).max(1.5) };
                view! {
                    <rect x=i as f64 * slot + gap / 2.0 y=HEIGHT - h width=(slot - gap).max(0.5) height=h>
                        <title>{format!("{what}: {}", count(n))}</title>
                    </rect>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// The most frequent values as horizontal bars with their counts.
#[component]
pub fn TopValuesChart(
    top: Vec<TopValue>,
    /// Non-missing values in the column, for the share of each.
    total: u64,
    #[prop(into)] column: String,
) -> impl IntoView {
    const ROW: f64 = 18.0;
    const LABEL: f64 = 96.0;
    const NUMBER: f64 = 44.0;
    let shown: Vec<TopValue> = top.into_iter().take(5).collect();
    let max = shown.iter().map(|t| t.count).max().unwrap_or(0).max(1) as f64;
    let height = ROW * shown.len() as f64;
    let label = format!(
        "Most frequent values of {column}: {}",
        shown
            .iter()
            .map(|t| format!("{} ({})", t.value, count(t.count)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let bar_room = WIDTH - LABEL - NUMBER;
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=label class="top-values">
                {shown.into_iter().enumerate().map(|(i, t)| {
                    let y = i as f64 * ROW;
                    let w = (t.count as f64 / max * bar_room).max(1.0);
                    let share = if total > 0 { 100.0 * t.count as f64 / total as f64 } else { 0.0 };
                    view! {
                        <g>
                            <title>{format!("{}: {} ({share:.1} %)", t.value, count(t.count))}</title>
                            <text x="0" y=y + 12.5 class="label">{shorten(&t.value, 16)}</text>
                            <rect x=LABEL y=y + 3.0 width=w height=ROW - 6.0 rx="2"/>
                            <text x=WIDTH y=y + 12.5 class="value" text-anchor="end">{count(t.count)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
    .into_any()
}

/// At most `max` characters, with an ellipsis when cut; empty values are shown as such.
fn shorten(text: &str, max: usize) -> String {
    if text.is_empty() {
        return "(empty)".into();
    }
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_values_are_cut_on_characters_not_bytes() {
        assert_eq!(shorten("Zürich-Oerlikon-Nord", 8), "Zürich-…");
        assert_eq!(shorten("", 8), "(empty)");
    }
}
