//! Table-level duplicate rows, found by a 64-bit hash of each row.
//!
//! Hashes of the first `limit` distinct rows are kept; later rows are checked against them but not
//! remembered, so memory stays bounded (duplicates among rows past the limit are missed).

use std::collections::HashSet;

use xxhash_rust::xxh3::Xxh3;

use crate::profile::distinct::PassThroughBuild;

#[derive(Debug, Clone)]
pub struct DuplicateRows {
    limit: usize,
    seen: HashSet<u64, PassThroughBuild>,
    pub duplicates: u64,
}

impl DuplicateRows {
    pub fn new(limit: usize) -> Self {
        DuplicateRows {
            limit,
            seen: HashSet::default(),
            duplicates: 0,
        }
    }

    pub fn push(&mut self, values: &[Option<&str>]) {
        let mut h = Xxh3::new();
        for v in values {
            // Separators keep ("ab", "c") apart from ("a", "bc") and absent from empty.
            match v {
                Some(s) => {
                    h.update(&[1]);
                    h.update(s.as_bytes());
                    h.update(&[0x1f]);
                }
                None => h.update(&[0]),
            }
        }
        let hash = h.digest();
        if self.seen.contains(&hash) {
            self.duplicates += 1;
        } else if self.seen.len() < self.limit {
            self.seen.insert(hash);
        }
    }

    /// True when rows were checked but not all remembered.
    pub fn is_exact(&self) -> bool {
        self.seen.len() < self.limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_repeats_not_originals() {
        let mut d = DuplicateRows::new(100);
        for row in [["a", "b"], ["a", "b"], ["ab", ""], ["a", "b"]] {
            let values: Vec<Option<&str>> = row.iter().map(|s| Some(*s)).collect();
            d.push(&values);
        }
        d.push(&[Some("ab"), None]);
        assert_eq!(d.duplicates, 2);
    }
}
