//! Signing up, in and out: shared by the pages (server functions) and the JSON API.

use std::net::IpAddr;

use app::error::AppError;
use rand::RngCore;
use time::OffsetDateTime;

use crate::auth::backend::Credentials;
use crate::auth::email::Email;
use crate::auth::password::{self, Password};
use crate::auth::{AuthSession, User};
use crate::db::{is_unique_violation, users};
use crate::error::Result;
use crate::state::AppState;

/// Creates an account and signs the session in as it.
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    state: &AppState,
    auth: &mut AuthSession,
    email: &str,
    password: &str,
) -> Result<User> {
    let email = Email::parse(email)?;
    let password = Password::parse(password)?;
    let password_hash = password::hash(password).await?;
    let now = OffsetDateTime::now_utc();
    let id = uuid::Uuid::now_v7().to_string();
    let session_secret = new_session_secret();
    let new_user = users::NewUser {
        id: &id,
        email: Some(email.as_str()),
        password_hash: Some(&password_hash),
        session_secret: &session_secret,
        created_at: now,
    };
    users::insert(&state.db, &new_user).await.map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict("an account with this email already exists".into()).into()
        } else {
            crate::error::Error::from(e)
        }
    })?;
    let user = users::find_by_id(&state.db, &id)
        .await?
        .map(User::from)
        .ok_or(AppError::Internal)?;
    auth.login(&user).await?;
    tracing::info!(target: "security", user_id = %user.id, "account created and signed in");
    Ok(user)
}

/// Checks the password, with throttling per account and per client address, and signs in.
#[tracing::instrument(skip_all, fields(client = %client))]
pub async fn sign_in(
    state: &AppState,
    auth: &mut AuthSession,
    client: IpAddr,
    email: &str,
    password: &str,
) -> Result<User> {
    // A malformed email cannot match any account; answer as for a wrong password.
    let email = Email::parse(email).map_err(|_| AppError::InvalidCredentials)?;
    let address = client.to_string();
    let throttle = &state.login_throttle;
    throttle
        .check(email.as_str(), &address)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;

    let creds = Credentials {
        email: email.as_str().to_owned(),
        password: password.to_owned(),
    };
    let Some(user) = auth.authenticate(creds).await? else {
        throttle.record_failure(email.as_str(), &address);
        tracing::warn!(target: "security", client = %client, "failed sign-in");
        return Err(AppError::InvalidCredentials.into());
    };
    throttle.record_success(email.as_str());
    // axum-login renews the session id only for anonymous sessions; signing in over another
    // account must not keep that session's id either.
    if auth.user.is_some() {
        auth.session.cycle_id().await?;
    }
    auth.login(&user).await?;
    tracing::info!(target: "security", user_id = %user.id, "signed in");
    Ok(user)
}

pub async fn sign_out(auth: &mut AuthSession) -> Result<()> {
    if let Some(user) = auth.logout().await? {
        tracing::info!(target: "security", user_id = %user.id, "signed out");
    }
    Ok(())
}

/// A fresh per-user secret that sessions are bound to (see `User::session_auth_hash`).
pub fn new_session_secret() -> String {
    let mut buf = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}
