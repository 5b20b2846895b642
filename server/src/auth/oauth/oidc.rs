//! OpenID Connect providers (Google, or any issuer): discovery, the authorization request with
//! PKCE S256, state and nonce, and the checks on the ID token (signature against the issuer's
//! keys, `iss`, `aud`, `exp`, `nonce`, and `at_hash` when present), all by `openidconnect`.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AccessToken, AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EmptyAdditionalClaims, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SubjectIdentifier,
};
use secrecy::ExposeSecret;

use super::error::{token_error, OAuthError};
use super::{ProviderIdentity, Started};
use crate::config::oauth::OAuthProvider;

/// How long discovered endpoints and keys are reused before asking the issuer again.
const METADATA_TTL: Duration = Duration::from_secs(10 * 60);

pub struct Oidc {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    scopes: Vec<Scope>,
    redirect_url: RedirectUrl,
    metadata: RwLock<Option<(Instant, CoreProviderMetadata)>>,
}

impl Oidc {
    pub fn new(
        config: &OAuthProvider,
        issuer: &str,
        redirect_url: RedirectUrl,
    ) -> Result<Self, OAuthError> {
        Ok(Oidc {
            issuer: IssuerUrl::new(issuer.to_owned())
                .map_err(|e| OAuthError::Unreachable(e.to_string()))?,
            client_id: ClientId::new(config.client_id.clone()),
            client_secret: config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
            // `openid` is always sent by the client itself.
            scopes: config
                .scopes
                .iter()
                .filter(|s| *s != "openid")
                .map(|s| Scope::new(s.clone()))
                .collect(),
            redirect_url,
            metadata: RwLock::new(None),
        })
    }

    async fn metadata(&self, http: &reqwest::Client) -> Result<CoreProviderMetadata, OAuthError> {
        if let Ok(cached) = self.metadata.read() {
            if let Some((at, metadata)) = cached.as_ref() {
                if at.elapsed() < METADATA_TTL {
                    return Ok(metadata.clone());
                }
            }
        }
        let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), http)
            .await
            .map_err(|e| OAuthError::Unreachable(error_chain(&e)))?;
        if let Ok(mut cache) = self.metadata.write() {
            *cache = Some((Instant::now(), metadata.clone()));
        }
        Ok(metadata)
    }

    /// Forgets the discovered keys, e.g. after a token signed with a key we did not know.
    fn forget_metadata(&self) {
        if let Ok(mut cache) = self.metadata.write() {
            *cache = None;
        }
    }

    pub async fn start(&self, http: &reqwest::Client) -> Result<Started, OAuthError> {
        let metadata = self.metadata(http).await?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(self.redirect_url.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scopes(self.scopes.iter().cloned())
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started {
            url,
            state: state.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            nonce: Some(nonce.secret().clone()),
        })
    }

    pub async fn finish(
        &self,
        http: &reqwest::Client,
        code: String,
        pkce_verifier: String,
        nonce: Option<String>,
    ) -> Result<ProviderIdentity, OAuthError> {
        let nonce = Nonce::new(nonce.ok_or(OAuthError::NoPendingFlow)?);
        let metadata = self.metadata(http).await?;
        // Only the algorithms the issuer announces, and never `none` or a shared-secret MAC.
        let algs: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| {
                !matches!(
                    alg,
                    CoreJwsSigningAlgorithm::None
                        | CoreJwsSigningAlgorithm::HmacSha256
                        | CoreJwsSigningAlgorithm::HmacSha384
                        | CoreJwsSigningAlgorithm::HmacSha512
                )
            })
            .cloned()
            .collect();
        let client = CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(self.redirect_url.clone());
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OAuthError::Unreachable(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
            .request_async(http)
            .await
            .map_err(|e| token_error(&e))?;

        let id_token = response
            .extra_fields()
            .id_token()
            .ok_or_else(|| OAuthError::InvalidIdToken("the provider sent no ID token".into()))?;
        let verifier = client.id_token_verifier().set_allowed_algs(algs);
        let claims = id_token.claims(&verifier, &nonce).map_err(|e| {
            self.forget_metadata();
            OAuthError::InvalidIdToken(error_chain(&e))
        })?;
        if let Some(expected) = claims.access_token_hash() {
            let invalid = |e: &dyn std::error::Error| OAuthError::InvalidIdToken(error_chain(e));
            let alg = id_token.signing_alg().map_err(|e| invalid(&e))?;
            let key = id_token.signing_key(&verifier).map_err(|e| invalid(&e))?;
            let actual = AccessTokenHash::from_token(response.access_token(), alg, key)
                .map_err(|e| invalid(&e))?;
            if actual != *expected {
                return Err(OAuthError::InvalidIdToken("at_hash does not match".into()));
            }
        }
        let mut email = claims
            .email()
            .filter(|_| claims.email_verified() != Some(false))
            .map(|e| e.as_str().trim().to_lowercase());
        if email.is_none() {
            email = self
                .userinfo_email(http, &client, response.access_token(), claims.subject())
                .await;
        }
        Ok(ProviderIdentity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email,
        })
    }

    /// Some providers put the e-mail only in the userinfo answer, not in the ID token. It is
    /// for display, so a failure here is logged and the sign-in goes on without it.
    async fn userinfo_email(
        &self,
        http: &reqwest::Client,
        client: &CoreClient<
            EndpointSet,
            EndpointNotSet,
            EndpointNotSet,
            EndpointNotSet,
            EndpointMaybeSet,
            EndpointMaybeSet,
        >,
        access_token: &AccessToken,
        subject: &SubjectIdentifier,
    ) -> Option<String> {
        let request = client
            .user_info(access_token.clone(), Some(subject.clone()))
            .ok()?;
        match request
            .request_async::<EmptyAdditionalClaims, _, CoreGenderClaim>(http)
            .await
        {
            Ok(info) => info
                .email()
                .filter(|_| info.email_verified() != Some(false))
                .map(|e| e.as_str().trim().to_lowercase()),
            Err(error) => {
                tracing::warn!(error = %error_chain(&error), "userinfo request failed");
                None
            }
        }
    }
}

/// An error and its causes on one line, for the log.
pub(super) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
