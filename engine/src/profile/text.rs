//! Lengths of text values, in characters (not bytes).

use crate::profile::model::LengthStats;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextLengths {
    count: u64,
    total: u64,
    min: u64,
    max: u64,
}

impl TextLengths {
    pub fn push(&mut self, value: &str) {
        let len = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        } as u64;
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
        fn merging_two_halves_equals_one_pass(values in prop::collection::vec("\\PC{0,8}", 0..50), cut in 0usize..50) {
            let cut = cut.min(values.len());
            let mut left = of(&values[..cut]);
            left.merge(&of(&values[cut..]));
            prop_assert_eq!(left.summary(), of(&values).summary());
        }
    }
}
