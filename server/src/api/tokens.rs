//! `POST/GET /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`: the caller's personal API tokens.

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::Router;
use serde::Deserialize;

use super::extract::ApiJson;
use super::{ApiResponse, CurrentUser};
use crate::error::Result;
use crate::state::AppState;
use crate::tokens;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(revoke))
}

#[derive(Deserialize)]
struct NewToken {
    name: String,
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<ApiResponse<app::model::CreatedToken>> {
    Ok(ApiResponse::created(
        tokens::create(&state.db, &user, &body.name).await?,
    ))
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<ApiResponse<Vec<app::model::TokenView>>> {
    let list = tokens::list(&state.db, &user).await?;
    let total = list.len();
    Ok(ApiResponse::ok(list).with_meta(serde_json::json!({ "total": total })))
}

async fn revoke(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<serde_json::Value>> {
    tokens::revoke(&state.db, &user, &id).await?;
    Ok(ApiResponse::ok(
        serde_json::json!({ "id": id, "revoked": true }),
    ))
}
