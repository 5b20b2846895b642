//! The `?page=&limit=&status=&q=&sort=` query of list endpoints, with errors in the envelope.

use app::error::AppError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

use crate::db::{ListParams, ListQuery};
use crate::error::Error;

pub struct ListQueryParams(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for ListQueryParams {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let Query(params) = Query::<ListParams>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        let query = params.check().map_err(AppError::BadRequest)?;
        Ok(ListQueryParams(query))
    }
}
