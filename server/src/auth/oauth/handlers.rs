//! The three routes the browser navigates through. They answer only with redirects: to the
//! provider, to `next` (a local path) after success, or to the sign-in or account page with
//! `?error=<code>` that the page explains. Every outcome is logged as a security event.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use time::OffsetDateTime;

use super::accounts::{self, SignedIn};
use super::error::OAuthError;
use super::pending::PendingFlow;
use super::redirect::local_path;
use super::Provider;
use crate::auth::AuthSession;
use crate::state::AppState;

/// Where people land after signing in, unless `next` says otherwise.
const HOME: &str = "/datasets";
const SIGN_IN_PAGE: &str = "/signin";
const ACCOUNT_PAGE: &str = "/account";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/{provider}/login", get(login))
        .route("/auth/{provider}/link", get(link))
        .route("/auth/{provider}/callback", get(callback))
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn login(
    Path(name): Path<String>,
    Query(query): Query<LoginQuery>,
    auth: AuthSession,
) -> Response {
    let next = query
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or(HOME)
        .to_owned();
    match start(&auth, &name, next, None).await {
        Ok(to_provider) => to_provider,
        Err(error) => failed(&name, None, "sign_in", &error, SIGN_IN_PAGE),
    }
}

async fn link(Path(name): Path<String>, headers: HeaderMap, auth: AuthSession) -> Response {
    let user_id = auth.user.as_ref().map(|u| u.id.clone());
    let result = match (&user_id, is_cross_site(&headers)) {
        (None, _) => Err(OAuthError::SignInRequired),
        // Starting a link is a GET (the browser must navigate to the provider), so refuse one
        // that another site started: it could try to attach an account of its choosing.
        (Some(_), true) => Err(OAuthError::CrossSite),
        (Some(id), false) => start(&auth, &name, ACCOUNT_PAGE.into(), Some(id.clone())).await,
    };
    result.unwrap_or_else(|error| {
        let page = if user_id.is_some() {
            ACCOUNT_PAGE
        } else {
            SIGN_IN_PAGE
        };
        failed(&name, user_id.as_deref(), "link", &error, page)
    })
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    headers.get("sec-fetch-site") == Some(&HeaderValue::from_static("cross-site"))
}

/// Remembers the flow in the session and sends the browser to the provider.
async fn start(
    auth: &AuthSession,
    name: &str,
    next: String,
    link_user_id: Option<String>,
) -> Result<Response, OAuthError> {
    let providers = auth.backend.oauth();
    let provider = providers.get(name).ok_or(OAuthError::UnknownProvider)?;
    let started = providers.start(provider).await?;
    PendingFlow {
        provider: provider.name.clone(),
        state: started.state,
        pkce_verifier: started.pkce_verifier,
        nonce: started.nonce,
        next,
        link_user_id,
        started_at: OffsetDateTime::now_utc(),
    }
    .store(&auth.session)
    .await?;
    Ok(Redirect::to(started.url.as_str()).into_response())
}

async fn callback(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<CallbackQuery>,
    mut auth: AuthSession,
) -> Response {
    // Taken out before anything is checked: whatever happens next, this state is spent.
    let pending = match PendingFlow::take(&auth.session).await {
        Ok(pending) => pending,
        Err(error) => return failed(&name, None, "sign_in", &error.into(), SIGN_IN_PAGE),
    };
    let linking = pending.as_ref().and_then(|p| p.link_user_id.clone());
    let (action, failure_page) = match linking {
        Some(_) => ("link", ACCOUNT_PAGE),
        None => ("sign_in", SIGN_IN_PAGE),
    };
    match finish(&state, &mut auth, &name, query, pending).await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(error) => failed(&name, linking.as_deref(), action, &error, failure_page),
    }
}

async fn finish(
    state: &AppState,
    auth: &mut AuthSession,
    name: &str,
    query: CallbackQuery,
    pending: Option<PendingFlow>,
) -> Result<String, OAuthError> {
    // A handle of our own: signing in below needs `auth` mutably.
    let backend = auth.backend.clone();
    let providers = backend.oauth();
    let provider = providers.get(name).ok_or(OAuthError::UnknownProvider)?;
    if let Some(error) = query.error {
        return Err(match error.as_str() {
            "access_denied" => OAuthError::Denied,
            _ => OAuthError::ProviderError(error.chars().take(64).collect()),
        });
    }
    let pending = pending
        .filter(|p| p.provider == provider.name)
        .ok_or(OAuthError::NoPendingFlow)?;
    if query.state.as_deref() != Some(pending.state.as_str()) {
        return Err(OAuthError::StateMismatch);
    }
    let code = query.code.ok_or(OAuthError::MissingCode)?;
    let identity = providers
        .finish(provider, code, pending.pkce_verifier, pending.nonce)
        .await?;

    match pending.link_user_id {
        Some(user_id) => {
            // The session must still belong to the user who started the link.
            let user = auth
                .user
                .clone()
                .filter(|u| u.id == user_id)
                .ok_or(OAuthError::SignInRequired)?;
            accounts::link(&state.db, &user, provider, &identity).await?;
            log_success(&user.id, provider, "linked");
            Ok(format!("{ACCOUNT_PAGE}?linked={}", provider.name))
        }
        None => {
            let (user, outcome) = accounts::sign_in(&state.db, auth, provider, &identity).await?;
            let outcome = match outcome {
                SignedIn::Existing => "signed_in",
                SignedIn::Created => "account_created",
            };
            log_success(&user.id, provider, outcome);
            Ok(pending.next)
        }
    }
}

fn log_success(user_id: &str, provider: &Provider, outcome: &str) {
    tracing::info!(
        target: "security",
        user_id,
        provider = %provider.name,
        outcome,
        "provider sign-in"
    );
}

/// Logs the failure and sends the browser to a page that explains it.
fn failed(
    provider: &str,
    user_id: Option<&str>,
    action: &str,
    error: &OAuthError,
    page: &str,
) -> Response {
    // The name comes from the URL: keep only what a provider name may contain.
    let provider: String = provider
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    let user_id = user_id.unwrap_or("-");
    if error.is_internal() {
        tracing::error!(target: "security", user_id, provider, action, outcome = error.code(), %error, "provider sign-in failed");
    } else {
        tracing::warn!(target: "security", user_id, provider, action, outcome = error.code(), %error, "provider sign-in refused");
    }
    Redirect::to(&format!("{page}?error={}", error.code())).into_response()
}
