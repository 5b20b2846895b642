//! Sign-in with OAuth 2.0 / OpenID Connect providers, next to password accounts.
//!
//! The browser navigates: `GET /auth/<provider>/login?next=/path` (or `/link` when signed in)
//! stores a [`pending::PendingFlow`] in the session and redirects to the provider; the provider
//! sends the browser back to `GET /auth/<provider>/callback`, which takes the pending flow out
//! of the session (so it is used once), checks the state, exchanges the code with the PKCE
//! verifier and verifies who signed in ([`oidc`], [`github`]). [`accounts`] then finds the user
//! by (issuer, subject) or creates one, or links the identity to the signed-in user.
//!
//! Provider tokens are used once, on the server, and never stored or sent to the browser.

pub mod accounts;
pub mod error;
mod github;
mod handlers;
mod oidc;
pub mod pending;
pub mod redirect;

use std::time::Duration;

use oauth2::RedirectUrl;
use url::Url;

use crate::config::oauth::{OAuthProvider, Protocol};
use crate::config::Settings;
use error::OAuthError;
use github::Github;
use oidc::Oidc;

pub use handlers::router;

/// Where the browser goes to start, and what the callback must find in the session.
pub struct Started {
    pub url: Url,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
}

/// Who the provider says signed in.
#[derive(Debug, Clone)]
pub struct ProviderIdentity {
    pub issuer: String,
    pub subject: String,
    /// Lower-cased; shown to people, never used to find an account.
    pub email: Option<String>,
}

/// The configured providers and the one HTTP client that talks to them.
pub struct Providers {
    providers: Vec<Provider>,
    http: reqwest::Client,
}

pub struct Provider {
    pub name: String,
    pub display_name: String,
    protocol: ProtocolClient,
}

enum ProtocolClient {
    Oidc(Box<Oidc>),
    Github(Box<Github>),
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.providers.iter().map(|p| &p.name))
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProvidersError {
    #[error("cannot build the HTTP client for sign-in providers: {0}")]
    Http(#[from] reqwest::Error),
    #[error("oauth provider {0}: the callback URL {1} is not valid")]
    RedirectUrl(String, String),
    #[error("oauth provider {0}: {1}")]
    Provider(String, String),
}

impl Providers {
    pub fn from_settings(settings: &Settings) -> Result<Self, ProvidersError> {
        let http = reqwest::Client::builder()
            // Following redirects would let a provider's answer point us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let base = settings.public_url.trim_end_matches('/');
        let providers = settings
            .oauth_providers()
            .iter()
            .map(|config| Provider::new(config, base))
            .collect::<Result<_, _>>()?;
        Ok(Providers { providers, http })
    }

    pub fn get(&self, name: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.name == name)
    }

    pub fn all(&self) -> &[Provider] {
        &self.providers
    }

    pub async fn start(&self, provider: &Provider) -> Result<Started, OAuthError> {
        match &provider.protocol {
            ProtocolClient::Oidc(oidc) => oidc.start(&self.http).await,
            ProtocolClient::Github(github) => Ok(github.start()),
        }
    }

    pub async fn finish(
        &self,
        provider: &Provider,
        code: String,
        pkce_verifier: String,
        nonce: Option<String>,
    ) -> Result<ProviderIdentity, OAuthError> {
        match &provider.protocol {
            ProtocolClient::Oidc(oidc) => oidc.finish(&self.http, code, pkce_verifier, nonce).await,
            ProtocolClient::Github(github) => github.finish(&self.http, code, pkce_verifier).await,
        }
    }
}

impl Provider {
    fn new(config: &OAuthProvider, base_url: &str) -> Result<Self, ProvidersError> {
        let callback = format!("{base_url}/auth/{}/callback", config.name);
        let redirect_url = RedirectUrl::new(callback.clone())
            .map_err(|_| ProvidersError::RedirectUrl(config.name.clone(), callback))?;
        let protocol = match &config.protocol {
            Protocol::Oidc { issuer } => ProtocolClient::Oidc(Box::new(
                Oidc::new(config, issuer, redirect_url)
                    .map_err(|e| ProvidersError::Provider(config.name.clone(), e.to_string()))?,
            )),
            Protocol::Github(endpoints) => {
                ProtocolClient::Github(Box::new(Github::new(config, endpoints, redirect_url)))
            }
        };
        Ok(Provider {
            name: config.name.clone(),
            display_name: config.display_name.clone(),
            protocol,
        })
    }
}
