//! `/api/v1/datasets`: upload, list, read, delete; the profile and the first rows.

use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::routing::get;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::list::ListQueryParams;
use super::upload;
use super::{ApiResponse, CurrentUser, Deleted};
use crate::datasets;
use crate::error::Result;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/datasets",
            get(list)
                .post(create)
                // The upload is streamed and bounded by QUIRE_MAX_UPLOAD_MB, not by this limit.
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/datasets/{id}", get(read).delete(remove))
        .route("/datasets/{id}/profile", get(profile))
        .route("/datasets/{id}/preview", get(preview))
}

#[derive(Deserialize)]
pub struct UploadParams {
    /// The file's name, for raw-body uploads.
    name: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedDataset {
    dataset: app::model::DatasetView,
    job: app::model::JobView,
}

/// Upload a CSV or JSON file; it is profiled in the background.
#[utoipa::path(post, path = "/datasets", tag = "datasets",
    params(("name" = Option<String>, Query, description = "file name, for raw-body uploads")),
    request_body(description = "the file: CSV, a JSON array of objects, JSON Lines, or a multipart form with a `file` part",
        content((String = "text/csv"), (Object = "application/json"), (String = "application/x-ndjson"),
            (upload::UploadForm = "multipart/form-data"))),
    responses((status = 201, description = "stored; `job` profiles it", body = CreatedDataset),
        (status = 413, description = "larger than QUIRE_MAX_UPLOAD_MB"),
        (status = 415, description = "not CSV or JSON"), (status = 401)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(params): Query<UploadParams>,
    request: Request,
) -> Result<ApiResponse<CreatedDataset>> {
    upload::check_declared_length(&request, state.settings.max_upload_bytes())?;
    let (dataset, job) = if upload::is_multipart(&request) {
        let mut form = upload::multipart(request).await?;
        let field = form
            .next_field()
            .await
            .map_err(upload::form_error)?
            .ok_or_else(upload::missing_file)?;
        if field.name() != Some("file") {
            return Err(upload::unexpected_part(field.name()));
        }
        let uploaded = datasets::upload(
            &state,
            &user,
            upload::file_part(field, state.settings.max_upload_bytes())?,
        )
        .await?;
        uploaded
    } else {
        datasets::upload(
            &state,
            &user,
            upload::raw_upload(request, params.name, state.settings.max_upload_bytes())?,
        )
        .await?
    };
    Ok(ApiResponse::created(CreatedDataset { dataset, job }))
}

/// The caller's datasets, newest first; filter by `status` and `q` (name), sort by
/// `created_at`, `name` or `size` (`-` for descending).
#[utoipa::path(get, path = "/datasets", tag = "datasets",
    params(ListParamsDoc),
    responses((status = 200, body = [app::model::DatasetView]), (status = 401)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ListQueryParams(query): ListQueryParams,
) -> Result<ApiResponse<Vec<app::model::DatasetView>>> {
    let (items, total) = datasets::list(&state, &user, &query).await?;
    Ok(ApiResponse::page(items, &query, total))
}

#[utoipa::path(get, path = "/datasets/{id}", tag = "datasets",
    responses((status = 200, body = app::model::DatasetView), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<app::model::DatasetView>> {
    Ok(ApiResponse::ok(datasets::get(&state, &user, &id).await?))
}

/// Deletes the dataset, its file, its profile and its reports.
#[utoipa::path(delete, path = "/datasets/{id}", tag = "datasets",
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<Deleted>> {
    datasets::delete(&state, &user, &id).await?;
    Ok(Deleted::answer(id))
}

/// The profile (schema in docs/profile-schema.md); 409 `not_ready` while profiling.
#[utoipa::path(get, path = "/datasets/{id}/profile", tag = "datasets",
    responses((status = 200, body = Object), (status = 404), (status = 409)))]
pub async fn profile(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<serde_json::Value>> {
    Ok(ApiResponse::ok(
        datasets::profile(&state, &user, &id).await?,
    ))
}

/// The first rows, as text.
#[utoipa::path(get, path = "/datasets/{id}/preview", tag = "datasets",
    responses((status = 200, body = app::model::PreviewView), (status = 404), (status = 409)))]
pub async fn preview(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<app::model::PreviewView>> {
    Ok(ApiResponse::ok(
        datasets::preview(&state, &user, &id).await?,
    ))
}

/// The list query, as the OpenAPI document shows it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParamsDoc {
    /// Page number, from 1.
    #[param(minimum = 1)]
    page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<i64>,
    /// Only items with this status.
    status: Option<String>,
    /// Only items whose name contains this text.
    q: Option<String>,
    /// A field to sort by, `-` first for descending (default `-created_at`): datasets sort by
    /// `created_at`, `name` or `size`, reports by `created_at`, `title` or `size`, templates by
    /// `created_at`, `name` or `updated_at`; other values keep the default.
    sort: Option<String>,
}
