//! The HTTP surface: pages (Leptos SSR + server functions under `/rpc`), the JSON API under
//! `/api/v1`, health probes, and the layers around them all.

mod health;
mod same_origin;
mod security_headers;
mod timeout;

use std::sync::{Arc, OnceLock};

use app::services::SharedServices;
use app::{shell, App};
use axum::http::{HeaderName, Request};
use axum::{middleware, Router};
use axum_login::AuthManagerLayer;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_sessions::service::SignedCookie;

use crate::auth::Backend;
use crate::db::sessions::Sessions;
use crate::services::ServerServices;
use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The pages' routes, found once per process. Finding them runs the app with resource loading
/// suspended by a process-wide flag (leptos_server's `SuppressResourceLoad`): a page whose
/// resource first ran during that window would wait forever (leptos#4773). Building a second
/// router while the first serves pages, as the tests do, must not open that window again.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(
    state: AppState,
    auth_layer: AuthManagerLayer<Backend, Sessions, SignedCookie>,
) -> Router {
    let services: SharedServices = Arc::new(ServerServices::new(state.clone()));
    let context = move || provide_context(services.clone());
    let options = state.leptos_options.clone();
    let routes = route_list();

    Router::new()
        .merge(health::router())
        .merge(crate::auth::oauth::router())
        .nest("/api/v1", crate::api::router(state.clone()))
        .merge(crate::api::openapi::router())
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(same_origin::check))
        .layer(auth_layer)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers::add,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .headers()
                                .get(REQUEST_ID)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            tracing::info_span!(
                                "request",
                                request_id,
                                method = %request.method(),
                                path = %request.uri().path(),
                                user_id = tracing::field::Empty,
                            )
                        })
                        // One access-log line per request, at info.
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(middleware::from_fn(timeout::limit)),
        )
        .with_state(state)
}
