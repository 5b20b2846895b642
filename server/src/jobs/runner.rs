//! The worker loop: claims jobs up to a concurrency limit, runs each with a time limit, and on
//! shutdown puts unfinished jobs back in the queue.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

use super::{profile_job, report_job, JobEnv, JobError};
use crate::db::jobs::{self, JobRow};

/// How often idle workers look for jobs queued by other processes.
const POLL: Duration = Duration::from_millis(500);
/// A job whose worker died this many times is given up.
const MAX_ATTEMPTS: i32 = 3;

/// One job being run: its row, its worker, and when it must end.
pub struct JobContext {
    pub job: JobRow,
    pub worker: String,
    deadline: Instant,
}

impl JobContext {
    pub fn new(job: JobRow, worker: String, time_limit: std::time::Duration) -> Self {
        JobContext {
            job,
            worker,
            deadline: Instant::now() + time_limit,
        }
    }

    pub fn deadline_passed(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Records progress and renews the lease; false when the job is no longer ours.
    pub async fn report(
        &self,
        env: &JobEnv,
        progress: f64,
        message: &str,
    ) -> Result<bool, sqlx::Error> {
        jobs::report_progress(
            &env.db,
            &self.job.id,
            &self.worker,
            progress,
            message,
            env.lease.as_millis() as i64,
        )
        .await
    }
}

pub struct Workers {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
    worker: String,
    env: JobEnv,
}

impl Workers {
    /// Starts `count` concurrent workers; none when `count` is 0.
    pub fn spawn(env: JobEnv, count: usize) -> Option<Workers> {
        if count == 0 {
            return None;
        }
        let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let (stop, stopped) = watch::channel(false);
        let handle = tokio::spawn(claim_loop(env.clone(), count, worker.clone(), stopped));
        tracing::info!(count, %worker, "job workers started");
        Some(Workers {
            stop,
            handle,
            worker,
            env,
        })
    }

    /// Stops taking jobs and puts the ones still running back in the queue for the next start.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
        match jobs::release(&self.env.db, &self.worker).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "unfinished jobs returned to the queue"),
            Err(error) => tracing::warn!(%error, "could not return unfinished jobs to the queue"),
        }
    }
}

async fn claim_loop(env: JobEnv, count: usize, worker: String, mut stopped: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(count));
    let running: Arc<Mutex<HashMap<String, JoinHandle<()>>>> = Arc::default();
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = stopped.changed() => break,
        };
        match jobs::claim(&env.db, &worker, env.lease.as_millis() as i64).await {
            Ok(Some(job)) => {
                let (env, worker, id) = (env.clone(), worker.clone(), job.id.clone());
                let handle = tokio::spawn(async move {
                    run_one(&env, job, worker).await;
                    drop(permit);
                });
                let mut running = running.lock().unwrap_or_else(|e| e.into_inner());
                running.retain(|_, h| !h.is_finished());
                running.insert(id, handle);
            }
            Ok(None) => {
                drop(permit);
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = env.wake.notified() => {}
                    _ = stopped.changed() => break,
                }
            }
            Err(error) => {
                drop(permit);
                tracing::error!(%error, "could not claim a job");
                tokio::time::sleep(POLL).await;
            }
        }
    }
    // Running jobs stop with the process; their rows go back to the queue in `shutdown`.
    let running = std::mem::take(&mut *running.lock().unwrap_or_else(|e| e.into_inner()));
    for handle in running.into_values() {
        handle.abort();
    }
}

#[tracing::instrument(skip_all, fields(job_id = %job.id, kind = %job.kind, subject_id = %job.subject_id))]
async fn run_one(env: &JobEnv, job: JobRow, worker: String) {
    let ctx = JobContext::new(job, worker, env.timeout);
    let outcome = if ctx.job.attempts > MAX_ATTEMPTS {
        Err(JobError::Failed(format!(
            "the job was interrupted {MAX_ATTEMPTS} times and was given up"
        )))
    } else {
        tracing::info!(attempt = ctx.job.attempts, "job started");
        match ctx.job.kind.as_str() {
            "profile" => profile_job::run(env, &ctx).await,
            "report" => report_job::run(env, &ctx).await,
            other => Err(JobError::Failed(format!("unknown job kind {other:?}"))),
        }
    };
    let error = match outcome {
        Ok(()) => None,
        Err(JobError::LeaseLost) => {
            tracing::warn!("job taken over by another worker");
            return;
        }
        Err(error) => {
            if let JobError::Internal(detail) = &error {
                tracing::error!(%detail, "job failed");
            }
            let public = match &error {
                JobError::Internal(_) => "an internal error stopped the job".to_owned(),
                other => other.to_string(),
            };
            let marked = match ctx.job.kind.as_str() {
                "profile" => profile_job::mark_failed(env, &ctx.job.subject_id, &public).await,
                _ => report_job::mark_failed(env, &ctx.job.subject_id, &public).await,
            };
            if let Err(e) = marked {
                tracing::error!(error = %e, "could not record the failure on its subject");
            }
            Some(public)
        }
    };
    match jobs::finish(&env.db, &ctx.job.id, &ctx.worker, error.as_deref()).await {
        Ok(true) => tracing::info!(failed = error.is_some(), "job finished"),
        Ok(false) => tracing::warn!("job finished after another worker took it over"),
        Err(e) => tracing::error!(error = %e, "could not record the end of a job"),
    }
}
