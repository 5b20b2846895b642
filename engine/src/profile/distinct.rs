//! Value counts for distinct counts and top-k: exact up to a bound of distinct values, then a
//! HyperLogLog estimate.
//!
//! Past the bound no new value is counted, so `top` then ranks the values first seen; the most
//! frequent values of real data show up early, and the profile says the count is an estimate.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use crate::profile::model::TopValue;

mod entry_index;
mod frozen;
mod hashing;
mod hyperloglog;
mod regions;
mod span;

use entry_index::{EntryIndex, Probe};
use frozen::by_filter_region;
pub use frozen::FrozenKeys;
use hashing::number_hash;
pub use hashing::{NumberKey, OneShot, OneShotBuild, PassThrough, PassThroughBuild};
pub use hyperloglog::HyperLogLog;
use regions::{by_region, region_of};
pub use span::OrderSpan;

/// Hashes waiting past the bound before they are looked up (see `ValueCounts::pending`).
const PENDING_LIMIT: usize = 1 << 16;

/// Values of a chunk counted before the table is sized for the rest (see
/// [`ValueCounts::expect`]).
const SIZING_SAMPLE: usize = 1024;

/// A counted value: 24 bytes, so that a full table's entries take a quarter less memory and cache
/// than with `usize` offsets (its text is bounded by `u32::MAX` bytes, see [`TEXT_LIMIT`]).
#[derive(Debug, Clone, Copy)]
struct Counted {
    hash: u64,
    count: u64,
    start: u32,
    len: u32,
}

/// Bytes of text a table keeps at most, whatever its bound: entries address it by `u32`.
const TEXT_LIMIT: usize = u32::MAX as usize;

/// Values are keyed by their 64-bit xxh3 hash and their text kept once in one buffer: no
/// allocation per value. Two different values sharing a hash (about 1 in 10^9 for 100 000 values)
/// would be counted as one.
///
/// Entries keep the order values were first seen, and [`ValueCounts::merge`] adds the other side's
/// entries in that order: merging the counts of consecutive chunks in file order counts exactly
/// the values a single pass would have counted (as long as no chunk alone passes the bound).
#[derive(Debug, Clone)]
pub struct ValueCounts {
    bound: usize,
    /// Bytes of counted values' text, at most: past either bound, values are estimated.
    text_bound: usize,
    /// Hash -> entry, while the table grows; moved into `frozen` once it is full.
    index: EntryIndex,
    entries: Vec<Counted>,
    text: String,
    /// Fed only once the bound is passed, from the counted values and every later one.
    hll: Option<HyperLogLog>,
    frozen: Option<Arc<FrozenKeys>>,
    /// For a chunk counted against a full table's keys: that table's entry -> count.
    hits: Option<(Arc<FrozenKeys>, HashMap<u32, u64, PassThroughBuild>)>,
    /// Hashes waiting to be looked up in those keys: one column at a time keeps its filter in
    /// cache, where the row by row lookups of a dozen columns evict each other's.
    pending: Vec<u64>,
    /// For a chunk counted against a snapshot of a table's keys: that table's entry -> count,
    /// for the values among them (every other value is counted in this table as usual). Merged,
    /// the counts are added entry by entry, with no value to look up or copy.
    known: Option<(Arc<FrozenKeys>, Vec<u64>)>,
    /// The snapshot of our keys last handed out.
    snapshot: Option<Arc<FrozenKeys>>,
    /// The orders of every value this table counts (or more): see [`OrderSpan`].
    span: OrderSpan,
}

impl ValueCounts {
    pub fn new(bound: usize) -> Self {
        ValueCounts {
            // Entries are indexed by u32.
            bound: bound.min(u32::MAX as usize),
            text_bound: TEXT_LIMIT,
            index: EntryIndex::default(),
            entries: Vec::new(),
            text: String::new(),
            hll: None,
            frozen: None,
            hits: None,
            pending: Vec::new(),
            known: None,
            snapshot: None,
            span: OrderSpan::default(),
        }
    }

    /// Counts values exactly only while their text takes at most `bytes`.
    pub fn with_text_bound(mut self, bytes: usize) -> Self {
        self.text_bound = bytes.min(TEXT_LIMIT);
        self
    }

    /// Counts for a chunk of rows that come after those of the full table that froze `keys`: only
    /// the table's own values are counted, every other one goes straight to the estimate. Merged
    /// into that table this gives what counting the chunk in full would, without building a table
    /// of every value of the chunk.
    ///
    /// Against a snapshot of a table still counting every value, the chunk counts the snapshot's
    /// values by entry and any other value in a table of its own.
    pub fn against(keys: Arc<FrozenKeys>) -> Self {
        if !keys.full {
            let counts = vec![0; keys.index.len()];
            return ValueCounts {
                known: Some((keys, counts)),
                ..ValueCounts::new(usize::MAX)
            };
        }
        ValueCounts {
            hll: Some(HyperLogLog::default()),
            hits: Some((keys, HashMap::default())),
            ..ValueCounts::new(0)
        }
    }

    /// The counted values, once the table is full, or a snapshot of them once they stopped
    /// changing (see [`FrozenKeys`]).
    pub fn frozen_keys(&self) -> Option<&Arc<FrozenKeys>> {
        self.frozen.as_ref().or(self.snapshot.as_ref())
    }

    fn value(&self, e: &Counted) -> &str {
        let start = e.start as usize;
        self.text.get(start..start + e.len as usize).unwrap_or("")
    }

    fn start_estimating(&mut self) -> &mut HyperLogLog {
        if self.hll.is_none() {
            let mut h = HyperLogLog::default();
            self.entries.iter().for_each(|e| h.insert_hash(e.hash));
            let index = std::mem::take(&mut self.index);
            let hashes = self.entries.iter().map(|e| e.hash).collect();
            self.frozen = Some(Arc::new(FrozenKeys::new(index, hashes, self.span)));
            self.hll = Some(h);
        }
        self.hll.get_or_insert_with(HyperLogLog::default)
    }

    /// Counts `value`; its hash is what the value is counted by.
    pub fn push(&mut self, value: &str) -> u64 {
        let hash = Self::hash_of_text(value);
        // A text may be a number's or a time's: its order is not known.
        self.span = OrderSpan::everything();
        self.add(value, hash, 1);
        hash
    }

    /// Counts a number by its value, so `1.50` and `1.5` (or `7` and `7.0`) are one value; `text`
    /// is what `top` shows, the first spelling seen.
    pub fn push_number(&mut self, text: &str, key: NumberKey) -> u64 {
        let hash = Self::hash_of_number(key);
        self.span.include(key.order());
        self.add(text, hash, 1);
        hash
    }

    /// The hash [`ValueCounts::push`] counts `value` by.
    pub fn hash_of_text(value: &str) -> u64 {
        xxh3_64(value.as_bytes())
    }

    /// The hash [`ValueCounts::push_number`] counts a number by.
    pub fn hash_of_number(key: NumberKey) -> u64 {
        let (tag, bits) = match key {
            NumberKey::Integer(i) => (1, i as u64),
            NumberKey::Float(f) => (2, f.to_bits()),
        };
        number_hash(tag, bits)
    }

    /// Counts a chunk's values in file order, `texts[i]` by `hashes[i]` (one of
    /// [`ValueCounts::hash_of_text`] or [`ValueCounts::hash_of_number`]). All at once, each way
    /// of counting is a loop of table reads and little else, and the processor keeps several of
    /// them in flight, where one per cell, among the cell's other work, waits for each.
    /// `texts` may be left empty where [`ValueCounts::needs_texts`] says so. `span` holds the
    /// orders of the values (see [`OrderSpan`]; [`OrderSpan::everything`] if not known).
    pub fn push_batch(&mut self, texts: &[&str], hashes: &[u64], span: OrderSpan) {
        if let (Some((keys, _)), Some(hll)) = (&self.hits, &mut self.hll) {
            if span.is_apart_from(&keys.span) {
                // None of the keys (ids and times past those counted): estimated right away.
                hashes.iter().for_each(|&hash| hll.insert_hash(hash));
                return;
            }
            // Looked up by `settle`, grouped by the filter's regions, at most 2^16 at a time.
            for part in hashes.chunks(PENDING_LIMIT) {
                self.pending.extend_from_slice(part);
                if self.pending.len() >= PENDING_LIMIT {
                    self.settle();
                }
            }
            return;
        }
        self.span.join(&span);
        debug_assert_eq!(texts.len(), hashes.len(), "every value's text is needed");
        if self.known.is_some() {
            let mut unknown = Vec::new();
            for (at, &hash) in hashes.iter().enumerate() {
                if !self.count_if_known(hash, 1) {
                    unknown.push(at);
                }
            }
            // Values new to the snapshot, in this table of our own.
            for at in unknown {
                if let (Some(text), Some(&hash)) = (texts.get(at), hashes.get(at)) {
                    self.add_to_table(text, hash, 1);
                }
            }
            return;
        }
        let mut values = texts.iter().zip(hashes);
        for (text, &hash) in values.by_ref().take(SIZING_SAMPLE) {
            self.add_to_table(text, hash, 1);
        }
        self.expect(SIZING_SAMPLE, texts.len().saturating_sub(SIZING_SAMPLE));
        for (text, &hash) in values {
            self.add_to_table(text, hash, 1);
        }
    }

    /// Whether [`ValueCounts::push_batch`] needs the values' texts: past the bound, values are
    /// only looked up by hash (seven columns of the bench file, where gathering their texts
    /// wrote 16 bytes per cell for nothing).
    pub fn needs_texts(&self) -> bool {
        self.hits.is_none()
    }

    /// Looks up the hashes pushed since the last call (see `pending`), in the order of the
    /// filter's words (see [`by_filter_region`]): at random, every lookup would wait for its own
    /// cache miss, as a chunk's turn comes after other columns' filters took the cache.
    pub fn settle(&mut self) {
        if let (Some((keys, hits)), Some(hll)) = (&mut self.hits, &mut self.hll) {
            // The filter first, then the few hashes it let through in a loop of their own: their
            // reads of the table, each a cache miss, are independent and overlap.
            let mut passed = Vec::new();
            for &hash in &by_filter_region(&self.pending) {
                if keys.may_hold(hash) {
                    passed.push(hash);
                } else {
                    hll.insert_hash(hash);
                }
            }
            for hash in passed {
                match keys.index.get(hash) {
                    Some(i) => *hits.entry(i).or_default() += 1,
                    None => hll.insert_hash(hash),
                }
            }
        }
        self.pending.clear();
    }

    #[inline]
    fn add(&mut self, value: &str, hash: u64, count: u64) {
        if self.hits.is_some() {
            self.pending
                .extend(std::iter::repeat_n(hash, count as usize));
            if self.pending.len() >= PENDING_LIMIT {
                self.settle();
            }
            return;
        }
        if !self.count_if_known(hash, count) {
            self.add_to_table(value, hash, count);
        }
    }

    /// Counts `hash` by its entry if this table counts against a snapshot that holds it.
    #[inline]
    fn count_if_known(&mut self, hash: u64, count: u64) -> bool {
        let Some((keys, counts)) = &mut self.known else {
            return false;
        };
        match keys
            .index
            .get(hash)
            .and_then(|e| counts.get_mut(e as usize))
        {
            Some(c) => {
                *c += count;
                true
            }
            None => false,
        }
    }

    /// [`ValueCounts::add`] for a value that is not among a snapshot's: counted in our own table,
    /// or past its bound against its frozen keys.
    #[inline]
    fn add_to_table(&mut self, value: &str, hash: u64, count: u64) {
        if let (Some(keys), Some(hll)) = (&self.frozen, &mut self.hll) {
            match keys.find(hash) {
                Some(i) => self.entries[i as usize].count += count,
                None => hll.insert_hash(hash),
            }
            return;
        }
        let room = self.has_room_for(value);
        // One probe of the table whether the value is counted already or new.
        match self.index.probe(hash, hash_of(&self.entries)) {
            Probe::Counted(e) => {
                if let Some(counted) = self.entries.get_mut(e as usize) {
                    counted.count += count;
                }
            }
            Probe::Free(free) if room => {
                free.insert(self.entries.len() as u32);
                self.push_entry(value, hash, count);
            }
            Probe::Free(_) => {
                self.start_estimating().insert_hash(hash);
            }
        }
    }

    /// Whether a new `value` may still be counted exactly, within both bounds.
    fn has_room_for(&self, value: &str) -> bool {
        self.entries.len() < self.bound && self.text.len() + value.len() <= self.text_bound
    }

    /// Appends the entry of a new value (which the caller indexes, having checked
    /// [`ValueCounts::has_room_for`] it: its text ends within [`TEXT_LIMIT`]) and gives its number.
    fn push_entry(&mut self, value: &str, hash: u64, count: u64) -> u32 {
        let start = self.text.len();
        debug_assert!(start + value.len() <= TEXT_LIMIT);
        self.text.push_str(value);
        self.entries.push(Counted {
            hash,
            count,
            start: start as u32,
            len: value.len() as u32,
        });
        (self.entries.len() - 1) as u32
    }

    /// Every entry's hash with its number.
    fn numbered_hashes(&self) -> impl ExactSizeIterator<Item = (u64, u32)> + '_ {
        (self.entries.iter().enumerate()).map(|(i, e)| (e.hash, i as u32))
    }

    /// How many values merging this table (a chunk's) adds or looks up one by one: those of its
    /// own table (values counted against a snapshot's entries are added by entry).
    pub fn values_to_merge(&self) -> usize {
        self.entries.len()
    }

    /// [`ValueCounts::merge`], taking `other` whole when we have nothing yet and it fits.
    pub fn merge_owned(&mut self, other: ValueCounts) {
        let empty = self.entries.is_empty() && self.hll.is_none() && self.hits.is_none();
        let plain = other.hll.is_none() && other.known.is_none();
        let fits = other.entries.len() <= self.bound && other.text.len() <= self.text_bound;
        if empty && plain && fits {
            let (bound, text_bound) = (self.bound, self.text_bound);
            *self = other;
            (self.bound, self.text_bound) = (bound, text_bound);
        } else {
            self.merge(&other);
        }
    }

    pub fn merge(&mut self, other: &ValueCounts) {
        if let Some((keys, counts)) = &other.known {
            if self.snapshot.as_ref().is_some_and(|k| Arc::ptr_eq(k, keys)) {
                for (e, &count) in self.entries.iter_mut().zip(counts) {
                    e.count += count;
                }
            } else {
                // An earlier snapshot of ours, replaced while the chunk was profiled (or another
                // table's): its values by hash.
                for (hash, i) in keys.index.iter() {
                    let count = counts.get(i as usize).copied().unwrap_or(0);
                    if count > 0 {
                        self.add("", hash, count);
                    }
                }
            }
        }
        // Ids and times past all of ours: none of their values is ours, nothing to look up.
        let all_new = self.span.is_apart_from(&other.span);
        self.span.join(&other.span);
        let entries_before = self.entries.len();
        self.merge_values(other, all_new);
        let added = self.entries.len() - entries_before;
        if self.hll.is_none() && entries_before > 0 && added >= SIZING_SAMPLE {
            // Mostly new values again (ids, measurements): the table is likely to fill, and grows
            // in steps of four times its size rather than doubling (each step copies it, and the
            // fresh memory costs a page fault every 4 KiB).
            if added * 8 >= other.entries.len() * 7 {
                self.reserve_values(4 * self.entries.len());
            }
        }
        // Values stopped coming: chunks from now on count these by entry. A table that still
        // grows now and then is snapshot again only once it has an eighth more values, so the
        // copies add up to a few times the table, not once per chunk.
        let stable = self.entries.len() == entries_before && self.hll.is_none();
        let grown = |k: &Arc<FrozenKeys>| self.entries.len() > k.index.len() + k.index.len() / 8;
        if stable && self.snapshot.as_ref().is_none_or(grown) {
            self.snapshot = Some(Arc::new(FrozenKeys::snapshot(self.numbered_hashes())));
        }
    }

    /// Adds `other`'s values; `all_new` when none of them can be among ours.
    fn merge_values(&mut self, other: &ValueCounts, all_new: bool) {
        if let Some((keys, hits)) = &other.hits {
            // Counted against our own frozen keys, entry by entry; any other keys cannot be
            // matched to our entries and only their estimate is kept.
            if self.frozen.as_ref().is_some_and(|k| Arc::ptr_eq(k, keys)) {
                for (&i, &count) in hits {
                    if let Some(e) = self.entries.get_mut(i as usize) {
                        e.count += count;
                    }
                }
                for &hash in &other.pending {
                    self.add("", hash, 1);
                }
            }
        }
        if self.hll.is_none() && self.hits.is_none() {
            // Sized once for the entries that can still be added, not grown step by step.
            let room = self.bound.saturating_sub(self.entries.len());
            let more = other.entries.len().min(room);
            self.index.reserve(more, hash_of(&self.entries));
            self.entries.reserve(more);
            if more == other.entries.len() {
                self.text.reserve(other.text.len());
            }
        }
        if self.hll.is_none() && self.known.is_none() {
            self.merge_into_growing_table(other, all_new);
        } else {
            for e in &other.entries {
                self.add(other.value(e), e.hash, e.count);
            }
        }
        if let Some(theirs) = &other.hll {
            self.start_estimating().merge(theirs);
        }
    }

    /// Adds `other`'s entries, in their order, to this table that still counts every value, as
    /// adding them one by one would. Merging chunks of a column of ids, the table is several
    /// MiB and every value new: one by one, each lookup and each insert waits for its own cache
    /// miss, while one thread merges (it held the other threads back). Instead the values
    /// are looked up, and the new ones inserted, in loops of their own in the order of the
    /// table's memory (see [`by_region`]).
    ///
    /// `all_new` says none of their values is among ours: none is looked up.
    fn merge_into_growing_table(&mut self, other: &ValueCounts, all_new: bool) {
        // Each of their entries' number here, or `u32::MAX` for a value new to this table.
        let mut found = vec![u32::MAX; other.entries.len()];
        if !all_new {
            let buckets = table_bits(self.index.capacity());
            let region = |&(hash, _): &(u64, u32)| region_of(hash, buckets);
            let theirs: Vec<(u64, u32)> = other.numbered_hashes().collect();
            for (hash, i) in by_region(&theirs, region) {
                let slot = found.get_mut(i as usize);
                let entry = self.index.get(hash, hash_of(&self.entries));
                if let (Some(entry), Some(slot)) = (entry, slot) {
                    *slot = entry;
                }
            }
        }
        // In file order: counted, new, or past the bound.
        let mut fresh: Vec<(u64, u32)> = Vec::new();
        for (e, &entry) in other.entries.iter().zip(&found) {
            if let Some(mine) = self.entries.get_mut(entry as usize) {
                mine.count += e.count;
                continue;
            }
            if let Some(hll) = &mut self.hll {
                hll.insert_hash(e.hash);
                continue;
            }
            let value = other.value(e);
            if self.has_room_for(value) {
                let entry = self.push_entry(value, e.hash, e.count);
                fresh.push((e.hash, entry));
            } else {
                // The bound is passed: the values new so far join the keys first.
                self.index_entries(&fresh);
                fresh.clear();
                self.start_estimating().insert_hash(e.hash);
            }
        }
        self.index_entries(&fresh);
    }

    /// Indexes new entries, `(hash, entry)`, in the order of the table's memory.
    fn index_entries(&mut self, fresh: &[(u64, u32)]) {
        let hashes = hash_of(&self.entries);
        self.index.reserve(fresh.len(), &hashes);
        let buckets = table_bits(self.index.capacity());
        for (hash, entry) in by_region(fresh, |&(hash, _)| region_of(hash, buckets)) {
            self.index.insert_new(hash, entry, &hashes);
        }
    }

    /// Makes room for `more` values at once when the table still counts every value and most of
    /// the `seen` values so far were new (a column of ids or measurements): growing step by step,
    /// the table would copy itself again and again.
    fn expect(&mut self, seen: usize, more: usize) {
        if self.hll.is_some() || self.hits.is_some() || self.entries.len() * 2 < seen {
            return;
        }
        self.reserve_values(more);
    }

    /// Makes room for `more` values (as many as the bounds leave), with as much text each as so
    /// far.
    fn reserve_values(&mut self, more: usize) {
        let more = more.min(self.bound.saturating_sub(self.entries.len()));
        let text_per_value = self.text.len() / self.entries.len().max(1);
        let text_room = self.text_bound.saturating_sub(self.text.len());
        self.index.reserve(more, hash_of(&self.entries));
        self.entries.reserve(more);
        self.text.reserve((more * text_per_value).min(text_room));
    }

    pub fn is_exact(&self) -> bool {
        self.hll.is_none()
    }

    /// Every counted value with its count, read back with `parse`, while the counts are exact.
    pub fn exact_counts<T>(&self, parse: impl Fn(&str) -> Option<T>) -> Option<Vec<(T, u64)>> {
        self.is_exact().then(|| {
            self.entries
                .iter()
                .filter_map(|e| Some((parse(self.value(e))?, e.count)))
                .collect()
        })
    }

    pub fn distinct(&self) -> u64 {
        match &self.hll {
            None => self.entries.len() as u64,
            Some(hll) => (hll.estimate().round() as u64).max(self.entries.len() as u64),
        }
    }

    /// The `k` most frequent values, ties by value.
    pub fn top(&self, k: usize) -> Vec<TopValue> {
        // The best k so far, the worst of them on top: most of a large table's values are
        // turned away by one comparison with it (a column of ids has only ties).
        let mut best: BinaryHeap<Reverse<Rank>> = BinaryHeap::with_capacity(k + 1);
        for e in &self.entries {
            let rank = Rank(e.count, Reverse(self.value(e)));
            if best.len() < k {
                best.push(Reverse(rank));
            } else if best.peek().is_some_and(|worst| rank > worst.0) {
                best.pop();
                best.push(Reverse(rank));
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .map(|Reverse(Rank(count, Reverse(value)))| TopValue {
                value: value.to_string(),
                count,
            })
            .collect()
    }
}

/// The hash of entry number `e` of `entries`, as the index reads it.
fn hash_of(entries: &[Counted]) -> impl Fn(u32) -> u64 + '_ {
    |e| entries.get(e as usize).map_or(0, |c| c.hash)
}

/// Log2 of the number of buckets of an [`EntryIndex`] of `capacity`: hashbrown keeps a power of
/// two of them, 8/7 of its capacity, and starts a key's probe at the bucket its hash's low bits
/// name. Were that to change, lookups in [`by_region`] order would only lose their
/// locality, not their answers.
fn table_bits(capacity: usize) -> u32 {
    (capacity.saturating_mul(8) / 7)
        .max(1)
        .next_power_of_two()
        .trailing_zeros()
}

/// How a value ranks in `top`: more frequent first, then the smaller value.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Rank<'a>(u64, Reverse<&'a str>);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn of(values: &[String], bound: usize) -> ValueCounts {
        let mut v = ValueCounts::new(bound);
        values.iter().for_each(|s| {
            v.push(s);
        });
        v
    }

    #[test]
    fn exact_counts_and_top() {
        let vals: Vec<String> = ["b", "a", "b", "ç", "a", "b"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let v = of(&vals, 10);
        assert!(v.is_exact());
        assert_eq!(v.distinct(), 3);
        let top = v.top(2);
        assert_eq!((top[0].value.as_str(), top[0].count), ("b", 3));
        assert_eq!((top[1].value.as_str(), top[1].count), ("a", 2));
        assert_eq!(of(&[], 10).distinct(), 0);
    }

    #[test]
    fn numbers_count_by_value_not_spelling() {
        let mut v = ValueCounts::new(10);
        v.push_number("1.50", NumberKey::of_float(1.5));
        v.push_number("1.5", NumberKey::of_float(1.5));
        v.push_number("2", NumberKey::of_integer(2));
        v.push_number("2.0", NumberKey::of_float(2.0));
        v.push_number("-0.0", NumberKey::of_float(-0.0));
        v.push_number("0", NumberKey::of_integer(0));
        assert_eq!(v.distinct(), 3);
        let top = v.top(1);
        assert_eq!((top[0].value.as_str(), top[0].count), ("-0.0", 2));
    }

    #[test]
    fn estimate_is_within_three_standard_errors() {
        let vals: Vec<String> = (0..200_000).map(|i| format!("v{i}")).collect();
        let v = of(&vals, 1_000);
        assert!(!v.is_exact());
        let rel = (v.distinct() as f64 - 200_000.0).abs() / 200_000.0;
        assert!(
            rel < 3.0 * HyperLogLog::STANDARD_ERROR,
            "relative error {rel}"
        );
    }

    #[test]
    fn long_values_are_counted_exactly_only_within_the_byte_bound() {
        let long: Vec<String> = (0..100).map(|i| format!("{i:0>1000}")).collect();
        let mut whole = ValueCounts::new(1_000).with_text_bound(50_000);
        long.iter().for_each(|v| {
            whole.push(v);
        });
        assert!(!whole.is_exact());
        assert!(whole.text.len() <= 50_000 && whole.entries.len() == 50);
        assert!((whole.distinct() as f64 - 100.0).abs() <= 3.0);
        // Chunks merged in order keep the same values as one pass.
        let mut merged = ValueCounts::new(1_000).with_text_bound(50_000);
        long.chunks(7)
            .for_each(|c| merged.merge_owned(of(c, usize::MAX)));
        assert_eq!(merged.entries.len(), 50);
        assert_eq!(merged.top(3), whole.top(3));
    }

    #[test]
    fn a_table_whose_values_stopped_coming_hands_out_a_snapshot_chunks_count_by_entry() {
        let chunk = |values: &[&str], keys: Option<Arc<FrozenKeys>>| {
            let mut part = keys.map_or(ValueCounts::new(usize::MAX), ValueCounts::against);
            values.iter().for_each(|v| {
                part.push(v);
            });
            part
        };
        let mut merged = ValueCounts::new(100);
        merged.merge_owned(chunk(&["x", "y", "x"], None));
        assert!(merged.frozen_keys().is_none(), "values are still coming");
        merged.merge_owned(chunk(&["y", "x"], None));
        let keys = merged.frozen_keys().cloned();
        assert!(keys.as_ref().is_some_and(|k| !k.full));
        // Counted by entry, and a value new to the snapshot in the chunk's own table.
        let part = chunk(&["y", "z", "y"], keys.clone());
        assert_eq!(part.entries.len(), 1);
        merged.merge_owned(part);
        let top = |v: &ValueCounts| -> Vec<(String, u64)> {
            v.top(4).into_iter().map(|t| (t.value, t.count)).collect()
        };
        assert_eq!(
            top(&merged),
            [("y".into(), 4), ("x".into(), 3), ("z".into(), 1)]
        );
        assert_eq!(merged.distinct(), 3);
        // Grown by more than an eighth, the table hands out a new snapshot after its next stable
        // merge; a chunk still counted against the old one merges all the same.
        merged.merge_owned(chunk(&["z"], None));
        let newer = merged.frozen_keys().cloned();
        assert!(keys
            .clone()
            .zip(newer)
            .is_some_and(|(old, new)| !Arc::ptr_eq(&old, &new)));
        merged.merge_owned(chunk(&["x", "w", "x"], keys));
        assert_eq!(
            top(&merged),
            [
                ("x".into(), 5),
                ("y".into(), 4),
                ("z".into(), 2),
                ("w".into(), 1)
            ]
        );
    }

    proptest! {
        #[test]
        fn number_keys_are_integers_exactly_for_integral_floats(
            f in prop_oneof![any::<f64>(), (-1e17f64..1e17).prop_map(f64::trunc)],
        ) {
            let integral = f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0;
            match NumberKey::of_float(f) {
                NumberKey::Integer(i) => prop_assert!(integral && i as f64 == f),
                NumberKey::Float(_) => prop_assert!(!integral),
            }
        }

        #[test]
        fn chunks_merged_in_order_equal_one_pass_even_past_the_bound(
            values in prop::collection::vec("[a-z]{0,2}", 0..400),
            chunk in 1usize..30,
        ) {
            let bound = 30;
            let whole = of(&values, bound);
            let mut merged = ValueCounts::new(bound);
            values.chunks(chunk).for_each(|c| merged.merge(&of(c, bound)));
            prop_assert_eq!(merged.is_exact(), whole.is_exact());
            prop_assert_eq!(merged.distinct(), whole.distinct());
            prop_assert_eq!(merged.top(8), whole.top(8));
        }

        #[test]
        fn chunks_counted_against_frozen_keys_merge_as_if_counted_in_full(
            values in prop::collection::vec("[a-z]{0,2}", 0..400),
            cut in 0usize..400,
        ) {
            let (cut, bound) = (cut.min(values.len()), 40);
            let (head, tail) = values.split_at(cut);
            let mut full = of(head, bound);
            let mut against = full.clone();
            full.merge(&of(tail, usize::MAX));
            if let Some(keys) = against.frozen_keys().cloned() {
                let mut part = ValueCounts::against(keys);
                tail.iter().for_each(|v| {
                    part.push(v);
                });
                against.merge(&part);
                prop_assert_eq!(against.distinct(), full.distinct());
                prop_assert_eq!(against.top(8), full.top(8));
            }
        }

        #[test]
        fn top_is_the_most_frequent_ties_by_value(
            values in prop::collection::vec("[a-e]{1,2}", 0..300),
            k in 0usize..12,
        ) {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            values.iter().for_each(|v| *counts.entry(v.as_str()).or_default() += 1);
            let mut expected: Vec<(&str, u64)> = counts.into_iter().collect();
            expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            expected.truncate(k);
            let top: Vec<(String, u64)> =
                of(&values, 1_000).top(k).into_iter().map(|t| (t.value, t.count)).collect();
            let expected: Vec<(String, u64)> =
                expected.into_iter().map(|(v, c)| (v.to_string(), c)).collect();
            prop_assert_eq!(top, expected);
        }

        #[test]
        fn chunks_counted_against_the_keys_handed_out_merge_as_one_pass(
            values in prop::collection::vec("[a-f]{1,2}", 0..600),
            chunk in 1usize..60,
            bound in 5usize..60,
        ) {
            // As profiling does: each chunk counts against the keys the merged table hands out
            // (a snapshot once values stop coming, frozen keys once it is full), if any yet.
            let whole = of(&values, bound);
            let mut merged = ValueCounts::new(bound);
            for c in values.chunks(chunk) {
                let mut part = match merged.frozen_keys().cloned() {
                    Some(keys) => ValueCounts::against(keys),
                    None => ValueCounts::new(usize::MAX),
                };
                // As a column's cells are: gathered, then counted at once (texts only if needed).
                let hashes: Vec<u64> = c.iter().map(|v| ValueCounts::hash_of_text(v)).collect();
                let texts: Vec<&str> = match part.needs_texts() {
                    true => c.iter().map(String::as_str).collect(),
                    false => Vec::new(),
                };
                part.push_batch(&texts, &hashes, OrderSpan::everything());
                part.settle();
                merged.merge_owned(part);
            }
            prop_assert_eq!(merged.is_exact(), whole.is_exact());
            prop_assert_eq!(merged.distinct(), whole.distinct());
            prop_assert_eq!(merged.top(8), whole.top(8));
        }

        #[test]
        fn values_told_apart_by_their_order_count_as_values_looked_up(
            ascending in 0i64..400,
            scattered in prop::collection::vec(-50i64..500, 0..300),
            chunk in 1usize..60,
            bound in 5usize..60,
        ) {
            // Ids that go up, then numbers back inside and outside their span: past the bound,
            // values outside the frozen keys' span skip the lookup, which must change nothing.
            let values: Vec<i64> = (0..ascending).chain(scattered).collect();
            let count = |with_orders: bool| {
                let mut merged = ValueCounts::new(bound);
                for c in values.chunks(chunk) {
                    let mut part = match merged.frozen_keys().cloned() {
                        Some(keys) => ValueCounts::against(keys),
                        None => ValueCounts::new(usize::MAX),
                    };
                    let keys: Vec<NumberKey> = c.iter().map(|&i| NumberKey::of_integer(i)).collect();
                    let texts: Vec<String> = c.iter().map(i64::to_string).collect();
                    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                    let hashes: Vec<u64> = keys.iter().map(|&k| ValueCounts::hash_of_number(k)).collect();
                    let mut span = OrderSpan::default();
                    match with_orders {
                        true => keys.iter().for_each(|k| span.include(k.order())),
                        false => span = OrderSpan::everything(),
                    }
                    part.push_batch(&texts, &hashes, span);
                    part.settle();
                    merged.merge_owned(part);
                }
                merged
            };
            let (told, looked_up) = (count(true), count(false));
            prop_assert_eq!(told.is_exact(), looked_up.is_exact());
            prop_assert_eq!(told.distinct(), looked_up.distinct());
            prop_assert_eq!(told.top(8), looked_up.top(8));
        }

        #[test]
        fn a_batch_that_passes_the_bound_counts_as_values_pushed_one_by_one(
            values in prop::collection::vec("[a-h]{1,2}", 0..3000),
            bound in 1usize..40,
        ) {
            // Past 1024 values a batch sizes the table for the rest, and somewhere the bound is
            // passed: neither may change what is counted.
            let whole = of(&values, bound);
            let texts: Vec<&str> = values.iter().map(String::as_str).collect();
            let hashes: Vec<u64> = texts.iter().map(|v| ValueCounts::hash_of_text(v)).collect();
            let mut batch = ValueCounts::new(bound);
            batch.push_batch(&texts, &hashes, OrderSpan::everything());
            prop_assert_eq!(batch.is_exact(), whole.is_exact());
            prop_assert_eq!(batch.distinct(), whole.distinct());
            prop_assert_eq!(batch.top(8), whole.top(8));
        }

        #[test]
        fn merging_two_halves_equals_one_pass(values in prop::collection::vec("\\PC{0,3}", 0..300), cut in 0usize..300) {
            let cut = cut.min(values.len());
            for bound in [1_000, 20] {
                let whole = of(&values, bound);
                let mut left = of(&values[..cut], bound);
                left.merge(&of(&values[cut..], bound));
                if whole.is_exact() && left.is_exact() {
                    prop_assert_eq!(left.distinct(), whole.distinct());
                    prop_assert_eq!(left.top(5), whole.top(5));
                } else {
                    let (a, b) = (left.distinct() as f64, whole.distinct() as f64);
                    prop_assert!((a - b).abs() <= 0.05 * b + 2.0);
                }
            }
        }
    }
}
