//! The OpenAPI document, generated from the handlers' annotations, and the Swagger UI that
//! shows it (its files are built into the binary, so the docs work offline).

mod envelope;

use envelope::Envelope;

use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::{datasets, jobs, process, reports, templates};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Quire API", description = "Upload tabular data, get analysed PDF reports. \
        Every answer is `{\"success\": true, \"data\": …, \"meta\": {…}}` or \
        `{\"success\": false, \"error\": \"…\", \"code\": \"…\"}`."),
    servers((url = "/api/v1")),
    paths(
        datasets::create, datasets::list, datasets::read, datasets::remove, datasets::profile,
        datasets::preview,
        reports::create, reports::list, reports::read, reports::remove, reports::pdf,
        templates::create, templates::list, templates::read, templates::update, templates::remove,
        jobs::read, jobs::events,
        process::process,
    ),
    modifiers(&BearerAuth, &Envelope),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("a personal API token from the Tokens page"))
                    .build(),
            ),
        );
    }
}

/// `/api/v1/openapi.json` and the docs page at `/api/v1/docs/`.
pub fn router() -> Router<AppState> {
    SwaggerUi::new("/api/v1/docs")
        .url("/api/v1/openapi.json", ApiDoc::openapi())
        .into()
}
