//! Dates and datetimes: first, last and counts per period, the period chosen from the span.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate};

use crate::ingest::infer::format_seconds;
use crate::profile::model::{PeriodCount, TemporalStats};

const SECONDS_PER_DAY: f64 = 86_400.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// Day for up to three months, week up to two years, month up to twenty, then year.
    pub fn for_span(days: i64, allow_year: bool) -> Period {
        match days {
            ..=92 => Period::Day,
            93..=731 => Period::Week,
            _ if !allow_year || days <= 7_305 => Period::Month,
            _ => Period::Year,
        }
    }

    /// The first day (days since the epoch) of the period holding `day`.
    pub fn start(self, day: i64) -> i64 {
        match self {
            Period::Day => day,
            // 1970-01-01 was a Thursday; weeks start on Monday.
            Period::Week => day - (day + 3).rem_euclid(7),
            Period::Month | Period::Year => {
                let Some(date) = date_of(day) else { return day };
                let month = if self == Period::Month {
                    date.month()
                } else {
                    1
                };
                NaiveDate::from_ymd_opt(date.year(), month, 1).map_or(day, day_of)
            }
        }
    }

    /// The first day of the period after the one starting on `start`.
    pub fn next(self, start: i64) -> i64 {
        match self {
            Period::Day => start + 1,
            Period::Week => start + 7,
            Period::Month => self.start(start + 31),
            Period::Year => self.start(start + 366),
        }
    }
}

pub fn day_index(seconds: f64) -> i64 {
    floor_to_i64(seconds / SECONDS_PER_DAY)
}

/// `x.floor() as i64`, without the library call `floor` is on x86-64 before SSE4.1 (twice a
/// datetime cell): the cast truncates towards zero, one too high for negative fractions.
fn floor_to_i64(x: f64) -> i64 {
    let truncated = x as i64;
    if truncated as f64 > x {
        truncated.saturating_sub(1)
    } else {
        truncated
    }
}

fn date_of(day: i64) -> Option<NaiveDate> {
    DateTime::from_timestamp(day.checked_mul(86_400)?, 0).map(|t| t.date_naive())
}

fn day_of(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

pub fn format_day(day: i64) -> String {
    date_of(day).map_or_else(|| day.to_string(), |d| d.to_string())
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Temporal {
    first: Option<f64>,
    last: Option<f64>,
    per_day: BTreeMap<i64, u64>,
    /// The day of the latest values and how many there were, not yet in `per_day`: rows of one
    /// day tend to come together, and counting them here spares a tree lookup per value.
    run: Option<(i64, u64)>,
}

impl Temporal {
    pub fn push(&mut self, seconds: f64) {
        if !seconds.is_finite() {
            return;
        }
        self.first = Some(self.first.map_or(seconds, |f| f.min(seconds)));
        self.last = Some(self.last.map_or(seconds, |l| l.max(seconds)));
        let day = day_index(seconds);
        match &mut self.run {
            Some((d, count)) if *d == day => *count += 1,
            run => {
                if let Some((d, count)) = run.replace((day, 1)) {
                    *self.per_day.entry(d).or_default() += count;
                }
            }
        }
    }

    /// Values per day.
    fn days(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        self.per_day.iter().map(|(&d, &c)| (d, c)).chain(self.run)
    }

    pub fn merge(&mut self, other: &Temporal) {
        for s in [other.first, other.last].into_iter().flatten() {
            self.first = Some(self.first.map_or(s, |f| f.min(s)));
            self.last = Some(self.last.map_or(s, |l| l.max(s)));
        }
        for (d, c) in other.days() {
            *self.per_day.entry(d).or_default() += c;
        }
    }

    pub fn first(&self) -> Option<f64> {
        self.first
    }

    pub fn last(&self) -> Option<f64> {
        self.last
    }

    pub fn summary(&self, date_only: bool) -> Option<TemporalStats> {
        let (first, last) = (self.first?, self.last?);
        let span = day_index(last) - day_index(first);
        let period = Period::for_span(span, true);
        let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
        for (d, c) in self.days() {
            *counts.entry(period.start(d)).or_default() += c;
        }
        Some(TemporalStats {
            first: format_seconds(first, date_only),
            last: format_seconds(last, date_only),
            period: period.as_str().to_string(),
            counts: counts
                .into_iter()
                .map(|(d, count)| PeriodCount {
                    period: format_day(d),
                    count,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i64 {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or(0, day_of)
    }

    #[test]
    fn floor_to_i64_is_floor_cast_everywhere() {
        let special = [
            0.0, -0.0, 0.5, -0.5, 1.0, -1.0, -1e-300, 86_399.999, -86_400.0,
        ];
        let extreme = [1e30, -1e30, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let spread = (-2_000..2_000).map(|i| f64::from(i) * 0.37);
        for x in special.into_iter().chain(extreme).chain(spread) {
            assert_eq!(floor_to_i64(x), x.floor() as i64, "{x}");
        }
    }

    #[test]
    fn periods_start_where_expected() {
        assert_eq!(
            format_day(Period::Week.start(day("2024-03-07"))),
            "2024-03-04"
        );
        assert_eq!(
            format_day(Period::Month.start(day("2024-03-31"))),
            "2024-03-01"
        );
        assert_eq!(
            format_day(Period::Month.next(day("2024-01-01"))),
            "2024-02-01"
        );
        assert_eq!(
            format_day(Period::Year.start(day("1969-07-20"))),
            "1969-01-01"
        );
    }

    #[test]
    fn counts_per_period_and_merge() {
        let mut a = Temporal::default();
        let mut b = Temporal::default();
        a.push(day("2024-01-01") as f64 * 86_400.0);
        b.push(day("2024-01-03") as f64 * 86_400.0 + 3600.0);
        a.merge(&b);
        let s = a.summary(false).expect("values");
        assert_eq!(s.first, "2024-01-01T00:00:00Z");
        assert_eq!(s.last, "2024-01-03T01:00:00Z");
        assert_eq!(s.period, "day");
        assert_eq!(s.counts.len(), 2);
        assert_eq!(Temporal::default().summary(true), None);
    }
}
