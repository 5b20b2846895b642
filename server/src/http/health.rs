//! `GET /health/live` (the process answers) and `GET /health/ready` (and can reach its database).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
}

async fn live() -> Response {
    Json(serde_json::json!({ "success": true, "data": { "status": "live" }, "meta": {} }))
        .into_response()
}

async fn ready(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({
            "success": true,
            "data": { "status": "ready", "database": state.db.backend_name() },
            "meta": {}
        }))
        .into_response(),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "success": false,
                    "error": "the database is not reachable",
                    "code": "not_ready"
                })),
            )
                .into_response()
        }
    }
}
