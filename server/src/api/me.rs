//! `GET /api/v1/me`: who the credentials belong to.

use axum::routing::get;
use axum::Router;

use super::{ApiResponse, CurrentUser};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

async fn me(CurrentUser(user): CurrentUser) -> ApiResponse<app::model::UserView> {
    ApiResponse::ok(user.view())
}
