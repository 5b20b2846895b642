//! Report templates: a named spec a person saves once and applies to any dataset.

use app::error::AppError;
use app::model::TemplateView;
use engine::render::ReportSpec;
use time::OffsetDateTime;

use crate::auth::backend::rfc3339;
use crate::auth::User;
use crate::db::{is_unique_violation, templates, ListQuery};
use crate::error::{Error, Result};
use crate::state::AppState;

const MAX_NAME_CHARS: usize = 100;
const MAX_TITLE_CHARS: usize = 200;
/// Logos are embedded in every PDF; keep them small.
const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Refuses specs that would make a useless or oversized report.
pub fn check_spec(spec: &ReportSpec) -> Result<()> {
    if spec.title.trim().is_empty() || spec.title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::Validation(format!(
            "the title must be 1 to {MAX_TITLE_CHARS} characters"
        ))
        .into());
    }
    if spec.sections.is_empty() {
        return Err(AppError::Validation("choose at least one section".into()).into());
    }
    if let Some(logo) = &spec.logo {
        if logo.bytes.len() > MAX_LOGO_BYTES {
            return Err(AppError::Validation("the logo must be at most 1 MiB".into()).into());
        }
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::Validation(format!(
            "the template name must be 1 to {MAX_NAME_CHARS} characters"
        ))
        .into());
    }
    Ok(name.to_owned())
}

fn taken(error: sqlx::Error) -> Error {
    if is_unique_violation(&error) {
        AppError::Conflict("you already have a template with this name".into()).into()
    } else {
        error.into()
    }
}

pub async fn create(
    state: &AppState,
    user: &User,
    name: &str,
    spec: &ReportSpec,
) -> Result<TemplateView> {
    check_spec(spec)?;
    let now = OffsetDateTime::now_utc();
    let row = templates::TemplateRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.id.clone(),
        name: check_name(name)?,
        spec: serde_json::to_string(spec)?,
        created_at: now,
        updated_at: now,
    };
    templates::insert(&state.db, &row).await.map_err(taken)?;
    view(row)
}

pub async fn update(
    state: &AppState,
    user: &User,
    id: &str,
    name: &str,
    spec: &ReportSpec,
) -> Result<TemplateView> {
    check_spec(spec)?;
    let mut row = templates::get(&state.db, &user.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    row.name = check_name(name)?;
    row.spec = serde_json::to_string(spec)?;
    row.updated_at = OffsetDateTime::now_utc();
    if !templates::update(&state.db, &row).await.map_err(taken)? {
        return Err(AppError::NotFound.into());
    }
    view(row)
}

pub async fn get(state: &AppState, user: &User, id: &str) -> Result<TemplateView> {
    view(
        templates::get(&state.db, &user.id, id)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

pub async fn list(
    state: &AppState,
    user: &User,
    query: &ListQuery,
) -> Result<(Vec<TemplateView>, i64)> {
    let (rows, total) = templates::list(&state.db, &user.id, query).await?;
    Ok((
        rows.into_iter().map(view).collect::<Result<Vec<_>>>()?,
        total,
    ))
}

pub async fn delete(state: &AppState, user: &User, id: &str) -> Result<()> {
    if !templates::delete(&state.db, &user.id, id).await? {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}

fn view(row: templates::TemplateRow) -> Result<TemplateView> {
    Ok(TemplateView {
        spec: serde_json::from_str(&row.spec)?,
        id: row.id,
        name: row.name,
        created_at: rfc3339(row.created_at),
        updated_at: rfc3339(row.updated_at),
    })
}
