//! `POST /api/v1/process`: data in, PDF out, in one call — for scripts that want no jobs.
//! The spec comes from `?spec=<json>` or a multipart `spec` part; the data is the raw body or
//! the multipart `file` part.

use app::error::AppError;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use engine::profile::{profile_reader_with_sample, ProfileOptions};
use engine::render::ReportSpec;
use serde::Deserialize;

use super::reports::content_disposition;
use super::upload;
use super::CurrentUser;
use crate::datasets::{display_name, Upload};
use crate::error::Result;
use crate::jobs::format_of;
use crate::reporting;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/process", post(process).layer(DefaultBodyLimit::disable()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProcessParams {
    /// The report spec as JSON (URL-encoded); the default spec when absent.
    spec: Option<String>,
    /// The data's file name, for raw-body uploads.
    name: Option<String>,
}

/// Profiles the data and answers with the PDF report.
#[utoipa::path(post, path = "/process", tag = "process", params(ProcessParams),
    request_body(description = "the data: CSV, a JSON array of objects, JSON Lines, or a multipart form with a `file` part and an optional `spec` part",
        content((String = "text/csv"), (Object = "application/json"), (String = "application/x-ndjson"),
            (upload::ProcessForm = "multipart/form-data"))),
    responses((status = 200, content_type = "application/pdf"),
        (status = 413), (status = 415), (status = 422, description = "malformed data; the error names the line"),
        (status = 429)))]
pub async fn process(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(params): Query<ProcessParams>,
    request: Request,
) -> Result<Response> {
    upload::check_declared_length(&request, state.settings.max_upload_bytes())?;
    let mut spec_text = params.spec;
    let key = format!("process/{}", uuid::Uuid::now_v7());
    let stored = if upload::is_multipart(&request) {
        let mut form = upload::multipart(request).await?;
        let mut stored = None;
        while let Some(field) = form.next_field().await.map_err(upload::form_error)? {
            match field.name() {
                Some("spec") => spec_text = Some(field.text().await.map_err(upload::form_error)?),
                Some("file") if stored.is_none() => {
                    stored = Some(
                        store(
                            &state,
                            &key,
                            upload::file_part(field, state.settings.max_upload_bytes())?,
                        )
                        .await?,
                    );
                }
                other => return Err(upload::unexpected_part(other)),
            }
        }
        stored.ok_or_else(upload::missing_file)?
    } else {
        store(
            &state,
            &key,
            upload::raw_upload(request, params.name, state.settings.max_upload_bytes())?,
        )
        .await?
    };
    let result = render(&state, &key, stored, spec_text).await;
    if let Err(error) = state.storage.delete(&key).await {
        tracing::warn!(%error, "could not remove a processed upload");
    }
    let (title, pdf) = result?;
    tracing::info!(user_id = %user.id, bytes = pdf.len(), "one-call report made");
    let disposition =
        HeaderValue::from_str(&content_disposition(&title)).map_err(|_| AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

/// What was stored: the display name and the format.
struct Stored {
    name: String,
    format: &'static str,
}

async fn store(state: &AppState, key: &str, upload: Upload<'_>) -> Result<Stored> {
    let size = state
        .storage
        .put_stream(key, upload.body, state.settings.max_upload_bytes())
        .await?;
    if size == 0 {
        return Err(AppError::Validation("the file is empty".into()).into());
    }
    Ok(Stored {
        name: display_name(&upload.name, upload.format),
        format: upload.format,
    })
}

async fn render(
    state: &AppState,
    key: &str,
    stored: Stored,
    spec_text: Option<String>,
) -> Result<(String, Vec<u8>)> {
    let spec: ReportSpec = match spec_text.as_deref().map(str::trim) {
        None | Some("") => ReportSpec::default(),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| AppError::Validation(format!("the spec is not valid: {e}")))?,
    };
    crate::templates::check_spec(&spec)?;
    let reader = state.storage.reader(key).await?;
    let title = spec.title.clone();
    let pdf = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
        let options = reporting::profile_options(&spec, ProfileOptions::default());
        let reader = std::io::BufReader::with_capacity(1 << 20, reader);
        let (profile, sample) = profile_reader_with_sample(
            reader,
            format_of(stored.format),
            &options,
            reporting::sample_rows(&spec),
        )?;
        Ok(reporting::render(
            &profile,
            &spec,
            sample.header,
            sample.rows,
            Some(stored.name),
        )?)
    })
    .await
    .map_err(|_| AppError::Internal)??;
    Ok((title, pdf))
}
