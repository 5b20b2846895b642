//! `/datasets`: the upload zone and the person's datasets, newest first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::api::{self, Page};
use super::format::{bytes, count, when};
use super::job_progress::JobProgress;
use super::status::StatusBadge;
use super::upload::Upload;
use crate::model::DatasetView;

const PER_PAGE: u64 = 20;

#[component]
pub fn DatasetsPage() -> impl IntoView {
    let page = RwSignal::new(1u64);
    let version = RwSignal::new(0u32);
    let datasets = LocalResource::new(move || {
        version.track();
        let page = page.get();
        async move { api::list_datasets(page, PER_PAGE).await }
    });
    let reload = Callback::new(move |()| version.update(|v| *v += 1));
    let error = RwSignal::new(None::<String>);

    view! {
        <Title text="Datasets · Quire"/>
        <section class="page">
            <h1>"Datasets"</h1>
            <p class="lead">"Upload a table, see its profile, and turn it into a PDF report."</p>
            <Upload on_profiled=reload/>
            <h2 class="section-title">"Uploaded files"</h2>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            // Its own boundary: the list loads in the browser, and the page around it must not
            // wait for it when rendered on the server.
            <Suspense fallback=|| view! { <TableSkeleton/> }>
                {move || match datasets.get() {
                    None => view! { <TableSkeleton/> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Some(Ok(list)) if list.items.is_empty() && list.page <= 1 => view! {
                        <div class="empty-state">
                            <p class="empty">"No datasets yet."</p>
                            <p class="muted">"Upload a CSV or JSON file to profile it and turn it into a PDF report."</p>
                        </div>
                    }.into_any(),
                    Some(Ok(list)) => {
                        let total = list.total;
                        view! { <DatasetTable list reload error/> <Pager page total/> }.into_any()
                    }
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn DatasetTable(
    list: Page<DatasetView>,
    reload: Callback<()>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let delete = move |dataset: DatasetView| {
        let question = format!(
            "Delete {}? Its profile and reports are deleted too.",
            dataset.name
        );
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            match api::delete_dataset(&dataset.id).await {
                Ok(()) => reload.run(()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <table class="table" data-testid="datasets">
            <thead>
                <tr>
                    <th>"Name"</th><th>"Rows × columns"</th><th>"Size"</th><th>"Status"</th>
                    <th>"Uploaded"</th><th><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {list.items.into_iter().map(|dataset| {
                    let pending = dataset.status == "queued" || dataset.status == "profiling";
                    let status = match (&dataset.job_id, pending) {
                        (Some(job_id), true) => view! {
                            <JobProgress job_id=job_id.clone() label="Profiling" compact=true
                                on_finish=move |_| reload.run(())/>
                        }.into_any(),
                        _ => view! { <StatusBadge status=dataset.status.clone()/> }.into_any(),
                    };
                    let shape = match (dataset.rows, dataset.columns) {
                        (Some(r), Some(c)) => format!("{} × {}", count(r.max(0) as u64), c),
                        _ => "—".into(),
                    };
                    let target = dataset.clone();
                    view! {
                        <tr>
                            <td><a href=format!("/datasets/{}", dataset.id)>{dataset.name.clone()}</a>
                                <span class="format">{dataset.format.to_uppercase()}</span></td>
                            <td>{shape}</td>
                            <td>{bytes(dataset.size_bytes)}</td>
                            <td class="status-cell">{status}</td>
                            <td>{when(&dataset.created_at)}</td>
                            <td class="actions">
                                <button type="button" class="danger"
                                    aria-label=format!("Delete {}", dataset.name)
                                    on:click=move |_| delete(target.clone())>"Delete"</button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Previous/next when the list is longer than a page.
#[component]
fn Pager(page: RwSignal<u64>, total: u64) -> impl IntoView {
    let pages = total.div_ceil(PER_PAGE).max(1);
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                <button type="button" class="ghost" disabled=move || page.get() <= 1
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>"Previous"</button>
                <span>{move || format!("Page {} of {pages}", page.get())}</span>
                <button type="button" class="ghost" disabled=move || page.get() >= pages
                    on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </nav>
        }
    })
}

/// Grey rows while the list loads in the browser (the server renders this too).
#[component]
pub fn TableSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            <div class="skeleton-line"></div>
            <div class="skeleton-line"></div>
            <div class="skeleton-line"></div>
        </div>
    }
    .into_any()
}
