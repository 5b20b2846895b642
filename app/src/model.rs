//! Data that crosses between server and browser. Nothing secret lives here: password hashes and
//! token hashes stay in the server crate.

use serde::{Deserialize, Serialize};

/// A signed-in person as the pages and the API show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub email: String,
    /// RFC 3339.
    pub created_at: String,
}

/// A personal API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    /// The first characters of the secret, so people can tell tokens apart.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A token just created: the only time its secret is ever shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub token: TokenView,
    pub secret: String,
}

/// An uploaded file and where its profile stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DatasetView {
    pub id: String,
    /// The uploaded file's name, for display.
    pub name: String,
    /// `csv`, `json` or `jsonl`.
    pub format: String,
    pub size_bytes: i64,
    /// `queued`, `profiling`, `ready` or `failed`.
    pub status: String,
    /// Why profiling failed, in words a person can act on.
    pub error: Option<String>,
    pub rows: Option<i64>,
    pub columns: Option<i64>,
    pub created_at: String,
    /// The latest job working on this dataset.
    pub job_id: Option<String>,
}

/// Background work and how far it has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JobView {
    pub id: String,
    /// `profile` or `report`.
    pub kind: String,
    /// The dataset or report the job works on.
    pub subject_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// From 0 to 1.
    pub progress: f64,
    pub message: Option<String>,
    pub error: Option<String>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

impl JobView {
    pub fn is_finished(&self) -> bool {
        self.status == "done" || self.status == "failed"
    }
}

/// A PDF report of a dataset, made (or being made) from a spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub id: String,
    pub dataset_id: String,
    pub title: String,
    /// `queued`, `running`, `ready` or `failed`.
    pub status: String,
    pub error: Option<String>,
    pub size_bytes: Option<i64>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub job_id: Option<String>,
    /// The report spec it was made from.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub spec: serde_json::Value,
}

/// A named report spec, to apply to any dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateView {
    pub id: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub spec: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
}

/// The first rows of a dataset, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviewView {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}
