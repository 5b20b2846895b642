//! How numbers, sizes and times read on the dashboard.

use engine::profile::Scalar;

/// `1536` → `1.5 KB`.
pub fn bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A statistic with about four significant digits, thousands separated, no trailing zeros.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let magnitude = x.abs();
    if magnitude >= 1e12 || (magnitude > 0.0 && magnitude < 1e-4) {
        return format!("{x:.3e}");
    }
    let decimals = match magnitude {
        m if m >= 1000.0 => 0,
        m if m >= 100.0 => 1,
        m if m >= 1.0 => 2,
        _ => 4,
    };
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    let (sign, rest) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |r| ("-", r));
    let (int, frac) = rest
        .split_once('.')
        .map_or((rest, None), |(i, f)| (i, Some(f)));
    let int = int.parse::<u64>().map(count).unwrap_or_else(|_| int.into());
    match frac {
        Some(frac) => format!("{sign}{int}.{frac}"),
        None => format!("{sign}{int}"),
    }
}

pub fn scalar(value: &Scalar) -> String {
    match value {
        Scalar::Number(x) => number(*x),
        Scalar::Text(text) => text.clone(),
    }
}

pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0 %".into();
    }
    let p = 100.0 * part as f64 / whole as f64;
    if p > 0.0 && p < 0.1 {
        "<0.1 %".into()
    } else {
        format!("{} %", number((p * 10.0).round() / 10.0))
    }
}

/// `2026-11-22T10:15:00Z` → `2026-11-22 10:15` (UTC, as the server stores it).
pub fn when(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MB");
    }

    #[test]
    fn numbers_are_short_and_grouped() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(number(1234567.89), "1,234,568");
        assert_eq!(number(-12.5), "-12.5");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(number(3.0), "3");
        assert_eq!(percent(1, 3), "33.3 %");
    }
}
