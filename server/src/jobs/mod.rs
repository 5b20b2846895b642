//! Background work: profiling uploads and making reports. Jobs are rows in the database
//! ([`crate::db::jobs`]), so they survive restarts and any process may run them: `quire serve`
//! runs `QUIRE_WORKERS` of them beside the web server, `quire worker` runs only jobs.

mod profile_job;
mod progress;
mod queue;
mod report_job;
mod runner;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

pub use profile_job::format_of;
pub use queue::{enqueue, view, JobKind};
pub use runner::Workers;

use crate::config::Settings;
use crate::db::Db;
use crate::storage::SharedStorage;

/// What a job needs to run, without the web parts.
#[derive(Clone)]
pub struct JobEnv {
    pub db: Db,
    pub storage: SharedStorage,
    /// Wakes this process's idle workers when a job is queued here.
    pub wake: Arc<Notify>,
    pub timeout: Duration,
    pub lease: Duration,
}

impl JobEnv {
    pub fn new(settings: &Settings, db: Db, storage: SharedStorage) -> Self {
        JobEnv {
            db,
            storage,
            wake: Arc::new(Notify::new()),
            timeout: Duration::from_secs(settings.job_timeout_seconds.max(1)),
            lease: Duration::from_secs(settings.job_lease_seconds.max(1)),
        }
    }
}

/// Why a job failed, in words for the person who started it.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Failed(String),
    #[error("the job took longer than {0} seconds and was stopped")]
    TimedOut(u64),
    #[error("another worker took over the job")]
    LeaseLost,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for JobError {
    fn from(error: sqlx::Error) -> Self {
        JobError::Internal(error.to_string())
    }
}

/// What the server answers as a public error (bad data: the engine's words, which name the
/// line) fails the job with that message; anything else is the server's fault.
impl From<crate::error::Error> for JobError {
    fn from(error: crate::error::Error) -> Self {
        match error {
            crate::error::Error::App(public) => JobError::Failed(public.to_string()),
            internal => JobError::Internal(internal.to_string()),
        }
    }
}

impl From<engine::profile::EngineError> for JobError {
    fn from(error: engine::profile::EngineError) -> Self {
        crate::error::Error::from(error).into()
    }
}

impl From<engine::render::RenderError> for JobError {
    fn from(error: engine::render::RenderError) -> Self {
        crate::error::Error::from(error).into()
    }
}

impl From<crate::storage::StorageError> for JobError {
    fn from(error: crate::storage::StorageError) -> Self {
        match error {
            crate::storage::StorageError::NotFound(_) => {
                JobError::Failed("the uploaded file is missing".into())
            }
            other => JobError::Internal(other.to_string()),
        }
    }
}
