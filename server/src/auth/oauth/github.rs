//! GitHub: plain OAuth 2.0 (authorization code with PKCE S256 and state), then its REST API for
//! who signed in. The numeric user id is the subject; logins can be renamed, ids cannot.

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use url::Url;

use super::error::{token_error, OAuthError};
use super::oidc::error_chain;
use super::{ProviderIdentity, Started};
use crate::config::oauth::{GithubEndpoints, OAuthProvider};

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

pub struct Github {
    client: Client,
    scopes: Vec<Scope>,
    issuer: String,
    api_url: Url,
}

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    email: Option<String>,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

impl Github {
    pub fn new(
        config: &OAuthProvider,
        endpoints: &GithubEndpoints,
        redirect_url: RedirectUrl,
    ) -> Self {
        let mut client = BasicClient::new(ClientId::new(config.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(endpoints.auth_url.clone()))
            .set_token_uri(TokenUrl::from_url(endpoints.token_url.clone()))
            .set_redirect_uri(redirect_url);
        if let Some(secret) = &config.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        Github {
            client,
            scopes: config
                .scopes
                .iter()
                .map(|s| Scope::new(s.clone()))
                .collect(),
            issuer: endpoints.issuer.clone(),
            api_url: endpoints.api_url.clone(),
        }
    }

    pub fn start(&self) -> Started {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.scopes.iter().cloned())
            .set_pkce_challenge(challenge)
            .url();
        Started {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: None,
        }
    }

    pub async fn finish(
        &self,
        http: &reqwest::Client,
        code: String,
        pkce_verifier: String,
    ) -> Result<ProviderIdentity, OAuthError> {
        let token = self
            .client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(http)
            .await
            .map_err(|e| token_error(&e))?;
        let access_token = token.access_token().secret();

        let user: GithubUser = self.get(http, "user", access_token).await?;
        let email = match user.email {
            Some(email) => Some(email),
            // The profile shows an address only if the person made it public.
            None => self
                .get::<Vec<GithubEmail>>(http, "user/emails", access_token)
                .await?
                .into_iter()
                .find(|e| e.primary && e.verified)
                .map(|e| e.email),
        };
        Ok(ProviderIdentity {
            issuer: self.issuer.clone(),
            subject: user.id.to_string(),
            email: email.map(|e| e.trim().to_lowercase()),
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        http: &reqwest::Client,
        path: &str,
        access_token: &str,
    ) -> Result<T, OAuthError> {
        let base = self.api_url.as_str().trim_end_matches('/');
        let response = http
            .get(format!("{base}/{path}"))
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/vnd.github+json")
            .header(reqwest::header::USER_AGENT, "Quire")
            .send()
            .await
            .map_err(|e| OAuthError::Unreachable(error_chain(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(OAuthError::UserApi(format!("GET /{path}: {status}")));
        }
        response
            .json()
            .await
            .map_err(|_| OAuthError::UserApi(format!("GET /{path}: unreadable answer")))
    }
}
