//! The work profiling threads do, and the merge of their results in file order.
//!
//! A piece of work is either a chunk of rows already read (JSON) or a block of CSV bytes, which
//! the thread parses first. A CSV block's cut was only a guess, and its encoding the one known
//! when it started: the merger, which sees blocks in order, parses a block again (on the thread
//! merging) when the block before it ended inside a record or the stream turned out to be
//! Windows-1252 before it. Which blocks need that depends only on the input, so the profile is
//! the same whatever the number of threads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::ingest::csv::{parse_block, BlockParse, RecordBuffers, RecordFormat};
use crate::ingest::IngestError;
use crate::profile::chunks::Chunk;
use crate::profile::distinct::FrozenKeys;
use crate::profile::profiler::{ChunkBuffers, Profiler};
use crate::profile::{ProfileOptions, Sample};

pub(crate) enum Work {
    /// Rows already read.
    Rows(Chunk),
    /// CSV bytes from a record's start; `last` ends the stream.
    Csv { block: Vec<u8>, last: bool },
}

/// Work and its place in the input.
pub(crate) struct Job {
    pub index: usize,
    pub work: Work,
}

/// A job's profile, waiting for its turn to be merged.
pub(crate) struct Part {
    pub index: usize,
    profiler: Profiler,
    sample: ChunkSample,
    csv: Option<CsvPart>,
    /// The chunk of rows, to be filled again.
    spare: Option<Chunk>,
}

/// A chunk's header and first rows.
type ChunkSample = (Vec<String>, Vec<Vec<String>>);

struct CsvPart {
    block: Vec<u8>,
    last: bool,
    /// Whether the block was read as Windows-1252 from its start.
    latin1: bool,
    parse: BlockParse,
}

/// What the profiling threads share. The hints only spare work: a thread that misses an update
/// does more than it needs, never something different.
pub(crate) struct Shared<'a> {
    pub opts: &'a ProfileOptions,
    /// How CSV blocks are read (unused for rows already read).
    csv: RecordFormat,
    sample_rows: usize,
    /// The merged profile's frozen value counts (see [`crate::profile::distinct::ValueCounts::against`]).
    frozen: Mutex<Vec<Option<Arc<FrozenKeys>>>>,
    merged_rows: AtomicU64,
    sample_full: AtomicBool,
    latin1: AtomicBool,
    /// A bad row was found: reading on is pointless.
    stopped: AtomicBool,
}

/// Buffers a profiling thread keeps from one job to the next.
#[derive(Default)]
pub(crate) struct WorkerBuffers {
    chunk: Chunk,
    records: RecordBuffers,
    profile: ChunkBuffers,
}

impl<'a> Shared<'a> {
    pub(crate) fn new(
        opts: &'a ProfileOptions,
        csv: RecordFormat,
        sample_rows: usize,
        latin1: bool,
    ) -> Self {
        Shared {
            opts,
            csv,
            sample_rows,
            frozen: Mutex::new(Vec::new()),
            merged_rows: AtomicU64::new(0),
            sample_full: AtomicBool::new(sample_rows == 0),
            latin1: AtomicBool::new(latin1),
            stopped: AtomicBool::new(false),
        }
    }

    pub(crate) fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    pub(crate) fn profile(&self, job: Job, buffers: &mut WorkerBuffers) -> Part {
        let frozen = lock(&self.frozen).clone();
        let sample_rows = if self.sample_full.load(Ordering::Relaxed) {
            0
        } else {
            self.sample_rows
        };
        match job.work {
            Work::Rows(chunk) => Part {
                index: job.index,
                profiler: chunk.profile(self.opts, frozen, &mut buffers.profile),
                sample: chunk.sample(sample_rows),
                csv: None,
                spare: Some(chunk),
            },
            Work::Csv { block, last } => {
                // The block's first row is not known yet: the rows merged so far tell whether
                // it can still be in the Spearman sample (see `Profiler::merge`).
                let spearman = self.opts.spearman_sample as u64;
                let first_row = if self.merged_rows.load(Ordering::Relaxed) < spearman {
                    0
                } else {
                    spearman
                };
                let latin1 = self.latin1.load(Ordering::Relaxed);
                let place = BlockPlace {
                    index: job.index,
                    first_row,
                    latin1,
                    sample_rows,
                };
                let (profiler, sample, csv) =
                    self.profile_block(block, last, place, frozen, buffers);
                Part {
                    index: job.index,
                    profiler,
                    sample,
                    csv: Some(csv),
                    spare: None,
                }
            }
        }
    }

    /// Parses a CSV block into the thread's chunk and profiles it.
    fn profile_block(
        &self,
        block: Vec<u8>,
        last: bool,
        place: BlockPlace,
        frozen: Vec<Option<Arc<FrozenKeys>>>,
        buffers: &mut WorkerBuffers,
    ) -> (Profiler, ChunkSample, CsvPart) {
        let format = &self.csv;
        let WorkerBuffers {
            chunk,
            records,
            profile,
        } = buffers;
        chunk.reset(place.index, place.first_row, &format.header);
        let len = block.len();
        let (parse, kept) = if !place.latin1 && simdutf8::basic::from_utf8(&block).is_ok() {
            // SAFETY: the bytes were just found to be UTF-8.
            let text = unsafe { String::from_utf8_unchecked(block) };
            (chunk.split_csv(text, last, format), None)
        } else {
            // Windows-1252, or not UTF-8 at all: `csv_core`, decoding as it goes.
            let parse = parse_block(&block, last, format, place.latin1, chunk, records);
            (parse, Some(block))
        };
        let profiler = chunk.profile(self.opts, frozen, profile);
        let sample = chunk.sample(place.sample_rows);
        let block = kept.unwrap_or_else(|| chunk.take_block(len));
        let csv = CsvPart {
            block,
            last,
            latin1: place.latin1,
            parse,
        };
        (profiler, sample, csv)
    }
}

/// Where a CSV block stands, as far as its profile needs to know.
struct BlockPlace {
    index: usize,
    first_row: u64,
    latin1: bool,
    sample_rows: usize,
}

/// The profile of everything merged so far, and the state of the CSV stream at its end.
pub(crate) struct Merger<'s, 'a> {
    shared: &'s Shared<'a>,
    total: Profiler,
    sample: Sample,
    /// Line breaks before the next block.
    lines: u64,
    latin1: bool,
    skipped: u64,
    /// The end of the last block, inside a record: the next block is parsed again after it.
    carry: Vec<u8>,
    error: Option<IngestError>,
    /// The value counts last handed to the profiling threads.
    published_keys: Vec<Option<Arc<FrozenKeys>>>,
    buffers: WorkerBuffers,
}

/// What the merge leaves: the profile of every row, the first rows, and for CSV the rows
/// skipped and whether the stream was Windows-1252.
pub(crate) struct Merged {
    pub profiler: Profiler,
    pub sample: Sample,
    pub skipped: u64,
    pub latin1: bool,
}

impl<'s, 'a> Merger<'s, 'a> {
    /// A merger for a stream whose first block starts after `lines` line breaks.
    pub(crate) fn new(shared: &'s Shared<'a>, lines: u64) -> Self {
        Merger {
            shared,
            total: Profiler::new(shared.opts),
            sample: Sample::default(),
            lines,
            latin1: shared.latin1.load(Ordering::Relaxed),
            skipped: 0,
            carry: Vec::new(),
            error: None,
            published_keys: Vec::new(),
            buffers: WorkerBuffers::default(),
        }
    }

    /// Merges `part`, the next in file order, and gives back what can be filled again.
    pub(crate) fn accept(&mut self, part: Part) -> Option<Work> {
        let Part {
            index,
            profiler,
            sample,
            csv,
            spare,
        } = part;
        let Some(csv) = csv else {
            if self.error.is_none() {
                self.add(profiler, sample);
            }
            return spare.map(Work::Rows);
        };
        if self.error.is_some() {
            return Some(Work::Csv {
                block: csv.block,
                last: false,
            });
        }
        let wrong_encoding = csv.latin1 != self.latin1 && !csv.block.is_ascii();
        let (profiler, sample, csv) = if self.carry.is_empty() && !wrong_encoding {
            (profiler, sample, csv)
        } else {
            let mut block = std::mem::take(&mut self.carry);
            block.extend_from_slice(&csv.block);
            let place = BlockPlace {
                index,
                first_row: self.total.rows(),
                latin1: self.latin1,
                sample_rows: self
                    .shared
                    .sample_rows
                    .saturating_sub(self.sample.rows.len()),
            };
            let frozen = self.total.frozen_keys();
            self.shared
                .profile_block(block, csv.last, place, frozen, &mut self.buffers)
        };
        let CsvPart {
            block, last, parse, ..
        } = csv;
        if let Some(error) = parse.error {
            self.error = Some(error.below(self.lines));
            self.shared.stopped.store(true, Ordering::Relaxed);
            return Some(Work::Csv { block, last: false });
        }
        self.lines += parse.newlines;
        self.latin1 |= parse.latin1;
        self.skipped += parse.skipped;
        if !last {
            self.carry
                .extend_from_slice(block.get(parse.consumed..).unwrap_or_default());
        }
        self.shared.latin1.store(self.latin1, Ordering::Relaxed);
        self.add(profiler, sample);
        Some(Work::Csv { block, last: false })
    }

    fn add(&mut self, profiler: Profiler, (header, rows): ChunkSample) {
        self.total.merge(profiler);
        let room = self
            .shared
            .sample_rows
            .saturating_sub(self.sample.rows.len());
        if room > 0 && !rows.is_empty() {
            self.sample.rows.extend(rows.into_iter().take(room));
            // The header as of the last sampled row (headers only grow).
            let width = self.sample.rows.last().map_or(0, Vec::len);
            if width != self.sample.header.len() {
                self.sample.header = header.get(..width).unwrap_or_default().to_vec();
            }
        }
        let shared = self.shared;
        shared
            .merged_rows
            .store(self.total.rows(), Ordering::Relaxed);
        if self.sample.rows.len() >= shared.sample_rows {
            shared.sample_full.store(true, Ordering::Relaxed);
        }
        let keys = self.total.frozen_keys();
        let handed_out = |k: &Option<Arc<FrozenKeys>>| k.as_ref().map(Arc::as_ptr);
        let same = keys
            .iter()
            .map(handed_out)
            .eq(self.published_keys.iter().map(handed_out));
        if !same {
            self.published_keys = keys.clone();
            *lock(&shared.frozen) = keys;
        }
    }

    pub(crate) fn finish(self) -> Result<Merged, IngestError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        Ok(Merged {
            profiler: self.total,
            sample: self.sample,
            skipped: self.skipped,
            latin1: self.latin1,
        })
    }
}

/// A lock that a panicking thread left behind is still usable: the panic itself is reported.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
