//! Extractors for API handlers: the calling user, and JSON bodies whose errors use the envelope.

use app::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::auth::{AuthSession, User};
use crate::error::Error;
use crate::state::AppState;
use crate::tokens;

/// The user behind the request: a Bearer token if one is sent, else the session cookie.
pub struct CurrentUser(pub User);

/// Query parameters that would carry a credential in a URL, where it leaks into logs and history.
const CREDENTIAL_PARAMS: &[&str] = &["access_token", "token", "api_key", "apikey", "key"];

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        if let Some(query) = parts.uri.query() {
            let in_url = query.split('&').any(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                CREDENTIAL_PARAMS.contains(&name.to_ascii_lowercase().as_str())
            });
            if in_url {
                return Err(AppError::BadRequest(
                    "credentials in the URL are refused; send Authorization: Bearer <token>".into(),
                )
                .into());
            }
        }

        if let Some(value) = parts.headers.get(AUTHORIZATION) {
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or(AppError::Unauthorized)?;
            let user = tokens::authenticate(&state.db, secret)
                .await?
                .ok_or(AppError::Unauthorized)?;
            tracing::Span::current().record("user_id", user.id.as_str());
            return Ok(CurrentUser(user));
        }

        let auth = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|(_, msg)| {
                tracing::error!(msg, "auth layer missing");
                Error::App(AppError::Internal)
            })?;
        let user = auth.user.ok_or(AppError::Unauthorized)?;
        tracing::Span::current().record("user_id", user.id.as_str());
        Ok(CurrentUser(user))
    }
}

/// `axum::Json`, with rejections answered in the envelope.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct ApiJson<T>(pub T);

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Error {
        let public = match rejection {
            JsonRejection::JsonDataError(e) => AppError::Validation(e.body_text()),
            JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
                "send the body as JSON with Content-Type: application/json".into(),
            ),
            other => AppError::BadRequest(other.body_text()),
        };
        Error::App(public)
    }
}
