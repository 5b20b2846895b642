//! `/api/v1/reports`: make a report from a dataset and a spec or template, list, read, delete,
//! download the PDF.

use app::error::AppError;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use engine::render::ReportSpec;
use serde::{Deserialize, Serialize};

use super::datasets::ListParamsDoc;
use super::extract::ApiJson;
use super::list::ListQueryParams;
use super::{ApiResponse, CurrentUser, Deleted};
use crate::error::Result;
use crate::reports::{self, SpecSource};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list).post(create))
        .route("/reports/{id}", get(read).delete(remove))
        .route("/reports/{id}/pdf", get(pdf))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewReport {
    #[schema(min_length = 1)]
    dataset_id: String,
    /// A report spec (see engine/src/render/spec.rs); or give `template_id`.
    #[schema(value_type = Option<Object>)]
    spec: Option<ReportSpec>,
    template_id: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedReport {
    report: app::model::ReportView,
    job: app::model::JobView,
}

/// Starts making a report; follow `job` for progress.
#[utoipa::path(post, path = "/reports", tag = "reports", request_body = NewReport,
    responses((status = 202, body = CreatedReport), (status = 422), (status = 429)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiJson(body): ApiJson<NewReport>,
) -> Result<ApiResponse<CreatedReport>> {
    let source = match (body.spec, body.template_id) {
        (Some(spec), None) => SpecSource::Spec(Box::new(spec)),
        (None, Some(id)) => SpecSource::Template(id),
        (None, None) => SpecSource::Spec(Box::default()),
        (Some(_), Some(_)) => {
            return Err(
                AppError::Validation("give either spec or template_id, not both".into()).into(),
            )
        }
    };
    let (report, job) = reports::create(&state, &user, &body.dataset_id, source).await?;
    Ok(ApiResponse::accepted(CreatedReport { report, job }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportFilter {
    /// Only the reports of this dataset.
    dataset_id: Option<String>,
}

/// The caller's reports, newest first; `q` searches titles.
#[utoipa::path(get, path = "/reports", tag = "reports", params(ReportFilter, ListParamsDoc),
    responses((status = 200, body = [app::model::ReportView])))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(filter): Query<ReportFilter>,
    ListQueryParams(query): ListQueryParams,
) -> Result<ApiResponse<Vec<app::model::ReportView>>> {
    let dataset_id = filter.dataset_id.unwrap_or_default();
    let (items, total) = reports::list(&state, &user, &dataset_id, &query).await?;
    Ok(ApiResponse::page(items, &query, total))
}

#[utoipa::path(get, path = "/reports/{id}", tag = "reports",
    responses((status = 200, body = app::model::ReportView), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<app::model::ReportView>> {
    Ok(ApiResponse::ok(reports::get(&state, &user, &id).await?))
}

#[utoipa::path(delete, path = "/reports/{id}", tag = "reports",
    responses((status = 200, body = Deleted), (status = 404)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<Deleted>> {
    reports::delete(&state, &user, &id).await?;
    Ok(Deleted::answer(id))
}

/// The PDF, as an attachment named after the report's title; 409 until it is ready.
#[utoipa::path(get, path = "/reports/{id}/pdf", tag = "reports",
    responses((status = 200, content_type = "application/pdf"), (status = 304), (status = 404), (status = 409)))]
pub async fn pdf(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let (report, size, stream) = reports::pdf(&state, &user, &id).await?;
    // A report never changes once made, so its id and size name its content.
    let etag = format!("\"{}-{}\"", report.id, size);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let etag = HeaderValue::from_str(&etag).map_err(|_| AppError::Internal)?;
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let disposition = HeaderValue::from_str(&content_disposition(&report.title))
        .map_err(|_| AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(size)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::ETAG, etag),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 8187), so no
/// title can inject headers or paths.
pub fn content_disposition(title: &str) -> String {
    let base: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim()
        .trim_matches('.')
        .chars()
        .take(100)
        .collect();
    let base = if base.is_empty() {
        "report".to_owned()
    } else {
        base
    };
    let ascii: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = format!("{base}.pdf")
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}.pdf\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn download_names_are_safe_whatever_the_title() {
        assert_eq!(
            content_disposition("Q3 sales"),
            "attachment; filename=\"Q3_sales.pdf\"; filename*=UTF-8''Q3%20sales.pdf"
        );
        let nasty = content_disposition("../../x\r\n\"; evil=1");
        assert!(!nasty.contains('\r') && !nasty.contains('\n') && !nasty.contains("../"));
        assert!(nasty.starts_with("attachment; filename=\""));
        assert_eq!(
            content_disposition("Umsätze"),
            "attachment; filename=\"Ums_tze.pdf\"; filename*=UTF-8''Ums%C3%A4tze.pdf"
        );
        assert!(content_disposition("...").contains("filename=\"report.pdf\""));
    }
}
