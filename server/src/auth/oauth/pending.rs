//! The sign-in a session has started and not finished, kept server-side in the session under one
//! key and removed when the callback arrives, whatever the outcome, so each state is used once.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

const KEY: &str = "oauth.pending";

/// A flow older than this is refused at the callback.
const MAX_AGE: time::Duration = time::Duration::minutes(10);

#[derive(Serialize, Deserialize)]
pub struct PendingFlow {
    pub provider: String,
    pub state: String,
    pub pkce_verifier: String,
    pub nonce: Option<String>,
    /// A local path, checked before it was stored.
    pub next: String,
    /// Set when a signed-in user links an identity rather than signing in.
    pub link_user_id: Option<String>,
    #[serde(with = "time::serde::timestamp")]
    pub started_at: OffsetDateTime,
}

impl PendingFlow {
    pub async fn store(self, session: &Session) -> Result<(), tower_sessions::session::Error> {
        session.insert(KEY, self).await
    }

    /// Takes the pending flow out of the session; `None` if there is none or it is too old.
    pub async fn take(session: &Session) -> Result<Option<Self>, tower_sessions::session::Error> {
        let flow: Option<Self> = session.remove(KEY).await?;
        Ok(flow.filter(|f| OffsetDateTime::now_utc() - f.started_at < MAX_AGE))
    }
}
