//! Typed settings: defaults < optional `quire.toml` (or the file named by `QUIRE_CONFIG`) <
//! `QUIRE_*` environment variables. `.env.example` documents every variable. Sign-in providers
//! are the `oauth` table, see [`oauth`].

pub mod oauth;

use std::collections::BTreeMap;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use oauth::{OAuthConfigError, OAuthProvider, ProviderSettings};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub env: Environment,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Where the SQLite database and uploaded files live by default.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/quire.db`.
    pub database_url: String,
    /// The address people use to reach Quire; decides Secure cookies and HSTS.
    pub public_url: String,
    /// Signs session cookies. At least 32 characters; required in production.
    pub cookie_key: Option<SecretString>,
    /// Session lifetime without activity, in minutes.
    pub session_idle_minutes: i64,
    /// A tracing filter, e.g. `info` or `quire=debug,tower_http=info`.
    pub log: String,
    pub log_format: LogFormat,
    /// Where the built front end (`pkg/`, favicon) is served from.
    pub site_root: PathBuf,
    /// Failed sign-ins allowed per account before it is throttled.
    pub login_failures_per_account: u32,
    /// Failed sign-ins allowed per client address before it is throttled.
    pub login_failures_per_address: u32,
    /// How long a throttled account or address waits, in seconds.
    pub login_lockout_seconds: u64,
    /// Largest accepted upload, in MiB (answered with 413 beyond it).
    pub max_upload_mb: u64,
    /// Jobs run at once by this process; 0 runs none (web-only instances).
    pub workers: usize,
    /// A job running longer than this fails.
    pub job_timeout_seconds: u64,
    /// A running job's lease; a job whose worker stops renewing it runs again elsewhere.
    pub job_lease_seconds: u64,
    /// API requests per minute per client (token or address); browser sessions are exempt.
    pub rate_limit_per_minute: u32,
    /// Requests per minute per client to costly endpoints (one-call processing, new reports).
    pub rate_limit_costly_per_minute: u32,
    /// Comma-separated proxy addresses whose `X-Forwarded-For` is believed.
    pub trusted_proxies: String,
    /// Sign-in providers as configured, by name; checked into [`Settings::oauth_providers`].
    #[serde(default)]
    pub oauth: BTreeMap<String, ProviderSettings>,
    #[serde(skip)]
    oauth_providers: Vec<OAuthProvider>,
}

/// Defaults, as a serializable mirror of [`Settings`] (secrets have no default).
#[derive(Serialize)]
struct Defaults {
    env: Environment,
    addr: String,
    data_dir: String,
    database_url: String,
    public_url: String,
    session_idle_minutes: i64,
    log: String,
    log_format: LogFormat,
    site_root: String,
    login_failures_per_account: u32,
    login_failures_per_address: u32,
    login_lockout_seconds: u64,
    max_upload_mb: u64,
    workers: usize,
    job_timeout_seconds: u64,
    job_lease_seconds: u64,
    rate_limit_per_minute: u32,
    rate_limit_costly_per_minute: u32,
    trusted_proxies: String,
}

impl Default for Defaults {
    fn default() -> Self {
        Defaults {
            env: Environment::Development,
            addr: "127.0.0.1:3000".into(),
            data_dir: "data".into(),
            database_url: String::new(),
            public_url: "http://127.0.0.1:3000".into(),
            session_idle_minutes: 7 * 24 * 60,
            log: "info".into(),
            log_format: LogFormat::Pretty,
            site_root: "target/site".into(),
            login_failures_per_account: 5,
            login_failures_per_address: 50,
            login_lockout_seconds: 60,
            max_upload_mb: 1024,
            workers: 2,
            job_timeout_seconds: 15 * 60,
            job_lease_seconds: 30,
            rate_limit_per_minute: 20,
            rate_limit_costly_per_minute: 5,
            trusted_proxies: String::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error("QUIRE_COOKIE_KEY must be set to a secret of at least 32 characters in production")]
    MissingCookieKey,
    #[error("QUIRE_COOKIE_KEY must be at least 32 characters")]
    WeakCookieKey,
    #[error("QUIRE_PUBLIC_URL must start with http:// or https://")]
    BadPublicUrl,
    #[error("QUIRE_TRUSTED_PROXIES must list IP addresses separated by commas: {0:?}")]
    BadTrustedProxy(String),
    #[error(
        "QUIRE_RATE_LIMIT_PER_MINUTE and QUIRE_RATE_LIMIT_COSTLY_PER_MINUTE must be at least 1"
    )]
    ZeroRateLimit,
    #[error(transparent)]
    OAuth(#[from] OAuthConfigError),
}

/// Cookie keys people copy from documentation; refused in production.
const KNOWN_DEFAULT_KEYS: &[&str] = &["change-me-to-a-long-random-secret-of-64-characters-or-more"];

impl Settings {
    /// Reads defaults, then the config file if present, then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var("QUIRE_CONFIG").unwrap_or_else(|_| "quire.toml".into());
        let oauth_env = oauth::from_env(std::env::vars())?;
        Self::from_figment(
            Self::defaults()
                .merge(Toml::file(file))
                .merge(
                    Env::prefixed("QUIRE_")
                        .ignore(&["config"])
                        .filter(|key| !key.as_str().starts_with("oauth_")),
                )
                .merge(Serialized::default("oauth", oauth_env)),
        )
    }

    /// The built-in defaults alone, for callers (tests) that layer their own values on top.
    pub fn defaults() -> Figment {
        Figment::from(Serialized::defaults(Defaults::default()))
    }

    pub fn from_figment(figment: Figment) -> Result<Self, ConfigError> {
        let mut settings: Settings = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        settings.oauth_providers = settings
            .oauth
            .iter()
            .map(|(name, provider)| provider.resolve(name))
            .collect::<Result<_, _>>()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::BadPublicUrl);
        }
        self.trusted_proxies()?;
        if self.rate_limit_per_minute == 0 || self.rate_limit_costly_per_minute == 0 {
            return Err(ConfigError::ZeroRateLimit);
        }
        match &self.cookie_key {
            Some(key) if key.expose_secret().chars().count() < 32 => {
                Err(ConfigError::WeakCookieKey)
            }
            Some(key)
                if self.env == Environment::Production
                    && KNOWN_DEFAULT_KEYS.contains(&key.expose_secret()) =>
            {
                Err(ConfigError::MissingCookieKey)
            }
            None if self.env == Environment::Production => Err(ConfigError::MissingCookieKey),
            _ => Ok(()),
        }
    }

    /// The proxies whose `X-Forwarded-For` header names the real client.
    pub fn trusted_proxies(&self) -> Result<Vec<IpAddr>, ConfigError> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>()
                    .map_err(|_| ConfigError::BadTrustedProxy(s.to_owned()))
            })
            .collect()
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_mb.saturating_mul(1024 * 1024)
    }

    /// The sign-in providers, checked, in name order.
    pub fn oauth_providers(&self) -> &[OAuthProvider] {
        &self.oauth_providers
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The database URL, defaulting to a SQLite file in the data folder.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("quire.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut figment = Settings::defaults();
        for (key, value) in pairs {
            figment = figment.merge((*key, *value));
        }
        Settings::from_figment(figment)
    }

    #[test]
    fn development_runs_without_a_cookie_key() {
        let s = settings(&[]).expect("defaults are valid");
        assert_eq!(s.addr.to_string(), "127.0.0.1:3000");
        assert!(s.database_url().starts_with("sqlite://data/quire.db"));
    }

    #[test]
    fn production_refuses_to_start_without_a_cookie_key() {
        let err = settings(&[("env", "production")]).unwrap_err();
        assert!(matches!(err, ConfigError::MissingCookieKey));
    }

    #[test]
    fn production_refuses_the_documented_example_key() {
        let err =
            settings(&[("env", "production"), ("cookie_key", KNOWN_DEFAULT_KEYS[0])]).unwrap_err();
        assert!(matches!(err, ConfigError::MissingCookieKey));
    }

    #[test]
    fn short_cookie_keys_are_refused() {
        let err = settings(&[("cookie_key", "short")]).unwrap_err();
        assert!(matches!(err, ConfigError::WeakCookieKey));
    }

    #[test]
    fn trusted_proxies_must_be_addresses() {
        let s = settings(&[("trusted_proxies", "10.0.0.1, ::1")]).expect("valid");
        assert_eq!(s.trusted_proxies().unwrap().len(), 2);
        let err = settings(&[("trusted_proxies", "proxy.local")]).unwrap_err();
        assert!(matches!(err, ConfigError::BadTrustedProxy(_)));
    }

    #[test]
    fn oauth_providers_come_from_the_oauth_table_and_are_checked() {
        let figment = Settings::defaults().merge(Toml::string(
            "[oauth.github]\nclient_id = \"abc\"\n[oauth.corp]\nclient_id = \"x\"\n\
             issuer = \"https://id.corp.example\"\ndisplay_name = \"Corp SSO\"\n",
        ));
        let s = Settings::from_figment(figment).expect("valid");
        let names: Vec<_> = s
            .oauth_providers()
            .iter()
            .map(|p| (p.name.as_str(), p.display_name.as_str()))
            .collect();
        assert_eq!(names, [("corp", "Corp SSO"), ("github", "GitHub")]);

        let insecure = Settings::defaults().merge(Toml::string(
            "[oauth.corp]\nclient_id = \"x\"\nissuer = \"http://id.corp.example\"\n",
        ));
        assert!(matches!(
            Settings::from_figment(insecure).unwrap_err(),
            ConfigError::OAuth(_)
        ));
    }

    #[test]
    fn no_oauth_table_means_no_providers() {
        assert!(settings(&[]).unwrap().oauth_providers().is_empty());
    }

    #[test]
    fn https_public_url_turns_on_secure_cookies() {
        let s = settings(&[("public_url", "https://quire.example")]).expect("valid");
        assert!(s.is_https());
    }
}
