//! Personal API tokens: create, list, revoke. Shared by the pages and the JSON API.

use app::error::AppError;
use app::model::{CreatedToken, TokenView};
use time::OffsetDateTime;

use crate::auth::api_token;
use crate::auth::backend::rfc3339;
use crate::auth::User;
use crate::db::{tokens, Db};
use crate::error::Result;

const MAX_NAME_CHARS: usize = 100;

pub async fn create(db: &Db, user: &User, name: &str) -> Result<CreatedToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::Validation(format!(
            "the token name must be 1 to {MAX_NAME_CHARS} characters"
        ))
        .into());
    }
    let secret = api_token::generate();
    let row = tokens::TokenRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        name: name.to_owned(),
        prefix: secret.shown_prefix.clone(),
        created_at: OffsetDateTime::now_utc(),
        last_used_at: None,
    };
    tokens::insert(
        db,
        &tokens::NewToken {
            id: &row.id,
            user_id: &row.user_id,
            name: &row.name,
            prefix: &row.prefix,
            secret_hash: &secret.hash,
            created_at: row.created_at,
        },
    )
    .await?;
    tracing::info!(target: "security", user_id = %user.id, token_id = %row.id, "API token created");
    Ok(CreatedToken {
        token: view(row),
        secret: secret.secret,
    })
}

pub async fn list(db: &Db, user: &User) -> Result<Vec<TokenView>> {
    Ok(tokens::list_for_user(db, &user.id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

pub async fn revoke(db: &Db, user: &User, id: &str) -> Result<()> {
    if !tokens::delete_for_user(db, &user.id, id).await? {
        return Err(AppError::NotFound.into());
    }
    tracing::info!(target: "security", user_id = %user.id, token_id = %id, "API token revoked");
    Ok(())
}

/// The user a Bearer secret belongs to, if it is a live token.
pub async fn authenticate(db: &Db, secret: &str) -> Result<Option<User>> {
    let hash = api_token::hash(secret);
    Ok(
        tokens::user_for_secret(db, &hash, OffsetDateTime::now_utc())
            .await?
            .map(User::from),
    )
}

fn view(row: tokens::TokenRow) -> TokenView {
    TokenView {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        created_at: rfc3339(row.created_at),
        last_used_at: row.last_used_at.map(rfc3339),
    }
}
