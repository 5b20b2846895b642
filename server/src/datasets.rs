//! Datasets: uploading (streamed to storage, then profiled by a job), listing, reading the
//! profile and preview, deleting with everything made from them.

use app::error::AppError;
use app::model::{DatasetView, JobView, PreviewView};
use futures_util::StreamExt;
use time::OffsetDateTime;

use crate::auth::backend::rfc3339;
use crate::auth::User;
use crate::db::{datasets, jobs as job_rows, reports, ListQuery};
use crate::error::Result;
use crate::jobs::{self, JobKind};
use crate::state::AppState;
use crate::storage::{dataset_key, ByteStream, StorageError};

const MAX_NAME_CHARS: usize = 200;
/// How much of the start of an upload is checked for binary content.
const SNIFF_BYTES: usize = 64 * 1024;

/// An upload on its way in: a display name, a format, and the body as it arrives.
pub struct Upload<'a> {
    pub name: String,
    /// `csv`, `json` or `jsonl`.
    pub format: &'static str,
    pub body: ByteStream<'a>,
}

pub async fn upload(
    state: &AppState,
    user: &User,
    upload: Upload<'_>,
) -> Result<(DatasetView, JobView)> {
    let id = uuid::Uuid::now_v7().to_string();
    let key = dataset_key(&id);
    let body = refuse_binary(upload.body);
    let size = state
        .storage
        .put_stream(&key, body, state.settings.max_upload_bytes())
        .await?;
    if size == 0 {
        state.storage.delete(&key).await?;
        return Err(AppError::Validation("the file is empty".into()).into());
    }
    let row = datasets::DatasetRow {
        id,
        user_id: user.id.clone(),
        name: display_name(&upload.name, upload.format),
        format: upload.format.to_owned(),
        storage_key: key,
        size_bytes: size as i64,
        status: "queued".into(),
        error: None,
        row_count: None,
        column_count: None,
        created_at: OffsetDateTime::now_utc(),
        job_id: None,
    };
    if let Err(error) = datasets::insert(&state.db, &row).await {
        // Nothing may point at the file: remove it rather than leave an orphan.
        let _ = state.storage.delete(&row.storage_key).await;
        return Err(error.into());
    }
    let job = jobs::enqueue(&state.jobs, &user.id, JobKind::Profile, &row.id).await?;
    tracing::info!(user_id = %user.id, dataset_id = %row.id, bytes = size, "dataset uploaded");
    let mut view = view(row);
    view.job_id = Some(job.id.clone());
    Ok((view, jobs::view(job)))
}

pub async fn get(state: &AppState, user: &User, id: &str) -> Result<DatasetView> {
    let row = datasets::get(&state.db, &user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(view(row))
}

pub async fn list(
    state: &AppState,
    user: &User,
    query: &ListQuery,
) -> Result<(Vec<DatasetView>, i64)> {
    let (rows, total) = datasets::list(&state.db, &user.id, query).await?;
    Ok((rows.into_iter().map(view).collect(), total))
}

/// The profile as the engine wrote it; 409 until the profiling job is done.
pub async fn profile(state: &AppState, user: &User, id: &str) -> Result<serde_json::Value> {
    let (profile, _) = stored(state, user, id).await?;
    Ok(serde_json::from_str(&profile)?)
}

pub async fn preview(state: &AppState, user: &User, id: &str) -> Result<PreviewView> {
    let (_, preview) = stored(state, user, id).await?;
    Ok(serde_json::from_str(&preview)?)
}

async fn stored(state: &AppState, user: &User, id: &str) -> Result<(String, String)> {
    match datasets::profile_and_preview(&state.db, &user.id, id).await? {
        None => Err(AppError::NotFound.into()),
        Some((Some(profile), Some(preview))) => Ok((profile, preview)),
        Some(_) => Err(AppError::NotReady("the dataset is still being profiled".into()).into()),
    }
}

/// Deletes the dataset, its file, its reports and their files.
pub async fn delete(state: &AppState, user: &User, id: &str) -> Result<()> {
    let row = datasets::get(&state.db, &user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let report_files = reports::storage_keys_of_dataset(&state.db, id).await?;
    job_rows::delete_for_dataset(&state.db, id).await?;
    if !datasets::delete(&state.db, &user.id, id).await? {
        return Err(AppError::NotFound.into());
    }
    // Rows first: a failed file removal leaves an unreachable file, never a broken row.
    for key in report_files.iter().chain(std::iter::once(&row.storage_key)) {
        if let Err(error) = state.storage.delete(key).await {
            tracing::warn!(%error, key, "could not remove a deleted dataset's file");
        }
    }
    tracing::info!(user_id = %user.id, dataset_id = %id, "dataset deleted");
    Ok(())
}

/// Passes the body through, refusing it if its start holds NUL bytes: CSV and JSON are text.
fn refuse_binary(body: ByteStream<'_>) -> ByteStream<'_> {
    let mut seen = 0usize;
    body.map(move |chunk| {
        let chunk = chunk?;
        if seen < SNIFF_BYTES {
            let end = chunk.len().min(SNIFF_BYTES - seen);
            seen += end;
            if chunk[..end].contains(&0) {
                return Err(StorageError::Rejected(
                    "the file holds binary data; upload CSV or JSON text".into(),
                ));
            }
        }
        Ok(chunk)
    })
    .boxed()
}

/// The name shown for an upload: its last path part, without control characters, bounded.
pub fn display_name(raw: &str, format: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        format!("upload.{format}")
    } else {
        clean.to_owned()
    }
}

pub fn view(row: datasets::DatasetRow) -> DatasetView {
    DatasetView {
        id: row.id,
        name: row.name,
        format: row.format,
        size_bytes: row.size_bytes,
        status: row.status,
        error: row.error,
        rows: row.row_count,
        columns: row.column_count,
        created_at: rfc3339(row.created_at),
        job_id: row.job_id,
    }
}

#[cfg(test)]
mod tests {
    use super::display_name;

    #[test]
    fn upload_names_lose_paths_and_control_characters() {
        assert_eq!(display_name("../../x\r\n.csv", "csv"), "x.csv");
        assert_eq!(display_name("C:\\data\\sales.csv", "csv"), "sales.csv");
        assert_eq!(display_name("", "json"), "upload.json");
        assert_eq!(display_name("..", "csv"), "upload.csv");
    }
}
