//! The keys of a value table handed to the threads that profile later chunks.

use super::entry_index::EntryIndex;
use super::regions::{by_region, region_of};
use super::OrderSpan;

/// Bits of the membership filter consulted once the table is full: 2^21 bits (256 KiB) stay in
/// cache where the table does not.
const FILTER_BITS: u32 = 21;

/// The counted values of a table, by hash, shared with the threads that profile later chunks (see
/// [`super::ValueCounts::against`]): of a full table, whose values never change again, or a snapshot of
/// a table whose values stopped coming (a column of categories), which may still grow.
#[derive(Debug)]
pub struct FrozenKeys {
    /// Whether the table was full: values outside these are only estimated.
    pub(super) full: bool,
    /// A blocked Bloom filter: three bits per value in one 64-bit word, so one memory access
    /// answers "not counted" for ~99.7 % of new values of a full 100 000-value table (two bits let
    /// ~0.8 % through and one bit in 2^20 bits ~10 %, each a cache miss in the table).
    filter: Vec<u64>,
    pub(super) index: KeyIndex,
    /// Where the values lie in the order of numbers and times: a value outside is none of them.
    pub(super) span: OrderSpan,
}

impl FrozenKeys {
    /// The keys of a full table: its `index`, and `hashes[entry]` of every entry.
    pub(super) fn new(index: EntryIndex, hashes: Vec<u64>, span: OrderSpan) -> Self {
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &hash in &hashes {
            let (word, bits) = Self::filter_slot(hash);
            filter[word] |= bits;
        }
        FrozenKeys {
            full: true,
            filter,
            index: KeyIndex::Table { index, hashes },
            span,
        }
    }

    /// A snapshot of a table still counting every value. Most of a chunk's values are among
    /// them, so no filter screens them.
    pub(super) fn snapshot(keys: impl ExactSizeIterator<Item = (u64, u32)>) -> Self {
        FrozenKeys {
            full: false,
            filter: Vec::new(),
            index: KeyIndex::probed(keys),
            // Unused: a snapshot's chunk looks up every value.
            span: OrderSpan::everything(),
        }
    }

    fn filter_slot(hash: u64) -> (usize, u64) {
        // The table indexes by the low bits; the filter uses the middle ones.
        let word = (hash >> 24) & ((1 << (FILTER_BITS - 6)) - 1);
        let first = (hash >> (24 + FILTER_BITS - 6)) & 63;
        let second = (hash >> (30 + FILTER_BITS - 6)) & 63;
        let third = (hash >> (36 + FILTER_BITS - 6)) & 63;
        (word as usize, (1 << first) | (1 << second) | (1 << third))
    }

    /// The entry counting `hash`, if it is counted.
    pub(super) fn find(&self, hash: u64) -> Option<u32> {
        if self.may_hold(hash) {
            self.index.get(hash)
        } else {
            None
        }
    }

    /// Whether the filter lets `hash` through: false means it is not counted.
    #[inline]
    pub(super) fn may_hold(&self, hash: u64) -> bool {
        let (word, bits) = Self::filter_slot(hash);
        self.filter.get(word).is_some_and(|w| w & bits == bits)
    }
}

/// Hash -> entry number, read only.
#[derive(Debug)]
pub(super) enum KeyIndex {
    /// A snapshot's, copied into an array probed linearly, at most half full: a value is found
    /// in one read of one array, most often, where a `HashMap` reads its control bytes and then
    /// its bucket. Chunks look up every value of a column of categories here.
    Probed { slots: Vec<Slot>, len: usize },
    /// A full table's, taken as it was (with its entries' hashes): chunks look up only the few
    /// values its filter lets through, each a cache miss either way, and a copy would cost time
    /// and memory.
    Table { index: EntryIndex, hashes: Vec<u64> },
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    hash: u64,
    /// `EMPTY` in a free slot: entry numbers stay below it (tables are bounded by `u32::MAX`).
    entry: u32,
}

const EMPTY: u32 = u32::MAX;

impl KeyIndex {
    fn probed(keys: impl ExactSizeIterator<Item = (u64, u32)>) -> Self {
        let len = keys.len();
        let size = (len * 2).next_power_of_two().max(8);
        let mut slots = vec![
            Slot {
                hash: 0,
                entry: EMPTY
            };
            size
        ];
        let mask = size - 1;
        for (hash, entry) in keys {
            let mut at = hash as usize & mask;
            while slots[at].entry != EMPTY {
                at = (at + 1) & mask;
            }
            slots[at] = Slot { hash, entry };
        }
        KeyIndex::Probed { slots, len }
    }

    pub(super) fn len(&self) -> usize {
        match self {
            KeyIndex::Probed { len, .. } => *len,
            KeyIndex::Table { index, .. } => index.len(),
        }
    }

    #[inline]
    pub(super) fn get(&self, hash: u64) -> Option<u32> {
        let slots = match self {
            KeyIndex::Probed { slots, .. } => slots,
            KeyIndex::Table { index, hashes } => return index.get(hash, hash_at(hashes)),
        };
        let mask = slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = slots.get(at)?;
            if slot.entry == EMPTY {
                return None;
            }
            if slot.hash == hash {
                return Some(slot.entry);
            }
            at = (at + 1) & mask;
        }
    }

    /// Every hash with its entry number.
    pub(super) fn iter(&self) -> Box<dyn Iterator<Item = (u64, u32)> + '_> {
        match self {
            KeyIndex::Probed { slots, .. } => Box::new(
                slots
                    .iter()
                    .filter(|s| s.entry != EMPTY)
                    .map(|s| (s.hash, s.entry)),
            ),
            KeyIndex::Table { index, hashes } => {
                Box::new((index.entries()).map(|e| (hash_at(hashes)(e), e)))
            }
        }
    }
}

/// The hash of entry number `e` of a full table whose entries' hashes are `hashes`.
fn hash_at(hashes: &[u64]) -> impl Fn(u32) -> u64 + '_ {
    |e| hashes.get(e as usize).copied().unwrap_or(0)
}

/// `hashes` grouped by the region of the filter that holds their word (see [`by_region`]):
/// looked up in this order, the filter is read about once from end to end. Counts and registers
/// come out the same in any order.
pub(super) fn by_filter_region(hashes: &[u64]) -> Vec<u64> {
    by_region(hashes, |&hash| {
        let (word, _) = FrozenKeys::filter_slot(hash);
        region_of(word as u64, FILTER_BITS - 6)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_key_indexes_find_every_key_and_no_other_even_where_their_slots_collide() {
        // Hashes sharing their low bits land on one slot and probe on; 0 (i = 0) is a hash like
        // any other.
        let keys: Vec<u64> = (0..40u64).map(|i| i << 32).chain([7, u64::MAX]).collect();
        let numbered = || keys.iter().enumerate().map(|(i, &h)| (h, i as u32));
        let mut table = EntryIndex::default();
        for (hash, entry) in numbered() {
            table.insert_new(hash, entry, |e| keys[e as usize]);
        }
        let table = KeyIndex::Table {
            index: table,
            hashes: keys.clone(),
        };
        for index in [KeyIndex::probed(numbered()), table] {
            assert_eq!(index.len(), keys.len());
            for (hash, entry) in numbered() {
                assert_eq!(index.get(hash), Some(entry), "hash {hash:#x}");
            }
            for absent in [1, 41 << 32, u64::MAX - 1, 8] {
                assert_eq!(index.get(absent), None, "hash {absent:#x}");
            }
            let mut listed: Vec<(u64, u32)> = index.iter().collect();
            let mut expected: Vec<(u64, u32)> = numbered().collect();
            listed.sort_unstable();
            expected.sort_unstable();
            assert_eq!(listed, expected);
        }
    }

    #[test]
    fn an_empty_key_index_finds_nothing() {
        let index = KeyIndex::probed(std::iter::empty());
        assert_eq!(index.get(0), None);
        assert_eq!(index.iter().count(), 0);
    }
}
