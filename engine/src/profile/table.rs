//! Table-level duplicate rows, found by a 64-bit hash of each row.
//!
//! Hashes of the first `limit` distinct rows are kept; later rows are checked against them but not
//! remembered, so memory stays bounded (duplicates among rows past the limit are missed).

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::profile::distinct::PassThroughBuild;

/// A cell's length for [`row_hash`]: absent cells are marked apart from empty ones.
pub fn length_mark(value: Option<&str>) -> u32 {
    value.map_or(u32::MAX, |s| s.len().min(u32::MAX as usize - 1) as u32)
}

/// The identity of a row: its cells' text end to end, hashed with their lengths as the seed, so
/// that ("ab", "c") differs from ("a", "bc") and an absent cell from an empty one. Readers that
/// hold a row's text contiguously hash it without copying.
pub fn row_hash(text: &[u8], lengths: &[u32]) -> u64 {
    let seed = lengths.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &l| {
        (h ^ u64::from(l)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    xxh3_64_with_seed(text, seed)
}

#[derive(Debug, Clone)]
pub struct DuplicateRows {
    limit: usize,
    /// The remembered row hashes, for a whole table.
    seen: HashSet<u64, PassThroughBuild>,
    /// For a chunk instead: row hash -> rows, and the hashes in first-seen order, so that merging
    /// chunks in file order finds the duplicates a single pass would.
    counts: HashMap<u64, u64, PassThroughBuild>,
    order: Vec<u64>,
    chunk: bool,
    pub duplicates: u64,
}

impl DuplicateRows {
    pub fn new(limit: usize) -> Self {
        DuplicateRows {
            limit,
            seen: HashSet::default(),
            counts: HashMap::default(),
            order: Vec::new(),
            chunk: false,
            duplicates: 0,
        }
    }

    /// For a chunk of rows to be merged into a table's: it remembers every row (its rows bound
    /// it) with its count, and their order.
    pub fn for_chunk() -> Self {
        DuplicateRows {
            chunk: true,
            ..DuplicateRows::new(usize::MAX)
        }
    }

    pub fn push(&mut self, values: &[Option<&str>]) {
        let mut text = Vec::new();
        let mut lengths = Vec::new();
        for v in values {
            text.extend_from_slice(v.unwrap_or("").as_bytes());
            lengths.push(length_mark(*v));
        }
        self.push_hash(row_hash(&text, &lengths));
    }

    /// Pushes a row by its [`row_hash`].
    pub fn push_hash(&mut self, hash: u64) {
        self.add(hash, 1);
    }

    /// Room for a chunk's `rows` more rows, so that its table is sized once, not grown.
    pub fn reserve(&mut self, rows: usize) {
        if self.chunk {
            self.counts.reserve(rows);
            self.order.reserve(rows);
        }
    }

    fn remembered(&self) -> usize {
        self.seen.len() + self.counts.len()
    }

    /// `rows` rows hashing to `hash`, all after the rows seen so far.
    fn add(&mut self, hash: u64, rows: u64) {
        if self.chunk {
            if let Some(n) = self.counts.get_mut(&hash) {
                *n += rows;
                self.duplicates += rows;
            } else if self.counts.len() < self.limit {
                self.counts.insert(hash, rows);
                self.order.push(hash);
                self.duplicates += rows - 1;
            }
        } else if self.seen.contains(&hash) {
            self.duplicates += rows;
        } else if self.seen.len() < self.limit {
            self.seen.insert(hash);
            self.duplicates += rows - 1;
        }
        // Otherwise neither this row nor its later copies are remembered, so none is found.
    }

    /// [`DuplicateRows::merge`], taking `other`'s rows whole when we have none yet and they fit.
    pub fn merge_owned(&mut self, other: DuplicateRows) {
        if self.remembered() > 0 || other.remembered() > self.limit {
            self.merge(&other);
        } else if self.chunk == other.chunk {
            let limit = self.limit;
            *self = other;
            self.limit = limit;
        } else if !self.chunk {
            // A table starting with a chunk: its rows as a set, its duplicates as counted.
            self.seen = other.counts.into_keys().collect();
            self.duplicates = other.duplicates;
        } else {
            self.merge(&other);
        }
    }

    /// Adds `other`, which holds the rows that came after ours.
    pub fn merge(&mut self, other: &DuplicateRows) {
        for hash in &other.order {
            if let Some(&rows) = other.counts.get(hash) {
                self.add(*hash, rows);
            }
        }
        // A whole table's rows keep no order or counts: its own duplicates stand, and its rows are
        // checked against ours one by one.
        if !other.chunk {
            self.duplicates += other.duplicates;
        }
        for &hash in &other.seen {
            self.add(hash, 1);
        }
    }

    /// True when rows were checked but not all remembered.
    pub fn is_exact(&self) -> bool {
        self.remembered() < self.limit
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

    proptest::proptest! {
        #[test]
        fn chunks_merged_in_order_equal_one_pass(
            rows in proptest::collection::vec(0u8..6, 0..200),
            chunk in 1usize..20,
            limit in 1usize..8,
        ) {
            let row = |r: &u8| [Some(["a", "b"][usize::from(*r % 2)]), Some(["x", "y", "z"][usize::from(*r / 2)])];
            let mut whole = DuplicateRows::new(limit);
            rows.iter().for_each(|r| whole.push(&row(r)));
            let mut merged = DuplicateRows::new(limit);
            for part in rows.chunks(chunk) {
                let mut d = DuplicateRows::for_chunk();
                part.iter().for_each(|r| d.push(&row(r)));
                merged.merge_owned(d);
            }
            proptest::prop_assert_eq!(merged.duplicates, whole.duplicates);
        }
    }
}
