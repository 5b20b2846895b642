//! Uploading a file: drop it on the zone or pick it, watch it go out, then watch it being
//! profiled.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{DragEvent, File, HtmlInputElement};

use super::format::bytes;
use super::job_progress::JobProgress;
use super::xhr;
use crate::model::{DatasetView, JobView};

#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    Sending {
        name: String,
        sent: f64,
        total: f64,
    },
    Profiling {
        dataset: DatasetView,
        job_id: String,
    },
    Failed {
        name: String,
        message: String,
    },
}

/// The drop zone and the state of the latest upload. `on_profiled` runs when the new dataset's
/// profile is done (or has failed), so the page can show it in its list.
#[component]
pub fn Upload(#[prop(into)] on_profiled: Callback<()>) -> impl IntoView {
    let stage = RwSignal::new(Stage::Idle);
    let over = RwSignal::new(false);
    let busy = move || stage.with(|s| matches!(s, Stage::Sending { .. }));

    let start = move |file: File| {
        if busy() {
            return;
        }
        // The previous file's card (and its progress bar) goes away: let the list show it.
        if stage.with_untracked(|s| matches!(s, Stage::Profiling { .. })) {
            on_profiled.run(());
        }
        let name = file.name();
        stage.set(Stage::Sending {
            name: name.clone(),
            sent: 0.0,
            total: file.size(),
        });
        spawn_local(async move {
            let progress = move |sent, total| {
                stage.try_update(|s| {
                    if let Stage::Sending {
                        sent: s0,
                        total: t0,
                        ..
                    } = s
                    {
                        (*s0, *t0) = (sent, total);
                    }
                });
            };
            let next = match xhr::upload(file, progress).await {
                Ok(done) => Stage::Profiling {
                    job_id: done.job.id,
                    dataset: done.dataset,
                },
                Err(error) => Stage::Failed {
                    name,
                    message: error.to_string(),
                },
            };
            stage.try_set(next);
        });
    };

    let on_pick = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            start(file);
        }
        // Choosing the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|files| files.get(0))
        {
            start(file);
        }
    };
    let on_drag_over = move |ev: DragEvent| {
        // Without this the browser would open the file instead of dropping it here.
        ev.prevent_default();
        over.set(true);
    };

    view! {
        <section class="upload" aria-labelledby="upload-heading">
            <h2 id="upload-heading" class="visually-hidden">"Upload a dataset"</h2>
            <div
                class="dropzone"
                class:over=move || over.get()
                on:dragover=on_drag_over
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop
            >
                <svg class="dropzone-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"/>
                </svg>
                <p class="dropzone-title">"Drop a CSV or JSON file here"</p>
                <p class="muted">"or"</p>
                <label class="button primary file-button" class:disabled=busy>
                    "Choose a file"
                    <input
                        type="file"
                        class="visually-hidden"
                        accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson,text/csv,application/json"
                        disabled=busy
                        on:change=on_pick
                    />
                </label>
                <p class="hint">"CSV, JSON (an array of objects) or JSON Lines"</p>
            </div>
            {move || view_stage(stage.get(), on_profiled)}
        </section>
    }
    .into_any()
}

fn view_stage(current: Stage, on_profiled: Callback<()>) -> AnyView {
    match current {
        Stage::Idle => ().into_any(),
        Stage::Sending { name, sent, total } => {
            let pct = if total > 0.0 {
                (sent / total * 100.0).clamp(0.0, 100.0)
            } else {
                0.0
            };
            view! {
                <div class="upload-status card-lite" data-testid="upload-status">
                    <div class="job-head">
                        <span id="upload-label" class="job-label">"Uploading " <strong>{name}</strong></span>
                        <span class="job-state" role="status">
                            {format!("{pct:.0} % of {}", bytes(total as i64))}
                        </span>
                    </div>
                    <progress max="100" value=format!("{pct:.1}") aria-labelledby="upload-label"></progress>
                </div>
            }
            .into_any()
        }
        Stage::Profiling { dataset, job_id } => {
            // The bar stays once the job ends, showing its final state; the outcome is added
            // below it.
            let outcome = RwSignal::new(None::<JobView>);
            let on_finish = move |job: JobView| {
                outcome.set(Some(job));
                on_profiled.run(());
            };
            let id = dataset.id.clone();
            let name = dataset.name.clone();
            view! {
                <div class="upload-status card-lite" data-testid="upload-status"
                    data-status=move || outcome.with(|o| o.as_ref().map(|j| j.status.clone()))>
                    <p class="upload-name">
                        <strong>{dataset.name.clone()}</strong>
                        <span class="muted">{format!("uploaded, {}", bytes(dataset.size_bytes))}</span>
                        {move || outcome.with(|o| o.as_ref().map(|j| j.status == "done")).map(|ready| {
                            if ready {
                                view! { <span class="badge" data-status="ready">"Ready"</span> }.into_any()
                            } else {
                                view! { <span class="badge" data-status="failed">"Failed"</span> }.into_any()
                            }
                        })}
                    </p>
                    <JobProgress job_id label="Profiling" on_finish/>
                    {move || outcome.with(|o| o.as_ref().is_some_and(|j| j.status == "done")).then(|| view! {
                        <a class="button" href=format!("/datasets/{id}")>"Open " {name.clone()}</a>
                    })}
                </div>
            }
            .into_any()
        }
        Stage::Failed { name, message } => view! {
            <div class="upload-status card-lite" data-testid="upload-status" data-status="failed">
                <p class="upload-name"><strong>{name}</strong> " could not be uploaded"</p>
                <p class="error" role="alert">{message}</p>
            </div>
        }
        .into_any(),
    }
}
