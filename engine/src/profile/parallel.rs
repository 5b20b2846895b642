//! Profiling on several threads: the calling thread reads the input into pieces of work (chunks
//! of rows, or blocks of CSV bytes), worker threads profile them apart, and their profiles are
//! merged in input order, each by the worker that hands in the piece whose turn it is.
//!
//! Merging in order over fixed pieces makes the profile independent of the thread count (float
//! sums are grouped by piece, never by thread), and at most `2 × threads` pieces are alive at
//! once (queued, being profiled or waiting for their turn), so memory stays bounded.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Sender};
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
    // Merged work goes back to the reader to be filled again (no more than are in flight).
    let (to_reader, spares) = mpsc::channel::<Work>();
    let in_order = InOrder::new(merger);
    let progress = Progress::default();

    let out = std::thread::scope(|s| {
        let mut started = false;
        let mut first: Option<Work> = None;
        let mut sent = 0usize;
        let mut send = |work: Work| {
            if !started {
                if first.is_none() {
                    first = Some(work);
                    return None;
                }
                started = true;
                for _ in 0..threads {
                    let (jobs, progress, in_order) = (&jobs, &progress, &in_order);
                    let to_reader = to_reader.clone();
                    s.spawn(move || {
                        let _guard = progress.fail_on_panic();
                        let mut buffers = WorkerBuffers::default();
                        loop {
                            // The queue's lock is let go before the job is profiled (a guard
                            // in a `while let` condition would be held through the body).
                            let next = lock(jobs).recv();
                            let Ok(job) = next else { break };
                            let part = shared.profile(job, &mut buffers);
                            in_order.hand_in(part, progress, &to_reader);
                        }
                    });
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
        // Closing the queue lets the workers finish; the scope waits for them (and a panic in
        // one resurfaces here, as it would on one thread).
        drop(to_workers);
        (out, first)
    });
    let (out, first) = out;
    let mut merger = in_order.into_merger();
    if let Some(work) = first {
        // An input of one piece, profiled here.
        let part = shared.profile(Job { index: 0, work }, &mut WorkerBuffers::default());
        merger.accept(part);
    }
    (out, merger)
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

/// The merge of the pieces' profiles in input order, done by whichever profiling thread hands in
/// the next piece: the piece it just profiled is still in its core's cache, and no thread of its
/// own takes turns with the profiling ones for the cores.
struct InOrder<'s, 'a> {
    queue: Mutex<Queue>,
    /// Held by the one thread merging at a time (see `Queue::merging`).
    merger: Mutex<Merger<'s, 'a>>,
}

#[derive(Default)]
struct Queue {
    /// Parts profiled ahead of their turn.
    pending: BTreeMap<usize, Part>,
    /// The index of the next part to merge.
    next: usize,
    /// Whether a thread is merging: it merges every part that comes in its turn meanwhile.
    merging: bool,
}

impl<'s, 'a> InOrder<'s, 'a> {
    fn new(merger: Merger<'s, 'a>) -> Self {
        InOrder {
            queue: Mutex::new(Queue::default()),
            merger: Mutex::new(merger),
        }
    }

    /// Queues `part` and, unless another thread is merging, merges every part whose turn has
    /// come, handing their work back to the reader.
    fn hand_in(&self, part: Part, progress: &Progress, to_reader: &Sender<Work>) {
        let mut queue = lock(&self.queue);
        queue.pending.insert(part.index, part);
        if queue.merging {
            return;
        }
        queue.merging = true;
        loop {
            let next = queue.next;
            let Some(part) = queue.pending.remove(&next) else {
                queue.merging = false;
                return;
            };
            drop(queue);
            if let Some(spare) = lock(&self.merger).accept(part) {
                // The reader may be done: then the work is simply dropped.
                let _ = to_reader.send(spare);
            }
            progress.merged(next + 1);
            queue = lock(&self.queue);
            queue.next = next + 1;
        }
    }

    fn into_merger(self) -> Merger<'s, 'a> {
        self.merger
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
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
