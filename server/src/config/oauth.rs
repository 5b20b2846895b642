//! Sign-in providers from configuration: `[oauth.<name>]` tables in `quire.toml`, or
//! `QUIRE_OAUTH_<NAME>_<FIELD>` environment variables (which win). A provider named `github` or
//! `google` gets that preset unless `kind` says otherwise; any other name is a generic OpenID
//! Connect provider found by its issuer URL.
//!
//! Providers must be reached over https. A plain `http://` issuer or endpoint (a provider on
//! the same machine, a test provider) is accepted only with `allow_http = true`.

use std::collections::BTreeMap;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

/// One `[oauth.<name>]` table as written; [`ProviderSettings::resolve`] checks it.
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderSettings {
    /// `oidc`, `github` or `google`; defaults from the name (`github`, `google`) or `oidc`.
    pub kind: Option<ProviderKind>,
    /// The OpenID issuer (discovery at `<issuer>/.well-known/openid-configuration`).
    pub issuer: Option<String>,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    /// Space- or comma-separated; the preset's scopes when absent.
    pub scopes: Option<String>,
    /// The button reads "Sign in with <display_name>".
    pub display_name: Option<String>,
    #[serde(default)]
    pub allow_http: bool,
    /// GitHub only: overrides of its endpoints (GitHub Enterprise, tests).
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
    pub api_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Oidc,
    Github,
    Google,
}

/// A provider whose settings passed every check.
#[derive(Debug, Clone)]
pub struct OAuthProvider {
    /// Lower-case; appears in `/auth/<name>/login` and `/auth/<name>/callback`.
    pub name: String,
    pub display_name: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub scopes: Vec<String>,
    pub protocol: Protocol,
}

#[derive(Debug, Clone)]
pub enum Protocol {
    /// OpenID Connect: endpoints and keys come from discovery. The issuer is kept exactly as
    /// configured: it must equal the provider's `iss`, trailing slash and all.
    Oidc { issuer: String },
    /// GitHub: OAuth 2.0 plus its REST API for the user's id and e-mail.
    Github(Box<GithubEndpoints>),
}

#[derive(Debug, Clone)]
pub struct GithubEndpoints {
    /// Recorded with each identity; GitHub has no OpenID issuer of its own.
    pub issuer: String,
    pub auth_url: Url,
    pub token_url: Url,
    pub api_url: Url,
}

impl Protocol {
    /// The issuer identities from this provider are recorded under.
    pub fn issuer(&self) -> &str {
        match self {
            Protocol::Oidc { issuer } => issuer,
            Protocol::Github(github) => &github.issuer,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OAuthConfigError {
    #[error("oauth provider name {0:?}: use lower-case letters, digits, '-' or '_'")]
    BadName(String),
    #[error("oauth provider {0}: client_id is required")]
    MissingClientId(String),
    #[error("oauth provider {0}: issuer is required for an OpenID Connect provider")]
    MissingIssuer(String),
    #[error("oauth provider {name}: {field} is not a valid URL")]
    BadUrl { name: String, field: &'static str },
    #[error(
        "oauth provider {name}: {field} must use https (set allow_http = true only for a \
         provider on this machine or in tests)"
    )]
    InsecureUrl { name: String, field: &'static str },
    #[error("{0}: expected true or false")]
    BadBool(String),
    #[error("{0}: unknown provider setting")]
    UnknownField(String),
}

const GITHUB_ISSUER: &str = "https://github.com";
const GITHUB_AUTH_URL: &str = "https://github.com/login/oauth/authorize";
const GITHUB_TOKEN_URL: &str = "https://github.com/login/oauth/access_token";
const GITHUB_API_URL: &str = "https://api.github.com";
const GOOGLE_ISSUER: &str = "https://accounts.google.com";
const OIDC_SCOPES: &str = "openid email profile";
const GITHUB_SCOPES: &str = "read:user user:email";

impl ProviderSettings {
    pub fn resolve(&self, name: &str) -> Result<OAuthProvider, OAuthConfigError> {
        let name = valid_name(name)?;
        if self.client_id.trim().is_empty() {
            return Err(OAuthConfigError::MissingClientId(name));
        }
        let kind = self.kind.unwrap_or(match name.as_str() {
            "github" => ProviderKind::Github,
            "google" => ProviderKind::Google,
            _ => ProviderKind::Oidc,
        });
        let url = |field: &'static str, value: Option<&str>, default: &str| {
            self.checked_url(&name, field, value.unwrap_or(default))
        };
        let (protocol, default_scopes, default_display) = match kind {
            ProviderKind::Oidc => {
                let issuer = self
                    .issuer
                    .as_deref()
                    .ok_or_else(|| OAuthConfigError::MissingIssuer(name.clone()))?;
                url("issuer", Some(issuer), "")?;
                let issuer = issuer.trim().to_owned();
                (Protocol::Oidc { issuer }, OIDC_SCOPES, title_case(&name))
            }
            ProviderKind::Google => {
                let issuer = self.issuer.as_deref().unwrap_or(GOOGLE_ISSUER);
                url("issuer", Some(issuer), "")?;
                let issuer = issuer.trim().to_owned();
                (Protocol::Oidc { issuer }, OIDC_SCOPES, "Google".to_owned())
            }
            ProviderKind::Github => {
                let issuer = self.issuer.as_deref().unwrap_or(GITHUB_ISSUER);
                url("issuer", Some(issuer), "")?;
                let protocol = Protocol::Github(Box::new(GithubEndpoints {
                    issuer: issuer.trim().to_owned(),
                    auth_url: url("auth_url", self.auth_url.as_deref(), GITHUB_AUTH_URL)?,
                    token_url: url("token_url", self.token_url.as_deref(), GITHUB_TOKEN_URL)?,
                    api_url: url("api_url", self.api_url.as_deref(), GITHUB_API_URL)?,
                }));
                (protocol, GITHUB_SCOPES, "GitHub".to_owned())
            }
        };
        let scopes = self.scopes.as_deref().unwrap_or(default_scopes);
        Ok(OAuthProvider {
            display_name: self
                .display_name
                .clone()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or(default_display),
            client_id: self.client_id.trim().to_owned(),
            client_secret: self.client_secret.clone(),
            scopes: scopes
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            protocol,
            name,
        })
    }

    fn checked_url(
        &self,
        name: &str,
        field: &'static str,
        value: &str,
    ) -> Result<Url, OAuthConfigError> {
        let url = Url::parse(value.trim()).map_err(|_| OAuthConfigError::BadUrl {
            name: name.to_owned(),
            field,
        })?;
        match url.scheme() {
            "https" => Ok(url),
            "http" if self.allow_http => Ok(url),
            "http" => Err(OAuthConfigError::InsecureUrl {
                name: name.to_owned(),
                field,
            }),
            _ => Err(OAuthConfigError::BadUrl {
                name: name.to_owned(),
                field,
            }),
        }
    }
}

fn valid_name(name: &str) -> Result<String, OAuthConfigError> {
    let name = name.to_lowercase();
    let ok = name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(OAuthConfigError::BadName(name))
    }
}

fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Fields a `QUIRE_OAUTH_<NAME>_<FIELD>` variable may set. Longest first, so that the field is
/// matched from the end and the name may itself contain underscores.
const ENV_FIELDS: &[&str] = &[
    "client_secret",
    "display_name",
    "allow_http",
    "client_id",
    "token_url",
    "auth_url",
    "api_url",
    "issuer",
    "scopes",
    "kind",
];

const ENV_PREFIX: &str = "QUIRE_OAUTH_";

/// The `oauth` table built from `QUIRE_OAUTH_*` variables, ready to merge over the file's.
/// figment's own `Env` would split `CLIENT_ID` into two keys and turn numeric ids into numbers.
pub fn from_env(
    vars: impl IntoIterator<Item = (String, String)>,
) -> Result<BTreeMap<String, BTreeMap<String, serde_json::Value>>, OAuthConfigError> {
    let mut providers: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
    for (key, value) in vars {
        let Some(rest) = key.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let rest = rest.to_lowercase();
        let Some((name, field)) = ENV_FIELDS.iter().find_map(|field| {
            rest.strip_suffix(field)
                .and_then(|name| name.strip_suffix('_'))
                .filter(|name| !name.is_empty())
                .map(|name| (name, *field))
        }) else {
            return Err(OAuthConfigError::UnknownField(key));
        };
        let value = if field == "allow_http" {
            serde_json::Value::Bool(parse_bool(&value).ok_or(OAuthConfigError::BadBool(key))?)
        } else {
            serde_json::Value::String(value)
        };
        providers
            .entry(valid_name(name)?)
            .or_default()
            .insert(field.to_owned(), value);
    }
    Ok(providers)
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(client_id: &str) -> ProviderSettings {
        ProviderSettings {
            kind: None,
            issuer: None,
            client_id: client_id.into(),
            client_secret: None,
            scopes: None,
            display_name: None,
            allow_http: false,
            auth_url: None,
            token_url: None,
            api_url: None,
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn env_variables_become_one_table_per_provider() {
        let table = from_env(env(&[
            ("QUIRE_OAUTH_GITHUB_CLIENT_ID", "12345"),
            ("QUIRE_OAUTH_GITHUB_CLIENT_SECRET", "s3cret"),
            ("QUIRE_OAUTH_MY_IDP_ISSUER", "http://127.0.0.1:9400"),
            ("QUIRE_OAUTH_MY_IDP_ALLOW_HTTP", "true"),
            ("QUIRE_LOG", "info"),
        ]))
        .unwrap();
        assert_eq!(table.len(), 2);
        // Numeric ids stay strings.
        assert_eq!(table["github"]["client_id"], serde_json::json!("12345"));
        assert_eq!(
            table["my_idp"]["issuer"],
            serde_json::json!("http://127.0.0.1:9400")
        );
        assert_eq!(table["my_idp"]["allow_http"], serde_json::json!(true));
    }

    #[test]
    fn misspelt_env_variables_are_reported_not_ignored() {
        let err = from_env(env(&[("QUIRE_OAUTH_GITHUB_CLIENTID", "x")])).unwrap_err();
        assert!(matches!(err, OAuthConfigError::UnknownField(_)));
        let err = from_env(env(&[("QUIRE_OAUTH_X_ALLOW_HTTP", "maybe")])).unwrap_err();
        assert!(matches!(err, OAuthConfigError::BadBool(_)));
    }

    #[test]
    fn github_and_google_names_get_their_presets() {
        let github = settings("id").resolve("github").unwrap();
        assert_eq!(github.display_name, "GitHub");
        assert_eq!(github.protocol.issuer(), "https://github.com");
        assert_eq!(github.scopes, ["read:user", "user:email"]);

        let google = settings("id").resolve("Google").unwrap();
        assert_eq!(google.name, "google");
        assert_eq!(google.protocol.issuer(), "https://accounts.google.com");
        assert_eq!(google.scopes, ["openid", "email", "profile"]);
    }

    #[test]
    fn a_generic_provider_needs_an_issuer_and_https() {
        let mut s = settings("id");
        assert_eq!(
            s.resolve("corp").unwrap_err(),
            OAuthConfigError::MissingIssuer("corp".into())
        );
        s.issuer = Some("http://127.0.0.1:9400".into());
        assert!(matches!(
            s.resolve("corp").unwrap_err(),
            OAuthConfigError::InsecureUrl { .. }
        ));
        s.allow_http = true;
        let corp = s.resolve("corp").unwrap();
        assert_eq!(corp.display_name, "Corp");
        assert_eq!(corp.protocol.issuer(), "http://127.0.0.1:9400");
    }

    #[test]
    fn names_that_do_not_fit_in_a_path_are_refused() {
        for bad in ["", "-x", "a/b", "a b", "é"] {
            assert!(settings("id").resolve(bad).is_err(), "{bad:?}");
        }
        assert!(settings("").resolve("corp").is_err());
    }

    #[test]
    fn scopes_may_be_separated_by_spaces_or_commas() {
        let mut s = settings("id");
        s.scopes = Some("openid, email  groups".into());
        assert_eq!(
            s.resolve("google").unwrap().scopes,
            ["openid", "email", "groups"]
        );
    }
}
