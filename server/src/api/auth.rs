//! `POST /api/v1/auth/{signup,login,logout}`: the same accounts as the pages, for scripts and
//! single-page clients. They set the session cookie like the sign-in page does.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

use super::extract::ApiJson;
use super::ApiResponse;
use crate::accounts;
use crate::auth::AuthSession;
use crate::error::Result;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(signup))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
}

#[derive(Deserialize)]
struct EmailPassword {
    email: String,
    password: String,
}

async fn signup(
    State(state): State<AppState>,
    mut auth: AuthSession,
    ApiJson(body): ApiJson<EmailPassword>,
) -> Result<ApiResponse<app::model::UserView>> {
    let user = accounts::sign_up(&state, &mut auth, &body.email, &body.password).await?;
    Ok(ApiResponse::created(user.view()))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    mut auth: AuthSession,
    ApiJson(body): ApiJson<EmailPassword>,
) -> Result<ApiResponse<app::model::UserView>> {
    let user =
        accounts::sign_in(&state, &mut auth, client.ip(), &body.email, &body.password).await?;
    Ok(ApiResponse::ok(user.view()))
}

async fn logout(mut auth: AuthSession) -> Result<ApiResponse<serde_json::Value>> {
    accounts::sign_out(&mut auth).await?;
    Ok(ApiResponse::ok(serde_json::json!({ "signed_out": true })))
}
