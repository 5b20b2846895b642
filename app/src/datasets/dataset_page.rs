//! `/datasets/:id`: one dataset's profile, first rows and reports.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api;
use super::format::{bytes, count, when};
use super::job_progress::JobProgress;
use super::list_page::TableSkeleton;
use super::profile_view::ProfileView;
use super::reports_list::ReportsList;
use super::status::StatusBadge;
use crate::model::DatasetView;

/// The `:id` of the current route, for this page and the report builder.
pub fn dataset_id_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").unwrap_or_default())
}

#[component]
pub fn DatasetPage() -> impl IntoView {
    let id = dataset_id_param();
    let version = RwSignal::new(0u32);
    let dataset = LocalResource::new(move || {
        version.track();
        let id = id.get();
        async move { api::dataset(&id).await }
    });
    let title = move || {
        dataset
            .map(|d| d.as_ref().ok().map(|d| format!("{} · Quire", d.name)))
            .flatten()
            .unwrap_or_else(|| "Dataset · Quire".into())
    };

    view! {
        <Title text=title/>
        <section class="page">
            <nav class="crumbs" aria-label="Breadcrumb"><a href="/datasets">"Datasets"</a></nav>
            {move || match dataset.get() {
                None => view! { <h1 class="skeleton-title">"Loading…"</h1><TableSkeleton/> }.into_any(),
                Some(Err(e)) => view! {
                    <h1>"Dataset"</h1>
                    <p class="error" role="alert">{e.to_string()}</p>
                }.into_any(),
                Some(Ok(dataset)) => view! { <DatasetDetails dataset version/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn DatasetDetails(dataset: DatasetView, version: RwSignal<u32>) -> impl IntoView {
    let reports_version = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let id = dataset.id.clone();
    let name = dataset.name.clone();
    let delete = move |_| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&format!(
                    "Delete {name}? Its profile and reports are deleted too."
                ))
                .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        let (id, navigate) = (id.clone(), navigate.clone());
        spawn_local(async move {
            match api::delete_dataset(&id).await {
                Ok(()) => navigate("/datasets", Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let ready = dataset.status == "ready";
    let shape = match (dataset.rows, dataset.columns) {
        (Some(r), Some(c)) => format!("{} rows × {} columns", count(r.max(0) as u64), c),
        _ => String::new(),
    };

    let body = match dataset.status.as_str() {
        "ready" => view! {
            <ProfileView dataset_id=dataset.id.clone()/>
            <section class="block" aria-labelledby="reports-heading">
                <h2 id="reports-heading">"Reports"</h2>
                <ReportsList dataset_id=dataset.id.clone() version=reports_version/>
            </section>
        }
        .into_any(),
        "failed" => view! {
            <p class="error" role="alert">
                {dataset.error.clone().unwrap_or_else(|| "Profiling this file failed.".into())}
            </p>
        }
        .into_any(),
        _ => match dataset.job_id.clone() {
            Some(job_id) => view! {
                <div class="card-lite">
                    <JobProgress job_id label="Profiling" on_finish=move |_| version.update(|v| *v += 1)/>
                </div>
            }
            .into_any(),
            None => view! { <p class="muted">"Waiting for profiling to start…"</p> }.into_any(),
        },
    };

    view! {
        <div class="page-head">
            <div>
                <h1>{dataset.name.clone()}</h1>
                <p class="meta">
                    <StatusBadge status=dataset.status.clone()/>
                    <span>{dataset.format.to_uppercase()}</span>
                    <span>{bytes(dataset.size_bytes)}</span>
                    {(!shape.is_empty()).then(|| view! { <span>{shape}</span> })}
                    <span>"Uploaded " {when(&dataset.created_at)}</span>
                </p>
            </div>
            <div class="head-actions">
                {ready.then(|| view! {
                    <a class="button primary" href=format!("/datasets/{}/report", dataset.id)>"Build a report"</a>
                })}
                <button type="button" class="danger" on:click=delete>"Delete"</button>
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        {body}
    }
    .into_any()
}
