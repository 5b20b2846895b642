//! Wiring: settings → database → sessions → router → listener. [`Application::build`] does the
//! fallible parts, so tests and `quire serve` start the server the same way.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum_login::AuthManagerLayerBuilder;
use leptos::config::LeptosOptions;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha512};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_sessions::cookie::{Key, SameSite};
use tower_sessions::service::SignedCookie;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::auth::oauth::{Providers, ProvidersError};
use crate::auth::throttle::LoginThrottle;
use crate::auth::Backend;
use crate::config::{Environment, Settings};
use crate::db::sessions::Sessions;
use crate::db::{Db, DbError};
use crate::jobs::{JobEnv, Workers};
use crate::ratelimit::RateLimits;
use crate::state::AppState;
use crate::storage::{LocalStorage, SharedStorage};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot set up session storage: {0}")]
    Sessions(#[source] sqlx::Error),
    #[error("cannot create the data folder {0}: {1}")]
    DataDir(String, #[source] std::io::Error),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("cannot use the storage folder: {0}")]
    Storage(#[source] std::io::Error),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    OAuth(#[from] ProvidersError),
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: Db,
    session_cleanup: JoinHandle<()>,
    rate_limit_cleanup: JoinHandle<()>,
    workers: Option<Workers>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        std::fs::create_dir_all(&settings.data_dir)
            .map_err(|e| StartupError::DataDir(settings.data_dir.display().to_string(), e))?;
        let db = Db::connect(&settings.database_url()).await?;
        let sessions = Sessions::for_db(&db)
            .await
            .map_err(StartupError::Sessions)?;
        let session_cleanup = tokio::spawn(
            sessions
                .clone()
                .continuously_delete_expired(Duration::from_secs(60))
                .map_ok_or_log(),
        );

        let listener = TcpListener::bind(settings.addr)
            .await
            .map_err(|e| StartupError::Bind(settings.addr, e))?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(settings.addr, e))?;

        let storage = storage(&settings)?;
        let jobs = JobEnv::new(&settings, db.clone(), storage.clone());
        let workers = Workers::spawn(jobs.clone(), settings.workers);
        let rate_limits = Arc::new(RateLimits::new(
            settings.rate_limit_per_minute,
            settings.rate_limit_costly_per_minute,
            settings.trusted_proxies()?,
        ));
        let rate_limit_cleanup = tokio::spawn({
            let rate_limits = rate_limits.clone();
            async move {
                let mut every = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every.tick().await;
                    rate_limits.forget_idle();
                }
            }
        });

        let session_layer = session_layer(&settings, sessions);
        let providers = Arc::new(Providers::from_settings(&settings)?);
        let auth_layer =
            AuthManagerLayerBuilder::new(Backend::new(db.clone(), providers), session_layer)
                .build();
        let state = AppState {
            leptos_options: leptos_options(&settings, local_addr),
            db: db.clone(),
            login_throttle: Arc::new(LoginThrottle::new(
                settings.login_failures_per_account,
                settings.login_failures_per_address,
                Duration::from_secs(settings.login_lockout_seconds),
            )),
            settings: Arc::new(settings),
            storage,
            jobs,
            rate_limits,
        };
        let router = crate::http::router(state, auth_layer);
        tracing::info!(database = db.backend_name(), %local_addr, "Quire is ready");
        Ok(Application {
            listener,
            router,
            db,
            session_cleanup,
            rate_limit_cleanup,
            workers,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        self.session_cleanup.abort();
        self.rate_limit_cleanup.abort();
        if let Some(workers) = self.workers {
            workers.shutdown().await;
        }
        self.db.close().await;
        result
    }
}

/// Files under `<data_dir>/files`.
fn storage(settings: &Settings) -> Result<SharedStorage, StartupError> {
    let local =
        LocalStorage::new(settings.data_dir.join("files")).map_err(StartupError::Storage)?;
    Ok(Arc::new(local))
}

/// `quire worker`: runs jobs only, beside web instances that share its database and storage.
pub async fn run_worker(
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    std::fs::create_dir_all(&settings.data_dir)
        .map_err(|e| StartupError::DataDir(settings.data_dir.display().to_string(), e))?;
    let db = Db::connect(&settings.database_url()).await?;
    let jobs = JobEnv::new(&settings, db.clone(), storage(&settings)?);
    let workers = Workers::spawn(jobs, settings.workers.max(1));
    shutdown.await;
    if let Some(workers) = workers {
        workers.shutdown().await;
    }
    db.close().await;
    Ok(())
}

fn session_layer(
    settings: &Settings,
    sessions: Sessions,
) -> SessionManagerLayer<Sessions, SignedCookie> {
    let key = match &settings.cookie_key {
        Some(secret) => Key::from(&Sha512::digest(secret.expose_secret().as_bytes())),
        None => {
            tracing::warn!(
                "QUIRE_COOKIE_KEY is not set: using a random key, so sessions end at restart"
            );
            Key::generate()
        }
    };
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, Path=/.
    let name = if settings.is_https() {
        "__Host-quire_session"
    } else {
        "quire_session"
    };
    SessionManagerLayer::new(sessions)
        .with_name(name)
        .with_secure(settings.is_https())
        .with_http_only(true)
        // Lax, not Strict: the cookie must come along when a provider redirects back after OAuth.
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            settings.session_idle_minutes,
        )))
        .with_signed(key)
}

fn leptos_options(settings: &Settings, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("quire")
        .site_root(settings.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(match settings.env {
            Environment::Development => leptos::config::Env::DEV,
            Environment::Production => leptos::config::Env::PROD,
        })
        .build()
}

/// Logs the end of the expired-session sweeper instead of dropping its error.
trait LogOutcome {
    async fn map_ok_or_log(self);
}

impl<F, E> LogOutcome for F
where
    F: Future<Output = Result<(), E>> + Send,
    E: std::fmt::Display,
{
    async fn map_ok_or_log(self) {
        if let Err(error) = self.await {
            tracing::error!(%error, "expired-session sweeper stopped");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
