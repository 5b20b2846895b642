//! `/api/v1/templates`: named report specs.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use engine::render::ReportSpec;
use serde::Deserialize;

use super::datasets::ListParamsDoc;
use super::extract::ApiJson;
use super::list::ListQueryParams;
use super::{ApiResponse, CurrentUser, Deleted};
use crate::error::Result;
use crate::state::AppState;
use crate::templates;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/templates", get(list).post(create))
        .route("/templates/{id}", get(read).put(update).delete(remove))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TemplateBody {
    /// 1 to 100 characters, not only spaces.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    name: String,
    #[schema(value_type = Object)]
    spec: ReportSpec,
}

#[utoipa::path(post, path = "/templates", tag = "templates", request_body = TemplateBody,
    responses((status = 201, body = app::model::TemplateView), (status = 409), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<ApiResponse<app::model::TemplateView>> {
    Ok(ApiResponse::created(
        templates::create(&state, &user, &body.name, &body.spec).await?,
    ))
}

#[utoipa::path(get, path = "/templates", tag = "templates", params(ListParamsDoc),
    responses((status = 200, body = [app::model::TemplateView])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ListQueryParams(query): ListQueryParams,
) -> Result<ApiResponse<Vec<app::model::TemplateView>>> {
    let (items, total) = templates::list(&state, &user, &query).await?;
    Ok(ApiResponse::page(items, &query, total))
}

#[utoipa::path(get, path = "/templates/{id}", tag = "templates",
    responses((status = 200, body = app::model::TemplateView), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<app::model::TemplateView>> {
    Ok(ApiResponse::ok(templates::get(&state, &user, &id).await?))
}

#[utoipa::path(put, path = "/templates/{id}", tag = "templates", request_body = TemplateBody,
    responses((status = 200, body = app::model::TemplateView), (status = 404), (status = 409)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TemplateBody>,
) -> Result<ApiResponse<app::model::TemplateView>> {
    Ok(ApiResponse::ok(
        templates::update(&state, &user, &id, &body.name, &body.spec).await?,
    ))
}

#[utoipa::path(delete, path = "/templates/{id}", tag = "templates",
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<Deleted>> {
    templates::delete(&state, &user, &id).await?;
    Ok(Deleted::answer(id))
}
