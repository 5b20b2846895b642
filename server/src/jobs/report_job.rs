//! Making a report: the dataset's stored profile when the spec needs nothing more, else a fresh
//! profile with the spec's group-by and time columns; then the PDF, kept in storage.

use std::io::BufReader;

use engine::profile::{profile_reader_with_sample, Profile, ProfileOptions};
use engine::render::ReportSpec;
use time::OffsetDateTime;

use super::profile_job::format_of;
use super::progress::{supervise, ProgressReader, Stage};
use super::runner::JobContext;
use super::{JobEnv, JobError};
use crate::db::{datasets, reports};
use crate::reporting;
use crate::storage::report_key;

pub async fn run(env: &JobEnv, ctx: &JobContext) -> Result<(), JobError> {
    let report = reports::get_any(&env.db, &ctx.job.subject_id)
        .await?
        .ok_or_else(|| JobError::Failed("the report was deleted".into()))?;
    reports::set_status(
        &env.db,
        &report.id,
        "running",
        None,
        OffsetDateTime::now_utc(),
    )
    .await?;
    let dataset = datasets::get_any(&env.db, &report.dataset_id)
        .await?
        .ok_or_else(|| JobError::Failed("the dataset was deleted".into()))?;
    let mut spec: ReportSpec = serde_json::from_str(&report.spec)
        .map_err(|e| JobError::Failed(format!("the report spec is not valid: {e}")))?;
    // The date comes from the data, not the clock, so the same upload gives the same PDF.
    if spec.date.is_none() {
        spec.date = Some(dataset.created_at.date().to_string());
    }

    let stored = if reporting::stored_profile_suffices(&spec) {
        stored_profile(env, &dataset.user_id, &dataset.id).await?
    } else {
        None
    };
    let (profile, preview) = match stored {
        Some(found) => found,
        None => fresh_profile(env, ctx, &dataset, &spec).await?,
    };

    ctx.report(env, 0.9, "Drawing the PDF").await?;
    let source = Some(dataset.name.clone());
    let pdf = tokio::task::spawn_blocking(move || {
        reporting::render(&profile, &spec, preview.header, preview.rows, source)
    })
    .await
    .map_err(|e| JobError::Internal(e.to_string()))??;

    let key = report_key(&report.id);
    let size = pdf.len() as i64;
    env.storage.put_bytes(&key, pdf).await?;
    reports::set_ready(&env.db, &report.id, &key, size, OffsetDateTime::now_utc()).await?;
    Ok(())
}

async fn stored_profile(
    env: &JobEnv,
    user_id: &str,
    dataset_id: &str,
) -> Result<Option<(Profile, app::model::PreviewView)>, JobError> {
    let Some((Some(profile), Some(preview))) =
        datasets::profile_and_preview(&env.db, user_id, dataset_id).await?
    else {
        return Ok(None);
    };
    let profile = serde_json::from_str(&profile).map_err(|e| JobError::Internal(e.to_string()))?;
    let preview = serde_json::from_str(&preview).map_err(|e| JobError::Internal(e.to_string()))?;
    Ok(Some((profile, preview)))
}

async fn fresh_profile(
    env: &JobEnv,
    ctx: &JobContext,
    dataset: &datasets::DatasetRow,
    spec: &ReportSpec,
) -> Result<(Profile, app::model::PreviewView), JobError> {
    let reader = env.storage.reader(&dataset.storage_key).await?;
    let format = format_of(&dataset.format);
    let options = reporting::profile_options(spec, ProfileOptions::default());
    let rows = reporting::sample_rows(spec);
    let stage = Stage {
        label: "Profiling",
        from: 0.0,
        to: 0.85,
        total_bytes: dataset.size_bytes.max(0) as u64,
    };
    let (profile, sample) = supervise(env, ctx, stage, move |progress| {
        let reader = BufReader::with_capacity(1 << 20, ProgressReader::new(reader, progress));
        profile_reader_with_sample(reader, format, &options, rows)
    })
    .await??;
    let preview = app::model::PreviewView {
        header: sample.header,
        rows: sample.rows,
    };
    Ok((profile, preview))
}

pub async fn mark_failed(env: &JobEnv, report_id: &str, message: &str) -> Result<(), sqlx::Error> {
    reports::set_status(
        &env.db,
        report_id,
        "failed",
        Some(message),
        OffsetDateTime::now_utc(),
    )
    .await
}
