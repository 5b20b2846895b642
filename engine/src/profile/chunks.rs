//! Rows batched into chunks: the reader copies each row's text into a [`Chunk`], and a full
//! chunk is handed on to be profiled, possibly on another thread.
//!
//! Chunk boundaries depend only on the input and `chunk_rows`, never on the number of threads,
//! so the chunks (and the profile merged from them in order) are the same for any thread count.

use std::ops::Range;
use std::sync::Arc;

use crate::ingest::RowSink;
use crate::profile::distinct::FrozenKeys;
use crate::profile::profiler::{ChunkBuffers, Profiler};
use crate::profile::table::{length_mark, row_hash_of};
use crate::profile::ProfileOptions;

/// Past this many bytes of text a chunk is closed early, so that wide rows keep chunks small.
const CHUNK_BYTES: usize = 16 << 20;

/// Where a cell's text lies in the chunk's buffer; `None` is an absent value.
type Span = Option<(u32, u32)>;

/// Consecutive rows of the table with their own copy of the text.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// Position in the sequence of chunks.
    pub(crate) index: usize,
    /// The table row index of the first row.
    first_row: u64,
    /// The header as of the last row (headers only grow, so earlier rows use a prefix of it).
    header: Vec<String>,
    text: String,
    cells: Vec<Span>,
    /// Each row's number of cells.
    widths: Vec<usize>,
}

impl Chunk {
    fn rows(&self) -> usize {
        self.widths.len()
    }

    fn push(&mut self, header: &[String], values: &[Option<&str>]) {
        if header.len() != self.header.len() {
            self.header = header.to_vec();
        }
        for v in values {
            self.cells.push(v.map(|s| {
                let start = self.text.len();
                self.text.push_str(s);
                (start as u32, s.len() as u32)
            }));
        }
        self.widths.push(values.len());
    }

    /// [`Chunk::push`] for a row whose cells lie in `text`: copied in one go.
    fn push_text(&mut self, header: &[String], text: &str, bounds: &[Range<usize>]) {
        if header.len() != self.header.len() {
            self.header = header.to_vec();
        }
        let base = self.text.len();
        self.text.push_str(text);
        self.cells.extend(
            bounds
                .iter()
                .map(|r| Some(((base + r.start) as u32, r.len() as u32))),
        );
        self.widths.push(bounds.len());
    }

    /// The profile of this chunk's rows alone, ready to be merged after the chunks before it;
    /// `frozen` are the frozen value counts of the profile it will be merged into, if known yet.
    pub(crate) fn profile(
        &self,
        opts: &ProfileOptions,
        frozen: Vec<Option<Arc<FrozenKeys>>>,
        buffers: &mut ChunkBuffers,
    ) -> Profiler {
        let mut profiler = Profiler::for_chunk(opts, self.first_row, frozen);
        let rows = ChunkRows::of(self);
        let mut hashes = std::mem::take(&mut buffers.hashes);
        rows.hashes(&mut hashes);
        profiler.push_chunk(&self.header, &rows, &hashes, buffers);
        buffers.hashes = hashes;
        profiler.prepare_merge();
        profiler
    }
}

/// A chunk's cells by row and column, for profiling it column by column.
pub(crate) struct ChunkRows<'a> {
    text: &'a str,
    cells: &'a [Span],
    widths: &'a [usize],
    /// Where each row's cells start in `cells`.
    starts: Vec<usize>,
}

impl<'a> ChunkRows<'a> {
    fn of(chunk: &'a Chunk) -> Self {
        let mut starts = Vec::with_capacity(chunk.widths.len());
        let mut start = 0;
        for &width in &chunk.widths {
            starts.push(start);
            start += width;
        }
        ChunkRows {
            text: &chunk.text,
            cells: &chunk.cells,
            widths: &chunk.widths,
            starts,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.widths.len()
    }

    /// How many cells row `row` has: later columns had not appeared yet when it was read.
    pub(crate) fn width(&self, row: usize) -> usize {
        self.widths.get(row).copied().unwrap_or(0)
    }

    /// The cells of `column`, row by row, into `out` (`None` for absent ones).
    pub(crate) fn column(&self, column: usize, out: &mut Vec<Option<&'a str>>) {
        out.clear();
        out.extend(self.starts.iter().zip(self.widths).map(|(&start, &width)| {
            let span = if column < width {
                self.cells.get(start + column).copied().flatten()
            } else {
                None
            };
            span.and_then(|(at, len)| self.text.get(at as usize..at as usize + len as usize))
        }));
    }

    /// Each row's hash (see [`row_hash_of`]), into `out`. Rows' text lies end to end, so a row
    /// hashes straight from it, and its cells' lengths come from their spans, not the text.
    fn hashes(&self, out: &mut Vec<u64>) {
        let text = self.text.as_bytes();
        let mut row_start = 0;
        out.clear();
        out.extend(self.starts.iter().zip(self.widths).map(|(&start, &width)| {
            let spans = self.cells.get(start..start + width).unwrap_or(&[]);
            // The row's text ends with its last present cell.
            let row_end = spans
                .iter()
                .rev()
                .find_map(|span| *span)
                .map_or(row_start, |(at, len)| at as usize + len as usize);
            let marks = spans.iter().map(|span| match *span {
                // As `length_mark` of the cell's text.
                Some((_, len)) => len.min(u32::MAX - 1),
                None => length_mark(None),
            });
            let hash = row_hash_of(text.get(row_start..row_end).unwrap_or(&[]), marks);
            row_start = row_end;
            hash
        }));
    }
}

/// A [`RowSink`] that fills chunks and passes each full one to `send`, which may hand back a
/// profiled chunk to fill next.
pub(crate) struct Batcher<'a> {
    chunk_rows: usize,
    chunk: Chunk,
    rows: u64,
    send: &'a mut dyn FnMut(Chunk) -> Option<Chunk>,
}

impl<'a> Batcher<'a> {
    pub(crate) fn new(chunk_rows: usize, send: &'a mut dyn FnMut(Chunk) -> Option<Chunk>) -> Self {
        Batcher {
            chunk_rows: chunk_rows.max(1),
            chunk: Chunk::default(),
            rows: 0,
            send,
        }
    }

    fn flush(&mut self) {
        let (index, header) = (self.chunk.index + 1, self.chunk.header.clone());
        let sizes = (
            self.chunk.text.len(),
            self.chunk.cells.len(),
            self.chunk.widths.len(),
        );
        let full = std::mem::take(&mut self.chunk);
        // A chunk handed back keeps its buffers: filling fresh ones would cost a page fault for
        // every 4 KiB of text, as the allocator gives large blocks back to the system when freed.
        self.chunk = match (self.send)(full) {
            Some(mut spare) => {
                spare.text.clear();
                spare.cells.clear();
                spare.widths.clear();
                spare
            }
            // The next chunk is likely as large: sized up front, it fills without reallocating.
            None => Chunk {
                text: String::with_capacity(sizes.0),
                cells: Vec::with_capacity(sizes.1),
                widths: Vec::with_capacity(sizes.2),
                ..Chunk::default()
            },
        };
        self.chunk.index = index;
        self.chunk.first_row = self.rows;
        self.chunk.header = header;
    }

    /// Passes on the last, partly filled chunk.
    pub(crate) fn finish(mut self) {
        if self.chunk.rows() > 0 {
            self.flush();
        }
    }
}

impl Batcher<'_> {
    /// Closes the chunk early if `row_bytes` more would make it too large.
    fn make_room(&mut self, row_bytes: usize) {
        // Spans are u32: a chunk never holds 4 GiB of text.
        if self.chunk.rows() > 0 && self.chunk.text.len() + row_bytes > CHUNK_BYTES {
            self.flush();
        }
    }

    fn row_added(&mut self) {
        self.rows += 1;
        if self.chunk.rows() >= self.chunk_rows {
            self.flush();
        }
    }
}

impl RowSink for Batcher<'_> {
    fn row(&mut self, header: &[String], values: &[Option<&str>]) {
        self.make_room(values.iter().flatten().map(|s| s.len()).sum());
        self.chunk.push(header, values);
        self.row_added();
    }

    fn row_in(&mut self, header: &[String], text: &str, bounds: &[Range<usize>]) {
        self.make_room(text.len());
        self.chunk.push_text(header, text, bounds);
        self.row_added();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::table::{length_mark, row_hash};
    use proptest::prelude::*;

    proptest! {
        /// The hashes taken from a chunk's spans equal [`row_hash`] of each row's cells.
        #[test]
        fn chunk_hashes_equal_row_hashes(
            rows in prop::collection::vec(
                prop::collection::vec(prop::option::of("[a-cé]{0,3}"), 0..5),
                0..20,
            ),
        ) {
            let mut chunk = Chunk::default();
            let header: Vec<String> = (0..5).map(|i| format!("c{i}")).collect();
            for row in &rows {
                let values: Vec<Option<&str>> = row.iter().map(|v| v.as_deref()).collect();
                chunk.push(&header, &values);
            }
            let mut hashes = Vec::new();
            ChunkRows::of(&chunk).hashes(&mut hashes);
            let expected: Vec<u64> = rows
                .iter()
                .map(|row| {
                    let text: String = row.iter().flatten().map(String::as_str).collect();
                    let marks: Vec<u32> = row.iter().map(|v| length_mark(v.as_deref())).collect();
                    row_hash(text.as_bytes(), &marks)
                })
                .collect();
            prop_assert_eq!(hashes, expected);
        }
    }
}
