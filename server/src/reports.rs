//! Reports: created from a dataset and a spec (or a saved template), made by a job, kept as
//! PDFs in storage.

use app::error::AppError;
use app::model::{JobView, ReportView};
use engine::render::ReportSpec;
use time::OffsetDateTime;

use crate::auth::backend::rfc3339;
use crate::auth::User;
use crate::db::{datasets, jobs as job_rows, reports, templates, ListQuery};
use crate::error::Result;
use crate::jobs::{self, JobKind};
use crate::state::AppState;
use crate::storage::ByteStream;

/// What a new report is made from: a spec, or a template's spec.
pub enum SpecSource {
    Spec(Box<ReportSpec>),
    Template(String),
}

pub async fn create(
    state: &AppState,
    user: &User,
    dataset_id: &str,
    source: SpecSource,
) -> Result<(ReportView, JobView)> {
    let dataset = datasets::get(&state.db, &user.id, dataset_id)
        .await?
        .ok_or_else(|| AppError::Validation(format!("no dataset {dataset_id:?}")))?;
    if dataset.status == "failed" {
        return Err(AppError::Validation(
            "the dataset could not be read, so no report can be made from it".into(),
        )
        .into());
    }
    let spec = match source {
        SpecSource::Spec(spec) => *spec,
        SpecSource::Template(id) => {
            let template = templates::get(&state.db, &user.id, &id)
                .await?
                .ok_or_else(|| AppError::Validation(format!("no template {id:?}")))?;
            serde_json::from_str(&template.spec)?
        }
    };
    crate::templates::check_spec(&spec)?;
    let row = reports::ReportRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        dataset_id: dataset.id,
        title: spec.title.clone(),
        spec: serde_json::to_string(&spec)?,
        status: "queued".into(),
        error: None,
        storage_key: None,
        size_bytes: None,
        created_at: OffsetDateTime::now_utc(),
        finished_at: None,
        job_id: None,
    };
    reports::insert(&state.db, &row).await?;
    let job = jobs::enqueue(&state.jobs, &user.id, JobKind::Report, &row.id).await?;
    let mut view = view(row)?;
    view.job_id = Some(job.id.clone());
    Ok((view, crate::jobs::view(job)))
}

pub async fn get(state: &AppState, user: &User, id: &str) -> Result<ReportView> {
    view(
        reports::get(&state.db, &user.id, id)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

pub async fn list(
    state: &AppState,
    user: &User,
    dataset_id: &str,
    query: &ListQuery,
) -> Result<(Vec<ReportView>, i64)> {
    let (rows, total) = reports::list(&state.db, &user.id, dataset_id, query).await?;
    let views = rows.into_iter().map(view).collect::<Result<Vec<_>>>()?;
    Ok((views, total))
}

pub async fn delete(state: &AppState, user: &User, id: &str) -> Result<()> {
    let row = reports::get(&state.db, &user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    job_rows::delete_for_subject(&state.db, id).await?;
    reports::delete(&state.db, &user.id, id).await?;
    if let Some(key) = row.storage_key {
        if let Err(error) = state.storage.delete(&key).await {
            tracing::warn!(%error, key, "could not remove a deleted report's file");
        }
    }
    Ok(())
}

/// A finished report's PDF: its view (for the file name) and its bytes as a stream.
pub async fn pdf(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<(ReportView, u64, ByteStream<'static>)> {
    let row = reports::get(&state.db, &user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(key) = row.storage_key.clone().filter(|_| row.status == "ready") else {
        return Err(AppError::NotReady("the report is not ready yet".into()).into());
    };
    let (size, stream) = state.storage.download(&key).await?;
    Ok((view(row)?, size, stream))
}

pub fn view(row: reports::ReportRow) -> Result<ReportView> {
    Ok(ReportView {
        spec: serde_json::from_str(&row.spec)?,
        id: row.id,
        dataset_id: row.dataset_id,
        title: row.title,
        status: row.status,
        error: row.error,
        size_bytes: row.size_bytes,
        created_at: rfc3339(row.created_at),
        finished_at: row.finished_at.map(rfc3339),
        job_id: row.job_id,
    })
}
