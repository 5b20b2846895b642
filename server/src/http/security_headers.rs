//! Headers every response carries. Pages set their own Content-Security-Policy (it names the
//! script nonce, see `app::security`); everything else gets a policy that allows nothing.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// The API docs page runs Swagger UI's own scripts and styles from this server.
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                        img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Built assets are public and fingerprinted by build; everything else may be private.
    let is_asset =
        request.uri().path().starts_with("/pkg/") || request.uri().path().starts_with("/favicon");
    let is_docs = request.uri().path().starts_with("/api/v1/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(if is_docs {
            DOCS_CSP
        } else {
            DEFAULT_CSP
        }));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !is_asset {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if state.settings.is_https() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
