//! Profiling on several threads: the calling thread reads and parses rows into chunks, worker
//! threads profile chunks apart, and one thread merges their profiles in chunk order.
//!
//! Merging in order over fixed chunks makes the profile independent of the thread count (float
//! sums are grouped by chunk, never by thread), and at most `2 × threads` chunks are alive at once
//! (queued, being profiled or waiting for their turn), so memory stays bounded.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::profile::chunks::{Batcher, Chunk};
use crate::profile::distinct::FrozenKeys;
use crate::profile::profiler::{ChunkBuffers, Profiler};
use crate::profile::ProfileOptions;

/// Runs `read`, which pushes every row into the batcher it is given, and returns its result with
/// the profile of all the rows.
///
/// Threads start with the second chunk: an input of one chunk is profiled on the calling thread,
/// which costs less than handing it over (the profile is the same either way).
pub(crate) fn profile_chunks<T>(
    opts: &ProfileOptions,
    read: impl FnOnce(&mut Batcher<'_>) -> T,
) -> (T, Profiler) {
    if opts.threads <= 1 {
        return on_this_thread(opts, read);
    }
    let threads = opts.threads;
    let max_in_flight = 2 * threads;
    let (to_workers, chunks) = mpsc::sync_channel::<Chunk>(max_in_flight);
    let chunks = Mutex::new(chunks);
    let (to_merger, parts) = mpsc::channel::<(usize, Profiler)>();
    // Profiled chunks go back to the reader to be filled again (no more than are in flight).
    let (to_reader, spares) = mpsc::channel::<Chunk>();
    let mut parts = Some(parts);
    let progress = Progress::default();
    let frozen = Frozen::default();

    std::thread::scope(|s| {
        let mut merger = None;
        let mut first: Option<Chunk> = None;
        let mut sent = 0usize;
        let mut send = |chunk: Chunk| {
            if merger.is_none() {
                if first.is_none() {
                    first = Some(chunk);
                    return None;
                }
                for _ in 0..threads {
                    let (to_merger, to_reader) = (to_merger.clone(), to_reader.clone());
                    let (chunks, progress, frozen) = (&chunks, &progress, &frozen);
                    s.spawn(move || {
                        let _guard = progress.fail_on_panic();
                        let mut buffers = ChunkBuffers::default();
                        while let Ok(chunk) = lock(chunks).recv() {
                            let frozen = lock(&frozen.0).clone();
                            let part = chunk.profile(opts, frozen, &mut buffers);
                            if to_merger.send((chunk.index, part)).is_err() {
                                break;
                            }
                            // The reader may be done: then the chunk is simply dropped.
                            let _ = to_reader.send(chunk);
                        }
                    });
                }
                let parts = parts.take();
                let (progress, frozen) = (&progress, &frozen);
                merger = Some(s.spawn(move || match parts {
                    Some(parts) => merge_in_order(opts, parts, progress, frozen),
                    None => Profiler::new(opts),
                }));
            }
            for chunk in first.take().into_iter().chain(Some(chunk)) {
                if progress.wait_below(sent, max_in_flight) {
                    // Never blocks: no more than `max_in_flight` chunks are ever queued.
                    sent += usize::from(to_workers.send(chunk).is_ok());
                }
            }
            spares.try_recv().ok()
        };
        let mut batcher = Batcher::new(opts.chunk_rows, &mut send);
        let out = read(&mut batcher);
        batcher.finish();
        // Closing the queues lets the workers, then the merger, finish.
        drop(to_workers);
        drop(to_merger);
        let total = match merger {
            // A panic in a worker or the merger resurfaces here, as it would on one thread.
            Some(merger) => merger
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => {
                let mut total = Profiler::new(opts);
                if let Some(chunk) = first {
                    let buffers = &mut ChunkBuffers::default();
                    total.merge(chunk.profile(opts, total.frozen_keys(), buffers));
                }
                total
            }
        };
        (out, total)
    })
}

fn on_this_thread<T>(
    opts: &ProfileOptions,
    read: impl FnOnce(&mut Batcher<'_>) -> T,
) -> (T, Profiler) {
    let mut total = Profiler::new(opts);
    let mut buffers = ChunkBuffers::default();
    let mut send = |chunk: Chunk| {
        let part = chunk.profile(opts, total.frozen_keys(), &mut buffers);
        total.merge(part);
        Some(chunk)
    };
    let mut batcher = Batcher::new(opts.chunk_rows, &mut send);
    let out = read(&mut batcher);
    batcher.finish();
    (out, total)
}

/// Merges the chunks' profiles as they arrive, each only after all the chunks before it.
fn merge_in_order(
    opts: &ProfileOptions,
    parts: Receiver<(usize, Profiler)>,
    progress: &Progress,
    frozen: &Frozen,
) -> Profiler {
    let _guard = progress.fail_on_panic();
    let mut total = Profiler::new(opts);
    let mut pending: BTreeMap<usize, Profiler> = BTreeMap::new();
    let mut next = 0;
    let mut published = 0;
    for (index, part) in parts {
        pending.insert(index, part);
        while let Some(part) = pending.remove(&next) {
            total.merge(part);
            next += 1;
            progress.merged(next);
        }
        let keys = total.frozen_keys();
        let count = keys.iter().flatten().count();
        if count > published {
            published = count;
            *lock(&frozen.0) = keys;
        }
    }
    total
}

/// The merged profile's frozen value counts, for workers to count later chunks against. Which
/// chunks see them depends on timing, but not the result: see [`ValueCounts::against`].
///
/// [`ValueCounts::against`]: crate::profile::distinct::ValueCounts::against
#[derive(Default)]
struct Frozen(Mutex<Vec<Option<Arc<FrozenKeys>>>>);

/// `f` of every item, computed on up to `threads` threads, in the items' order.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(per_thread)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// How many chunks are merged, for the reader to wait on; `failed` once a thread panicked.
#[derive(Default)]
struct Progress {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Progress {
    fn merged(&self, count: usize) {
        lock(&self.state).0 = count;
        self.changed.notify_all();
    }

    /// Waits until fewer than `limit` of the `sent` chunks are unmerged; false if a thread failed.
    fn wait_below(&self, sent: usize, limit: usize) -> bool {
        let mut state = lock(&self.state);
        while sent >= state.0 + limit && !state.1 {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !state.1
    }

    fn fail_on_panic(&self) -> FailOnPanic<'_> {
        FailOnPanic(self)
    }
}

/// Tells the reader to stop waiting when the thread holding it panics.
struct FailOnPanic<'a>(&'a Progress);

impl Drop for FailOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(&self.0.state).1 = true;
            self.0.changed.notify_all();
        }
    }
}

/// A lock that a panicking thread left behind is still usable: the panic itself is reported.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
