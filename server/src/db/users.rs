//! The `users` table.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::Db;
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: Option<String>,
    /// Random per user; signing out everywhere rotates it, which ends every session.
    pub session_secret: String,
    pub created_at: OffsetDateTime,
}

pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub session_secret: &'a str,
    pub created_at: OffsetDateTime,
}

pub async fn insert(db: &Db, user: &NewUser<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into users (id, email, password_hash, session_secret, created_at) \
             values ($1, $2, $3, $4, $5)",
        )
        .bind(user.id)
        .bind(user.email)
        .bind(user.password_hash)
        .bind(user.session_secret)
        .bind(user.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

const COLUMNS: &str = "id, email, password_hash, session_secret, created_at";

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where email = $1");
    on_db!(db, pool => sqlx::query_as::<_, UserRow>(&sql).bind(email).fetch_optional(pool).await)
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where id = $1");
    on_db!(db, pool => sqlx::query_as::<_, UserRow>(&sql).bind(id).fetch_optional(pool).await)
}
