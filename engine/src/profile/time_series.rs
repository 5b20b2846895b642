//! Counts and sums per day, week or month of a date/datetime column, with a least-squares trend
//! of the count per period.

use std::collections::BTreeMap;

use crate::profile::model::{TimePoint, TimeSeries, Trend};
use crate::profile::sums::lanes;
use crate::profile::temporal::{format_day, Period};

#[derive(Debug, Clone, Default)]
pub struct TimeSeriesAcc {
    /// Day index -> (rows, sums of every column's numbers).
    per_day: BTreeMap<i64, (u64, Vec<f64>)>,
}

impl TimeSeriesAcc {
    pub fn push(&mut self, day: i64, numbers: &[Option<f64>]) {
        let (count, sums) = self.per_day.entry(day).or_default();
        *count += 1;
        if sums.len() < numbers.len() {
            sums.resize(numbers.len(), 0.0);
        }
        for (s, x) in sums.iter_mut().zip(numbers) {
            if let Some(x) = x.filter(|x| x.is_finite()) {
                *s += x;
            }
        }
    }

    /// Pushes a chunk's rows held by column: `days[r]` is row r's day, if it has one, and
    /// `columns[c][r]` column c's number (NaN for none). Runs of rows on the same day find their
    /// day once, and each column's numbers in the run are summed in lanes (see [`lanes`]).
    pub fn push_columns(&mut self, days: &[Option<i64>], columns: &[Vec<f64>]) {
        let mut start = 0;
        while start < days.len() {
            let day = days[start];
            let end = days[start..]
                .iter()
                .position(|d| *d != day)
                .map_or(days.len(), |n| start + n);
            if let Some(day) = day {
                let (count, sums) = self.per_day.entry(day).or_default();
                *count += (end - start) as u64;
                if sums.len() < columns.len() {
                    sums.resize(columns.len(), 0.0);
                }
                for (s, xs) in sums.iter_mut().zip(columns) {
                    let run = xs.get(start..end).unwrap_or(&[]);
                    *s += lanes(run, |x| if x.is_nan() { 0.0 } else { x });
                }
            }
            start = end;
        }
    }

    /// Adds `other`, which holds the rows that came after ours.
    pub fn merge(&mut self, other: &TimeSeriesAcc) {
        for (&day, (count, sums)) in &other.per_day {
            let (c, s) = self.per_day.entry(day).or_default();
            *c += count;
            if s.len() < sums.len() {
                s.resize(sums.len(), 0.0);
            }
            for (a, b) in s.iter_mut().zip(sums) {
                *a += b;
            }
        }
    }

    pub fn finish(&self, column: String, measures: &[(usize, String)]) -> TimeSeries {
        let (Some(&first), Some(&last)) = (self.per_day.keys().next(), self.per_day.keys().last())
        else {
            return TimeSeries {
                column,
                period: Period::Day.as_str().to_string(),
                measures: measures.iter().map(|(_, n)| n.clone()).collect(),
                points: Vec::new(),
                trend: None,
            };
        };
        let period = Period::for_span(last - first, false);
        let mut buckets: BTreeMap<i64, (u64, Vec<f64>)> = BTreeMap::new();
        // Empty periods are points too, so the trend sees a regular series.
        let mut start = period.start(first);
        while start <= last {
            buckets.insert(start, (0, vec![0.0; measures.len()]));
            start = period.next(start);
        }
        for (&day, (count, sums)) in &self.per_day {
            let (c, s) = buckets
                .entry(period.start(day))
                .or_insert_with(|| (0, vec![0.0; measures.len()]));
            *c += count;
            for (slot, (i, _)) in s.iter_mut().zip(measures) {
                *slot += sums.get(*i).copied().unwrap_or(0.0);
            }
        }
        let points: Vec<TimePoint> = buckets
            .into_iter()
            .map(|(day, (count, sums))| TimePoint {
                period: format_day(day),
                count,
                sums,
            })
            .collect();
        let counts: Vec<f64> = points.iter().map(|p| p.count as f64).collect();
        TimeSeries {
            column,
            period: period.as_str().to_string(),
            measures: measures.iter().map(|(_, n)| n.clone()).collect(),
            trend: trend(&counts),
            points,
        }
    }
}

/// Least squares of `ys` against 0, 1, 2, …; `None` below two points. r² is 1 for a flat line
/// through flat data.
pub fn trend(ys: &[f64]) -> Option<Trend> {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return None;
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, &y) in ys.iter().enumerate() {
        let dx = i as f64 - mean_x;
        let dy = y - mean_y;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let slope = sxy / sxx;
    Some(Trend {
        slope,
        intercept: mean_y - slope * mean_x,
        r2: if syy == 0.0 {
            1.0
        } else {
            sxy * sxy / (sxx * syy)
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_of_a_line_is_exact() {
        let t = trend(&[1.0, 3.0, 5.0, 7.0]).expect("points");
        assert_eq!((t.slope, t.intercept, t.r2), (2.0, 1.0, 1.0));
        assert_eq!(trend(&[1.0]), None);
    }

    #[test]
    fn gaps_become_empty_periods() {
        let mut acc = TimeSeriesAcc::default();
        acc.push(0, &[Some(2.0)]);
        acc.push(0, &[Some(3.0)]);
        acc.push(2, &[None]);
        let ts = acc.finish("t".into(), &[(0, "x".into())]);
        assert_eq!(ts.period, "day");
        let got: Vec<(&str, u64, f64)> = ts
            .points
            .iter()
            .map(|p| (p.period.as_str(), p.count, p.sums[0]))
            .collect();
        assert_eq!(
            got,
            [
                ("1970-01-01", 2, 5.0),
                ("1970-01-02", 0, 0.0),
                ("1970-01-03", 1, 0.0)
            ]
        );
    }
}
