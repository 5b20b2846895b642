//! Classifying one cell: what kind of value a string holds.
//!
//! A column's type is decided over all its cells by [`resolve_type`]: integers widen to floats and
//! dates to datetimes; any other mix is `mixed`.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::fast_parse;
pub use super::fast_parse::Decimal;
use crate::profile::ColumnType;

/// Strings that mean "no value".
pub const MISSING_MARKERS: [&str; 7] = ["", "NA", "N/A", "null", "NULL", "NaN", "-"];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Missing,
    Integer(i64),
    Float(f64),
    Boolean(bool),
    /// Days since 1970-01-01.
    Date(i64),
    /// Seconds since 1970-01-01T00:00:00Z (offsets applied; naive times taken as UTC).
    Datetime(f64),
    /// Digits with a leading zero (zip codes, phone numbers): text, but a column of them mixed
    /// with plain integers is still a column of identifiers.
    Identifier,
    Text,
}

/// The kind of a cell, as an index into per-kind counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer = 0,
    Float = 1,
    Boolean = 2,
    Date = 3,
    Datetime = 4,
    Text = 5,
    Identifier = 6,
}

pub const KINDS: usize = 7;

impl Cell {
    pub fn kind(self) -> Option<Kind> {
        match self {
            Cell::Missing => None,
            Cell::Integer(_) => Some(Kind::Integer),
            Cell::Float(_) => Some(Kind::Float),
            Cell::Boolean(_) => Some(Kind::Boolean),
            Cell::Date(_) => Some(Kind::Date),
            Cell::Datetime(_) => Some(Kind::Datetime),
            Cell::Text => Some(Kind::Text),
            Cell::Identifier => Some(Kind::Identifier),
        }
    }

    /// The value on a number line, for numbers (and 0/1 booleans are not numbers here).
    pub fn as_number(self) -> Option<f64> {
        match self {
            Cell::Integer(i) => Some(i as f64),
            Cell::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The value as seconds since the epoch, for dates and datetimes.
    pub fn as_seconds(self) -> Option<f64> {
        match self {
            Cell::Date(d) => Some(d as f64 * 86_400.0),
            Cell::Datetime(s) => Some(s),
            _ => None,
        }
    }
}

/// One of [`MISSING_MARKERS`]; none is longer than four bytes, which rules out most cells at once.
fn is_marker(s: &str) -> bool {
    s.len() <= 4 && MISSING_MARKERS.contains(&s)
}

pub fn is_missing(s: &str) -> bool {
    is_marker(trim(s))
}

/// [`str::trim`], answering at once for the usual cell that needs none (see [`has_plain_ends`]).
pub fn trim(s: &str) -> &str {
    if has_plain_ends(s) {
        s
    } else {
        s.trim()
    }
}

/// Whether `s` starts and ends with a printable ASCII character, so that trimming leaves it as it
/// is (every whitespace character is either at most a space or not ASCII).
#[inline(always)]
fn has_plain_ends(s: &str) -> bool {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    let bytes = s.as_bytes();
    plain(bytes.first()) && plain(bytes.last())
}

/// The cell `s` is if it is a plain decimal with nothing to trim (see [`fast_parse::decimal`]),
/// as [`classify`] reads it; `None` says nothing about any other cell.
#[inline(always)]
pub fn plain_decimal(s: &str) -> Option<Decimal> {
    if has_plain_ends(s) {
        fast_parse::decimal(s)
    } else {
        None
    }
}

pub fn classify(raw: &str) -> Cell {
    classify_trimmed(trim(raw))
}

/// [`classify`] of a cell already trimmed. Inlined into the column loop for the reason
/// [`fast_parse::number`] is.
#[inline(always)]
pub fn classify_trimmed(s: &str) -> Cell {
    // Numbers first, the most common cells: no missing marker has a digit.
    if let Some(c) = fast_parse::number(s) {
        return c;
    }
    if s.as_bytes().first().is_some_and(|&b| begins_only_text(b)) {
        return Cell::Text;
    }
    if is_marker(s) {
        return Cell::Missing;
    }
    if let Some(t) = fast_parse::datetime(s) {
        return Cell::Datetime(t);
    }
    if let Some(d) = fast_parse::date(s) {
        return Cell::Date(d);
    }
    classify_generally(s)
}

/// Whether a cell starting with this byte can only be text: numbers, dates and times start with
/// a digit, a sign or a point, booleans with `t` or `f`, and missing markers with `n`, `N` or `-`
/// (a category such as `cat1`, a name, or any non-ASCII first character).
fn begins_only_text(first: u8) -> bool {
    first >= 0x80 || (first.is_ascii_alphabetic() && !b"tTfFnN".contains(&first))
}

/// [`classify`] without its fast paths, which must agree with it.
#[cfg(test)]
pub(crate) fn classify_slowly(raw: &str) -> Cell {
    let s = trim(raw);
    if is_marker(s) {
        Cell::Missing
    } else {
        classify_generally(s)
    }
}

/// Any trimmed cell that is not a missing marker.
fn classify_generally(s: &str) -> Cell {
    if let Some(c) = parse_number(s) {
        return c;
    }
    match s {
        "true" | "True" | "TRUE" => return Cell::Boolean(true),
        "false" | "False" | "FALSE" => return Cell::Boolean(false),
        _ => {}
    }
    if let Some(d) = parse_date(s) {
        return Cell::Date(days_since_epoch(d));
    }
    if let Some(t) = parse_datetime(s) {
        return Cell::Datetime(t);
    }
    Cell::Text
}

fn parse_number(s: &str) -> Option<Cell> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let first = digits.chars().next()?;
    // Rust also parses "inf" and "nan"; data people mean text (or missing) by those.
    if !(first.is_ascii_digit() || first == '.') {
        return None;
    }
    // Zip codes, phone numbers and other identifiers with leading zeros stay text.
    let int_part = digits.split(['.', 'e', 'E']).next().unwrap_or("");
    if int_part.len() > 1 && int_part.starts_with('0') {
        let all_digits = digits.bytes().all(|b| b.is_ascii_digit());
        return all_digits.then_some(Cell::Identifier);
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        return match s.parse::<i64>() {
            Ok(i) => Some(Cell::Integer(i)),
            // Too large for i64: still a number.
            Err(_) => s.parse::<f64>().ok().map(Cell::Float),
        };
    }
    if !digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
    {
        return None;
    }
    s.parse::<f64>().ok().map(Cell::Float)
}

const DATE_FORMATS: [&str; 4] = ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%m/%d/%Y"];
const NAIVE_DATETIME_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];
const OFFSET_DATETIME_FORMATS: [&str; 2] = ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"];

fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() < 8 || s.len() > 10 {
        return None;
    }
    DATE_FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
        // Day-first dates that cannot be month-first (13/01/2024).
        .or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

fn parse_datetime(s: &str) -> Option<f64> {
    if s.len() < 16 || !s.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(epoch_seconds(t.naive_utc()));
    }
    if let Some(t) = OFFSET_DATETIME_FORMATS
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
    {
        return Some(epoch_seconds(t.naive_utc()));
    }
    let naive = s.strip_suffix('Z').unwrap_or(s);
    NAIVE_DATETIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())
        .map(epoch_seconds)
}

fn days_since_epoch(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

fn epoch_seconds(t: NaiveDateTime) -> f64 {
    let u = t.and_utc();
    u.timestamp() as f64 + f64::from(u.timestamp_subsec_nanos()) / 1e9
}

/// The column type from how many cells of each [`Kind`] were seen.
pub fn resolve_type(kind_counts: &[u64; KINDS]) -> ColumnType {
    let mut kind_counts = *kind_counts;
    let identifiers = std::mem::take(&mut kind_counts[Kind::Identifier as usize]);
    if identifiers > 0 {
        let others = kind_counts.iter().sum::<u64>() - kind_counts[Kind::Integer as usize];
        if others == 0 {
            return ColumnType::Text;
        }
        kind_counts[Kind::Text as usize] += identifiers;
    }
    let present = |k: Kind| kind_counts[k as usize] > 0;
    let kinds = kind_counts.iter().filter(|&&c| c > 0).count();
    match kinds {
        0 => ColumnType::Text,
        1 if present(Kind::Integer) => ColumnType::Integer,
        1 if present(Kind::Float) => ColumnType::Float,
        1 if present(Kind::Boolean) => ColumnType::Boolean,
        1 if present(Kind::Date) => ColumnType::Date,
        1 if present(Kind::Datetime) => ColumnType::Datetime,
        1 => ColumnType::Text,
        2 if present(Kind::Integer) && present(Kind::Float) => ColumnType::Float,
        2 if present(Kind::Date) && present(Kind::Datetime) => ColumnType::Datetime,
        _ => ColumnType::Mixed,
    }
}

/// Formats seconds since the epoch as ISO 8601 (a date when `date_only`).
pub fn format_seconds(secs: f64, date_only: bool) -> String {
    let whole = secs.floor() as i64;
    let nanos = ((secs - secs.floor()) * 1e9).round().min(999_999_999.0) as u32;
    match DateTime::from_timestamp(whole, nanos) {
        Some(t) if date_only => t.format("%Y-%m-%d").to_string(),
        Some(t) if nanos == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => secs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_markers_are_missing() {
        for m in ["", " ", "NA", "N/A", "null", "NULL", "NaN", "-"] {
            assert_eq!(classify(m), Cell::Missing, "{m:?}");
        }
    }

    #[test]
    fn numbers_booleans_and_identifiers() {
        assert_eq!(classify("42"), Cell::Integer(42));
        assert_eq!(classify("-7"), Cell::Integer(-7));
        assert_eq!(classify("0"), Cell::Integer(0));
        assert_eq!(classify("3.5"), Cell::Float(3.5));
        assert_eq!(classify("0.25"), Cell::Float(0.25));
        assert_eq!(classify("1e3"), Cell::Float(1000.0));
        assert_eq!(classify("00501"), Cell::Identifier);
        assert_eq!(classify("0612345678"), Cell::Identifier);
        assert_eq!(classify("00.5"), Cell::Text);
        assert_eq!(classify("inf"), Cell::Text);
        assert_eq!(classify("1,5"), Cell::Text);
        assert_eq!(classify("TRUE"), Cell::Boolean(true));
        assert_eq!(classify("x"), Cell::Text);
    }

    #[test]
    fn dates_in_several_formats() {
        let d = classify("2024-03-01");
        assert_eq!(d, classify("2024/03/01"));
        assert_eq!(d, classify("01.03.2024"));
        assert_eq!(d, classify("03/01/2024"));
        assert_eq!(classify("13/01/2024"), classify("2024-01-13"));
        assert_eq!(classify("1970-01-02"), Cell::Date(1));
    }

    #[test]
    fn datetimes_apply_their_offsets() {
        let utc = classify("2024-03-01T10:00:00Z");
        assert_eq!(utc, classify("2024-03-01T12:00:00+02:00"));
        assert_eq!(utc, classify("2024-03-01 10:00:00"));
        assert_eq!(utc, classify("2024-03-01 11:00:00+0100"));
        assert!(matches!(utc, Cell::Datetime(_)));
    }

    #[test]
    fn types_resolve_over_all_cells() {
        let mut ids = [0u64; KINDS];
        ids[Kind::Identifier as usize] = 1;
        ids[Kind::Integer as usize] = 5;
        assert_eq!(resolve_type(&ids), ColumnType::Text);
        ids[Kind::Float as usize] = 1;
        assert_eq!(resolve_type(&ids), ColumnType::Mixed);
        let mut c = [0u64; KINDS];
        assert_eq!(resolve_type(&c), ColumnType::Text);
        c[Kind::Integer as usize] = 3;
        assert_eq!(resolve_type(&c), ColumnType::Integer);
        c[Kind::Float as usize] = 1;
        assert_eq!(resolve_type(&c), ColumnType::Float);
        c[Kind::Text as usize] = 1;
        assert_eq!(resolve_type(&c), ColumnType::Mixed);
    }

    proptest::proptest! {
        #[test]
        fn trim_agrees_with_str_trim(s in "[ \t\u{b}\u{a0}\u{3000}a-z0-9é]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }

        #[test]
        fn classify_never_panics(s in "\\PC{0,40}") {
            let _ = classify(&s);
        }

        #[test]
        fn fast_paths_agree_with_the_general_one(
            s in proptest::prop_oneof![
                "\\PC{0,12}",
                "[ +.0-9a-zA-Z/:-]{0,12}",
                "[+-]?[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?Z?",
                "(true|True|TRUE|false|False|FALSE|NA|N/A|null|NULL|NaN|-|nan|inf)",
            ],
        ) {
            proptest::prop_assert_eq!(classify(&s), classify_slowly(&s), "{:?}", s);
        }

        #[test]
        fn integers_round_trip(i in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(classify(&i.to_string()), Cell::Integer(i));
        }
    }
}
