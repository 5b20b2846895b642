//! The `reports` table.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Db, ListQuery};
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct ReportRow {
    pub id: String,
    pub user_id: String,
    pub dataset_id: String,
    pub title: String,
    pub spec: String,
    pub status: String,
    pub error: Option<String>,
    pub storage_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub created_at: OffsetDateTime,
    /// The newest job working on it.
    pub job_id: Option<String>,
    pub finished_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, user_id, dataset_id, title, spec, status, error, storage_key, \
                       size_bytes, created_at, finished_at, \
                       (select j.id from jobs j where j.subject_id = reports.id \
                        order by j.id desc limit 1) as job_id";

pub async fn insert(db: &Db, row: &ReportRow) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into reports (id, user_id, dataset_id, title, spec, status, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&row.id)
        .bind(&row.user_id)
        .bind(&row.dataset_id)
        .bind(&row.title)
        .bind(&row.spec)
        .bind(&row.status)
        .bind(row.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from reports where id = $1 and user_id = $2");
    on_db!(db, pool => {
        sqlx::query_as::<_, ReportRow>(&sql).bind(id).bind(user_id).fetch_optional(pool).await
    })
}

pub async fn get_any(db: &Db, id: &str) -> Result<Option<ReportRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from reports where id = $1");
    on_db!(db, pool => sqlx::query_as::<_, ReportRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// One page of the user's reports (of one dataset when `dataset_id` is not empty).
pub async fn list(
    db: &Db,
    user_id: &str,
    dataset_id: &str,
    query: &ListQuery,
) -> Result<(Vec<ReportRow>, i64), sqlx::Error> {
    let order = query.order_by(&[
        ("created_at", "id"),
        ("title", "title"),
        ("size", "size_bytes"),
    ]);
    let filter = "user_id = $1 and ($2 = '' or dataset_id = $2) and ($3 = '' or status = $3) \
                  and ($4 = '' or lower(title) like $4)";
    let sql =
        format!("select {COLUMNS} from reports where {filter} order by {order} limit $5 offset $6");
    let count_sql = format!("select count(*) from reports where {filter}");
    let pattern = query.like_pattern();
    on_db!(db, pool => {
        let rows = sqlx::query_as::<_, ReportRow>(&sql)
            .bind(user_id)
            .bind(dataset_id)
            .bind(&query.status)
            .bind(&pattern)
            .bind(query.limit)
            .bind(query.offset())
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(user_id)
            .bind(dataset_id)
            .bind(&query.status)
            .bind(&pattern)
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}

/// Storage keys of every finished report of a dataset, to delete their files with it.
pub async fn storage_keys_of_dataset(
    db: &Db,
    dataset_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_scalar::<_, String>(
            "select storage_key from reports where dataset_id = $1 and storage_key is not null",
        )
        .bind(dataset_id)
        .fetch_all(pool)
        .await
    })
}

pub async fn set_status(
    db: &Db,
    id: &str,
    status: &str,
    error: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let finished = (status == "ready" || status == "failed").then_some(now);
    on_db!(db, pool => {
        sqlx::query("update reports set status = $1, error = $2, finished_at = $3 where id = $4")
            .bind(status)
            .bind(error)
            .bind(finished)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn set_ready(
    db: &Db,
    id: &str,
    storage_key: &str,
    size_bytes: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "update reports set status = 'ready', error = null, storage_key = $1, \
             size_bytes = $2, finished_at = $3 where id = $4",
        )
        .bind(storage_key)
        .bind(size_bytes)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("delete from reports where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}
