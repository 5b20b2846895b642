//! Sorting integer keys by their bytes (least significant first) instead of by comparisons: the
//! quantile sketch sorts millions of keys, where comparison sorts spend most of their time on
//! mispredicted branches.

use std::cell::RefCell;

/// Below this many keys a comparison sort is as fast and needs no second buffer.
const SMALL: usize = 512;

thread_local! {
    /// The second buffer each pass scatters into, kept: fresh large buffers cost page faults.
    static SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Sorts `keys` ascending (the same order as `sort_unstable`).
pub fn sort(keys: &mut Vec<u64>) {
    if keys.len() < SMALL {
        keys.sort_unstable();
        return;
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => sort_with(keys, &mut scratch),
        Err(_) => keys.sort_unstable(),
    });
}

fn sort_with(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let mut counts = [[0usize; 256]; 8];
    for &key in keys.iter() {
        for (digit, count) in counts.iter_mut().enumerate() {
            count[((key >> (8 * digit)) & 0xff) as usize] += 1;
        }
    }
    scratch.clear();
    scratch.resize(keys.len(), 0);
    for (digit, count) in counts.iter().enumerate() {
        // A byte every key shares orders nothing.
        if count.contains(&keys.len()) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut at = 0;
        for (slot, &n) in next.iter_mut().zip(count) {
            *slot = at;
            at += n;
        }
        for &key in keys.iter() {
            let byte = ((key >> (8 * digit)) & 0xff) as usize;
            if let Some(out) = scratch.get_mut(next[byte]) {
                *out = key;
            }
            next[byte] += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_a_comparison_sort_does(
            mut keys in prop::collection::vec(prop_oneof![any::<u64>(), 0u64..4, (0u64..300).prop_map(|k| k << 40)], 0..3000),
        ) {
            let mut expected = keys.clone();
            expected.sort_unstable();
            sort(&mut keys);
            prop_assert_eq!(keys, expected);
        }
    }
}
