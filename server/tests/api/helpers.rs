use std::sync::LazyLock;

use figment::providers::Format;
use reqwest::header::{HeaderMap, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::config::Settings;
use server::startup::Application;
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres { url: String },
}

static POSTGRES_ADMIN_URL: LazyLock<String> = LazyLock::new(|| {
    std::env::var("QUIRE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
});

impl Backend {
    /// A fresh PostgreSQL database, or `None` (after saying so) when no server answers.
    /// With `QUIRE_TEST_POSTGRES=require` a missing server fails the test instead.
    pub async fn postgres() -> Option<Backend> {
        use sqlx::Connection;
        let admin = match sqlx::PgConnection::connect(&POSTGRES_ADMIN_URL).await {
            Ok(conn) => conn,
            Err(error) => {
                if std::env::var("QUIRE_TEST_POSTGRES").as_deref() == Ok("require") {
                    panic!(
                        "PostgreSQL is required but not reachable at {}: {error}",
                        *POSTGRES_ADMIN_URL
                    );
                }
                eprintln!(
                    "SKIPPED: PostgreSQL not reachable at {}: {error}",
                    *POSTGRES_ADMIN_URL
                );
                return None;
            }
        };
        let mut admin = admin;
        let name = format!("quire_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("create database {name}"))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        let base = POSTGRES_ADMIN_URL
            .rsplit_once('/')
            .map(|(base, _)| base.to_string())
            .expect("the admin URL names a database");
        Some(Backend::Postgres {
            url: format!("{base}/{name}"),
        })
    }
}

pub struct TestApp {
    pub address: String,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: Client,
    /// The browser client's cookie jar.
    pub cookies: std::sync::Arc<reqwest::cookie::Jar>,
    pub database_url: String,
    /// Kept so the folder lives as long as the app.
    pub _data_dir: TempDir,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Starts Quire on a free port with extra settings, values in TOML syntax
/// (`("login_failures_per_account", "3")`, `("public_url", "\"https://q.example\"")`).
pub async fn spawn_app_with(backend: Backend, overrides: &[(&str, &str)]) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => format!(
            "sqlite://{}?mode=rwc",
            data_dir.path().join("quire.db").display()
        ),
        Backend::Postgres { url } => url,
    };
    let mut figment = Settings::defaults()
        .merge(("addr", "127.0.0.1:0"))
        .merge(("data_dir", data_dir.path().display().to_string()))
        .merge(("database_url", database_url.clone()))
        .merge((
            "log",
            std::env::var("TEST_LOG").unwrap_or_else(|_| "off".into()),
        ))
        // Tests make many calls a minute; the rate-limit tests set their own limits. (Default
        // profile, unlike the tuples above, so the overrides below can replace them.)
        .merge(figment::providers::Serialized::default(
            "rate_limit_per_minute",
            10_000,
        ))
        .merge(figment::providers::Serialized::default(
            "rate_limit_costly_per_minute",
            10_000,
        ));
    for (key, value) in overrides {
        figment = figment.merge(figment::providers::Toml::string(&format!(
            "{key} = {value}"
        )));
    }
    let settings = Settings::from_figment(figment).expect("valid test settings");
    server::telemetry::init(&settings.log, settings.log_format);
    let app = Application::build(settings).await.expect("Quire starts");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let cookies = std::sync::Arc::new(reqwest::cookie::Jar::default());
    TestApp {
        address,
        client: client_with_jar(cookies.clone()),
        cookies,
        database_url,
        _data_dir: data_dir,
    }
}

pub fn browser_client() -> Client {
    client_with_jar(std::sync::Arc::default())
}

fn client_with_jar(jar: std::sync::Arc<reqwest::cookie::Jar>) -> Client {
    Client::builder()
        .cookie_provider(jar)
        .redirect(reqwest::redirect::Policy::none())
        // A response that never comes fails its test, rather than holding the suite until the
        // CI run's own limit.
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .expect("client")
}

pub struct Creds {
    pub email: String,
    pub password: String,
}

impl Creds {
    pub fn new() -> Creds {
        Creds {
            email: format!("user-{}@example.org", uuid::Uuid::new_v4().simple()),
            password: "correct horse battery staple".into(),
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn sign_up(&self, creds: &Creds) -> Response {
        self.sign_up_as(&self.client, creds).await
    }

    pub async fn sign_in(&self, creds: &Creds) -> Response {
        self.sign_in_as(&self.client, creds).await
    }

    /// Signs up from another browser (`client`), e.g. a second user.
    pub async fn sign_up_as(&self, client: &Client, creds: &Creds) -> Response {
        self.send_credentials(client, "/api/v1/auth/signup", creds)
            .await
    }

    pub async fn sign_in_as(&self, client: &Client, creds: &Creds) -> Response {
        self.send_credentials(client, "/api/v1/auth/login", creds)
            .await
    }

    async fn send_credentials(&self, client: &Client, path: &str, creds: &Creds) -> Response {
        client
            .post(self.url(path))
            .json(&json!({"email": creds.email, "password": creds.password}))
            .send()
            .await
            .expect("request")
    }

    pub async fn sign_out(&self) -> Response {
        self.client
            .post(self.url("/api/v1/auth/logout"))
            .send()
            .await
            .expect("request")
    }

    /// Signs up a fresh user with this app's browser client and returns their credentials.
    pub async fn signed_in_user(&self) -> Creds {
        let creds = Creds::new();
        assert_eq!(self.sign_up(&creds).await.status(), StatusCode::CREATED);
        creds
    }

    /// A GET with a Bearer token and no cookies.
    pub async fn get_with_token(&self, path: &str, token: &str) -> Response {
        Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }
}

impl TestApp {
    /// The browser client's cookies for this app, as a `Cookie` header value.
    pub fn session_cookie_header(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = reqwest::Url::parse(&self.address).expect("app URL");
        self.cookies
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// The database this app uses, for tests that act as another process would.
    pub async fn db(&self) -> server::db::Db {
        server::db::Db::connect(&self.database_url)
            .await
            .expect("connect to the test database")
    }

    /// Starts a separate worker (as `quire worker` does) on this app's database and files.
    pub fn spawn_worker(&self) -> tokio::sync::oneshot::Sender<()> {
        let settings = Settings::from_figment(
            Settings::defaults()
                .merge(("data_dir", self.data_dir().display().to_string()))
                .merge(("database_url", self.database_url.clone()))
                .merge(("workers", 1))
                .merge(("job_lease_seconds", 2)),
        )
        .expect("valid worker settings");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            server::startup::run_worker(settings, async {
                let _ = stopped.await;
            })
            .await
            .expect("the worker runs");
        });
        stop
    }

    /// Uploads a multipart form to `/api/v1/datasets`.
    pub async fn upload_form(&self, form: reqwest::multipart::Form) -> Response {
        self.client
            .post(self.url("/api/v1/datasets"))
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// Uploads `body` as a raw CSV named `name`; returns the envelope's `data`.
    pub async fn upload_csv(&self, name: &str, body: &str) -> Value {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/datasets?name={name}")))
            .header("content-type", "text/csv")
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        json_body(response, StatusCode::CREATED).await["data"].clone()
    }

    /// Waits (up to 60 s) for the job to finish and returns it.
    pub async fn wait_for_job(&self, job_id: &str) -> Value {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let job = json_body(
                self.get(&format!("/api/v1/jobs/{job_id}")).await,
                StatusCode::OK,
            )
            .await["data"]
                .clone();
            if job["status"] == "done" || job["status"] == "failed" {
                return job;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "job {job_id} did not finish: {job}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Uploads a CSV and waits until its profile is ready; returns the dataset.
    pub async fn ready_dataset(&self, name: &str, body: &str) -> Value {
        let created = self.upload_csv(name, body).await;
        let job = self
            .wait_for_job(created["job"]["id"].as_str().expect("a job id"))
            .await;
        assert_eq!(job["status"], "done", "{job}");
        let id = created["dataset"]["id"].as_str().expect("an id");
        json_body(
            self.get(&format!("/api/v1/datasets/{id}")).await,
            StatusCode::OK,
        )
        .await["data"]
            .clone()
    }
}

/// The text of a PDF, by `pdftotext` (poppler-utils, which `make test` installs).
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).expect("write the PDF");
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (install poppler-utils)");
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The body as JSON, with the status checked first.
pub async fn json_body(response: Response, expected: StatusCode) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, expected, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts the error envelope and returns its `code`.
pub async fn error_code(response: Response, expected: StatusCode) -> String {
    let body = json_body(response, expected).await;
    assert_eq!(body["success"], json!(false), "{body}");
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    body["code"].as_str().expect("a code").to_string()
}

/// The session cookie's `name=value` from `Set-Cookie` headers, if one was set.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    set_cookies(headers)
        .into_iter()
        .find(|c| c.starts_with("quire_session="))
        .and_then(|c| c.split(';').next().map(str::to_string))
}

pub fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect()
}

/// Declares each scenario `async fn name(backend: Backend)` as a test on SQLite and on
/// PostgreSQL. The server runs on a multi-threaded runtime, as `quire serve` does.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(backend) = $crate::helpers::Backend::postgres().await {
                        super::$name(backend).await
                    }
                }
            )*
        }
    };
}
