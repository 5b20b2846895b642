//! Where a table's values lie in the order of numbers and times, so that a later value outside
//! that stretch is known not to be among them without a lookup.
//!
//! Ids, timestamps and dates of logs come in order: once a column's table is full, every later
//! value is past its greatest, and need not be looked up in the filter at all.

/// The least and greatest `order` of some values: a value's number, or its time in seconds for
/// a date or datetime, and NaN for a value with neither (text). Equal values have equal orders
/// (a value counted by its text is one cell, classified one way; a number by its value), so a
/// value whose order lies outside the span of a table's values is none of them. Text has no
/// order and is never outside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrderSpan {
    low: f64,
    high: f64,
}

impl Default for OrderSpan {
    /// The span of no value: every order lies outside it.
    fn default() -> Self {
        OrderSpan {
            low: f64::INFINITY,
            high: f64::NEG_INFINITY,
        }
    }
}

impl OrderSpan {
    /// The span of values whose orders are not known: no order lies outside it.
    pub fn everything() -> Self {
        OrderSpan {
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
        }
    }

    /// Widens the span to a value of this order (NaN, a value without one, to everything).
    #[inline(always)]
    pub fn include(&mut self, order: f64) {
        // Selects, not branches: this runs for every cell. NaN compares false both ways and
        // leaves the bounds as they are; `unordered` then opens them.
        self.low = if order < self.low { order } else { self.low };
        self.high = if order > self.high { order } else { self.high };
        let unordered = order.is_nan();
        self.low = if unordered {
            f64::NEG_INFINITY
        } else {
            self.low
        };
        self.high = if unordered { f64::INFINITY } else { self.high };
    }

    pub fn join(&mut self, other: &OrderSpan) {
        self.low = self.low.min(other.low);
        self.high = self.high.max(other.high);
    }

    /// Whether no value of one span can be a value of the other.
    pub fn is_apart_from(&self, other: &OrderSpan) -> bool {
        self.high < other.low || other.high < self.low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_apart_share_no_order_and_text_opens_a_span_to_everything() {
        let span = |orders: &[f64]| {
            let mut s = OrderSpan::default();
            orders.iter().for_each(|&x| s.include(x));
            s
        };
        let (ids, later) = (span(&[3.0, -2.5, 1.0]), span(&[4.0, 9.0]));
        assert!(ids.is_apart_from(&later) && later.is_apart_from(&ids));
        assert!(!ids.is_apart_from(&span(&[3.0, 9.0])), "they share 3");
        assert!(
            !ids.is_apart_from(&span(&[-9.0, 9.0])),
            "one holds the other"
        );
        assert!(OrderSpan::default().is_apart_from(&ids), "no value at all");
        let with_text = span(&[4.0, f64::NAN, 9.0]);
        assert_eq!(with_text, OrderSpan::everything());
        assert!(!with_text.is_apart_from(&ids));
        let mut joined = ids;
        joined.join(&later);
        assert_eq!(joined, span(&[-2.5, 9.0]));
        assert!(!OrderSpan::everything().is_apart_from(&span(&[f64::INFINITY])));
    }
}
