//! A live progress bar for one background job, fed by its event stream.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::events::{JobEvent, JobWatch};
use crate::model::JobView;

/// Shows how far a job has got and its final state, without a reload. Calls `on_finish` once,
/// when the job is done or has failed.
#[component]
pub fn JobProgress(
    #[prop(into)] job_id: String,
    /// What the job does, e.g. "Profiling": the bar's accessible name.
    #[prop(into)]
    label: String,
    #[prop(optional, into)] on_finish: Option<Callback<JobView>>,
    /// A single line for table cells.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let follow = Follow {
        job_id: StoredValue::new(job_id.clone()),
        job: RwSignal::new(None),
        trouble: RwSignal::new(None),
        watch: StoredValue::new_local(None),
        finished: StoredValue::new(false),
        retries: StoredValue::new(0),
        on_finish,
    };
    // Effects run only in the browser, after hydration; the server renders the waiting state.
    Effect::new(move |_| follow.connect());

    let label_id = format!("job-{job_id}-label");
    let job = follow.job;
    let percent = move || {
        job.with(|j| match j {
            Some(j) if j.status == "running" || j.status == "done" => {
                Some(format!("{:.0}", (j.progress.clamp(0.0, 1.0) * 100.0)))
            }
            _ => None,
        })
    };
    let status = move || {
        job.with(|j| j.as_ref().map(|j| j.status.clone()))
            .unwrap_or_default()
    };
    let state_text = move || {
        job.with(|j| match j {
            None => "Connecting…".to_string(),
            Some(j) => match j.status.as_str() {
                "queued" => "Waiting to start…".into(),
                "running" => format!("{:.0} %", j.progress.clamp(0.0, 1.0) * 100.0),
                "done" => "Done".into(),
                "failed" => "Failed".into(),
                other => other.to_string(),
            },
        })
    };
    let detail = move || {
        job.with(|j| match j {
            Some(j) if j.status == "failed" => j.error.clone().or_else(|| j.message.clone()),
            Some(j) if j.status != "done" => j.message.clone(),
            _ => None,
        })
    };
    let failed = move || status() == "failed";

    view! {
        <div class="job" class:compact=compact data-status=status data-testid="job-progress">
            <div class="job-head">
                <span id=label_id.clone() class="job-label">{label}</span>
                <span class="job-state" role="status" aria-live="polite">{state_text}</span>
            </div>
            <progress max="100" value=percent aria-labelledby=label_id></progress>
            {move || detail().map(|text| {
                if failed() {
                    view! { <p class="error" role="alert">{text}</p> }.into_any()
                } else {
                    view! { <p class="job-message">{text}</p> }.into_any()
                }
            })}
            {move || follow.trouble.get().map(|text| view! { <p class="job-message">{text}</p> })}
        </div>
    }
    .into_any()
}

/// Everything the stream handlers need, all `Copy` handles so the closures can share it.
#[derive(Clone, Copy)]
struct Follow {
    job_id: StoredValue<String>,
    job: RwSignal<Option<JobView>>,
    trouble: RwSignal<Option<String>>,
    watch: StoredValue<Option<JobWatch>, LocalStorage>,
    finished: StoredValue<bool>,
    retries: StoredValue<u32>,
    on_finish: Option<Callback<JobView>>,
}

impl Follow {
    fn connect(self) {
        let Some(id) = self.job_id.try_get_value() else {
            return;
        };
        match JobWatch::open(&id, move |event| self.on_event(event)) {
            Some(watch) => {
                self.watch.try_set_value(Some(watch));
            }
            None => self.look_again(),
        }
    }

    fn on_event(self, event: JobEvent) {
        match event {
            JobEvent::Changed(job) => self.show(*job),
            JobEvent::Lost => self.look_again(),
        }
    }

    fn show(self, job: JobView) {
        self.trouble.try_set(None);
        let finished = job.is_finished();
        self.job.try_set(Some(job.clone()));
        if finished && self.finished.try_get_value() == Some(false) {
            self.finished.try_set_value(true);
            if let Some(callback) = self.on_finish {
                callback.try_run(job);
            }
        }
    }

    /// The stream broke off: ask for the job once, then reopen the stream after a pause that
    /// grows with each failure (each attempt counts against the rate limit).
    fn look_again(self) {
        let Some(id) = self.job_id.try_get_value() else {
            return;
        };
        spawn_local(async move {
            match api::job(&id).await {
                Ok(job) if job.is_finished() => return self.show(job),
                Ok(job) => self.show(job),
                // Gone or no longer ours: asking again cannot help.
                Err(error) if matches!(error.status, 401 | 403 | 404) => {
                    self.trouble
                        .try_set(Some(format!("This job cannot be followed: {error}")));
                    return;
                }
                Err(error) => {
                    self.trouble
                        .try_set(Some(format!("Lost contact with the server: {error}")));
                }
            }
            let retries = self.retries.try_get_value().unwrap_or(0) + 1;
            self.retries.try_set_value(retries);
            let pause = Duration::from_secs(u64::from(retries.min(6)) * 3);
            set_timeout(
                move || {
                    // The page may have gone away meanwhile.
                    if self.finished.try_get_value() == Some(false) {
                        self.connect();
                    }
                },
                pause,
            );
        });
    }
}
