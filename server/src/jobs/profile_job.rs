//! Profiling an uploaded dataset: read the stored file through the engine, keep the profile and
//! the first rows as the dataset's preview.

use std::io::BufReader;

use engine::ingest::Format;
use engine::profile::{profile_reader_with_sample, ProfileOptions};

use super::progress::{supervise, ProgressReader, Stage};
use super::runner::JobContext;
use super::{JobEnv, JobError};
use crate::db::datasets;
use crate::reporting::PREVIEW_ROWS;

pub async fn run(env: &JobEnv, ctx: &JobContext) -> Result<(), JobError> {
    let dataset = datasets::get_any(&env.db, &ctx.job.subject_id)
        .await?
        .ok_or_else(|| JobError::Failed("the dataset was deleted".into()))?;
    datasets::set_status(&env.db, &dataset.id, "profiling", None).await?;
    let reader = env.storage.reader(&dataset.storage_key).await?;
    let format = format_of(&dataset.format);
    let stage = Stage {
        label: "Profiling",
        from: 0.0,
        to: 0.95,
        total_bytes: dataset.size_bytes.max(0) as u64,
    };
    let outcome = supervise(env, ctx, stage, move |progress| {
        let reader = BufReader::with_capacity(1 << 20, ProgressReader::new(reader, progress));
        profile_reader_with_sample(reader, format, &ProfileOptions::default(), PREVIEW_ROWS)
    })
    .await?;
    let (profile, sample) = outcome?;
    let preview = app::model::PreviewView {
        header: sample.header,
        rows: sample.rows,
    };
    let profile_json =
        serde_json::to_string(&profile).map_err(|e| JobError::Internal(e.to_string()))?;
    let preview_json =
        serde_json::to_string(&preview).map_err(|e| JobError::Internal(e.to_string()))?;
    datasets::set_profile(
        &env.db,
        &dataset.id,
        &datasets::Profiled {
            row_count: profile.rows as i64,
            column_count: profile.columns.len() as i64,
            profile: &profile_json,
            preview: &preview_json,
        },
    )
    .await?;
    Ok(())
}

pub async fn mark_failed(env: &JobEnv, dataset_id: &str, message: &str) -> Result<(), sqlx::Error> {
    datasets::set_status(&env.db, dataset_id, "failed", Some(message)).await
}

/// The engine's format for a stored format name.
pub fn format_of(name: &str) -> Option<Format> {
    match name {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "jsonl" => Some(Format::JsonLines),
        _ => None,
    }
}
