//! The `api_tokens` table. Only the SHA-256 of each secret is stored.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::users::UserRow;
use super::Db;
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

pub struct NewToken<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub created_at: OffsetDateTime,
}

pub async fn insert(db: &Db, token: &NewToken<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(
            "insert into api_tokens (id, user_id, name, prefix, secret_hash, created_at) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.id)
        .bind(token.user_id)
        .bind(token.name)
        .bind(token.prefix)
        .bind(token.secret_hash)
        .bind(token.created_at)
        .execute(pool)
        .await
        .map(|_| ())
    })
}

pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<TokenRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as::<_, TokenRow>(
            "select id, user_id, name, prefix, created_at, last_used_at from api_tokens \
             where user_id = $1 order by created_at desc, id desc",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// Deletes the user's token; false when there is no such token of theirs.
pub async fn delete_for_user(db: &Db, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query("delete from api_tokens where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0)
    })
}

/// The owner of the token whose secret hashes to `secret_hash`, marking the token used.
pub async fn user_for_secret(
    db: &Db,
    secret_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<UserRow>, sqlx::Error> {
    on_db!(db, pool => {
        let user = sqlx::query_as::<_, UserRow>(
            "select u.id, u.email, u.password_hash, u.session_secret, u.created_at \
             from api_tokens t join users u on u.id = t.user_id where t.secret_hash = $1",
        )
        .bind(secret_hash)
        .fetch_optional(pool)
        .await?;
        if user.is_some() {
            sqlx::query("update api_tokens set last_used_at = $1 where secret_hash = $2")
                .bind(now)
                .bind(secret_hash)
                .execute(pool)
                .await?;
        }
        Ok(user)
    })
}
