//! What server functions need from the server, as a trait the `server` crate implements and
//! provides as context. It keeps this crate free of database and session code: a server function
//! parses its arguments, calls one of these, and maps the answer.

use std::sync::Arc;

use crate::account::providers::{LinkedAccounts, ProviderView};
use crate::error::AppError;
use crate::model::{CreatedToken, TokenView, UserView};

#[async_trait::async_trait]
pub trait Services: Send + Sync + 'static {
    /// Creates an account and signs it in.
    async fn sign_up(&self, email: String, password: String) -> Result<UserView, AppError>;
    async fn sign_in(&self, email: String, password: String) -> Result<UserView, AppError>;
    async fn sign_out(&self) -> Result<(), AppError>;
    async fn current_user(&self) -> Result<Option<UserView>, AppError>;
    async fn list_tokens(&self) -> Result<Vec<TokenView>, AppError>;
    async fn create_token(&self, name: String) -> Result<CreatedToken, AppError>;
    async fn revoke_token(&self, id: String) -> Result<(), AppError>;
    /// The configured OAuth / OpenID Connect providers, for the sign-in buttons.
    async fn sign_in_providers(&self) -> Result<Vec<ProviderView>, AppError>;
    /// The signed-in user's password status and linked provider accounts.
    async fn linked_accounts(&self) -> Result<LinkedAccounts, AppError>;
    /// Unlinks a provider account, unless it is the user's last way to sign in.
    async fn unlink_identity(&self, id: String) -> Result<(), AppError>;
}

/// The handle the server provides to every render and server function.
pub type SharedServices = Arc<dyn Services>;

/// The services of the running server, from the reactive context.
pub fn services() -> Result<SharedServices, AppError> {
    leptos::prelude::use_context::<SharedServices>().ok_or(AppError::Internal)
}

/// Sets the HTTP status of the current server-function response to match `error`, so scripts and
/// browsers see a 401 or 429 rather than a generic 500.
pub fn set_status(error: &AppError) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
}

/// Runs a service call and mirrors any error in the response status.
pub async fn call<T>(
    f: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = f.await;
    if let Err(error) = &result {
        set_status(error);
    }
    result
}
