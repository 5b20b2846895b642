//! A dataset's reports: status, size, date, a download link, and live progress for the ones
//! still being made.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::format::{bytes, when};
use super::job_progress::JobProgress;
use super::status::StatusBadge;
use crate::model::ReportView;

/// Lists the reports of `dataset_id`; reloads whenever `version` changes.
#[component]
pub fn ReportsList(#[prop(into)] dataset_id: String, version: RwSignal<u32>) -> impl IntoView {
    let dataset_id = StoredValue::new(dataset_id);
    let reports = LocalResource::new(move || {
        version.track();
        let id = dataset_id.get_value();
        async move { api::reports(&id).await }
    });
    let error = RwSignal::new(None::<String>);
    let delete = move |id: String| {
        spawn_local(async move {
            match api::delete_report(&id).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };

    view! {
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {move || match reports.get() {
            None => view! { <p class="muted skeleton-line">"Loading reports…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            Some(Ok(page)) if page.items.is_empty() => view! {
                <p class="muted" data-testid="no-reports">"No reports yet."</p>
            }.into_any(),
            Some(Ok(page)) => view! {
                <table class="table" data-testid="reports">
                    <thead>
                        <tr><th>"Title"</th><th>"Status"</th><th>"Size"</th><th>"Created"</th><th></th></tr>
                    </thead>
                    <tbody>
                        {page.items.into_iter().map(|report| view! {
                            <ReportRow report version delete=Callback::new(delete)/>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn ReportRow(
    report: ReportView,
    version: RwSignal<u32>,
    delete: Callback<String>,
) -> impl IntoView {
    let pending = report.status == "queued" || report.status == "running";
    let status = match (&report.job_id, pending) {
        (Some(job_id), true) => view! {
            <JobProgress job_id=job_id.clone() label="Generating" compact=true
                on_finish=move |_| version.update(|v| *v += 1)/>
        }
        .into_any(),
        _ => view! { <StatusBadge status=report.status.clone()/> }.into_any(),
    };
    let id = report.id.clone();
    let title = report.title.clone();
    view! {
        <tr>
            <td>
                {report.title.clone()}
                {report.error.clone().map(|e| view! { <div class="error small">{e}</div> })}
            </td>
            <td class="status-cell">{status}</td>
            <td>{report.size_bytes.map(bytes).unwrap_or_else(|| "—".into())}</td>
            <td>{when(&report.created_at)}</td>
            <td class="actions">
                {(report.status == "ready").then(|| view! {
                    <a class="button small" href=api::report_pdf_url(&report.id) download
                        aria-label=format!("Download {title}")>"Download"</a>
                })}
                <button type="button" class="danger" aria-label=format!("Delete report {}", report.title)
                    on:click=move |_| delete.run(id.clone())>"Delete"</button>
            </td>
        </tr>
    }
    .into_any()
}
