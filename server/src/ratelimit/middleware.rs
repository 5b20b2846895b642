//! The layer in front of `/api/v1`.

use app::error::AppError;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::{client_key, headers, Decision};
use crate::error::IntoApiResponse;
use crate::state::AppState;

/// Endpoints that start expensive work.
fn is_costly(method: &Method, path: &str) -> bool {
    method == Method::POST && (path.ends_with("/process") || path.ends_with("/reports"))
}

pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &state.rate_limits;
    let client = client_key(&request, &limits.trusted_proxies);
    let mut decisions: Vec<Decision> = Vec::with_capacity(2);
    if is_costly(request.method(), request.uri().path()) {
        decisions.push(limits.costly.check(&client.key));
    }
    let refused = decisions.iter().any(|d| d.retry_after.is_some());
    // The dashboard's own requests (a signed-in browser) only meet the costly limit. A request
    // the costly limit refused is not counted again: a script retrying `/process` too often
    // must still be able to fetch its reports.
    if !client.browser_session && !refused {
        decisions.push(limits.general.check(&client.key));
    }
    // The tightest decision is the one to show.
    let shown = decisions
        .into_iter()
        .max_by_key(|d| (d.retry_after.unwrap_or(0), u32::MAX - d.remaining));
    let Some(decision) = shown else {
        return next.run(request).await;
    };
    let mut response = match decision.retry_after {
        Some(retry_after) => {
            tracing::info!(client = %client.key, policy = decision.policy, "rate limited");
            AppError::TooManyRequests { retry_after }.into_api_response()
        }
        None => next.run(request).await,
    };
    headers::add(response.headers_mut(), &decision);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_starting_posts_are_costly() {
        assert!(is_costly(&Method::POST, "/process"));
        assert!(is_costly(&Method::POST, "/api/v1/reports"));
        assert!(!is_costly(&Method::GET, "/reports"));
        assert!(!is_costly(&Method::POST, "/datasets"));
    }
}
