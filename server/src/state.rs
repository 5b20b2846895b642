//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::auth::throttle::LoginThrottle;
use crate::config::Settings;
use crate::db::Db;
use crate::jobs::JobEnv;
use crate::ratelimit::RateLimits;
use crate::storage::SharedStorage;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub settings: Arc<Settings>,
    pub login_throttle: Arc<LoginThrottle>,
    pub storage: SharedStorage,
    pub jobs: JobEnv,
    pub rate_limits: Arc<RateLimits>,
}
