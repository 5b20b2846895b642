//! The `templates` table: named report specs.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Db, ListQuery};
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct TemplateRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub spec: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, user_id, name, spec, created_at, updated_at";

pub async fn insert(db: &Db, row: &TemplateRow) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into templates (id, user_id, name, spec, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&row.id)
        .bind(&row.user_id)
        .bind(&row.name)
        .bind(&row.spec)
        .bind(row.created_at)
        .bind(row.updated_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn get(db: &Db, user_id: &str, id: &str) -> Result<Option<TemplateRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from templates where id = $1 and user_id = $2");
    on_db!(db, pool => {
        sqlx::query_as::<_, TemplateRow>(&sql).bind(id).bind(user_id).fetch_optional(pool).await
    })
}

pub async fn list(
    db: &Db,
    user_id: &str,
    query: &ListQuery,
) -> Result<(Vec<TemplateRow>, i64), sqlx::Error> {
    let order = query.order_by(&[
        ("created_at", "id"),
        ("name", "name"),
        ("updated_at", "updated_at"),
    ]);
    let filter = "user_id = $1 and ($2 = '' or lower(name) like $2)";
    let sql = format!(
        "select {COLUMNS} from templates where {filter} order by {order} limit $3 offset $4"
    );
    let count_sql = format!("select count(*) from templates where {filter}");
    let pattern = query.like_pattern();
    on_db!(db, pool => {
        let rows = sqlx::query_as::<_, TemplateRow>(&sql)
            .bind(user_id)
            .bind(&pattern)
            .bind(query.limit)
            .bind(query.offset())
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(user_id)
            .bind(&pattern)
            .fetch_one(pool)
            .await?;
        Ok((rows, total))
    })
}

pub async fn update(db: &Db, row: &TemplateRow) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "update templates set name = $1, spec = $2, updated_at = $3 \
             where id = $4 and user_id = $5",
        )
        .bind(&row.name)
        .bind(&row.spec)
        .bind(row.updated_at)
        .bind(&row.id)
        .bind(&row.user_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected() > 0)
    })
}

pub async fn delete(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("delete from templates where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}
