//! The browser's client for the JSON API (`/api/v1`): same origin, so the session cookie is the
//! credential. Every answer is the envelope `{success, data, meta}` or `{success, error, code}`;
//! the error text is what people see, so it is kept as the server wrote it.
//!
//! These functions only run in the browser (from local resources and event handlers); on the
//! server they are compiled but never called.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use engine::profile::Profile;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{DatasetView, JobView, PreviewView, ReportView, TemplateView};

const BASE: &str = "/api/v1";

/// A failed call, with the envelope's words when the server sent any.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status; 0 when the request never got an answer.
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ApiError {
    fn transport(message: impl fmt::Display) -> Self {
        ApiError {
            status: 0,
            code: "transport_error".into(),
            message: format!("could not reach the server: {message}"),
        }
    }

    fn unreadable(status: u16) -> Self {
        ApiError {
            status,
            code: "bad_response".into(),
            message: format!("the server sent an answer that could not be read (HTTP {status})"),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize)]
struct Envelope {
    success: bool,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    meta: Option<Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// One page of a list and where it sits in the whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub limit: u64,
}

#[derive(Deserialize, Default)]
struct PageMeta {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    page: u64,
    #[serde(default)]
    limit: u64,
}

/// Reads the envelope of any answer: `data` and `meta` on success, the error otherwise.
pub(super) fn read_envelope(status: u16, body: &str) -> ApiResult<(Value, Option<Value>)> {
    let envelope: Envelope =
        serde_json::from_str(body).map_err(|_| ApiError::unreadable(status))?;
    if envelope.success && (200..300).contains(&status) {
        return Ok((envelope.data.unwrap_or(Value::Null), envelope.meta));
    }
    Err(ApiError {
        status,
        code: envelope.code.unwrap_or_else(|| "error".into()),
        message: envelope
            .error
            .unwrap_or_else(|| format!("the request failed (HTTP {status})")),
    })
}

pub(super) fn decode<T: DeserializeOwned>(status: u16, data: Value) -> ApiResult<T> {
    serde_json::from_value(data).map_err(|_| ApiError::unreadable(status))
}

async fn call(request: Result<Request, gloo_net::Error>) -> ApiResult<(u16, Value, Option<Value>)> {
    let response: Response = request
        .map_err(ApiError::transport)?
        .send()
        .await
        .map_err(ApiError::transport)?;
    let status = response.status();
    let body = response.text().await.map_err(ApiError::transport)?;
    let (data, meta) = read_envelope(status, &body)?;
    Ok((status, data, meta))
}

fn get(path: &str) -> Result<Request, gloo_net::Error> {
    builder(Request::get(&format!("{BASE}{path}"))).build()
}

fn builder(b: RequestBuilder) -> RequestBuilder {
    b.header("Accept", "application/json")
}

async fn fetch<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> ApiResult<T> {
    let (status, data, _) = call(request).await?;
    decode(status, data)
}

async fn fetch_page<T: DeserializeOwned>(path: &str) -> ApiResult<Page<T>> {
    let (status, data, meta) = call(get(path)).await?;
    let items: Vec<T> = decode(status, data)?;
    let meta: PageMeta = meta
        .and_then(|m| serde_json::from_value(m).ok())
        .unwrap_or_default();
    Ok(Page {
        total: meta.total.max(items.len() as u64),
        page: meta.page.max(1),
        limit: meta.limit,
        items,
    })
}

fn send_json(b: RequestBuilder, body: &impl Serialize) -> Result<Request, gloo_net::Error> {
    builder(b).json(body)
}

/// `encodeURIComponent`, for values put in a query string.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

// A profile and a preview never change once a dataset is ready, and the API is rate limited
// (20 calls a minute by default), so pages share what they already fetched.
thread_local! {
    static SETTLED: RefCell<HashMap<String, Value>> = RefCell::new(HashMap::new());
}

async fn fetch_settled<T: DeserializeOwned>(path: String) -> ApiResult<T> {
    if let Some(data) = SETTLED.with(|c| c.borrow().get(&path).cloned()) {
        return decode(200, data);
    }
    let (status, data, _) = call(get(&path)).await?;
    SETTLED.with(|c| c.borrow_mut().insert(path, data.clone()));
    decode(status, data)
}

fn forget_settled(dataset_id: &str) {
    let prefix = format!("/datasets/{dataset_id}/");
    SETTLED.with(|c| c.borrow_mut().retain(|k, _| !k.starts_with(&prefix)));
}

// Datasets

pub async fn list_datasets(page: u64, limit: u64) -> ApiResult<Page<DatasetView>> {
    fetch_page(&format!(
        "/datasets?page={page}&limit={limit}&sort=-created_at"
    ))
    .await
}

pub async fn dataset(id: &str) -> ApiResult<DatasetView> {
    fetch(get(&format!("/datasets/{id}"))).await
}

pub async fn delete_dataset(id: &str) -> ApiResult<()> {
    forget_settled(id);
    let url = format!("{BASE}/datasets/{id}");
    call(builder(Request::delete(&url)).build()).await.map(drop)
}

pub async fn profile(id: &str) -> ApiResult<Profile> {
    fetch_settled(format!("/datasets/{id}/profile")).await
}

pub async fn preview(id: &str) -> ApiResult<PreviewView> {
    fetch_settled(format!("/datasets/{id}/preview")).await
}

/// What a successful upload answers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Uploaded {
    pub dataset: DatasetView,
    pub job: JobView,
}

/// Where an upload of the file `name` goes: its name travels in the query, its bytes as the body.
pub fn upload_url(name: &str) -> String {
    format!("{BASE}/datasets?name={}", encode(name))
}

// Jobs

pub async fn job(id: &str) -> ApiResult<JobView> {
    fetch(get(&format!("/jobs/{id}"))).await
}

pub fn job_events_url(id: &str) -> String {
    format!("{BASE}/jobs/{id}/events")
}

// Reports

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportStarted {
    pub report: ReportView,
    pub job: JobView,
}

pub async fn reports(dataset_id: &str) -> ApiResult<Page<ReportView>> {
    fetch_page(&format!(
        "/reports?dataset_id={}&limit=50",
        encode(dataset_id)
    ))
    .await
}

pub async fn create_report(dataset_id: &str, spec: &Value) -> ApiResult<ReportStarted> {
    let body = serde_json::json!({ "dataset_id": dataset_id, "spec": spec });
    fetch(send_json(Request::post(&format!("{BASE}/reports")), &body)).await
}

pub async fn delete_report(id: &str) -> ApiResult<()> {
    let url = format!("{BASE}/reports/{id}");
    call(builder(Request::delete(&url)).build()).await.map(drop)
}

pub fn report_pdf_url(id: &str) -> String {
    format!("{BASE}/reports/{id}/pdf")
}

// Templates

pub async fn templates() -> ApiResult<Page<TemplateView>> {
    fetch_page("/templates?limit=100").await
}

pub async fn create_template(name: &str, spec: &Value) -> ApiResult<TemplateView> {
    let body = serde_json::json!({ "name": name, "spec": spec });
    fetch(send_json(
        Request::post(&format!("{BASE}/templates")),
        &body,
    ))
    .await
}

pub async fn update_template(id: &str, name: &str, spec: &Value) -> ApiResult<TemplateView> {
    let body = serde_json::json!({ "name": name, "spec": spec });
    fetch(send_json(
        Request::put(&format!("{BASE}/templates/{id}")),
        &body,
    ))
    .await
}

pub async fn delete_template(id: &str) -> ApiResult<()> {
    let url = format!("{BASE}/templates/{id}");
    call(builder(Request::delete(&url)).build()).await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_envelope_keeps_the_servers_words() {
        let body = r#"{"success":false,"error":"too many requests; try again in 12 s","code":"rate_limited"}"#;
        let err = read_envelope(429, body).unwrap_err();
        assert_eq!(err.status, 429);
        assert_eq!(err.code, "rate_limited");
        assert_eq!(err.to_string(), "too many requests; try again in 12 s");
    }

    #[test]
    fn a_page_envelope_gives_data_and_meta() {
        let body = r#"{"success":true,"data":[1,2],"meta":{"total":7,"page":1,"limit":2}}"#;
        let (data, meta) = read_envelope(200, body).unwrap();
        assert_eq!(data, serde_json::json!([1, 2]));
        assert_eq!(meta.unwrap()["total"], 7);
    }

    #[test]
    fn a_body_that_is_not_an_envelope_is_reported_with_its_status() {
        let err = read_envelope(502, "<html>bad gateway</html>").unwrap_err();
        assert_eq!(err.status, 502);
        assert!(err.message.contains("502"));
    }
}
