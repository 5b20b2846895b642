//! The JSON API for scripts, under `/api/v1`. Every answer is the envelope:
//! `{"success": true, "data": …, "meta": {…}}` or `{"success": false, "error": "…", "code": "…"}`.
//! Callers authenticate with `Authorization: Bearer <token>` or the browser session.

mod auth;
mod envelope;
mod extract;
mod me;
mod tokens;

pub use envelope::ApiResponse;
pub use extract::CurrentUser;

use app::error::AppError;
use axum::Router;

use crate::error::IntoApiResponse;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(me::router())
        .merge(tokens::router())
        .fallback(|| async { AppError::NotFound.into_api_response() })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed.into_api_response() })
}
