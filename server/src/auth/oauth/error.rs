//! Why a provider sign-in or link failed. Each variant knows the short public code that the
//! sign-in and account pages turn into a sentence (`/signin?error=<code>`); the details go to the
//! log only, and never carry a token.

use oauth2::{ErrorResponse, RequestTokenError};

use crate::auth::Backend;

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("no sign-in provider is configured under this name")]
    UnknownProvider,
    #[error("the person declined at the provider")]
    Denied,
    #[error("the provider answered the authorization request with error {0:?}")]
    ProviderError(String),
    #[error("no sign-in is pending in this session (never started, already used, or expired)")]
    NoPendingFlow,
    #[error("the state does not match the sign-in this session started")]
    StateMismatch,
    #[error("the callback carries no authorization code")]
    MissingCode,
    #[error("the provider cannot be reached: {0}")]
    Unreachable(String),
    #[error("the provider refused the code exchange: {0}")]
    TokenExchange(String),
    #[error("the ID token was refused: {0}")]
    InvalidIdToken(String),
    #[error("the provider's user API failed: {0}")]
    UserApi(String),
    #[error("linking needs a signed-in user")]
    SignInRequired,
    #[error("link requests must come from Quire's own pages")]
    CrossSite,
    #[error("this provider account is already linked to another user")]
    LinkedElsewhere,
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("session: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("authentication: {0}")]
    Auth(#[from] axum_login::Error<Backend>),
}

impl OAuthError {
    /// The code in `?error=` that the pages explain; see `app::account::oauth_error_message`.
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::UnknownProvider => "unknown_provider",
            OAuthError::Denied => "denied",
            OAuthError::NoPendingFlow | OAuthError::StateMismatch | OAuthError::MissingCode => {
                "state"
            }
            OAuthError::ProviderError(_)
            | OAuthError::TokenExchange(_)
            | OAuthError::InvalidIdToken(_)
            | OAuthError::UserApi(_) => "provider",
            OAuthError::Unreachable(_) => "unreachable",
            OAuthError::SignInRequired => "sign_in_required",
            OAuthError::CrossSite => "cross_site",
            OAuthError::LinkedElsewhere => "linked_elsewhere",
            OAuthError::Database(_) | OAuthError::Session(_) | OAuthError::Auth(_) => "internal",
        }
    }

    /// Our own failures, as opposed to the provider's or the visitor's.
    pub fn is_internal(&self) -> bool {
        self.code() == "internal"
    }
}

/// A failed token request: unreachable, or refused. A response that did not parse is described
/// by where it failed only, since its body may hold tokens.
pub fn token_error<RE, T>(error: &RequestTokenError<RE, T>) -> OAuthError
where
    RE: std::error::Error + 'static,
    T: ErrorResponse + 'static,
{
    match error {
        RequestTokenError::Request(e) => OAuthError::Unreachable(super::oidc::error_chain(e)),
        RequestTokenError::ServerResponse(response) => {
            OAuthError::TokenExchange(format!("error response: {response}"))
        }
        RequestTokenError::Parse(e, _body) => {
            OAuthError::TokenExchange(format!("unreadable response at {}", e.path()))
        }
        RequestTokenError::Other(e) => OAuthError::TokenExchange(e.clone()),
    }
}
