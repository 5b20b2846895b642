//! Reading an upload from a request: a raw body (`text/csv`, `application/json`,
//! `application/x-ndjson`, named by `?name=`) or the `file` part of a multipart form. The body
//! is passed on as a stream; a declared length over the limit is refused before any is read.

use app::error::AppError;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use futures_util::{StreamExt, TryStreamExt};

use crate::datasets::Upload;
use crate::error::{Error, Result};
use crate::storage::{ByteStream, StorageError};

const ACCEPTED: &str = "send text/csv, application/json, application/x-ndjson, or a multipart \
                        form with a \"file\" part";

/// The format named by a media type, if Quire reads it.
fn format_of_media_type(media_type: &str) -> Option<&'static str> {
    match media_type {
        "text/csv" | "application/csv" | "text/tab-separated-values" | "text/plain" => Some("csv"),
        "application/json" => Some("json"),
        "application/x-ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some("jsonl"),
        _ => None,
    }
}

/// The format named by a file name's extension.
fn format_of_name(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => Some("csv"),
        "json" => Some("json"),
        "jsonl" | "ndjson" => Some("jsonl"),
        _ => None,
    }
}

fn media_type(request: &Request) -> String {
    request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Refuses a declared body length over `limit` without reading the body.
pub fn check_declared_length(request: &Request, limit: u64) -> Result<()> {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit => Err(StorageError::TooLarge { limit }.into()),
        _ => Ok(()),
    }
}

pub fn is_multipart(request: &Request) -> bool {
    media_type(request) == "multipart/form-data"
}

/// A raw-body upload; `name` comes from `?name=`.
pub fn raw_upload(request: Request, name: Option<String>, limit: u64) -> Result<Upload<'static>> {
    let media_type = media_type(&request);
    let format = match format_of_media_type(&media_type) {
        // `text/plain` and friends: trust a recognisable file name over the media type.
        Some(format) => name.as_deref().and_then(format_of_name).unwrap_or(format),
        None => {
            return Err(AppError::UnsupportedMediaType(format!(
                "unsupported content type {media_type:?}: {ACCEPTED}"
            ))
            .into())
        }
    };
    let body = request
        .into_body()
        .into_data_stream()
        .map_err(|e| StorageError::Body(e.to_string()))
        .boxed();
    Ok(Upload {
        body: bounded(body, limit),
        name: name.unwrap_or_default(),
        format,
    })
}

pub async fn multipart(request: Request) -> Result<Multipart> {
    Ok(Multipart::from_request(request, &())
        .await
        .map_err(|e| AppError::BadRequest(e.body_text()))?)
}

/// The upload carried by a form's `file` part.
pub fn file_part(field: Field<'_>, limit: u64) -> Result<Upload<'_>> {
    let name = field.file_name().unwrap_or_default().to_owned();
    let by_type = field
        .content_type()
        .and_then(|t| format_of_media_type(t.split(';').next().unwrap_or_default().trim()));
    let format = format_of_name(&name).or(by_type).ok_or_else(|| {
        AppError::UnsupportedMediaType(format!(
            "cannot tell the format of {name:?}: name it .csv, .json or .jsonl"
        ))
    })?;
    let body = field.map_err(|e| StorageError::Body(e.body_text())).boxed();
    Ok(Upload {
        name,
        format,
        body: bounded(body, limit),
    })
}

/// How much of an oversize body is read and dropped before answering 413: clients that send
/// the whole body before reading the answer then see the 413 instead of a broken connection.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// Ends the body with [`StorageError::TooLarge`] once it passes `limit` bytes.
fn bounded(body: ByteStream<'_>, limit: u64) -> ByteStream<'_> {
    futures_util::stream::unfold(Some((body, 0u64)), move |state| async move {
        let (mut body, seen) = state?;
        match body.next().await? {
            Ok(chunk) if seen + chunk.len() as u64 > limit => {
                let mut drained = 0u64;
                while let Some(Ok(rest)) = body.next().await {
                    drained += rest.len() as u64;
                    if drained > DRAIN_LIMIT {
                        break;
                    }
                }
                Some((Err(StorageError::TooLarge { limit }), None))
            }
            Ok(chunk) => {
                let seen = seen + chunk.len() as u64;
                Some((Ok(chunk), Some((body, seen))))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
    .boxed()
}

/// The form has no file part.
pub fn missing_file() -> Error {
    AppError::Validation(format!("the form has no \"file\" part: {ACCEPTED}")).into()
}

/// A part the endpoint does not take: refused rather than ignored, so a misspelt `spec` part
/// is not silently replaced by the default.
pub fn unexpected_part(name: Option<&str>) -> Error {
    let name = name.unwrap_or_default();
    AppError::Validation(format!(
        "the form has an unexpected part {name:?}: {ACCEPTED}"
    ))
    .into()
}

pub fn form_error(error: MultipartError) -> Error {
    AppError::BadRequest(error.body_text()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_media_types_and_names() {
        assert_eq!(format_of_media_type("text/csv"), Some("csv"));
        assert_eq!(format_of_media_type("application/x-ndjson"), Some("jsonl"));
        assert_eq!(format_of_media_type("application/pdf"), None);
        assert_eq!(format_of_name("Sales.JSON"), Some("json"));
        assert_eq!(format_of_name("notes"), None);
    }
}

/// The multipart form of an upload, as the OpenAPI document shows it.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The CSV or JSON file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The multipart form of `POST /process`, as the OpenAPI document shows it.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ProcessForm {
    /// The CSV or JSON file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The report spec as JSON; the default spec when absent.
    spec: Option<String>,
}
