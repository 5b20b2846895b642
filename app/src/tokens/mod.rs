//! Personal API tokens: scripts send one as `Authorization: Bearer …` to the JSON API.

mod tokens_page;

pub use tokens_page::TokensPage;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{CreatedToken, TokenView};

#[server(prefix = "/rpc", endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    use crate::services::{call, services};
    call(services()?.list_tokens()).await
}

#[server(prefix = "/rpc", endpoint = "create_token")]
pub async fn create_token(name: String) -> Result<CreatedToken, AppError> {
    use crate::services::{call, services};
    call(services()?.create_token(name)).await
}

#[server(prefix = "/rpc", endpoint = "revoke_token")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    use crate::services::{call, services};
    call(services()?.revoke_token(id)).await
}
