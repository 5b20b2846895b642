//! Refuses state-changing requests that a browser sent from another site (CSRF), on top of the
//! SameSite=Lax session cookie. Scripts using a Bearer token send no `Origin` and pass.

use app::error::AppError;
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::IntoApiResponse;

pub async fn check(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::warn!(target: "security", uri = %request.uri(), "cross-site request refused");
        return AppError::Forbidden("cross-site requests are not allowed".into())
            .into_api_response();
    }
    next.run(request).await
}

fn is_cross_site_write(request: &Request) -> bool {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return false;
    }
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return true;
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    origin_host != host.to_str().ok()
}
