//! The keys of a value table handed to the threads that profile later chunks.

use std::collections::HashMap;

use super::PassThroughBuild;

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
    pub(super) index: HashMap<u64, u32, PassThroughBuild>,
}

impl FrozenKeys {
    pub(super) fn new(index: HashMap<u64, u32, PassThroughBuild>) -> Self {
        let mut filter = vec![0u64; (1 << FILTER_BITS) / 64];
        for &hash in index.keys() {
            let (word, bits) = Self::filter_slot(hash);
            filter[word] |= bits;
        }
        FrozenKeys {
            full: true,
            filter,
            index,
        }
    }

    /// A snapshot of a table still counting every value. Most of a chunk's values are among
    /// them, so no filter screens them.
    pub(super) fn snapshot(index: HashMap<u64, u32, PassThroughBuild>) -> Self {
        FrozenKeys {
            full: false,
            filter: Vec::new(),
            index,
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
        let (word, bits) = Self::filter_slot(hash);
        if self.filter.get(word).is_some_and(|w| w & bits == bits) {
            self.index.get(&hash).copied()
        } else {
            None
        }
    }
}

/// Regions of the filter that [`by_filter_region`] orders lookups by: 256 of 1 KiB.
const FILTER_REGION_BITS: u32 = 8;

/// `hashes` grouped by the region of the filter that holds their word (a counting sort on the top
/// bits of the word index): looked up in this order, the filter is read about once from end to
/// end, which the processor fetches ahead. Counts and registers come out the same in any order.
pub(super) fn by_filter_region(hashes: &[u64]) -> Vec<u64> {
    let region = |hash: u64| {
        let (word, _) = FrozenKeys::filter_slot(hash);
        word >> (FILTER_BITS - 6 - FILTER_REGION_BITS)
    };
    let mut starts = [0usize; 1 << FILTER_REGION_BITS];
    for &hash in hashes {
        starts[region(hash)] += 1;
    }
    let mut next = 0;
    for start in &mut starts {
        (*start, next) = (next, next + *start);
    }
    let mut ordered = vec![0; hashes.len()];
    for &hash in hashes {
        let at = &mut starts[region(hash)];
        if let Some(slot) = ordered.get_mut(*at) {
            *slot = hash;
        }
        *at += 1;
    }
    ordered
}
