//! Text values: their lengths in characters (not bytes), and the least and greatest of a run of
//! them in code-point order.

use crate::profile::model::LengthStats;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLengths {
    count: u64,
    total: u64,
    min: u64,
    max: u64,
}

impl TextLengths {
    /// The lengths of `count` values of `total` characters in all, from `min` to `max` (unused
    /// when `count` is 0), as a loop that counts them in locals finds them.
    pub fn of_run(count: u64, total: u64, min: u64, max: u64) -> Self {
        if count == 0 {
            return TextLengths::default();
        }
        TextLengths {
            count,
            total,
            min,
            max,
        }
    }

    pub fn push(&mut self, value: &str) {
        let len = if value.is_ascii() {
            value.len()
        } else {
            characters(value)
        };
        self.push_chars(len);
    }

    /// Counts a value of `len` characters.
    pub fn push_chars(&mut self, len: usize) {
        let len = len as u64;
        self.min = if self.count == 0 {
            len
        } else {
            self.min.min(len)
        };
        self.max = self.max.max(len);
        self.total += len;
        self.count += 1;
    }

    pub fn merge(&mut self, other: &TextLengths) {
        if other.count == 0 {
            return;
        }
        self.min = if self.count == 0 {
            other.min
        } else {
            self.min.min(other.min)
        };
        self.max = self.max.max(other.max);
        self.total += other.total;
        self.count += other.count;
    }

    pub fn summary(&self) -> Option<LengthStats> {
        (self.count > 0).then(|| LengthStats {
            min: self.min,
            max: self.max,
            mean: self.total as f64 / self.count as f64,
        })
    }
}

/// The least and greatest of some text values in code-point order (byte order, for UTF-8). Each
/// bound keeps its first eight bytes as a big-endian number, so that most values are placed by
/// comparing two integers instead of two strings.
#[derive(Debug, Clone, Copy)]
pub struct TextRange<'v> {
    low: &'v str,
    low_key: u64,
    high: &'v str,
    high_key: u64,
}

impl<'v> TextRange<'v> {
    pub fn of(value: &'v str) -> Self {
        let key = prefix_key(value);
        TextRange {
            low: value,
            low_key: key,
            high: value,
            high_key: key,
        }
    }

    pub fn push(&mut self, value: &'v str) {
        let key = prefix_key(value);
        // Keys in order are values in order; equal keys leave it to the whole text.
        if key < self.low_key || (key == self.low_key && value < self.low) {
            (self.low, self.low_key) = (value, key);
        } else if key > self.high_key || (key == self.high_key && value > self.high) {
            (self.high, self.high_key) = (value, key);
        }
    }

    pub fn bounds(&self) -> (&'v str, &'v str) {
        (self.low, self.high)
    }
}

/// The first eight bytes of `s` as a big-endian number, zeros standing in for bytes past its end:
/// a lesser key means a lesser text (equal keys tell nothing).
fn prefix_key(s: &str) -> u64 {
    let bytes = s.as_bytes();
    match bytes.first_chunk::<8>() {
        Some(eight) => u64::from_be_bytes(*eight),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |key, (i, &b)| key | u64::from(b) << (56 - 8 * i)),
    }
}

/// How many characters `value` holds: its bytes but those that continue a character, in one
/// pass that vectorises (`chars().count()` looks at short texts a byte at a time, and texts
/// are short).
fn characters(value: &str) -> usize {
    // Continuation bytes are 0b10xx_xxxx: below -64 as signed bytes.
    let continuing = value.bytes().filter(|&b| (b as i8) < -64).count();
    value.len() - continuing
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(values: &[String]) -> TextLengths {
        let mut t = TextLengths::default();
        values.iter().for_each(|v| t.push(v));
        t
    }

    #[test]
    fn counts_characters_not_bytes() {
        let s = of(&["Köln".into(), "日本".into(), "".into()]).summary();
        assert_eq!(s.map(|s| (s.min, s.max)), Some((0, 4)));
        assert_eq!(of(&[]).summary(), None);
    }

    proptest! {
        #[test]
        fn characters_are_counted_as_chars_counts_them(value in "\\PC{0,40}|[a-zé日😀]{0,70}") {
            prop_assert_eq!(characters(&value), value.chars().count());
        }

        #[test]
        fn range_bounds_are_the_least_and_greatest_values(
            values in prop::collection::vec("[a\\x00b]{0,10}|\\PC{0,10}", 1..40),
        ) {
            let mut range = TextRange::of(&values[0]);
            values.iter().for_each(|v| range.push(v));
            let low = values.iter().min().map(String::as_str);
            let high = values.iter().max().map(String::as_str);
            prop_assert_eq!(Some(range.bounds()), low.zip(high));
        }

        #[test]
        fn merging_two_halves_equals_one_pass(values in prop::collection::vec("\\PC{0,8}", 0..50), cut in 0usize..50) {
            let cut = cut.min(values.len());
            let mut left = of(&values[..cut]);
            left.merge(&of(&values[cut..]));
            prop_assert_eq!(left.summary(), of(&values).summary());
        }
    }
}
