//! What a verified provider identity does to accounts: sign in as the user it is linked to (a
//! new user the first time), or join the signed-in user's account. Users are found by
//! (issuer, subject) only: the same e-mail from two providers is two users until their owner
//! links them from the account page.

use app::account::providers::{IdentityView, LinkedAccounts, ProviderView};
use app::error::AppError;
use time::OffsetDateTime;

use super::error::OAuthError;
use super::{Provider, ProviderIdentity, Providers};
use crate::accounts::new_session_secret;
use crate::auth::backend::rfc3339;
use crate::auth::{AuthSession, User};
use crate::db::identities::{self, NewIdentity, Unlinked};
use crate::db::users::{self, NewUser};
use crate::db::{is_unique_violation, Db};

/// Whether the identity was already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedIn {
    Existing,
    Created,
}

/// Signs the session in as the identity's user, creating a provider-only user the first time.
pub async fn sign_in(
    db: &Db,
    auth: &mut AuthSession,
    provider: &Provider,
    identity: &ProviderIdentity,
) -> Result<(User, SignedIn), OAuthError> {
    let (user, outcome) = match find(db, identity).await? {
        Some(user) => (user, SignedIn::Existing),
        None => match create(db, provider, identity).await {
            Ok(user) => (user, SignedIn::Created),
            // Two first sign-ins at once: the other one created the user.
            Err(OAuthError::Database(e)) if is_unique_violation(&e) => {
                let user = find(db, identity).await?.ok_or(OAuthError::Database(e))?;
                (user, SignedIn::Existing)
            }
            Err(e) => return Err(e),
        },
    };
    // axum-login renews the session id only for anonymous sessions; signing in over another
    // account must not keep that session's id either.
    if auth.user.is_some() {
        auth.session.cycle_id().await?;
    }
    auth.login(&user).await?;
    Ok((user, outcome))
}

async fn find(db: &Db, identity: &ProviderIdentity) -> Result<Option<User>, OAuthError> {
    Ok(
        identities::find_user(db, &identity.issuer, &identity.subject)
            .await?
            .map(User::from),
    )
}

async fn create(
    db: &Db,
    provider: &Provider,
    identity: &ProviderIdentity,
) -> Result<User, OAuthError> {
    let now = OffsetDateTime::now_utc();
    let user_id = uuid::Uuid::now_v7().to_string();
    let identity_id = uuid::Uuid::now_v7().to_string();
    let session_secret = new_session_secret();
    let user = NewUser {
        id: &user_id,
        email: identity.email.as_deref(),
        password_hash: None,
        session_secret: &session_secret,
        created_at: now,
    };
    identities::insert_with_user(
        db,
        &user,
        &new_identity(&identity_id, &user_id, provider, identity, now),
    )
    .await?;
    users::find_by_id(db, &user_id)
        .await?
        .map(User::from)
        .ok_or(OAuthError::Database(sqlx::Error::RowNotFound))
}

/// Links the identity to `user`. Linking one already linked to them is not an error.
pub async fn link(
    db: &Db,
    user: &User,
    provider: &Provider,
    identity: &ProviderIdentity,
) -> Result<(), OAuthError> {
    if let Some(owner) = find(db, identity).await? {
        return if owner.id == user.id {
            Ok(())
        } else {
            Err(OAuthError::LinkedElsewhere)
        };
    }
    let id = uuid::Uuid::now_v7().to_string();
    let row = new_identity(&id, &user.id, provider, identity, OffsetDateTime::now_utc());
    identities::insert(db, &row).await.map_err(|e| {
        if is_unique_violation(&e) {
            OAuthError::LinkedElsewhere
        } else {
            OAuthError::Database(e)
        }
    })
}

fn new_identity<'a>(
    id: &'a str,
    user_id: &'a str,
    provider: &'a Provider,
    identity: &'a ProviderIdentity,
    created_at: OffsetDateTime,
) -> NewIdentity<'a> {
    NewIdentity {
        id,
        user_id,
        provider: &provider.name,
        issuer: &identity.issuer,
        subject: &identity.subject,
        email: identity.email.as_deref(),
        created_at,
    }
}

/// Unlinks one of the user's identities, unless it is their last way to sign in.
pub async fn unlink(db: &Db, user: &User, id: &str) -> crate::error::Result<()> {
    let outcome = identities::delete_for_user(db, &user.id, id).await?;
    // The id is logged only once it is known to be one of ours (it comes from the request).
    let (provider, identity_id, result) = match &outcome {
        Unlinked::Done { provider } => (provider.as_str(), id, "unlinked"),
        Unlinked::NotFound => ("-", "-", "not_found"),
        Unlinked::LastWayIn => ("-", id, "refused_last_way_in"),
    };
    tracing::info!(
        target: "security",
        user_id = %user.id,
        provider,
        identity_id,
        outcome = result,
        "provider unlink"
    );
    match outcome {
        Unlinked::Done { .. } => Ok(()),
        Unlinked::NotFound => Err(AppError::NotFound.into()),
        Unlinked::LastWayIn => Err(AppError::Conflict(
            "this is the only way to sign in to this account: link another provider first".into(),
        )
        .into()),
    }
}

/// The configured providers, for buttons.
pub fn provider_views(providers: &Providers) -> Vec<ProviderView> {
    providers
        .all()
        .iter()
        .map(|p| ProviderView {
            name: p.name.clone(),
            display_name: p.display_name.clone(),
        })
        .collect()
}

/// How `user` signs in: password or not, and their linked provider accounts.
pub async fn linked_accounts(
    db: &Db,
    providers: &Providers,
    user: &User,
) -> crate::error::Result<LinkedAccounts> {
    let has_password = users::find_by_id(db, &user.id)
        .await?
        .is_some_and(|row| row.password_hash.is_some());
    let identities = identities::list_for_user(db, &user.id)
        .await?
        .into_iter()
        .map(|row| IdentityView {
            provider_display_name: providers
                .get(&row.provider)
                .map(|p| p.display_name.clone())
                .unwrap_or_else(|| row.provider.clone()),
            id: row.id,
            provider: row.provider,
            email: row.email,
            created_at: rfc3339(row.created_at),
        })
        .collect();
    Ok(LinkedAccounts {
        has_password,
        identities,
        providers: provider_views(providers),
    })
}
