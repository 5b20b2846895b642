//! Hash -> entry number of a value table, keeping only the numbers: 4 bytes a bucket where a map
//! from hash to number takes 16, since each hash is kept in its entry already. A full table of
//! 100 000 values indexes them in half a megabyte, which stays in a core's cache while the
//! chunks' values are looked up and added.

use hashbrown::HashTable;

/// An index of entries whose hashes are `hashes[entry]` (the table's entries, passed to every
/// call that reads or moves buckets: the index does not own them).
#[derive(Debug, Clone, Default)]
pub(super) struct EntryIndex {
    table: HashTable<u32>,
}

/// Where a value's hash led: its entry, or a free bucket to put a new entry in.
pub(super) enum Probe<'a> {
    Counted(u32),
    Free(hashbrown::hash_table::VacantEntry<'a, u32>),
}

impl EntryIndex {
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }

    /// How many entries fit before the buckets grow (7/8 of a power of two of them).
    pub(super) fn capacity(&self) -> usize {
        self.table.capacity()
    }

    pub(super) fn get(&self, hash: u64, hashes: impl Fn(u32) -> u64) -> Option<u32> {
        self.table.find(hash, |&e| hashes(e) == hash).copied()
    }

    /// The entry of `hash`, or the bucket a new one goes in: one probe either way.
    pub(super) fn probe(&mut self, hash: u64, hashes: impl Fn(u32) -> u64) -> Probe<'_> {
        match self
            .table
            .entry(hash, |&e| hashes(e) == hash, |&e| hashes(e))
        {
            hashbrown::hash_table::Entry::Occupied(found) => Probe::Counted(*found.get()),
            hashbrown::hash_table::Entry::Vacant(free) => Probe::Free(free),
        }
    }

    /// Indexes `entry`, whose hash no other entry has.
    pub(super) fn insert_new(&mut self, hash: u64, entry: u32, hashes: impl Fn(u32) -> u64) {
        self.table.insert_unique(hash, entry, |&e| hashes(e));
    }

    pub(super) fn reserve(&mut self, more: usize, hashes: impl Fn(u32) -> u64) {
        self.table.reserve(more, |&e| hashes(e));
    }

    /// Every indexed entry number, in no particular order.
    pub(super) fn entries(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_entry_by_its_hash_and_no_other_even_where_buckets_collide() {
        // Hashes sharing their low bits start their probes at one bucket.
        let hashes: Vec<u64> = (0..200u64).map(|i| i << 40).chain([7, u64::MAX]).collect();
        let of = |e: u32| hashes[e as usize];
        let mut index = EntryIndex::default();
        for (entry, &hash) in hashes.iter().enumerate() {
            match index.probe(hash, of) {
                Probe::Free(free) => {
                    free.insert(entry as u32);
                }
                Probe::Counted(e) => {
                    panic!("hash {hash:#x} found as entry {e} before it was added")
                }
            }
        }
        assert_eq!(index.len(), hashes.len());
        for (entry, &hash) in hashes.iter().enumerate() {
            assert_eq!(index.get(hash, of), Some(entry as u32));
            assert!(matches!(index.probe(hash, of), Probe::Counted(e) if e == entry as u32));
        }
        for absent in [1, 201 << 40, u64::MAX - 1, 8] {
            assert_eq!(index.get(absent, of), None, "hash {absent:#x}");
        }
        let mut listed: Vec<u32> = index.entries().collect();
        listed.sort_unstable();
        assert_eq!(listed, (0..hashes.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn entries_inserted_as_new_survive_growth() {
        let hashes: Vec<u64> = (0..5000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let of = |e: u32| hashes[e as usize];
        let mut index = EntryIndex::default();
        index.reserve(10, of);
        for (entry, &hash) in hashes.iter().enumerate() {
            index.insert_new(hash, entry as u32, of);
        }
        assert!(index.capacity() >= hashes.len());
        for (entry, &hash) in hashes.iter().enumerate() {
            assert_eq!(index.get(hash, of), Some(entry as u32));
        }
    }
}
