//! Progress of work that runs on a blocking thread: the engine reads through a
//! [`ProgressReader`], which counts bytes and stops the read when the job is cancelled.

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// Shared between the blocking work and the task that reports progress.
#[derive(Default)]
pub struct Progress {
    bytes_read: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

pub struct ProgressReader<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> ProgressReader<R> {
    pub fn new(inner: R, progress: Arc<Progress>) -> Self {
        ProgressReader { inner, progress }
    }
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(std::io::Error::other("the job was stopped"));
        }
        let n = self.inner.read(buf)?;
        self.progress
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct StopOnDrop(Arc<Progress>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// A stretch of a job's progress bar: work reading `total_bytes` moves it from `from` to `to`.
pub struct Stage {
    pub label: &'static str,
    pub from: f64,
    pub to: f64,
    pub total_bytes: u64,
}

/// Runs blocking `work`, reporting its progress every half second (which renews the job's
/// lease), and stops it when the job runs out of time or another worker took the job over.
pub async fn supervise<T: Send + 'static>(
    env: &super::JobEnv,
    ctx: &super::runner::JobContext,
    stage: Stage,
    work: impl FnOnce(Arc<Progress>) -> T + Send + 'static,
) -> Result<T, super::JobError> {
    use super::JobError;
    let progress = Arc::new(Progress::default());
    // A job task aborted at shutdown drops this future: the blocking work must stop with it.
    let _stop_on_drop = StopOnDrop(progress.clone());
    let handle = tokio::task::spawn_blocking({
        let progress = progress.clone();
        move || work(progress)
    });
    tokio::pin!(handle);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    loop {
        tokio::select! {
            joined = &mut handle => {
                return joined.map_err(|e| JobError::Internal(format!("the job's work stopped: {e}")));
            }
            _ = tick.tick() => {
                let stop = if ctx.deadline_passed() {
                    Some(JobError::TimedOut(env.timeout.as_secs()))
                } else {
                    let share = if stage.total_bytes == 0 {
                        0.0
                    } else {
                        (progress.bytes_read() as f64 / stage.total_bytes as f64).min(1.0)
                    };
                    let fraction = stage.from + (stage.to - stage.from) * share;
                    let message = format!("{} ({:.0}%)", stage.label, share * 100.0);
                    match ctx.report(env, fraction, &message).await {
                        Ok(true) => None,
                        Ok(false) => Some(JobError::LeaseLost),
                        // A missed progress write is not worth stopping the work for.
                        Err(error) => {
                            tracing::warn!(%error, "could not record job progress");
                            None
                        }
                    }
                };
                if let Some(error) = stop {
                    progress.cancel();
                    let _ = (&mut handle).await;
                    return Err(error);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bytes_and_stops_when_cancelled() {
        let progress = Arc::new(Progress::default());
        let mut reader = ProgressReader::new(&b"0123456789"[..], progress.clone());
        let mut buf = [0u8; 4];
        assert_eq!(reader.read(&mut buf).unwrap(), 4);
        assert_eq!(progress.bytes_read(), 4);
        progress.cancel();
        assert!(reader.read(&mut buf).is_err());
    }

    #[tokio::test]
    async fn work_past_the_time_limit_is_stopped() {
        let files = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", files.path().join("q.db").display());
        let db = crate::db::Db::connect(&url).await.unwrap();
        let storage = crate::storage::LocalStorage::new(files.path()).unwrap();
        let mut env = super::super::JobEnv::new(
            &crate::config::Settings::from_figment(crate::config::Settings::defaults()).unwrap(),
            db.clone(),
            std::sync::Arc::new(storage),
        );
        env.timeout = std::time::Duration::from_millis(200);
        crate::on_db!(&db, pool => {
            sqlx::query("insert into users (id, email, session_secret, created_at) values ('u', 'u@x', 's', '2026-01-01')")
                .execute(pool)
                .await
                .map(|_| ())
                .unwrap()
        });
        let queued = super::super::enqueue(&env, "u", super::super::JobKind::Profile, "d")
            .await
            .unwrap();
        let job = crate::db::jobs::claim(&db, "w", 60_000)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.id, queued.id);
        let ctx = super::super::runner::JobContext::new(job, "w".into(), env.timeout);
        let stage = Stage {
            label: "Profiling",
            from: 0.0,
            to: 1.0,
            total_bytes: 100,
        };
        // Work that would run for a minute unless it is told to stop, as the engine's reads are.
        let started = std::time::Instant::now();
        let outcome = supervise(&env, &ctx, stage, move |progress| {
            while !progress.is_cancelled() && started.elapsed().as_secs() < 60 {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        })
        .await;
        assert!(matches!(outcome, Err(super::super::JobError::TimedOut(_))));
        assert!(started.elapsed().as_secs() < 5);
    }
}
