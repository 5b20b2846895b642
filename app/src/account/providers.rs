//! Sign-in providers (OAuth 2.0 / OpenID Connect) as the pages see them: which are configured,
//! which are linked to the signed-in account, and what an `?error=` code from the server means.
//! The flow itself is plain navigation to `/auth/<provider>/…`, handled by the server.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A configured provider: `name` is in its URLs, `display_name` on its button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderView {
    pub name: String,
    pub display_name: String,
}

/// A provider account linked to the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityView {
    pub id: String,
    pub provider: String,
    pub provider_display_name: String,
    pub email: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// The account page's view of how its owner signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccounts {
    pub has_password: bool,
    pub identities: Vec<IdentityView>,
    pub providers: Vec<ProviderView>,
}

#[server(prefix = "/rpc", endpoint = "sign_in_providers")]
pub async fn sign_in_providers() -> Result<Vec<ProviderView>, AppError> {
    use crate::services::{call, services};
    call(services()?.sign_in_providers()).await
}

#[server(prefix = "/rpc", endpoint = "linked_accounts")]
pub async fn get_linked_accounts() -> Result<LinkedAccounts, AppError> {
    use crate::services::{call, services};
    call(services()?.linked_accounts()).await
}

#[server(prefix = "/rpc", endpoint = "unlink_identity")]
pub async fn unlink_identity(id: String) -> Result<(), AppError> {
    use crate::services::{call, services};
    call(services()?.unlink_identity(id)).await
}

/// What went wrong, for a code the server put in `?error=` after a provider sign-in or link.
pub fn oauth_error_message(code: &str) -> &'static str {
    match code {
        "denied" => "Sign-in was cancelled at the provider. Nothing was changed.",
        "state" => {
            "That sign-in link has expired or was already used. Please start again from this page."
        }
        "provider" => "The provider did not confirm who you are. Please try again.",
        "unreachable" => {
            "The sign-in provider cannot be reached right now. Please try again later."
        }
        "unknown_provider" => "That sign-in provider is not configured here.",
        "sign_in_required" => "Please sign in first, then link the account from your account page.",
        "cross_site" => "Linking must be started from your account page.",
        "linked_elsewhere" => "That provider account is already linked to another Quire account.",
        _ => "Sign-in with the provider failed. Please try again.",
    }
}
