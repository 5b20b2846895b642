//! The `identities` table: provider accounts (issuer, subject) linked to Quire users.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::users::{self, NewUser, UserRow};
use super::Db;
use crate::on_db;

#[derive(Debug, Clone, FromRow)]
pub struct IdentityRow {
    pub id: String,
    pub user_id: String,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub created_at: OffsetDateTime,
}

pub struct NewIdentity<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub provider: &'a str,
    pub issuer: &'a str,
    pub subject: &'a str,
    pub email: Option<&'a str>,
    pub created_at: OffsetDateTime,
}

const INSERT: &str = "insert into identities (id, user_id, provider, issuer, subject, email, \
                      created_at) values ($1, $2, $3, $4, $5, $6, $7)";

/// The user a provider account is linked to.
pub async fn find_user(
    db: &Db,
    issuer: &str,
    subject: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as::<_, UserRow>(
            "select u.id, u.email, u.password_hash, u.session_secret, u.created_at \
             from identities i join users u on u.id = i.user_id \
             where i.issuer = $1 and i.subject = $2",
        )
        .bind(issuer)
        .bind(subject)
        .fetch_optional(pool)
        .await
    })
}

/// Creates a provider-only user and its first identity, both or neither.
pub async fn insert_with_user(
    db: &Db,
    user: &NewUser<'_>,
    identity: &NewIdentity<'_>,
) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(users::INSERT)
            .bind(user.id)
            .bind(user.email)
            .bind(user.password_hash)
            .bind(user.session_secret)
            .bind(user.created_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query(INSERT)
            .bind(identity.id)
            .bind(identity.user_id)
            .bind(identity.provider)
            .bind(identity.issuer)
            .bind(identity.subject)
            .bind(identity.email)
            .bind(identity.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })
}

/// Links a provider account to an existing user.
pub async fn insert(db: &Db, identity: &NewIdentity<'_>) -> Result<(), sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query(INSERT)
            .bind(identity.id)
            .bind(identity.user_id)
            .bind(identity.provider)
            .bind(identity.issuer)
            .bind(identity.subject)
            .bind(identity.email)
            .bind(identity.created_at)
            .execute(pool)
            .await
            .map(|_| ())
    })
}

pub async fn list_for_user(db: &Db, user_id: &str) -> Result<Vec<IdentityRow>, sqlx::Error> {
    on_db!(db, pool => {
        sqlx::query_as::<_, IdentityRow>(
            "select id, user_id, provider, issuer, subject, email, created_at from identities \
             where user_id = $1 order by created_at, id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await
    })
}

/// What an unlink did.
#[derive(Debug, PartialEq, Eq)]
pub enum Unlinked {
    /// Gone; the provider it was from.
    Done {
        provider: String,
    },
    NotFound,
    /// The identity is the account's only way to sign in (no password, no other identity).
    LastWayIn,
}

/// Unlinks the user's identity unless it is their last way to sign in. One statement, so the
/// check and the delete see the same rows.
pub async fn delete_for_user(db: &Db, user_id: &str, id: &str) -> Result<Unlinked, sqlx::Error> {
    let deleted = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>(
            "delete from identities where id = $1 and user_id = $2 and ( \
                 exists (select 1 from users where id = $2 and password_hash is not null) \
                 or (select count(*) from identities where user_id = $2) > 1) \
             returning provider",
        )
        .bind(id)
        .bind(user_id)
        .fetch_optional(pool)
        .await
    })?;
    if let Some(provider) = deleted {
        return Ok(Unlinked::Done { provider });
    }
    let exists = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>("select id from identities where id = $1 and user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(match exists {
        Some(_) => Unlinked::LastWayIn,
        None => Unlinked::NotFound,
    })
}
