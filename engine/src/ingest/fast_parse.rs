//! Fast paths for the cells most files are made of: plain decimals and ISO dates and times.
//!
//! Each answers only for text of one exact shape, and then exactly as the general parsers of
//! `infer.rs` would (same integer, same correctly rounded float, same seconds); anything else is
//! `None` and goes the general way.

use super::infer::Cell;

/// Up to 18 digits never overflow an i64; up to 19 fit a u64.
const SAFE_INTEGER_DIGITS: usize = 18;
const MAX_MANTISSA_DIGITS: usize = 19;
/// Integers up to 2^53 and powers of ten up to 10^22 are exact in an f64, so one division of
/// one by the other is correctly rounded: the result `str::parse` gives (Clinger's fast path).
const MAX_EXACT_MANTISSA: u64 = 1 << 53;
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal, read by [`decimal`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decimal {
    /// Digits alone.
    Integer(i64),
    /// Digits with a fraction, and the integer they equal if the fraction is all zeros (`2.0`):
    /// told by the digits, where asking the float takes three dependent conversions.
    Fraction { value: f64, whole: Option<i64> },
}

/// `[+-]?digits` or `[+-]?digits.digits`, without a leading zero before more digits (those are
/// identifiers or dates, for the general path).
///
/// Inlined: called, it returns the cell through memory, and the caller's one 16-byte read of
/// what was written as a tag and a number waits for both stores (no store forwarding).
#[inline(always)]
pub fn number(s: &str) -> Option<Cell> {
    Some(match decimal(s)? {
        Decimal::Integer(i) => Cell::Integer(i),
        Decimal::Fraction { value, .. } => Cell::Float(value),
    })
}

/// [`number`], as a [`Decimal`].
///
/// One pass checks the digits and accumulates them: past the digit limits the wrapped value is
/// never used, and within them (at most 19 digits) it cannot overflow a u64.
#[inline(always)]
pub fn decimal(s: &str) -> Option<Decimal> {
    let bytes = s.as_bytes();
    let (negative, body) = match bytes.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, bytes),
    };
    let signed = |magnitude: u64| {
        let magnitude = magnitude as i64;
        if negative {
            -magnitude
        } else {
            magnitude
        }
    };
    let mut mantissa = 0u64;
    let mut int_len = 0;
    for &b in body {
        let Some(d) = digit(b) else { break };
        mantissa = mantissa.wrapping_mul(10).wrapping_add(d);
        int_len += 1;
    }
    if int_len == 0 || (int_len > 1 && body.first() == Some(&b'0')) {
        return None;
    }
    let rest = body.get(int_len..).unwrap_or_default();
    if rest.is_empty() {
        return (int_len <= SAFE_INTEGER_DIGITS).then(|| Decimal::Integer(signed(mantissa)));
    }
    let frac = rest.strip_prefix(b".")?;
    if frac.is_empty()
        || frac.len() >= POWERS_OF_TEN.len()
        || int_len + frac.len() > MAX_MANTISSA_DIGITS
    {
        return None;
    }
    let whole = mantissa;
    let mut fraction_digits = 0;
    for &b in frac {
        let d = digit(b)?;
        mantissa = mantissa.wrapping_mul(10).wrapping_add(d);
        fraction_digits |= d;
    }
    if mantissa > MAX_EXACT_MANTISSA {
        return None;
    }
    let x = mantissa as f64 / POWERS_OF_TEN[frac.len()];
    Some(Decimal::Fraction {
        value: if negative { -x } else { x },
        // Below 2^53 the whole part is the float's value exactly.
        whole: (fraction_digits == 0).then(|| signed(whole)),
    })
}

/// The value of an ASCII digit.
fn digit(b: u8) -> Option<u64> {
    let d = b.wrapping_sub(b'0');
    (d < 10).then_some(u64::from(d))
}

/// `YYYY-MM-DD`, as days since 1970-01-01.
pub fn date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 {
        return None;
    }
    days(b)
}

/// `YYYY-MM-DDTHH:MM:SS` (or a space for the `T`), optionally ending in `Z`: seconds since the
/// epoch, read as UTC.
pub fn datetime(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let b = match b.len() {
        20 if b[19] == b'Z' => &b[..19],
        19 => b,
        _ => return None,
    };
    if !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (two(&b[11..13])?, two(&b[14..16])?, two(&b[17..19])?);
    // A leap second (60) takes the general path.
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let day = days(&b[..10])?;
    Some((day * 86_400 + i64::from(hour * 3600 + minute * 60 + second)) as f64)
}

/// Days since the epoch of `YYYY-MM-DD` at the start of `b`, if it is a real date.
///
/// The last date read on this thread is remembered: rows of logs and transactions come in time
/// order, and a column of timestamps repeats each day thousands of times.
fn days(b: &[u8]) -> Option<i64> {
    thread_local! {
        /// The first ten bytes of the last date read, and its day ((0, 0) matches no date).
        static LAST: std::cell::Cell<(u64, u16, i64)> = const { std::cell::Cell::new((0, 0, 0)) };
    }
    let head: [u8; 8] = b.get(..8)?.try_into().ok()?;
    let tail: [u8; 2] = b.get(8..10)?.try_into().ok()?;
    let key = (u64::from_le_bytes(head), u16::from_le_bytes(tail));
    let (last_head, last_tail, last_day) = LAST.get();
    if key == (last_head, last_tail) {
        return Some(last_day);
    }
    let day = parse_days(b)?;
    LAST.set((key.0, key.1, day));
    Some(day)
}

/// [`days`], read afresh.
fn parse_days(b: &[u8]) -> Option<i64> {
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i64::from(two(&b[0..2])? * 100 + two(&b[2..4])?);
    let (month, day) = (two(&b[5..7])?, two(&b[8..10])?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date, by Howard Hinnant's `days_from_civil`: what chrono
/// answers, in a few integer operations.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    // Days from March 1st, when years start here.
    let day_of_year = i64::from((153 * ((month + 9) % 12) + 2) / 5 + day - 1);
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn two(b: &[u8]) -> Option<u32> {
    match b {
        [t, u] if t.is_ascii_digit() && u.is_ascii_digit() => {
            Some(u32::from(t - b'0') * 10 + u32::from(u - b'0'))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::infer::classify_slowly;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    #[test]
    fn shapes_outside_the_fast_paths_are_left_alone() {
        for s in [
            "00501",
            "1e3",
            "5.",
            ".5",
            "-",
            "1,5",
            "2024-02-30",
            "12345678901234567890",
        ] {
            assert_eq!(number(s), None, "{s}");
        }
        // `classify` tries numbers before missing markers.
        for marker in crate::ingest::infer::MISSING_MARKERS {
            assert_eq!(number(marker), None, "{marker}");
        }
        assert_eq!(datetime("2024-03-01T10:00:60Z"), None);
        assert_eq!(date("2024-13-01"), None);
    }

    proptest! {
        #[test]
        fn numbers_agree_with_the_general_path(
            s in "[+-]?[0-9]{1,20}(\\.[0-9]{1,22})?",
        ) {
            if let Some(fast) = number(&s) {
                prop_assert_eq!(Some(fast), Some(classify_slowly(&s)));
            }
        }

        #[test]
        fn floats_agree_with_the_general_path(x in -1e9f64..1e9, places in 0usize..10) {
            let s = format!("{x:.places$}");
            if let Some(fast) = number(&s) {
                prop_assert_eq!(fast, classify_slowly(&s));
            }
        }

        #[test]
        fn a_fraction_is_whole_exactly_when_its_value_is_an_integer(
            whole in -1_000_000i64..1_000_000,
            digits in "[0-9]{1,6}",
        ) {
            let s = format!("{whole}.{digits}");
            if let Some(Decimal::Fraction { value, whole: told }) = decimal(&s) {
                let integral = value == value.trunc();
                prop_assert_eq!(told, integral.then_some(value as i64), "{}", s);
            }
        }

        #[test]
        fn dates_read_in_any_order_and_repeated_are_chronos(
            dates in prop::collection::vec((1900i32..2100, 1u32..13, 1u32..29), 1..20),
            repeats in 1usize..4,
        ) {
            // Each date a few times in a row, as a time-ordered column has them, then others.
            for &(y, m, d) in dates.iter().flat_map(|date| std::iter::repeat_n(date, repeats)) {
                let s = format!("{y:04}-{m:02}-{d:02}");
                let chrono = NaiveDate::from_ymd_opt(y, m, d)
                    .map(|date| date.signed_duration_since(NaiveDate::default()).num_days());
                prop_assert_eq!(date(&s), chrono);
                let noon = chrono.map(|c| (c * 86_400 + 43_200) as f64);
                prop_assert_eq!(datetime(&format!("{s}T12:00:00Z")), noon);
            }
            prop_assert_eq!(date("2023-02-29"), None);
        }

        #[test]
        fn days_are_chronos(y in 0i64..10_000, m in 1u32..13, d in 1u32..32) {
            let chrono = NaiveDate::from_ymd_opt(y as i32, m, d)
                .map(|date| date.signed_duration_since(NaiveDate::default()).num_days());
            let ours = (d <= days_in_month(y, m)).then(|| days_from_civil(y, m, d));
            prop_assert_eq!(ours, chrono);
        }

        #[test]
        fn dates_and_times_agree_with_the_general_path(
            y in 1000u32..3000, m in 0u32..14, d in 0u32..33,
            h in 0u32..25, min in 0u32..61, sec in 0u32..61,
            sep in "[T ]", zone in "Z?",
        ) {
            let day = format!("{y:04}-{m:02}-{d:02}");
            if let Some(days) = date(&day) {
                prop_assert_eq!(Cell::Date(days), classify_slowly(&day));
            }
            let time = format!("{day}{sep}{h:02}:{min:02}:{sec:02}{zone}");
            if let Some(t) = datetime(&time) {
                prop_assert_eq!(Cell::Datetime(t), classify_slowly(&time));
            }
        }
    }
}
