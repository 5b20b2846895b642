//! Putting work on the queue.

use app::model::JobView;
use time::OffsetDateTime;

use super::JobEnv;
use crate::auth::backend::rfc3339;
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

/// A job as the pages and the API show it.
pub fn view(row: JobRow) -> JobView {
    JobView {
        id: row.id,
        kind: row.kind,
        subject_id: row.subject_id,
        status: row.status,
        progress: row.progress,
        message: row.message,
        error: row.error,
        created_at: rfc3339(row.created_at),
        started_at: row.started_at.map(rfc3339),
        finished_at: row.finished_at.map(rfc3339),
    }
}
