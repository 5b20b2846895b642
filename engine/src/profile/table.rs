//! Table-level duplicate rows, found by a 64-bit hash of each row.
//!
//! A row's hash folds in the hash each of its cells is counted by (see
//! [`crate::profile::distinct::ValueCounts`]): rows are duplicates when their values are equal
//! as the profile compares them, so `1.50` equals `1.5` and every missing marker equals every
//! other, as in pandas' `duplicated`.
//!
//! Hashes of the first `limit` distinct rows are kept; later rows are checked against them but not
//! remembered, so memory stays bounded (duplicates among rows past the limit are missed).

use std::collections::HashSet;

use crate::profile::distinct::PassThroughBuild;

/// Where a row's hash starts, before its first cell is folded in.
pub const ROW_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// A missing cell's hash: none of a value's.
pub const MISSING_CELL: u64 = 0x243f_6a88_85a3_08d3;

/// Folds the next cell's hash into its row's. Each step is a bijection of the row's hash, so rows
/// differing in one cell always differ, and the order of the cells counts.
pub fn fold_cell(row: u64, cell: u64) -> u64 {
    (row ^ cell)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
}

/// The hash sets of a whole table are split by these bits of the hash (the middle ones, which
/// neither a set's slot nor its tag uses): 64 sets, each small enough to stay in cache while its
/// rows are counted.
const PARTITION_SHIFT: u32 = 32;
const PARTITIONS: usize = 64;

fn partition(hash: u64) -> usize {
    (hash >> PARTITION_SHIFT) as usize % PARTITIONS
}

#[derive(Debug, Clone)]
pub struct DuplicateRows {
    limit: usize,
    /// The remembered row hashes of a whole table, by partition.
    seen: Vec<HashSet<u64, PassThroughBuild>>,
    /// How many hashes `seen` holds.
    remembered: usize,
    /// Rows of a whole table not counted yet, by partition. While every one of them is sure to
    /// be remembered, the order they are counted in changes nothing, so they wait and are
    /// counted a partition at a time: row by row, every insert would miss a cache that cannot
    /// hold a million rows' table.
    pending: Vec<Vec<u64>>,
    pending_rows: usize,
    /// For a chunk instead: every row's hash in file order. The table it is merged into checks
    /// them, which finds the duplicates a single pass would; counting them in the chunk first
    /// would only build a second table of the same hashes.
    order: Vec<u64>,
    chunk: bool,
    duplicates: u64,
}

impl DuplicateRows {
    pub fn new(limit: usize) -> Self {
        DuplicateRows {
            limit,
            seen: vec![HashSet::default(); PARTITIONS],
            remembered: 0,
            pending: vec![Vec::new(); PARTITIONS],
            pending_rows: 0,
            order: Vec::new(),
            chunk: false,
            duplicates: 0,
        }
    }

    /// For a chunk of rows to be merged into a table's: it keeps every row's hash, in order.
    pub fn for_chunk() -> Self {
        DuplicateRows {
            limit: usize::MAX,
            seen: Vec::new(),
            remembered: 0,
            pending: Vec::new(),
            pending_rows: 0,
            order: Vec::new(),
            chunk: true,
            duplicates: 0,
        }
    }

    /// Pushes a row by its hash.
    pub fn push_hash(&mut self, hash: u64) {
        self.push_hashes(&[hash]);
    }

    /// Pushes rows by their hashes, in order.
    pub fn push_hashes(&mut self, hashes: &[u64]) {
        if self.chunk {
            self.order.extend_from_slice(hashes);
            return;
        }
        if self.remembered + self.pending_rows + hashes.len() > self.limit {
            // Some of them may find the table full: count in order from here.
            self.settle();
        }
        if self.remembered + hashes.len() <= self.limit {
            for &hash in hashes {
                self.pending[partition(hash)].push(hash);
            }
            self.pending_rows += hashes.len();
        } else {
            hashes.iter().for_each(|&h| self.check(h));
        }
    }

    /// Counts the waiting rows, partition by partition.
    fn settle(&mut self) {
        self.settle_on(1);
    }

    /// [`DuplicateRows::settle`] on up to `threads` threads: partitions share nothing, and the
    /// last rows of a table are counted while the other threads would be idle.
    fn settle_on(&mut self, threads: usize) {
        if self.pending_rows == 0 {
            return;
        }
        let mut parts: Vec<_> = self.seen.iter_mut().zip(&mut self.pending).collect();
        let per_thread = parts.len().div_ceil(threads.max(1)).max(1);
        let counts: Vec<(usize, u64)> = std::thread::scope(|s| {
            let mut groups = parts.chunks_mut(per_thread);
            // The calling thread takes the first group itself.
            let first = groups.next();
            let others: Vec<_> = groups
                .map(|group| s.spawn(move || settle_partitions(group)))
                .collect();
            let mut counts = first.map(settle_partitions).into_iter().collect::<Vec<_>>();
            counts.extend(
                others
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            );
            counts
        });
        for (remembered, duplicates) in counts {
            self.remembered += remembered;
            self.duplicates += duplicates;
        }
        self.pending_rows = 0;
    }

    /// A row of a whole table, after the rows seen so far (and none waiting).
    fn check(&mut self, hash: u64) {
        let seen = &mut self.seen[partition(hash)];
        // While there is room, one probe both finds and remembers the row.
        let seen_before = if self.remembered < self.limit {
            let new = seen.insert(hash);
            self.remembered += usize::from(new);
            !new
        } else {
            // Full: a new row is not remembered, so none of its later copies is found.
            seen.contains(&hash)
        };
        self.duplicates += u64::from(seen_before);
    }

    /// Rows equal to an earlier row.
    pub fn count(&mut self) -> u64 {
        self.count_on(1)
    }

    /// [`DuplicateRows::count`], the rows still waiting counted on up to `threads` threads.
    pub fn count_on(&mut self, threads: usize) -> u64 {
        self.settle_on(threads);
        self.duplicates
    }

    /// [`DuplicateRows::merge`], taking `other`'s rows whole when we have none yet and they fit.
    pub fn merge_owned(&mut self, other: DuplicateRows) {
        let empty = !self.chunk && self.remembered + self.pending_rows == 0 && self.duplicates == 0;
        if empty && !other.chunk && other.remembered + other.pending_rows <= self.limit {
            let limit = self.limit;
            *self = other;
            self.limit = limit;
        } else {
            self.merge(&other);
        }
    }

    /// Adds `other`, which holds the rows that came after ours.
    pub fn merge(&mut self, other: &DuplicateRows) {
        // A whole table's rows keep no order: its own duplicates stand, and its rows are checked
        // against ours.
        let unordered = (other.seen.iter().flatten()).chain(other.pending.iter().flatten());
        if self.chunk {
            // Both chunks: still one list in file order. A table merged after a chunk would have
            // lost its order; no caller does that, and its own duplicates at least stand.
            self.order.extend_from_slice(&other.order);
            self.order.extend(unordered);
        } else {
            self.push_hashes(&other.order);
            self.push_hashes(&unordered.copied().collect::<Vec<u64>>());
        }
        self.duplicates += other.duplicates;
    }

    /// True when every distinct row so far is remembered.
    pub fn is_exact(&self) -> bool {
        self.remembered + self.pending_rows < self.limit
    }
}

/// Counts waiting rows into their partitions' sets: how many were remembered and how many were
/// duplicates.
fn settle_partitions(
    parts: &mut [(&mut HashSet<u64, PassThroughBuild>, &mut Vec<u64>)],
) -> (usize, u64) {
    let (mut remembered, mut duplicates) = (0, 0);
    for (seen, pending) in parts.iter_mut() {
        seen.reserve(pending.len());
        for &hash in pending.iter() {
            if seen.insert(hash) {
                remembered += 1;
            } else {
                duplicates += 1;
            }
        }
        pending.clear();
    }
    (remembered, duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::xxh3_64;

    impl DuplicateRows {
        fn push(&mut self, values: &[Option<&str>]) {
            let cell = |v: &Option<&str>| v.map_or(MISSING_CELL, |s| xxh3_64(s.as_bytes()));
            self.push_hash(values.iter().fold(ROW_SEED, |h, v| fold_cell(h, cell(v))));
        }
    }

    #[test]
    fn counts_repeats_not_originals() {
        let mut d = DuplicateRows::new(100);
        for row in [["a", "b"], ["a", "b"], ["ab", ""], ["b", "a"], ["a", "b"]] {
            let values: Vec<Option<&str>> = row.iter().map(|s| Some(*s)).collect();
            d.push(&values);
        }
        d.push(&[Some("ab"), None]);
        assert_eq!(d.count(), 2);
    }

    #[test]
    fn a_full_table_finds_remembered_rows_only() {
        let mut d = DuplicateRows::new(2);
        [1, 2, 3, 1, 3, 2, 3]
            .into_iter()
            .for_each(|h| d.push_hash(h));
        // 1 and 2 are remembered and found again; 3 came after the table was full.
        assert_eq!(d.count(), 2);
        assert!(!d.is_exact());
    }

    proptest::proptest! {
        /// Counting waiting rows later, by partition (on one thread or several), finds what
        /// checking each row in file order against a plain set finds, wherever the limit falls.
        #[test]
        fn batched_rows_count_as_rows_checked_one_by_one(
            rows in proptest::collection::vec(0u64..40, 0..300),
            batch in 1usize..50,
            limit in 1usize..60,
            threads in 1usize..4,
        ) {
            // Spread the small numbers over every bit, partitions included.
            let hashes: Vec<u64> = rows.iter().map(|r| r.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
            let mut plain = HashSet::new();
            let mut expected = 0;
            for h in &hashes {
                if plain.len() < limit {
                    expected += u64::from(!plain.insert(*h));
                } else {
                    expected += u64::from(plain.contains(h));
                }
            }
            let mut d = DuplicateRows::new(limit);
            hashes.chunks(batch).for_each(|b| d.push_hashes(b));
            proptest::prop_assert_eq!(d.count_on(threads), expected);
            proptest::prop_assert_eq!(d.is_exact(), plain.len() < limit);
        }

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
            proptest::prop_assert_eq!(merged.count(), whole.count());
        }
    }
}
