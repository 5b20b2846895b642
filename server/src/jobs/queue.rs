//! Putting work on the queue.

use time::OffsetDateTime;

use super::JobEnv;
use crate::db::jobs::{self, JobRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Profile,
    Report,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Profile => "profile",
            JobKind::Report => "report",
        }
    }
}

/// Queues a job for `subject_id` and wakes a local worker.
pub async fn enqueue(
    env: &JobEnv,
    user_id: &str,
    kind: JobKind,
    subject_id: &str,
) -> Result<JobRow, sqlx::Error> {
    let job = JobRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user_id.to_owned(),
        kind: kind.as_str().to_owned(),
        subject_id: subject_id.to_owned(),
        status: "queued".into(),
        progress: 0.0,
        message: None,
        error: None,
        attempts: 0,
        worker: None,
        lease_until_ms: None,
        created_at: OffsetDateTime::now_utc(),
        started_at: None,
        finished_at: None,
    };
    jobs::insert(&env.db, &job).await?;
    env.wake.notify_one();
    Ok(job)
}
