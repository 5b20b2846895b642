//! The JSON API for scripts, under `/api/v1`. Every answer is the envelope:
//! `{"success": true, "data": …, "meta": {…}}` or `{"success": false, "error": "…", "code": "…"}`.
//! Callers authenticate with `Authorization: Bearer <token>` or the browser session.

mod auth;
mod datasets;
mod envelope;
mod extract;
mod jobs;
mod list;
mod me;
pub mod openapi;
mod process;
mod reports;
mod templates;
mod tokens;
mod upload;

pub use envelope::{ApiResponse, Deleted};
pub use extract::CurrentUser;

use app::error::AppError;
use axum::Router;

use crate::error::IntoApiResponse;
use crate::state::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(me::router())
        .merge(tokens::router())
        .merge(datasets::router())
        .merge(reports::router())
        .merge(templates::router())
        .merge(jobs::router())
        .merge(process::router())
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::ratelimit::limit,
        ))
        .fallback(|| async { AppError::NotFound.into_api_response() })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed.into_api_response() })
}
