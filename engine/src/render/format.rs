//! Numbers written for people, in the spec's locale. Non-finite values get words, never
//! a panic.

use super::spec::Locale;

/// `value` with `decimals` fixed decimals and grouped thousands, so a right-aligned column
/// lines up on the decimal point.
pub fn number(value: f64, decimals: usize, locale: Locale) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "−∞" }.to_owned();
    }
    if value.abs() >= 1e15 {
        return format!("{value:.3e}");
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (group, point) = match locale {
        Locale::En => (',', '.'),
        Locale::De => ('.', ','),
        Locale::Fr => ('\u{202f}', ','),
    };
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('−');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

pub fn count(value: u64, locale: Locale) -> String {
    number(value as f64, 0, locale)
}

/// Enough decimals to tell the values of a column apart, at most four.
pub fn decimals_for(values: &[f64]) -> usize {
    let largest = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    match largest {
        l if l >= 1000.0 => 1,
        l if l >= 10.0 => 2,
        _ => 3,
    }
}

/// An ISO date (`2026-11-22…`) in the locale's order; other text is returned as is.
pub fn date(iso: &str, locale: Locale) -> String {
    let parts: Vec<&str> = iso.get(..10).unwrap_or("").split('-').collect();
    match (locale, parts.as_slice()) {
        (Locale::De, [y, m, d]) => format!("{d}.{m}.{y}"),
        (Locale::Fr, [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_per_locale() {
        assert_eq!(number(1234567.891, 2, Locale::En), "1,234,567.89");
        assert_eq!(number(-1234.5, 1, Locale::De), "−1.234,5");
        assert_eq!(number(f64::NAN, 2, Locale::En), "NaN");
        assert_eq!(number(f64::NEG_INFINITY, 2, Locale::En), "−∞");
        assert_eq!(number(1e308, 2, Locale::En), "1.000e308");
        assert_eq!(number(-0.0001, 2, Locale::En), "0.00");
    }

    #[test]
    fn dates_follow_the_locale() {
        assert_eq!(date("2026-11-22", Locale::De), "22.11.2026");
        assert_eq!(date("2026-11-22", Locale::En), "2026-11-22");
        assert_eq!(date("é", Locale::Fr), "é");
    }
}
