//! axum-login's view of our users: how to load one from a session and check a password.

use std::fmt;
use std::sync::Arc;

use app::model::UserView;
use axum_login::{AuthUser, AuthnBackend, UserId};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::oauth::Providers;
use super::password;
use crate::db::{users, Db};

#[derive(Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub created_at: OffsetDateTime,
    session_secret: Vec<u8>,
}

// Never print the session secret.
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl From<users::UserRow> for User {
    fn from(row: users::UserRow) -> Self {
        User {
            id: row.id,
            email: row.email.unwrap_or_default(),
            created_at: row.created_at,
            session_secret: row.session_secret.into_bytes(),
        }
    }
}

impl User {
    pub fn view(&self) -> UserView {
        UserView {
            id: self.id.clone(),
            email: self.email.clone(),
            created_at: rfc3339(self.created_at),
        }
    }
}

pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl AuthUser for User {
    type Id = String;

    fn id(&self) -> String {
        self.id.clone()
    }

    // Sessions stay valid only while this matches the user's current secret.
    fn session_auth_hash(&self) -> &[u8] {
        &self.session_secret
    }
}

/// An email (already normalised) and a password to check.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone)]
pub struct Backend {
    db: Db,
    oauth: Arc<Providers>,
}

impl Backend {
    pub fn new(db: Db, oauth: Arc<Providers>) -> Self {
        Backend { db, oauth }
    }

    /// The configured sign-in providers (possibly none).
    pub fn oauth(&self) -> &Providers {
        &self.oauth
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] password::HashError),
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, BackendError> {
        let row = users::find_password_account(&self.db, &creds.email).await?;
        let stored = row.as_ref().and_then(|r| r.password_hash.clone());
        let ok = password::verify(creds.password, stored).await?;
        Ok(row.filter(|_| ok).map(User::from))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, BackendError> {
        Ok(users::find_by_id(&self.db, id).await?.map(User::from))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;
