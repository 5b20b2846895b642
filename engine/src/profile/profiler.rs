//! The row sink that feeds every accumulator, and the step that turns them into a [`Profile`].

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ingest::infer::{trim, Cell};
use crate::ingest::{Format, IngestSummary};
use crate::profile::alerts::alerts;
use crate::profile::chunks::ChunkRows;
use crate::profile::column::{look_numeric, ColumnAcc};
use crate::profile::correlation::{correlations, PearsonMatrix};
use crate::profile::distinct::FrozenKeys;
use crate::profile::group_by::GroupByAcc;
use crate::profile::model::{Profile, TableStats};
use crate::profile::parallel::par_map;
use crate::profile::table::{DuplicateRows, ROW_SEED};
use crate::profile::temporal::day_index;
use crate::profile::time_series::TimeSeriesAcc;
use crate::profile::{EngineError, ProfileOptions};

pub struct Profiler {
    opts: ProfileOptions,
    /// Index in the whole table of this profiler's first row (chunks start past 0).
    first_row: u64,
    /// For a chunk: the frozen value counts of the columns it will be merged into.
    frozen: Vec<Option<Arc<FrozenKeys>>>,
    /// Whether this profiles a chunk of rows, to be merged into a table's profiler.
    chunk: bool,
    rows: u64,
    columns: Vec<ColumnAcc>,
    duplicates: DuplicateRows,
    pearson: PearsonMatrix,
    /// Numbers of the first `spearman_sample` rows, one vector per column, NaN where none.
    spearman: Vec<Vec<f64>>,
    group_by: Option<(usize, GroupByAcc)>,
    time_series: Option<(usize, TimeSeriesAcc)>,
}

/// Values a chunk's columns hand to the merge one by one (see [`ColumnAcc::values_to_merge`])
/// past which they are merged on two threads: while the columns' tables fill (the first 100 000
/// distinct values of each), merging a chunk of a few columns of ids, times and measures looks up
/// and adds every one of its values, and the threads that profile the next chunks wait for it.
const VALUES_MERGED_APART: usize = 16_384;

/// Adds `theirs`, the columns of the rows after ours, to `ours` (a column `theirs` lacks had no
/// cell in those `rows`). Columns merge apart from each other, so merging them on two threads
/// (when there is much to merge) gives what merging them in turn does.
fn merge_columns(ours: &mut [ColumnAcc], theirs: Vec<ColumnAcc>, rows: u64, threads: usize) {
    let mut theirs = theirs.into_iter();
    let mut pairs: Vec<(&mut ColumnAcc, Option<ColumnAcc>)> =
        ours.iter_mut().map(|acc| (acc, theirs.next())).collect();
    let merge = |(acc, theirs): (&mut ColumnAcc, Option<ColumnAcc>)| match theirs {
        Some(column) => acc.merge(column),
        None => acc.missing += rows,
    };
    let cost = |pair: &(&mut ColumnAcc, Option<ColumnAcc>)| {
        pair.1.as_ref().map_or(0, ColumnAcc::values_to_merge)
    };
    let total: usize = pairs.iter().map(cost).sum();
    if threads < 2 || total < VALUES_MERGED_APART {
        pairs.into_iter().for_each(merge);
        return;
    }
    // The costliest first, each to the thread with less to do so far.
    pairs.sort_by_key(|pair| std::cmp::Reverse(cost(pair)));
    let (mut here, mut there) = (Vec::new(), Vec::new());
    let (mut here_cost, mut there_cost) = (0, 0);
    for pair in pairs {
        if here_cost <= there_cost {
            here_cost += cost(&pair);
            here.push(pair);
        } else {
            there_cost += cost(&pair);
            there.push(pair);
        }
    }
    std::thread::scope(|s| {
        let apart = s.spawn(|| there.into_iter().for_each(merge));
        here.into_iter().for_each(merge);
        apart
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

impl Profiler {
    pub fn new(opts: &ProfileOptions) -> Self {
        Self::with_options(opts.clone())
    }

    /// Rows profiled so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Each column's frozen value counts, for the chunks that come next.
    pub fn frozen_keys(&self) -> Vec<Option<Arc<FrozenKeys>>> {
        self.columns.iter().map(ColumnAcc::frozen_keys).collect()
    }

    /// A profiler for a chunk of rows from row `first_row` on, to be merged after the profiler of
    /// the rows before, whose columns had frozen the value counts in `frozen`.
    ///
    /// A chunk's own tables are unbounded (its rows bound them), so that the bounds apply only
    /// where chunks are merged, in file order, as they would in one pass.
    pub fn for_chunk(
        opts: &ProfileOptions,
        first_row: u64,
        frozen: Vec<Option<Arc<FrozenKeys>>>,
    ) -> Self {
        let unbounded = ProfileOptions {
            exact_distinct_limit: usize::MAX,
            exact_distinct_bytes: usize::MAX,
            duplicate_rows_limit: usize::MAX,
            max_groups: usize::MAX,
            ..opts.clone()
        };
        Profiler {
            frozen,
            chunk: true,
            first_row,
            duplicates: DuplicateRows::for_chunk(),
            ..Self::with_options(unbounded)
        }
    }

    fn with_options(opts: ProfileOptions) -> Self {
        Profiler {
            first_row: 0,
            frozen: Vec::new(),
            chunk: false,
            rows: 0,
            columns: Vec::new(),
            duplicates: DuplicateRows::new(opts.duplicate_rows_limit),
            pearson: PearsonMatrix::new(opts.max_correlation_columns),
            spearman: Vec::new(),
            group_by: None,
            time_series: None,
            opts,
        }
    }

    fn add_columns(&mut self, header: &[String]) {
        for name in &header[self.columns.len()..] {
            let keys = self.frozen.get(self.columns.len()).cloned().flatten();
            let mut acc = ColumnAcc::new(name.clone(), &self.opts).counting_against(keys);
            if self.chunk {
                acc = acc.for_chunk();
            }
            // Rows read before the column first appeared did not have it.
            acc.missing = self.rows;
            self.columns.push(acc);
            self.spearman.push(vec![f64::NAN; self.sampled_rows()]);
        }
        let find = |wanted: &Option<String>| {
            wanted
                .as_ref()
                .and_then(|w| header.iter().position(|h| h == w))
        };
        if self.group_by.is_none() {
            if let Some(i) = find(&self.opts.group_by) {
                self.group_by = Some((i, GroupByAcc::new(self.opts.max_groups)));
            }
        }
        if self.time_series.is_none() {
            if let Some(i) = find(&self.opts.time_column) {
                self.time_series = Some((i, TimeSeriesAcc::default()));
            }
        }
    }

    /// How many of our rows fall in the Spearman sample (the first rows of the table).
    fn sampled_rows(&self) -> usize {
        let end = (self.first_row + self.rows).min(self.opts.spearman_sample as u64);
        end.saturating_sub(self.first_row) as usize
    }

    /// Adds `other`, the profiler of the rows that came right after ours.
    pub fn merge(&mut self, other: Profiler) {
        if other.columns.len() > self.columns.len() {
            // Columns that first appeared in `other`'s rows: none of ours had them.
            let header: Vec<String> = other.columns.iter().map(|c| c.name.clone()).collect();
            self.add_columns(&header);
        }
        // A chunk that did not know its first row kept every row the sample might still need:
        // only those it does need go in.
        let room = self.sampled_rows_of(usize::MAX);
        let theirs_sampled = other.sampled_rows().min(room);
        merge_columns(
            &mut self.columns,
            other.columns,
            other.rows,
            self.opts.threads,
        );
        let mut their_samples = other.spearman.into_iter();
        for sample in &mut self.spearman {
            match their_samples.next() {
                Some(mut xs) if sample.is_empty() => {
                    xs.truncate(room);
                    *sample = xs;
                }
                Some(xs) => sample.extend_from_slice(&xs[..xs.len().min(room)]),
                None => sample.resize(sample.len() + theirs_sampled, f64::NAN),
            }
        }
        self.duplicates.merge_owned(other.duplicates);
        self.pearson.merge(&other.pearson);
        match (&mut self.group_by, other.group_by) {
            (Some((_, acc)), Some((_, theirs))) => acc.merge(&theirs),
            (mine @ None, Some((key, theirs))) => {
                // Ours is bounded by `max_groups`; a chunk's is not.
                let mut acc = GroupByAcc::new(self.opts.max_groups);
                acc.merge(&theirs);
                *mine = Some((key, acc));
            }
            _ => {}
        }
        match (&mut self.time_series, other.time_series) {
            (Some((_, acc)), Some((_, theirs))) => acc.merge(&theirs),
            (mine @ None, theirs @ Some(_)) => *mine = theirs,
            _ => {}
        }
        self.rows += other.rows;
    }

    /// Work done on a finished chunk before it is merged, so that the in-order merge has less.
    pub fn prepare_merge(&mut self) {
        self.columns.iter_mut().for_each(ColumnAcc::prepare_merge);
    }

    pub fn finish(
        mut self,
        format: Format,
        summary: IngestSummary,
    ) -> Result<Profile, EngineError> {
        let top_k = self.opts.top_k;
        let columns = par_map(&self.columns, self.opts.threads, |c| c.finish(top_k));
        let numeric: Vec<(usize, String)> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.column_type.is_numeric())
            .map(|(i, c)| (i, c.name.clone()))
            .collect();

        let mut types: BTreeMap<String, u64> = BTreeMap::new();
        for c in &columns {
            *types.entry(c.column_type.as_str().to_string()).or_default() += 1;
        }

        let correlated: Vec<&(usize, String)> = numeric
            .iter()
            .filter(|(i, _)| *i < self.pearson.width())
            .collect();
        let correlations = (correlated.len() >= 2).then(|| {
            correlations(
                correlated.iter().map(|(_, n)| n.clone()).collect(),
                &correlated.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
                &correlated
                    .iter()
                    .map(|(i, _)| columns[*i].variance.is_some_and(|v| v > 0.0))
                    .collect::<Vec<_>>(),
                &self.pearson,
                &self.spearman,
                (self.rows.min(self.opts.spearman_sample as u64), self.rows),
                self.opts.threads,
            )
        });

        let group_by = match (&self.opts.group_by, &self.group_by) {
            (None, _) => None,
            (Some(name), None) => {
                return Err(EngineError::UnknownColumn {
                    name: name.clone(),
                    purpose: "group-by",
                })
            }
            (Some(name), Some((key, acc))) => {
                let measures: Vec<(usize, String)> =
                    numeric.iter().filter(|(i, _)| i != key).cloned().collect();
                Some(acc.finish(name.clone(), &measures, self.opts.group_by_top))
            }
        };

        let time_series = match (&self.opts.time_column, &self.time_series) {
            (None, _) => None,
            (Some(name), None) => {
                return Err(EngineError::UnknownColumn {
                    name: name.clone(),
                    purpose: "the time series",
                })
            }
            (Some(name), Some((i, acc))) => {
                let t = columns[*i].column_type;
                if !t.is_temporal() {
                    return Err(EngineError::NotTemporal {
                        name: name.clone(),
                        found: t.as_str(),
                        purpose: "the time series",
                    });
                }
                Some(acc.finish(name.clone(), &numeric))
            }
        };

        let mut profile = Profile {
            rows: self.rows,
            table: TableStats {
                rows: self.rows,
                columns: columns.len() as u64,
                duplicate_rows: self.duplicates.count_on(self.opts.threads),
                bytes: summary.bytes,
                skipped_rows: summary.skipped_rows,
                types,
                format: format.as_str().to_string(),
                encoding: summary.encoding,
                delimiter: summary.delimiter.map(String::from),
            },
            columns,
            correlations,
            group_by,
            time_series,
            alerts: Vec::new(),
        };
        profile.alerts = alerts(&profile);
        Ok(profile)
    }
}

/// Working space for profiling chunks, kept by the thread that profiles them: a chunk's cells and
/// numbers column by column. Allocated afresh for every chunk, these buffers would fault their
/// pages in again each time (the allocator hands large freed blocks back to the system).
#[derive(Debug, Default)]
pub(crate) struct ChunkBuffers {
    pub(crate) hashes: Vec<u64>,
    cells: Vec<Cell>,
    finite: Vec<f64>,
    numbers: Vec<Vec<f64>>,
}

impl Profiler {
    /// Pushes a chunk of rows (with their [`row_hash`]es) column by column: each column's cells
    /// are classified and counted in one run, keeping that column's tables in cache, and numbers
    /// are summarised in blocks. The result equals pushing the rows one by one, but for the last
    /// digits of moments and correlations (summed by block instead of by value).
    pub(crate) fn push_chunk(
        &mut self,
        header: &[String],
        rows: &ChunkRows<'_>,
        buffers: &mut ChunkBuffers,
    ) {
        let n = rows.len();
        if n == 0 {
            return;
        }
        if header.len() > self.columns.len() {
            self.add_columns(header);
        }
        let sampled = self.sampled_rows_of(n);
        let group_key = self.group_by.as_ref().map(|(key, _)| *key);
        let time_column = self.time_series.as_ref().map(|(i, _)| *i);
        let mut values: Vec<Option<&str>> = Vec::new();
        let ChunkBuffers {
            cells,
            finite,
            numbers,
            hashes,
        } = buffers;
        // Each row's hash, every cell folded in as its column is counted.
        hashes.clear();
        hashes.resize(n, ROW_SEED);
        // One vector of numbers per column, each refilled by `push_column`.
        numbers.resize_with(self.columns.len(), Vec::new);
        numbers.truncate(self.columns.len());
        let mut keys: Vec<(usize, Option<&str>)> = Vec::new();
        let mut days: Vec<Option<i64>> = Vec::new();
        for ((c, acc), xs) in self.columns.iter_mut().enumerate().zip(numbers.iter_mut()) {
            // Only the group-by key and the time column need their cells again.
            let keep_cells = group_key == Some(c) || time_column == Some(c);
            cells.clear();
            let kept = keep_cells.then_some(&mut *cells);
            if group_key == Some(c) {
                // The key's texts are needed again: read into a list once.
                rows.column(c, &mut values);
                acc.push_column(values.iter().copied(), xs, finite, hashes, kept);
                // Rows read before the key column appeared are in no group, as row by row.
                keys.reserve(values.len());
                keys.extend(
                    values
                        .iter()
                        .zip(cells.iter())
                        .enumerate()
                        .filter(|(r, _)| rows.width(*r) > c)
                        .map(|(r, (v, cell))| (r, v.filter(|_| *cell != Cell::Missing).map(trim))),
                );
            } else if let Some((text, spans)) = rows
                .spans(c)
                .filter(|&(text, spans)| !keep_cells && look_numeric(text, spans))
            {
                acc.push_spans(text, spans, xs, finite, hashes);
            } else {
                acc.push_column(rows.cells(c), xs, finite, hashes, kept);
            }
            if time_column == Some(c) {
                days.extend(cells.iter().map(|c| c.as_seconds().map(day_index)));
            }
            if let Some(sample) = self.spearman.get_mut(c) {
                sample.extend_from_slice(&xs[..sampled]);
            }
        }
        self.duplicates.push_hashes(hashes);
        self.pearson.push_columns(numbers);
        if let Some((_, acc)) = &mut self.group_by {
            acc.push_columns(&keys, numbers);
        }
        if let Some((_, acc)) = &mut self.time_series {
            acc.push_columns(&days, numbers);
        }
        self.rows += n as u64;
    }

    /// How many of `n` more rows fall in the Spearman sample.
    fn sampled_rows_of(&self, n: usize) -> usize {
        let seen = self.first_row + self.rows;
        let end = seen
            .saturating_add(n as u64)
            .min(self.opts.spearman_sample as u64);
        end.saturating_sub(seen) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns of `rows` rows from `first` on: ids, measures, a category and text, with as
    /// many distinct values as rows but the category.
    fn chunk_columns(opts: &ProfileOptions, first: usize, rows: usize) -> Vec<ColumnAcc> {
        let cells: [Box<dyn Fn(usize) -> String>; 4] = [
            Box::new(|i| i.to_string()),
            Box::new(|i| format!("{}.{}", i % 997, i % 13)),
            Box::new(|i| format!("cat{}", i % 7)),
            Box::new(|i| format!("note {i}")),
        ];
        cells
            .iter()
            .map(|cell| {
                let mut acc = ColumnAcc::new("c".into(), opts).for_chunk();
                let texts: Vec<String> = (first..first + rows).map(cell).collect();
                let mut hashes = vec![0; rows];
                let values = texts.iter().map(|t| Some(t.as_str()));
                acc.push_column(values, &mut Vec::new(), &mut Vec::new(), &mut hashes, None);
                acc
            })
            .collect()
    }

    #[test]
    fn columns_merged_on_two_threads_equal_columns_merged_in_turn() {
        let opts = ProfileOptions {
            exact_distinct_limit: 9_000,
            ..ProfileOptions::default()
        };
        let merged = |threads: usize| {
            let mut table: Vec<ColumnAcc> =
                (0..4).map(|_| ColumnAcc::new("c".into(), &opts)).collect();
            // The first chunks hand over more values than `VALUES_MERGED_APART`; the second
            // passes the bound.
            for (first, rows) in [(0, 6_000), (6_000, 6_000), (12_000, 3_000)] {
                merge_columns(&mut table, chunk_columns(&opts, first, rows), 0, threads);
            }
            // A chunk without the last two columns.
            let short = chunk_columns(&opts, 15_000, 10)
                .into_iter()
                .take(2)
                .collect();
            merge_columns(&mut table, short, 10, threads);
            let profiles: Vec<_> = table.iter().map(|c| c.finish(5)).collect();
            serde_json::to_string(&profiles).unwrap_or_default()
        };
        let handed: usize = chunk_columns(&opts, 0, 6_000)
            .iter()
            .map(ColumnAcc::values_to_merge)
            .sum();
        assert!(handed >= VALUES_MERGED_APART, "{handed}");
        assert_eq!(merged(2), merged(1));
    }
}
