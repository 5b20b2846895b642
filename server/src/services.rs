//! The server's side of the pages' server functions: each method reads the request from the
//! Leptos context and calls the same domain functions as the JSON API.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use app::account::providers::{LinkedAccounts, ProviderView};
use app::error::AppError;
use app::model::{CreatedToken, TokenView, UserView};
use app::services::Services;
use axum::extract::ConnectInfo;

use crate::auth::oauth::accounts as oauth_accounts;
use crate::auth::{AuthSession, User};
use crate::state::AppState;
use crate::{accounts, tokens};

pub struct ServerServices {
    state: AppState,
}

impl ServerServices {
    pub fn new(state: AppState) -> Self {
        ServerServices { state }
    }
}

async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|e| {
        tracing::error!(error = %e, "no auth session in a server function");
        AppError::Internal
    })
}

async fn signed_in_user() -> Result<User, AppError> {
    auth_session().await?.user.ok_or(AppError::Unauthorized)
}

async fn client_address() -> IpAddr {
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[async_trait::async_trait]
impl Services for ServerServices {
    async fn sign_up(&self, email: String, password: String) -> Result<UserView, AppError> {
        let mut auth = auth_session().await?;
        let user = accounts::sign_up(&self.state, &mut auth, &email, &password).await?;
        Ok(user.view())
    }

    async fn sign_in(&self, email: String, password: String) -> Result<UserView, AppError> {
        let mut auth = auth_session().await?;
        let client = client_address().await;
        let user = accounts::sign_in(&self.state, &mut auth, client, &email, &password).await?;
        Ok(user.view())
    }

    async fn sign_out(&self) -> Result<(), AppError> {
        let mut auth = auth_session().await?;
        Ok(accounts::sign_out(&mut auth).await?)
    }

    async fn current_user(&self) -> Result<Option<UserView>, AppError> {
        Ok(auth_session().await?.user.map(|u| u.view()))
    }

    async fn list_tokens(&self) -> Result<Vec<TokenView>, AppError> {
        let user = signed_in_user().await?;
        Ok(tokens::list(&self.state.db, &user).await?)
    }

    async fn create_token(&self, name: String) -> Result<CreatedToken, AppError> {
        let user = signed_in_user().await?;
        Ok(tokens::create(&self.state.db, &user, &name).await?)
    }

    async fn revoke_token(&self, id: String) -> Result<(), AppError> {
        let user = signed_in_user().await?;
        Ok(tokens::revoke(&self.state.db, &user, &id).await?)
    }

    async fn sign_in_providers(&self) -> Result<Vec<ProviderView>, AppError> {
        Ok(oauth_accounts::provider_views(
            auth_session().await?.backend.oauth(),
        ))
    }

    async fn linked_accounts(&self) -> Result<LinkedAccounts, AppError> {
        let auth = auth_session().await?;
        let user = auth.user.as_ref().ok_or(AppError::Unauthorized)?;
        Ok(oauth_accounts::linked_accounts(&self.state.db, auth.backend.oauth(), user).await?)
    }

    async fn unlink_identity(&self, id: String) -> Result<(), AppError> {
        let user = signed_in_user().await?;
        Ok(oauth_accounts::unlink(&self.state.db, &user, &id).await?)
    }
}
