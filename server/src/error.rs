//! One error type for the server. Public errors ([`AppError`]) pass through as they are;
//! everything else is logged here and answered as an opaque 500. Under `/api/v1` errors become
//! the JSON envelope `{"success": false, "error": "...", "code": "..."}`.

use app::error::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use engine::ingest::IngestError;
use engine::profile::EngineError;
use engine::render::RenderError;

use crate::auth::backend::BackendError;
use crate::auth::password::HashError;
use crate::auth::Backend;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("authentication: {0}")]
    Auth(#[from] axum_login::Error<Backend>),
    #[error("authentication backend: {0}")]
    Backend(#[from] BackendError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error("storage: {0}")]
    Storage(crate::storage::StorageError),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("engine: {0}")]
    Engine(String),
}

impl From<EngineError> for Error {
    fn from(error: EngineError) -> Error {
        if is_input_error(&error) {
            Error::App(AppError::Validation(error.to_string()))
        } else {
            Error::Engine(error.to_string())
        }
    }
}

impl From<RenderError> for Error {
    fn from(error: RenderError) -> Error {
        match error {
            RenderError::Logo(_) => Error::App(AppError::Validation(error.to_string())),
            RenderError::Font(_) => Error::Engine(error.to_string()),
        }
    }
}

/// Whether the engine refused the data or the request (the caller can fix it) rather than
/// failing to read what the server stored (the server's fault).
fn is_input_error(error: &EngineError) -> bool {
    !matches!(
        error,
        EngineError::Open { .. } | EngineError::Ingest(IngestError::Io(_))
    )
}

impl From<crate::storage::StorageError> for Error {
    fn from(error: crate::storage::StorageError) -> Error {
        use crate::storage::StorageError;
        match error {
            StorageError::TooLarge { limit } => Error::App(AppError::PayloadTooLarge(format!(
                "the upload is larger than the limit of {} MiB",
                limit / (1024 * 1024)
            ))),
            StorageError::Rejected(why) => Error::App(AppError::UnsupportedMediaType(why)),
            StorageError::Body(why) => Error::App(AppError::BadRequest(format!(
                "the upload was interrupted: {why}"
            ))),
            other => Error::Storage(other),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for AppError {
    fn from(error: Error) -> AppError {
        match error {
            Error::App(public) => public,
            internal => {
                tracing::error!(error = %internal, "internal error");
                AppError::Internal
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        AppError::from(self).into_api_response()
    }
}

/// Turns a public error into the JSON envelope with its status and headers.
pub trait IntoApiResponse {
    fn into_api_response(self) -> Response;
}

impl IntoApiResponse for AppError {
    fn into_api_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({
            "success": false,
            "error": self.to_string(),
            "code": self.code(),
        });
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            AppError::TooManyRequests { retry_after } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            AppError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(error: Error) -> u16 {
        AppError::from(error).status()
    }

    #[test]
    fn bad_data_is_the_callers_to_fix_and_answers_422() {
        let ragged = EngineError::Ingest(IngestError::RaggedRow {
            line: 7,
            expected: 3,
            found: 4,
        });
        let app = AppError::from(Error::from(ragged));
        assert_eq!(app.status(), 422);
        assert!(app.to_string().contains("line 7"), "{app}");
    }

    #[test]
    fn a_stored_file_that_cannot_be_read_is_the_servers_fault_and_answers_500() {
        let io = std::io::Error::other("disk gone");
        let status = status_of(Error::from(EngineError::Ingest(IngestError::Io(io))));
        assert_eq!(status, 500);
    }

    #[test]
    fn a_logo_that_is_not_an_image_answers_422() {
        let status = status_of(Error::from(RenderError::Logo("bad magic".into())));
        assert_eq!(status, 422);
    }
}
