//! `/api/v1/jobs/{id}` and its live progress as Server-Sent Events.

use std::convert::Infallible;
use std::time::Duration;

use app::error::AppError;
use app::model::JobView;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use futures_util::Stream;

use super::{ApiResponse, CurrentUser};
use crate::db::{jobs, Db};
use crate::error::Result;
use crate::state::AppState;

/// How often a watched job is read again. Progress lives in the database, so the events are the
/// same whichever process runs the job.
const POLL: Duration = Duration::from_millis(250);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs/{id}", get(read))
        .route("/jobs/{id}/events", get(events))
}

#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs",
    responses((status = 200, body = JobView), (status = 404)))]
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<ApiResponse<JobView>> {
    let row = jobs::get(&state.db, &user.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ApiResponse::ok(crate::jobs::view(row)))
}

/// A `progress` event (data: the job) whenever it changes, then one `done` or `failed` event,
/// then the stream ends.
#[utoipa::path(get, path = "/jobs/{id}/events", tag = "jobs",
    responses((status = 200, content_type = "text/event-stream"), (status = 404)))]
pub async fn events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    jobs::get(&state.db, &user.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let watch = Watch {
        db: state.db.clone(),
        user_id: user.id,
        job_id: id,
        last: None,
    };
    let stream = futures_util::stream::unfold(Some(watch), |watch| async move {
        let mut watch = watch?;
        let (event, finished) = watch.next_change().await?;
        Some((Ok(event), (!finished).then_some(watch)))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

struct Watch {
    db: Db,
    user_id: String,
    job_id: String,
    last: Option<JobView>,
}

impl Watch {
    /// Waits for the job to differ from what was last sent; none when the job is gone.
    async fn next_change(&mut self) -> Option<(Event, bool)> {
        loop {
            match jobs::get(&self.db, &self.user_id, &self.job_id).await {
                Ok(Some(row)) => {
                    let view = crate::jobs::view(row);
                    if self.last.as_ref() != Some(&view) {
                        let finished = view.is_finished();
                        let name = match view.status.as_str() {
                            "done" => "done",
                            "failed" => "failed",
                            _ => "progress",
                        };
                        let event = Event::default().event(name).json_data(&view).ok()?;
                        self.last = Some(view);
                        return Some((event, finished));
                    }
                }
                Ok(None) => return None,
                Err(error) => tracing::warn!(%error, "could not read a watched job"),
            }
            tokio::time::sleep(POLL).await;
        }
    }
}
