//! The `datasets` table.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Db, ListQuery};
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct DatasetRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub format: String,
    pub storage_key: String,
    pub size_bytes: i64,
    pub status: String,
    pub error: Option<String>,
    pub row_count: Option<i64>,
    pub column_count: Option<i64>,
    pub created_at: OffsetDateTime,
    /// The newest job working on it.
    pub job_id: Option<String>,
}

const COLUMNS: &str = "id, user_id, name, format, storage_key, size_bytes, status, error, \
                       row_count, column_count, created_at, \
                       (select j.id from jobs j where j.subject_id = datasets.id \
                        order by j.id desc limit 1) as job_id";

pub async fn insert(db: &Db, row: &DatasetRow) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into datasets (id, user_id, name, format, storage_key, size_bytes, status, \
             created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&row.id)
        .bind(&row.user_id)
        .bind(&row.name)
        .bind(&row.format)
        .bind(&row.storage_key)
        .bind(row.size_bytes)
        .bind(&row.status)
        .bind(row.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The user's dataset, or none when it does not exist or is someone else's.
pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<DatasetRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from datasets where id = $1 and user_id = $2");
    on_db!(db, pool => {
        sqlx::query_as::<_, DatasetRow>(&sql).bind(id).bind(user_id).fetch_optional(pool).await
    })
}

/// For workers, which act for whoever owns the dataset.
pub async fn get_any(db: &Db, id: &str) -> Result<Option<DatasetRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from datasets where id = $1");
    on_db!(db, pool => sqlx::query_as::<_, DatasetRow>(&sql).bind(id).fetch_optional(pool).await)
}

/// One page of the user's datasets and how many match in all.
pub async fn list(
    db: &Db,
    user_id: &str,
    query: &ListQuery,
) -> Result<(Vec<DatasetRow>, i64), sqlx::Error> {
    // Only the ORDER BY is spliced in, and it comes from a fixed allow-list.
    let order = query.order_by(&[
        ("created_at", "id"),
        ("name", "name"),
        ("size", "size_bytes"),
    ]);
    let filter = "user_id = $1 and ($2 = '' or status = $2) and ($3 = '' or lower(name) like $3)";
    let sql = format!(
        "select {COLUMNS} from datasets where {filter} order by {order} limit $4 offset $5"
    );
    let count_sql = format!("select count(*) from datasets where {filter}");
    let pattern = query.like_pattern();
    on_db!(db, pool => {
        let rows = sqlx::query_as::<_, DatasetRow>(&sql)
            .bind(user_id)
            .bind(&query.status)
            .bind(&pattern)
            .bind(query.limit)
            .bind(query.offset())
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(user_id)
            .bind(&query.status)
            .bind(&pattern)
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}

pub async fn set_status(
    db: &Db,
    id: &str,
    status: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("update datasets set status = $1, error = $2 where id = $3")
            .bind(status)
            .bind(error)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub struct Profiled<'a> {
    pub row_count: i64,
    pub column_count: i64,
    pub profile: &'a str,
    pub preview: &'a str,
}

pub async fn set_profile(db: &Db, id: &str, p: &Profiled<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "update datasets set status = 'ready', error = null, row_count = $1, \
             column_count = $2, profile = $3, preview = $4 where id = $5",
        )
        .bind(p.row_count)
        .bind(p.column_count)
        .bind(p.profile)
        .bind(p.preview)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

/// The stored profile and preview JSON of the user's dataset (none until it is ready).
pub async fn profile_and_preview(
    db: &Db,
    user_id: &str,
    id: &str,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as::<_, (Option<String>, Option<String>)>(
            "select profile, preview from datasets where id = $1 and user_id = $2",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })
}

pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("delete from datasets where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}
