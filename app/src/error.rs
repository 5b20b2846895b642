//! The errors people and scripts see. Each variant knows its HTTP status and its stable public
//! `code`; internal failures are logged on the server and reach users only as `Internal`.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// 422: the input is well-formed but not acceptable; the text says why.
    #[error("{0}")]
    Validation(String),
    /// 400: the request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid session or API token.
    #[error("sign-in required")]
    Unauthorized,
    /// 401: wrong email or password (never says which).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// 403: authenticated, or not, but this request is refused (e.g. a cross-site form post).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing, or it belongs to someone else.
    #[error("not found")]
    NotFound,
    /// 405: the route exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409: it already exists.
    #[error("{0}")]
    Conflict(String),
    /// 409: it exists but is not ready yet (a dataset still being profiled).
    #[error("{0}")]
    NotReady(String),
    /// 413: the body is larger than the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: a content type Quire does not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: slow down; try again after `retry_after` seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// 500: something failed on our side; details are in the server log only.
    #[error("an internal error occurred")]
    Internal,
    /// The call never reached the server function, or its answer could not be read (browser side).
    #[error("could not reach the server: {0}")]
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::BadRequest(_) => 400,
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound => 404,
            AppError::MethodNotAllowed => 405,
            AppError::Conflict(_) | AppError::NotReady(_) => 409,
            AppError::PayloadTooLarge(_) => 413,
            AppError::UnsupportedMediaType(_) => 415,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The stable machine-readable code in the API envelope.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Conflict(_) => "conflict",
            AppError::NotReady(_) => "not_ready",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::TooManyRequests { .. } => "rate_limited",
            AppError::Internal => "internal_error",
            AppError::Transport(_) => "transport_error",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not parse are the caller's mistake, not ours.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                AppError::BadRequest(msg)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}
