//! A real OAuth 2.0 / OpenID Connect provider for the tests: `end2end/oidc/mock-provider.mjs`
//! (npm oauth2-mock-server) in a node process of its own, steered over HTTP to misbehave.
//!
//! Without node or the npm package the tests that need it are skipped with a notice; with
//! `QUIRE_TEST_OIDC=require` (as `make test` sets) they fail instead.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};

use reqwest::header::LOCATION;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::TestApp;

pub struct MockProvider {
    pub issuer: String,
    child: Child,
    /// Held open: the provider exits when it closes.
    _stdin: Option<ChildStdin>,
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate is in the workspace")
        .to_path_buf()
}

fn skip_or_fail(why: String) -> Option<MockProvider> {
    if std::env::var("QUIRE_TEST_OIDC").as_deref() == Ok("require") {
        panic!("the OpenID provider for tests is required but {why}");
    }
    eprintln!("SKIPPED: {why} (run `cd end2end && npm ci`)");
    None
}

impl MockProvider {
    /// Starts a provider on 127.0.0.1 with a free port, or `None` (after saying why).
    pub fn start() -> Option<MockProvider> {
        let root = workspace_root();
        let package = root.join("end2end/node_modules/oauth2-mock-server/package.json");
        if !package.exists() {
            return skip_or_fail(format!("{} is missing", package.display()));
        }
        let mut child = match Command::new("node")
            .arg("end2end/oidc/mock-provider.mjs")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
        {
            Ok(child) => child,
            Err(error) => return skip_or_fail(format!("node cannot be started: {error}")),
        };
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the provider prints its issuer");
        let started: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the provider's first line is not JSON ({e}): {line:?}"));
        let issuer = started["issuer"].as_str().expect("issuer").to_string();
        Some(MockProvider {
            issuer,
            _stdin: child.stdin.take(),
            child,
        })
    }

    /// Changes how the provider behaves from the next request on (see the script's header).
    pub async fn set(&self, behaviour: Value) {
        let response = Client::new()
            .put(format!("{}/_control", self.issuer))
            .json(&behaviour)
            .send()
            .await
            .expect("control request");
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// What the provider last saw: the authorize query, whether a code_verifier came.
    pub async fn seen(&self) -> Value {
        Client::new()
            .get(format!("{}/_control", self.issuer))
            .send()
            .await
            .expect("control request")
            .json()
            .await
            .expect("JSON")
    }

    /// The `[oauth.<name>]` override for `spawn_app_with` pointing at this provider.
    pub fn oidc_settings(&self) -> String {
        format!(
            "{{ issuer = \"{}\", client_id = \"quire-test\", client_secret = \"test-secret\", \
             allow_http = true, display_name = \"Test ID\" }}",
            self.issuer
        )
    }

    /// The same provider played as GitHub: its authorize and token endpoints, and the user API.
    pub fn github_settings(&self) -> String {
        format!(
            "{{ kind = \"github\", client_id = \"quire-test\", client_secret = \"test-secret\", \
             allow_http = true, auth_url = \"{0}/authorize\", token_url = \"{0}/token\", \
             api_url = \"{0}/github\" }}",
            self.issuer
        )
    }
}

/// The Location header of a redirect, as a string.
pub fn location(response: &reqwest::Response) -> String {
    assert!(
        response.status().is_redirection(),
        "expected a redirect, got {}",
        response.status()
    );
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_string()
}

/// A sign-in started at Quire and approved by the provider, stopped just before the browser
/// would return to Quire's callback.
pub struct Approved {
    /// The callback path and query the provider sent the browser to.
    pub callback: String,
    pub code: String,
    pub state: String,
    /// The provider's authorize URL Quire redirected to.
    pub authorize_url: String,
}

impl Approved {
    /// The callback with another state or code.
    pub fn callback_with(&self, code: &str, state: &str) -> String {
        let path = self.callback.split('?').next().unwrap_or_default();
        format!("{path}?code={code}&state={state}")
    }
}

/// Starts `/auth/<provider>/<action>` in `client`'s session and lets the provider approve.
pub async fn approve(app: &TestApp, client: &Client, start: &str) -> Approved {
    let response = client.get(app.url(start)).send().await.expect("request");
    let authorize_url = location(&response);
    let response = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(&authorize_url)
        .send()
        .await
        .expect("authorize");
    let back = url::Url::parse(&location(&response)).expect("callback URL");
    let param = |name: &str| {
        back.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Approved {
        callback: format!("{}?{}", back.path(), back.query().unwrap_or_default()),
        code: param("code"),
        state: param("state"),
        authorize_url,
    }
}

/// The whole sign-in in `client`'s session; returns where Quire sent the browser at the end.
pub async fn sign_in_with(app: &TestApp, client: &Client, start: &str) -> String {
    let approved = approve(app, client, start).await;
    let response = client
        .get(app.url(&approved.callback))
        .send()
        .await
        .expect("callback");
    location(&response)
}

/// The signed-in user of `client` as `/api/v1/me` shows them, or `None` on 401.
pub async fn me(app: &TestApp, client: &Client) -> Option<Value> {
    let response = client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("request");
    match response.status() {
        StatusCode::UNAUTHORIZED => None,
        StatusCode::OK => Some(response.json::<Value>().await.expect("JSON")["data"].clone()),
        other => panic!("unexpected status {other} from /api/v1/me"),
    }
}

/// Calls a page's server function the way its form does.
pub async fn server_fn(
    app: &TestApp,
    client: &Client,
    name: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = client
        .post(app.url(&format!("/rpc/{name}")))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(json!(null));
    (status, body)
}
