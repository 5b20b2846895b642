//! The `jobs` table: a durable queue. Workers claim a job with a lease (Unix ms) and renew it
//! as they report progress; a job whose lease ran out is claimed again by the next worker.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::Db;
use crate::on_db;

#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub subject_id: String,
    pub status: String,
    pub progress: f64,
    pub message: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub worker: Option<String>,
    pub lease_until_ms: Option<i64>,
    pub created_at: OffsetDateTime,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, user_id, kind, subject_id, status, progress, message, error, \
                       attempts, worker, lease_until_ms, created_at, started_at, finished_at";

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub async fn insert(db: &Db, job: &JobRow) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into jobs (id, user_id, kind, subject_id, status, progress, created_at) \
             values ($1, $2, $3, $4, 'queued', 0, $5)",
        )
        .bind(&job.id)
        .bind(&job.user_id)
        .bind(&job.kind)
        .bind(&job.subject_id)
        .bind(job.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<JobRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from jobs where id = $1 and user_id = $2");
    on_db!(db, pool => {
        sqlx::query_as::<_, JobRow>(&sql).bind(id).bind(user_id).fetch_optional(pool).await
    })
}

/// Takes the oldest queued job, or a running one whose worker stopped renewing its lease.
pub async fn claim(db: &Db, worker: &str, lease_ms: i64) -> Result<Option<JobRow>, sqlx::Error> {
    let now = now_ms();
    let pick = "select id from jobs where status = 'queued' \
                or (status = 'running' and lease_until_ms < $4) order by id limit 1";
    let update = "update jobs set status = 'running', worker = $1, lease_until_ms = $2, \
                  attempts = attempts + 1, started_at = coalesce(started_at, $3)";
    let started = OffsetDateTime::now_utc();
    let sql = match db {
        // PostgreSQL: many workers at once; SKIP LOCKED lets each take a different job.
        Db::Postgres(_) => {
            format!("{update} where id = ({pick} for update skip locked) returning {COLUMNS}")
        }
        // SQLite runs one write at a time, so the statement is atomic on its own.
        Db::Sqlite(_) => format!("{update} where id = ({pick}) returning {COLUMNS}"),
    };
    on_db!(db, pool => {
        sqlx::query_as::<_, JobRow>(&sql)
            .bind(worker)
            .bind(now + lease_ms)
            .bind(started)
            .bind(now)
            .fetch_optional(pool)
            .await
    })
}

/// Records progress and renews the lease; false when this worker no longer holds the job.
pub async fn report_progress(
    db: &Db,
    id: &str,
    worker: &str,
    progress: f64,
    message: &str,
    lease_ms: i64,
) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "update jobs set progress = $1, message = $2, lease_until_ms = $3 \
             where id = $4 and worker = $5 and status = 'running'",
        )
        .bind(progress)
        .bind(message)
        .bind(now_ms() + lease_ms)
        .bind(id)
        .bind(worker)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0)
    })
}

/// Ends the job as `done` or `failed`; false when this worker no longer holds it.
pub async fn finish(
    db: &Db,
    id: &str,
    worker: &str,
    error: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let (status, progress, message) = match error {
        None => ("done", 1.0, "Finished"),
        Some(_) => ("failed", 0.0, "Failed"),
    };
    on_db!(db, pool => {
        sqlx::query(
            "update jobs set status = $1, progress = case when $1 = 'done' then $2 else progress end, \
             message = $3, error = $4, finished_at = $5, lease_until_ms = null \
             where id = $6 and worker = $7 and status = 'running'",
        )
        .bind(status)
        .bind(progress)
        .bind(message)
        .bind(error)
        .bind(OffsetDateTime::now_utc())
        .bind(id)
        .bind(worker)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0)
    })
}

/// Puts this worker's running jobs back in the queue (a clean shutdown).
pub async fn release(db: &Db, worker: &str) -> Result<u64, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "update jobs set status = 'queued', worker = null, lease_until_ms = null, \
             message = 'Waiting for a worker' where worker = $1 and status = 'running'",
        )
        .bind(worker)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
    })
}

/// Deletes the jobs of a dataset and of its reports.
pub async fn delete_for_dataset(db: &Db, dataset_id: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "delete from jobs where subject_id = $1 \
             or subject_id in (select id from reports where dataset_id = $1)",
        )
        .bind(dataset_id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn delete_for_subject(db: &Db, subject_id: &str) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("delete from jobs where subject_id = $1")
            .bind(subject_id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}
