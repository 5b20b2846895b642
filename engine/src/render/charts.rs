//! Vector charts drawn with the layout's primitives: horizontal bars, histogram, line with
//! trend, and the heat-map colour scale. Every value is checked for finiteness first.

use super::fonts::Weight;
use super::layout::{size, Align, Layout, Rgbf, INK, MUTED, RULE};

/// Okabe–Ito: distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [Rgbf; 6] = [
    (0.0, 0.447, 0.698),
    (0.902, 0.624, 0.0),
    (0.0, 0.620, 0.451),
    (0.800, 0.475, 0.655),
    (0.337, 0.706, 0.914),
    (0.835, 0.369, 0.0),
];

fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// Horizontal bars, one per label, value printed at the bar's end.
pub fn bars(layout: &mut Layout, items: &[(String, f64, String)], color: Rgbf) {
    if items.is_empty() {
        return;
    }
    let bar_h = 12.0;
    let gap = 5.0;
    let label_w = layout.text_width() * 0.3;
    let value_w = 70.0;
    let plot_w = (layout.text_width() - label_w - value_w - 12.0).max(10.0);
    let max = items
        .iter()
        .map(|(_, v, _)| finite(*v).abs())
        .fold(0.0_f64, f64::max);
    for (label, value, shown) in items {
        layout.ensure(bar_h + gap);
        let (x, y) = (layout.left(), layout.cursor());
        layout.text_in(
            (x, y + 2.0, label_w - 6.0),
            label,
            (Weight::Regular, size::SMALL, INK),
            Align::Right,
        );
        let share = if max > 0.0 {
            finite(*value).abs() / max
        } else {
            0.0
        };
        let w = (plot_w as f64 * share) as f32;
        layout.rect(x + label_w, y, w.max(0.5), bar_h, color);
        layout.text(
            x + label_w + w + 4.0,
            y + 2.0,
            shown,
            Weight::Regular,
            size::SMALL,
            MUTED,
        );
        layout.space(bar_h + gap);
    }
    layout.space(8.0);
}

/// Equal-width bins as touching columns, with the range's ends and the tallest count
/// written on the axes.
pub fn histogram(
    layout: &mut Layout,
    edges: &[f64],
    counts: &[u64],
    labels: (&str, &str),
    color: Rgbf,
) {
    if counts.is_empty() || edges.len() != counts.len() + 1 {
        return;
    }
    let plot_h = 120.0;
    layout.ensure(plot_h + 40.0);
    let axis_w = 44.0;
    let (x0, y0) = (layout.left() + axis_w, layout.cursor());
    let plot_w = layout.text_width() - axis_w;
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f32;
    let bin_w = plot_w / counts.len() as f32;
    for (i, &c) in counts.iter().enumerate() {
        let h = plot_h * c as f32 / max;
        let x = x0 + bin_w * i as f32;
        layout.rect(x + 0.5, y0 + plot_h - h, (bin_w - 1.0).max(0.3), h, color);
    }
    layout.hline(x0, y0 + plot_h, plot_w, INK, 0.6);
    layout.polyline(&[(x0, y0), (x0, y0 + plot_h)], INK, 0.6);
    for (frac, value) in [(0.0, max), (0.5, max / 2.0)] {
        let y = y0 + plot_h * frac;
        layout.hline(x0 - 3.0, y, 3.0, INK, 0.6);
        layout.text_in(
            (layout.left(), y - size::TINY / 2.0, axis_w - 6.0),
            &format!("{value:.0}"),
            (Weight::Regular, size::TINY, MUTED),
            Align::Right,
        );
    }
    let ty = y0 + plot_h + 4.0;
    layout.text(x0, ty, labels.0, Weight::Regular, size::TINY, MUTED);
    layout.text_in(
        (x0, ty, plot_w),
        labels.1,
        (Weight::Regular, size::TINY, MUTED),
        Align::Right,
    );
    layout.space(plot_h + 22.0);
}

/// A line through `values` with an optional straight trend (slope, intercept over the
/// index), first and last labels on the x axis, min and max on the y axis.
pub fn line(
    layout: &mut Layout,
    values: &[f64],
    trend: Option<(f64, f64)>,
    x_labels: (&str, &str),
    color: Rgbf,
) {
    if values.is_empty() {
        return;
    }
    let plot_h = 150.0;
    layout.ensure(plot_h + 50.0);
    let axis_w = 50.0;
    let (x0, y0) = (layout.left() + axis_w, layout.cursor());
    let plot_w = layout.text_width() - axis_w;
    let finite_values: Vec<f64> = values.iter().map(|v| finite(*v)).collect();
    let lo = finite_values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let hi = finite_values
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let step = if values.len() > 1 {
        plot_w / (values.len() - 1) as f32
    } else {
        0.0
    };
    let to_y = |v: f64| y0 + plot_h - (plot_h as f64 * ((v - lo) / span)) as f32;
    layout.hline(x0, y0 + plot_h, plot_w, INK, 0.6);
    layout.polyline(&[(x0, y0), (x0, y0 + plot_h)], INK, 0.6);
    for (v, y) in [(hi, to_y(hi)), (lo, to_y(lo))] {
        layout.hline(x0, y, plot_w, RULE, 0.3);
        layout.text_in(
            (layout.left(), y - size::TINY / 2.0, axis_w - 6.0),
            &format!("{v:.0}"),
            (Weight::Regular, size::TINY, MUTED),
            Align::Right,
        );
    }
    let points: Vec<(f32, f32)> = finite_values
        .iter()
        .enumerate()
        .map(|(i, v)| (x0 + step * i as f32, to_y(*v)))
        .collect();
    layout.polyline(&points, color, 1.4);
    if let Some((slope, intercept)) = trend {
        let last = (values.len().max(1) - 1) as f64;
        let ends = [
            (x0, to_y(finite(intercept).clamp(lo, hi))),
            (
                x0 + step * last as f32,
                to_y(finite(intercept + slope * last).clamp(lo, hi)),
            ),
        ];
        layout.polyline(&ends, PALETTE[1], 1.0);
    }
    let ty = y0 + plot_h + 4.0;
    layout.text(x0, ty, x_labels.0, Weight::Regular, size::TINY, MUTED);
    layout.text_in(
        (x0, ty, plot_w),
        x_labels.1,
        (Weight::Regular, size::TINY, MUTED),
        Align::Right,
    );
    layout.space(plot_h + 20.0);
    legend(
        layout,
        &[
            ("count per period", color),
            ("least-squares trend", PALETTE[1]),
        ],
    );
}

pub fn legend(layout: &mut Layout, entries: &[(&str, Rgbf)]) {
    layout.ensure(14.0);
    let mut x = layout.left() + 50.0;
    let y = layout.cursor();
    for (name, color) in entries {
        layout.rect(x, y + 2.0, 10.0, 4.0, *color);
        layout.text(x + 14.0, y, name, Weight::Regular, size::SMALL, MUTED);
        x += 24.0 + layout.fonts.regular.width(name, size::SMALL);
    }
    layout.space(18.0);
}

/// Diverging blue–white–orange for −1…1 (colour-blind safe ends), grey when missing.
pub fn heat_colour(value: Option<f64>) -> Rgbf {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return (0.9, 0.9, 0.9);
    };
    let t = v.clamp(-1.0, 1.0) as f32;
    let (end, t) = if t >= 0.0 {
        (PALETTE[0], t)
    } else {
        (PALETTE[5], -t)
    };
    (
        1.0 + (end.0 - 1.0) * t,
        1.0 + (end.1 - 1.0) * t,
        1.0 + (end.2 - 1.0) * t,
    )
}
