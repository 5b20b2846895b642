//! The envelope in the OpenAPI document. Handlers document their data and [`ApiResponse`]
//! wraps it at run time; here the same wrapping is added, in one place, to every operation's
//! documented answers, together with the error answers every `/api/v1` route can give.
//!
//! [`ApiResponse`]: crate::api::ApiResponse

use utoipa::openapi::path::Operation;
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{Content, HeaderBuilder, OpenApi, Ref, RefOr};
use utoipa::{Modify, PartialSchema, ToSchema};

const JSON: &str = "application/json";

/// `meta` of a list answer.
#[derive(ToSchema)]
#[allow(dead_code)] // Only its schema is used: the answer is built as JSON.
pub struct PageMeta {
    /// Items matching the filters, on all pages.
    total: u64,
    page: u64,
    limit: u64,
}

/// Every error answer.
#[derive(ToSchema)]
#[allow(dead_code)] // Only its schema is used: `AppError` builds the answer.
pub struct Failure {
    /// Always `false`.
    success: bool,
    /// What went wrong, for a person.
    error: String,
    /// What went wrong, for a program: `not_found`, `validation`, `rate_limited`, …
    code: String,
}

pub struct Envelope;

impl Modify for Envelope {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components
            .schemas
            .insert(PageMeta::name().into(), PageMeta::schema());
        components
            .schemas
            .insert(Failure::name().into(), Failure::schema());
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                wrap_answers(operation);
                add_common_errors(operation);
            }
        }
    }
}

/// JSON successes get `{success, data, meta}` around them; errors get [`Failure`].
fn wrap_answers(operation: &mut Operation) {
    let paged = has_parameter(operation, "page");
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if status.starts_with('2') {
            if let Some(RefOr::T(content)) = response.content.get_mut(JSON) {
                let data = content
                    .schema
                    .take()
                    .unwrap_or_else(|| ObjectBuilder::new().into());
                content.schema = Some(success(data, paged).into());
            }
        } else if status.starts_with('4') || status.starts_with('5') {
            response.content.clear();
            response
                .content
                .insert(JSON.to_owned(), failure_content().into());
        }
    }
}

fn add_common_errors(operation: &mut Operation) {
    let mut errors = vec![
        ("401", "no valid API token (or browser session)"),
        ("429", "too many requests: wait `Retry-After` seconds"),
    ];
    if operation.parameters.as_ref().is_some_and(|p| !p.is_empty())
        || operation.request_body.is_some()
    {
        errors.push(("400", "a malformed query or body"));
    }
    if operation.request_body.as_ref().is_some_and(takes_json) {
        errors.push(("422", "the body is well-formed but not valid"));
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| failure_response(status, description).into());
    }
}

fn success(data: RefOr<Schema>, paged: bool) -> Schema {
    let meta: RefOr<Schema> = if paged {
        Ref::from_schema_name(PageMeta::name()).into()
    } else {
        ObjectBuilder::new().into()
    };
    ObjectBuilder::new()
        .property(
            "success",
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([true])),
        )
        .required("success")
        .property("data", data)
        .required("data")
        .property("meta", meta)
        .required("meta")
        .into()
}

fn failure_content() -> Content {
    Content::new(Some(Ref::from_schema_name(Failure::name())))
}

fn failure_response(status: &str, description: &str) -> Response {
    let mut builder = ResponseBuilder::new()
        .description(description)
        .content(JSON, failure_content());
    if status == "429" {
        builder = builder.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some("seconds to wait"))
                .build(),
        );
    }
    builder.build()
}

fn has_parameter(operation: &Operation, name: &str) -> bool {
    operation
        .parameters
        .iter()
        .flatten()
        .any(|parameter| match parameter {
            RefOr::T(parameter) => parameter.name == name,
            RefOr::Ref(_) => false,
        })
}

fn takes_json(body: &RefOr<RequestBody>) -> bool {
    matches!(body, RefOr::T(body) if body.content.contains_key(JSON))
}
