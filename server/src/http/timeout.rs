//! No request may hang forever; long work belongs in jobs. Uploads are the exception: a large
//! file over a slow link takes as long as it takes to arrive, so they get a longer limit.

use std::time::Duration;

use app::error::AppError;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::IntoApiResponse;

const REQUEST_LIMIT: Duration = Duration::from_secs(120);
const UPLOAD_LIMIT: Duration = Duration::from_secs(6 * 60 * 60);

fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/api/v1/datasets" | "/api/v1/process")
}

pub async fn limit(request: Request, next: Next) -> Response {
    let limit = if is_upload(request.method(), request.uri().path()) {
        UPLOAD_LIMIT
    } else {
        REQUEST_LIMIT
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs(), "request timed out");
            let mut response =
                AppError::BadRequest("the request took too long".into()).into_api_response();
            *response.status_mut() = axum::http::StatusCode::REQUEST_TIMEOUT;
            response.into_response()
        }
    }
}
