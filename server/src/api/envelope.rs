use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// The data of a successful DELETE.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Deleted {
    pub id: String,
    /// Always `true`.
    pub deleted: bool,
}

impl Deleted {
    pub fn answer(id: String) -> ApiResponse<Deleted> {
        ApiResponse::ok(Deleted { id, deleted: true })
    }
}

/// A successful API answer: `{"success": true, "data": …, "meta": {…}}`.
pub struct ApiResponse<T> {
    status: StatusCode,
    data: T,
    meta: serde_json::Value,
}

impl<T: Serialize> ApiResponse<T> {
    pub fn ok(data: T) -> Self {
        ApiResponse {
            status: StatusCode::OK,
            data,
            meta: serde_json::json!({}),
        }
    }

    pub fn created(data: T) -> Self {
        ApiResponse {
            status: StatusCode::CREATED,
            ..Self::ok(data)
        }
    }

    /// One page of a list, with `meta {total, page, limit}`.
    pub fn page(data: T, query: &crate::db::ListQuery, total: i64) -> Self {
        Self::ok(data).with_meta(serde_json::json!({
            "total": total,
            "page": query.page,
            "limit": query.limit,
        }))
    }

    pub fn accepted(data: T) -> Self {
        ApiResponse {
            status: StatusCode::ACCEPTED,
            ..Self::ok(data)
        }
    }

    pub fn with_meta(mut self, meta: serde_json::Value) -> Self {
        self.meta = meta;
        self
    }
}

impl<T: Serialize> IntoResponse for ApiResponse<T> {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "success": true, "data": self.data, "meta": self.meta });
        (self.status, Json(body)).into_response()
    }
}
