//! Hashes put in the order of the memory they will be looked up in: a lookup per hash at random
//! waits for its own cache miss, where lookups region by region read a large table or filter
//! about once from end to end, which the processor fetches ahead.

/// How many regions items are grouped into.
const REGION_BITS: u32 = 8;

/// `items` grouped by `region` (below 2^8), keeping their order within a region: a counting sort.
pub(super) fn by_region<T: Copy + Default>(items: &[T], region: impl Fn(&T) -> usize) -> Vec<T> {
    let mut starts = [0usize; 1 << REGION_BITS];
    for item in items {
        if let Some(count) = starts.get_mut(region(item)) {
            *count += 1;
        }
    }
    let mut next = 0;
    for start in &mut starts {
        (*start, next) = (next, next + *start);
    }
    let mut ordered = vec![T::default(); items.len()];
    for item in items {
        let Some(at) = starts.get_mut(region(item)) else {
            continue;
        };
        if let Some(slot) = ordered.get_mut(*at) {
            *slot = *item;
        }
        *at += 1;
    }
    ordered
}

/// The region of an index of `2^bits` positions that `position` lies in.
pub(super) fn region_of(position: u64, bits: u32) -> usize {
    (position >> bits.saturating_sub(REGION_BITS)) as usize & ((1 << REGION_BITS) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_out_grouped_by_region_in_their_order_within_each() {
        let items: Vec<(u64, u32)> = (0..1000u32)
            .map(|i| ((u64::from(i) * 2_654_435_761) % 4096, i))
            .collect();
        let ordered = by_region(&items, |&(position, _)| region_of(position, 12));
        let mut sorted = items.clone();
        sorted.sort_by_key(|&(position, i)| (region_of(position, 12), i));
        assert_eq!(ordered, sorted);
    }

    #[test]
    fn small_indexes_have_one_region_per_position() {
        assert_eq!(region_of(5, 3), 5);
        assert_eq!(region_of(0b1011_0000_0000_0000, 16), 0b1011_0000);
    }
}
