//! Count, sum, mean, min and max of every numeric column per value of a chosen column.
//!
//! At most `max_groups` distinct keys are tracked; rows with later new keys go to "other", and
//! the report keeps the `top` largest groups, folding the rest into "other" too.

use std::collections::HashMap;

use crate::profile::distinct::OneShotBuild;
use crate::profile::model::{Aggregate, Group, GroupBy};

pub const OTHER: &str = "other";
pub const MISSING_KEY: &str = "(missing)";

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agg {
    n: u64,
    sum: f64,
    /// Infinite while there are no values: the first one replaces them without a branch.
    min: f64,
    max: f64,
}

impl Default for Agg {
    fn default() -> Self {
        Agg {
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Agg {
    /// Adds `x` if it is finite: infinities and NaN are no number to aggregate.
    pub fn push(&mut self, x: f64) {
        if x.is_finite() {
            self.push_or_skip(x);
        }
    }

    /// Adds a number that is finite, or skips NaN (none), with selects instead of branches:
    /// which rows lack a number follows no pattern a branch predictor could learn.
    #[inline(always)]
    fn push_or_skip(&mut self, x: f64) {
        let present = !x.is_nan();
        // A comparison with NaN is false: the bounds stay.
        self.min = if x < self.min { x } else { self.min };
        self.max = if x > self.max { x } else { self.max };
        let sum = self.sum + x;
        self.sum = if present { sum } else { self.sum };
        self.n += u64::from(present);
    }

    pub fn merge(&mut self, o: &Agg) {
        if o.n == 0 {
            return;
        }
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.sum += o.sum;
        self.n += o.n;
    }

    fn aggregate(&self) -> Aggregate {
        let any = self.n > 0;
        Aggregate {
            sum: self.sum,
            mean: any.then(|| self.sum / self.n as f64),
            min: any.then_some(self.min),
            max: any.then_some(self.max),
        }
    }
}

/// Adds each row's number (finite, or NaN for none) to the aggregate in its slot, in row order.
fn add_in_order(aggs: &mut [Agg], slots: &[usize], numbers: impl Iterator<Item = f64>) {
    for (&slot, x) in slots.iter().zip(numbers) {
        if let Some(agg) = aggs.get_mut(slot) {
            agg.push_or_skip(x);
        }
    }
}

#[derive(Debug, Clone, Default)]
struct GroupAcc {
    count: u64,
    /// One per table column; only numeric columns are reported.
    aggs: Vec<Agg>,
}

impl GroupAcc {
    fn push(&mut self, numbers: &[Option<f64>]) {
        self.count += 1;
        if self.aggs.len() < numbers.len() {
            self.aggs.resize(numbers.len(), Agg::default());
        }
        for (agg, x) in self.aggs.iter_mut().zip(numbers) {
            if let Some(x) = x {
                agg.push(*x);
            }
        }
    }

    fn merge(&mut self, o: &GroupAcc) {
        self.count += o.count;
        if self.aggs.len() < o.aggs.len() {
            self.aggs.resize(o.aggs.len(), Agg::default());
        }
        for (a, b) in self.aggs.iter_mut().zip(&o.aggs) {
            a.merge(b);
        }
    }
}

/// Groups keep the order their keys were first seen, and [`GroupByAcc::merge`] adds the other
/// side's groups in that order, so chunks merged in file order track the same keys a single pass
/// would.
#[derive(Debug, Clone)]
pub struct GroupByAcc {
    max_groups: usize,
    index: HashMap<String, usize, OneShotBuild>,
    groups: Vec<(String, GroupAcc)>,
    other: GroupAcc,
}

impl GroupByAcc {
    pub fn new(max_groups: usize) -> Self {
        GroupByAcc {
            max_groups,
            index: HashMap::default(),
            groups: Vec::new(),
            other: GroupAcc::default(),
        }
    }

    /// The group of `key`, created while there is room for it.
    fn group(&mut self, key: &str) -> Option<&mut GroupAcc> {
        let i = self.group_index(key)?;
        self.groups.get_mut(i).map(|g| &mut g.1)
    }

    fn group_index(&mut self, key: &str) -> Option<usize> {
        match self.index.get(key) {
            Some(&i) => Some(i),
            None if self.groups.len() < self.max_groups => {
                self.index.insert(key.to_string(), self.groups.len());
                self.groups.push((key.to_string(), GroupAcc::default()));
                Some(self.groups.len() - 1)
            }
            None => None,
        }
    }

    pub fn push(&mut self, key: Option<&str>, numbers: &[Option<f64>]) {
        match self.group(key.unwrap_or(MISSING_KEY)) {
            Some(g) => g.push(numbers),
            None => self.other.push(numbers),
        }
    }

    /// Pushes a chunk's rows held by column: `keys` are the rows to group (row index, key), in
    /// order, and `columns[c][r]` is column c's number in row r (NaN for none). Each row's group
    /// is found once, then every column is added group by group in row order, as pushing the
    /// rows one by one would.
    pub fn push_columns(&mut self, keys: &[(usize, Option<&str>)], columns: &[Vec<f64>]) {
        let groups: Vec<Option<usize>> = keys
            .iter()
            .map(|&(_, key)| self.group_index(key.unwrap_or(MISSING_KEY)))
            .collect();
        for group in &groups {
            let g = self.slot(*group);
            g.count += 1;
            if g.aggs.len() < columns.len() {
                g.aggs.resize(columns.len(), Agg::default());
            }
        }
        // Each row's slot in a column's aggregates: its group's index, or "other" after them.
        let other = self.groups.len();
        let slots: Vec<usize> = groups.iter().map(|g| g.unwrap_or(other)).collect();
        let mut aggs: Vec<Agg> = Vec::new();
        for (c, xs) in columns.iter().enumerate() {
            if xs.iter().all(|x| x.is_nan()) {
                // A column without numbers here, such as text: nothing to add.
                continue;
            }
            // One column's aggregates side by side, instead of each behind its group.
            aggs.clear();
            aggs.extend(
                self.groups
                    .iter()
                    .map(|(_, g)| g.aggs.get(c).copied().unwrap_or_default()),
            );
            aggs.push(self.other.aggs.get(c).copied().unwrap_or_default());
            if keys.len() == xs.len() {
                // Every row has a key (the usual case): rows and keys go in step.
                add_in_order(&mut aggs, &slots, xs.iter().copied());
            } else {
                let numbers = keys.iter().map(|&(row, _)| xs.get(row).copied());
                add_in_order(&mut aggs, &slots, numbers.map(|x| x.unwrap_or(f64::NAN)));
            }
            let slots = self.groups.iter_mut().map(|(_, g)| g);
            for (g, agg) in slots.chain(Some(&mut self.other)).zip(&aggs) {
                if let Some(mine) = g.aggs.get_mut(c) {
                    *mine = *agg;
                }
            }
        }
    }

    fn slot(&mut self, group: Option<usize>) -> &mut GroupAcc {
        match group.and_then(|i| self.groups.get_mut(i)) {
            Some((_, g)) => g,
            None => &mut self.other,
        }
    }

    /// Adds `other`, which holds the rows that came after ours.
    pub fn merge(&mut self, other: &GroupByAcc) {
        for (key, theirs) in &other.groups {
            match self.group(key) {
                Some(g) => g.merge(theirs),
                None => self.other.merge(theirs),
            }
        }
        self.other.merge(&other.other);
    }

    /// Groups sorted by count (ties by key), the `top` largest kept and the rest in "other".
    pub fn finish(&self, column: String, measures: &[(usize, String)], top: usize) -> GroupBy {
        let mut all: Vec<(&String, &GroupAcc)> = self.groups.iter().map(|(k, g)| (k, g)).collect();
        all.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        let mut other = self.other.clone();
        for (_, g) in all.iter().skip(top) {
            other.merge(g);
        }
        let report = |key: &str, g: &GroupAcc| Group {
            key: key.to_string(),
            count: g.count,
            aggregates: measures
                .iter()
                .map(|(i, _)| g.aggs.get(*i).copied().unwrap_or_default().aggregate())
                .collect(),
        };
        let mut groups: Vec<Group> = all.iter().take(top).map(|(k, g)| report(k, g)).collect();
        if other.count > 0 {
            groups.push(report(OTHER, &other));
        }
        GroupBy {
            column,
            measures: measures.iter().map(|(_, n)| n.clone()).collect(),
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_fold_into_other() {
        let mut g = GroupByAcc::new(100);
        for (k, x) in [
            ("a", 1.0),
            ("b", 2.0),
            ("a", 3.0),
            ("c", 4.0),
            ("a", 5.0),
            ("b", 6.0),
        ] {
            g.push(Some(k), &[Some(x)]);
        }
        g.push(None, &[None]);
        let r = g.finish("k".into(), &[(0, "x".into())], 2);
        let keys: Vec<(&str, u64)> = r.groups.iter().map(|g| (g.key.as_str(), g.count)).collect();
        assert_eq!(keys, [("a", 3), ("b", 2), ("other", 2)]);
        assert_eq!(r.groups[0].aggregates[0].mean, Some(3.0));
        assert_eq!(r.groups[2].aggregates[0].sum, 4.0);
        assert_eq!(r.groups[2].aggregates[0].max, Some(4.0));
    }

    proptest! {
        /// Column by column, with "other", missing keys, NaN and a column without numbers, equals
        /// row by row.
        #[test]
        fn pushing_columns_equals_pushing_rows(
            rows in prop::collection::vec(
                (prop::option::of(0u8..6), prop::option::of(-1e3f64..1e3), -1e3f64..1e3),
                0..60,
            ),
            max_groups in 1usize..5,
            // Rows read before the key column appeared are left out of the keys.
            ungrouped in 0usize..3,
        ) {
            let names: Vec<String> = rows.iter().map(|r| format!("k{:?}", r.0)).collect();
            let keys: Vec<(usize, Option<&str>)> = rows
                .iter()
                .zip(&names)
                .enumerate()
                .skip(ungrouped)
                .map(|(i, (r, name))| (i, r.0.map(|_| name.as_str())))
                .collect();
            let columns = vec![
                rows.iter().map(|r| r.1.unwrap_or(f64::NAN)).collect::<Vec<f64>>(),
                vec![f64::NAN; rows.len()],
                rows.iter().map(|r| r.2).collect(),
            ];
            let mut by_column = GroupByAcc::new(max_groups);
            by_column.push_columns(&keys, &columns);
            let mut by_row = GroupByAcc::new(max_groups);
            for &(i, key) in &keys {
                let numbers: Vec<Option<f64>> =
                    columns.iter().map(|xs| Some(xs[i]).filter(|x| !x.is_nan())).collect();
                by_row.push(key, &numbers);
            }
            let measures = [(0, "a".to_string()), (1, "b".to_string()), (2, "c".to_string())];
            prop_assert_eq!(
                by_column.finish("k".into(), &measures, 3),
                by_row.finish("k".into(), &measures, 3)
            );
        }
    }
}
