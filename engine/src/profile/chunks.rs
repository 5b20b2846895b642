//! Rows in chunks: a [`Chunk`] holds consecutive rows' text and where each cell lies in it. JSON
//! rows are copied in by the reader ([`Batcher`]); a CSV block is split into one by the thread
//! that profiles it ([`Chunk::split_csv`]).
//!
//! Chunk boundaries depend only on the input and `chunk_rows` or `chunk_bytes`, never on the
//! number of threads, so the chunks (and the profile merged from them in order) are the same for
//! any thread count.

use std::ops::Range;
use std::sync::Arc;

use crate::ingest::csv::{split_block, BlockParse, Cells, RecordFormat};
use crate::ingest::RowSink;
use crate::profile::distinct::FrozenKeys;
use crate::profile::profiler::{ChunkBuffers, Profiler};
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
    /// Cells of a CSV block that are not spans of it, before they join `text`.
    extra: String,
    cells: Vec<Span>,
    /// A CSV block's cells instead, column by column (see [`Cells`]), when `by_column`.
    columns: Vec<Vec<(u32, u32)>>,
    by_column: bool,
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

    /// Empties the chunk (keeping its buffers) to be filled as chunk `index`, whose first row is
    /// `first_row` of the table.
    pub(crate) fn reset(&mut self, index: usize, first_row: u64, header: &[String]) {
        self.index = index;
        self.first_row = first_row;
        self.text.clear();
        self.cells.clear();
        self.columns.iter_mut().for_each(Vec::clear);
        self.by_column = false;
        self.widths.clear();
        if self.header != header {
            self.header = header.to_vec();
        }
    }

    /// Takes a CSV block as its text and splits it there (see [`split_block`]): most cells are
    /// spans of the block itself. [`Chunk::take_block`] gives the block back.
    pub(crate) fn split_csv(
        &mut self,
        block: String,
        last: bool,
        format: &RecordFormat,
    ) -> BlockParse {
        self.text = block;
        self.extra.clear();
        self.by_column = true;
        let mut cells = Cells {
            extra: &mut self.extra,
            columns: &mut self.columns,
            widths: &mut self.widths,
        };
        let parse = split_block(&self.text, last, format, &mut cells);
        self.text.push_str(&self.extra);
        parse
    }

    /// The first `len` bytes of the text: the block [`Chunk::split_csv`] took.
    pub(crate) fn take_block(&mut self, len: usize) -> Vec<u8> {
        let mut block = std::mem::take(&mut self.text).into_bytes();
        block.truncate(len);
        block
    }

    /// Up to `limit` first rows as text (absent cells empty), with the header as of the last.
    pub(crate) fn sample(&self, limit: usize) -> (Vec<String>, Vec<Vec<String>>) {
        let rows = ChunkRows::of(self);
        let take = limit.min(rows.len());
        if take == 0 {
            return (Vec::new(), Vec::new());
        }
        let mut sampled = vec![Vec::new(); take];
        let mut values = Vec::new();
        for c in 0..self.header.len() {
            rows.column(c, &mut values);
            for (r, row) in sampled.iter_mut().enumerate() {
                if c < rows.width(r) {
                    row.push(
                        values
                            .get(r)
                            .copied()
                            .flatten()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
        }
        // Headers only grow: the last sampled row's is a prefix of the chunk's.
        let width = take.checked_sub(1).map_or(0, |r| rows.width(r));
        let header = self.header.get(..width).unwrap_or_default().to_vec();
        (header, sampled)
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
        profiler.push_chunk(&self.header, &rows, buffers);
        profiler.prepare_merge();
        profiler
    }
}

/// A CSV block's records are parsed straight into a chunk.
impl RowSink for Chunk {
    fn row(&mut self, header: &[String], values: &[Option<&str>]) {
        self.push(header, values);
    }

    fn row_in(&mut self, header: &[String], text: &str, bounds: &[Range<usize>]) {
        self.push_text(header, text, bounds);
    }
}

/// A chunk's cells by row and column, for profiling it column by column.
pub(crate) struct ChunkRows<'a> {
    text: &'a str,
    cells: &'a [Span],
    columns: &'a [Vec<(u32, u32)>],
    widths: &'a [usize],
    /// Where each row's cells start in `cells`.
    starts: Vec<usize>,
}

impl<'a> ChunkRows<'a> {
    fn of(chunk: &'a Chunk) -> Self {
        let mut starts = Vec::new();
        if !chunk.by_column {
            starts.reserve(chunk.widths.len());
            let mut start = 0;
            for &width in &chunk.widths {
                starts.push(start);
                start += width;
            }
        }
        ChunkRows {
            text: &chunk.text,
            cells: &chunk.cells,
            columns: if chunk.by_column { &chunk.columns } else { &[] },
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
        out.extend(self.cells(column));
    }

    /// The chunk's text and the spans of `column`'s cells in it (start, length), one for each
    /// row: a CSV block's cells, kept column by column.
    pub(crate) fn spans(&self, column: usize) -> Option<(&'a str, &'a [(u32, u32)])> {
        let spans = self.columns.get(column)?;
        (spans.len() == self.len()).then_some((self.text, spans.as_slice()))
    }

    /// The cells of `column`, row by row (`None` for absent ones), read in place: profiling a
    /// column reads them once, where a list of them would be written and read again.
    pub(crate) fn cells(
        &self,
        column: usize,
    ) -> impl ExactSizeIterator<Item = Option<&'a str>> + '_ {
        let text = self.text;
        let by_column = !self.columns.is_empty();
        let spans = self.columns.get(column).map_or(&[][..], Vec::as_slice);
        (0..self.len()).map(move |row| {
            let span = if by_column {
                spans.get(row).copied()
            } else {
                self.row_major(row, column)
            };
            span.and_then(|(at, len)| text.get(at as usize..at as usize + len as usize))
        })
    }

    /// The span of a cell of rows kept row after row.
    fn row_major(&self, row: usize, column: usize) -> Span {
        let (start, width) = (self.starts.get(row)?, self.widths.get(row)?);
        if column < *width {
            self.cells.get(start + column).copied().flatten()
        } else {
            None
        }
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
