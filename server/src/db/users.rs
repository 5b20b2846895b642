//! The `users` table.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::Db;
use crate::on_db;

#[derive(Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    /// The sign-in name of a password account; for a provider-only account, the address the
    /// provider gave (if any), shown but never used to find the account.
    pub email: Option<String>,
    pub password_hash: Option<String>,
    /// Random per user; signing out everywhere rotates it, which ends every session.
    pub session_secret: String,
    pub created_at: OffsetDateTime,
}

pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub session_secret: &'a str,
    pub created_at: OffsetDateTime,
}

/// Shared with [`super::identities`], which inserts a user and its first identity together.
pub(super) const INSERT: &str = "insert into users (id, email, password_hash, session_secret, \
                                 created_at) values ($1, $2, $3, $4, $5)";

pub async fn insert(db: &Db, user: &NewUser<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(INSERT)
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

/// The password account signed in with `email`; provider-only accounts are never found by it.
pub async fn find_password_account(db: &Db, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where email = $1 and password_hash is not null");
    on_db!(db, pool => sqlx::query_as::<_, UserRow>(&sql).bind(email).fetch_optional(pool).await)
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("select {COLUMNS} from users where id = $1");
    on_db!(db, pool => sqlx::query_as::<_, UserRow>(&sql).bind(id).fetch_optional(pool).await)
}
