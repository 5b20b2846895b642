//! Profiling on several threads: the calling thread reads the input into pieces of work (chunks
//! of rows, or blocks of CSV bytes), worker threads profile them apart, and one thread merges
//! their profiles in input order.
//!
//! Merging in order over fixed pieces makes the profile independent of the thread count (float
//! sums are grouped by piece, never by thread), and at most `2 × threads` pieces are alive at
//! once (queued, being profiled or waiting for their turn), so memory stays bounded.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Condvar, Mutex, PoisonError};

use crate::profile::merger::{lock, Job, Merger, Part, Shared, Work, WorkerBuffers};

/// Runs `read`, which hands every piece of work to the `send` it is given (and may get back work
/// to fill again), and merges the profiles of the pieces into `merger`, in order.
///
/// Threads start with the second piece: an input of one piece is profiled on the calling thread,
/// which costs less than handing it over (the profile is the same either way).
pub(crate) fn profile_work<'s, 'a, T>(
    shared: &'s Shared<'a>,
    merger: Merger<'s, 'a>,
    read: impl FnOnce(&mut dyn FnMut(Work) -> Option<Work>) -> T,
) -> (T, Merger<'s, 'a>) {
    let threads = shared.opts.threads;
    if threads <= 1 {
        return on_this_thread(shared, merger, read);
    }
    let max_in_flight = 2 * threads;
    let (to_workers, jobs) = mpsc::sync_channel::<Job>(max_in_flight);
    let jobs = Mutex::new(jobs);
    let (to_merger, parts) = mpsc::channel::<Part>();
    // Merged work goes back to the reader to be filled again (no more than are in flight).
    let (to_reader, spares) = mpsc::channel::<Work>();
    let mut parts = Some(parts);
    let mut idle_merger = Some(merger);
    let progress = Progress::default();

    std::thread::scope(|s| {
        let mut merging = None;
        let mut first: Option<Work> = None;
        let mut sent = 0usize;
        let mut send = |work: Work| {
            if merging.is_none() {
                if first.is_none() {
                    first = Some(work);
                    return None;
                }
                for _ in 0..threads {
                    let (to_merger, jobs, progress) = (to_merger.clone(), &jobs, &progress);
                    s.spawn(move || {
                        let _guard = progress.fail_on_panic();
                        let mut buffers = WorkerBuffers::default();
                        loop {
                            // The queue's lock is let go before the job is profiled (a guard
                            // in a `while let` condition would be held through the body).
                            let next = lock(jobs).recv();
                            let Ok(job) = next else { break };
                            if to_merger.send(shared.profile(job, &mut buffers)).is_err() {
                                break;
                            }
                        }
                    });
                }
                if let (Some(parts), Some(merger)) = (parts.take(), idle_merger.take()) {
                    let (progress, to_reader) = (&progress, to_reader.clone());
                    merging =
                        Some(s.spawn(move || merge_in_order(merger, parts, progress, &to_reader)));
                }
            }
            for work in first.take().into_iter().chain(Some(work)) {
                if progress.wait_below(sent, max_in_flight) {
                    let job = Job { index: sent, work };
                    // Never blocks: no more than `max_in_flight` jobs are ever queued.
                    sent += usize::from(to_workers.send(job).is_ok());
                }
            }
            spares.try_recv().ok()
        };
        let out = read(&mut send);
        // Closing the queues lets the workers, then the merger, finish.
        drop(to_workers);
        drop(to_merger);
        let merger = match merging {
            // A panic in a worker or the merger resurfaces here, as it would on one thread.
            Some(merging) => merging
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => {
                let mut merger = idle_merger.take().unwrap_or_else(|| Merger::new(shared, 0));
                if let Some(work) = first {
                    let part =
                        shared.profile(Job { index: 0, work }, &mut WorkerBuffers::default());
                    merger.accept(part);
                }
                merger
            }
        };
        (out, merger)
    })
}

fn on_this_thread<'s, 'a, T>(
    shared: &'s Shared<'a>,
    mut merger: Merger<'s, 'a>,
    read: impl FnOnce(&mut dyn FnMut(Work) -> Option<Work>) -> T,
) -> (T, Merger<'s, 'a>) {
    let mut buffers = WorkerBuffers::default();
    let mut index = 0;
    let mut send = |work: Work| {
        let part = shared.profile(Job { index, work }, &mut buffers);
        index += 1;
        merger.accept(part)
    };
    let out = read(&mut send);
    (out, merger)
}

/// Merges the parts as they arrive, each only after all the parts before it.
fn merge_in_order<'s, 'a>(
    mut merger: Merger<'s, 'a>,
    parts: Receiver<Part>,
    progress: &Progress,
    to_reader: &Sender<Work>,
) -> Merger<'s, 'a> {
    let _guard = progress.fail_on_panic();
    let mut pending: BTreeMap<usize, Part> = BTreeMap::new();
    let mut next = 0;
    for part in parts {
        pending.insert(part.index, part);
        while let Some(part) = pending.remove(&next) {
            if let Some(spare) = merger.accept(part) {
                // The reader may be done: then the work is simply dropped.
                let _ = to_reader.send(spare);
            }
            next += 1;
            progress.merged(next);
        }
    }
    merger
}

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
