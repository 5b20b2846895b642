//! `/datasets/:id/report`: shape a report, see its cover, generate it and download it.

use engine::profile::{ColumnType, Profile};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::api::{self, ApiError, ReportStarted};
use super::cover_preview::CoverPreview;
use super::dataset_page::dataset_id_param;
use super::draft::Draft;
use super::job_progress::JobProgress;
use super::list_page::TableSkeleton;
use super::reports_list::ReportsList;
use super::spec_form::{LookFields, SectionFields};
use super::templates::TemplatesPanel;
use crate::model::{DatasetView, JobView};

#[component]
pub fn ReportBuilderPage() -> impl IntoView {
    let id = dataset_id_param();
    let loaded = LocalResource::new(move || {
        let id = id.get();
        async move {
            let dataset = api::dataset(&id).await?;
            let profile = api::profile(&id).await?;
            Ok::<_, ApiError>((dataset, profile))
        }
    });

    view! {
        <Title text="Report builder · Quire"/>
        <section class="page">
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="/datasets">"Datasets"</a>
                {move || loaded.get().and_then(Result::ok).map(|(d, _)| view! {
                    <a href=format!("/datasets/{}", d.id)>{d.name}</a>
                })}
            </nav>
            <h1>"Report builder"</h1>
            {move || match loaded.get() {
                None => view! { <TableSkeleton/> }.into_any(),
                Some(Err(e)) if e.code == "not_ready" => view! {
                    <p class="error" role="alert">"This dataset is still being profiled; try again in a moment."</p>
                }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok((dataset, profile))) => view! { <Builder dataset profile/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Builder(dataset: DatasetView, profile: Profile) -> impl IntoView {
    let (group_columns, time_columns) = column_choices(&profile);
    let draft = RwSignal::new(Draft::for_dataset(
        &dataset.name,
        default_group(&profile),
        time_columns.first().cloned(),
    ));
    // Sections this dataset cannot fill start switched off.
    draft.update(|d| {
        d.group_by &= !group_columns.is_empty();
        d.time_series &= !time_columns.is_empty();
        if d.group_by_column.is_none() {
            d.group_by_column = group_columns.first().cloned();
        }
    });
    let columns = StoredValue::new(profile.columns.iter().map(|c| c.name.clone()).collect());
    let dataset_id = StoredValue::new(dataset.id.clone());
    let reports_version = RwSignal::new(0u32);
    let started = RwSignal::new(None::<ReportStarted>);
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);

    let generate = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let spec = draft.with_untracked(Draft::to_json);
        let id = dataset_id.get_value();
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::create_report(&id, &spec).await;
            sending.try_set(false);
            match result {
                Ok(report) => {
                    started.try_set(Some(report));
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };

    view! {
        <p class="lead">"For " <strong>{dataset.name.clone()}</strong>
            {format!(" · {} rows × {} columns", profile.rows, profile.columns.len())}</p>
        <div class="builder">
            <form class="builder-form" on:submit=generate aria-label="Report settings">
                <LookFields draft/>
                <SectionFields draft group_columns time_columns/>
                <div class="generate">
                    <button type="submit" class="primary" disabled=move || sending.get()>
                        {move || if sending.get() { "Starting…" } else { "Generate report" }}
                    </button>
                    <span class="hint">"The PDF is made in the background; you can leave this page."</span>
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                {move || started.get().map(|s| view! { <Generation started=s reports_version/> })}
            </form>
            <aside class="builder-side">
                <CoverPreview draft source=dataset.name.clone() rows=profile.rows
                    default_date=dataset.created_at.get(..10).unwrap_or_default().to_string()
                    columns=profile.columns.len() as u64/>
                <TemplatesPanel draft columns/>
            </aside>
        </div>
        <section class="block" aria-labelledby="reports-heading">
            <h2 id="reports-heading">"Reports of this dataset"</h2>
            <ReportsList dataset_id=dataset.id.clone() version=reports_version/>
        </section>
    }
    .into_any()
}

/// The report just asked for: its progress, then a download link.
#[component]
fn Generation(started: ReportStarted, reports_version: RwSignal<u32>) -> impl IntoView {
    let finished = RwSignal::new(None::<JobView>);
    let report = started.report;
    let on_finish = move |job: JobView| {
        finished.set(Some(job));
        // The list shows the new report only once it is finished, so only this bar follows it.
        reports_version.update(|v| *v += 1);
    };
    view! {
        <div class="card-lite generation" data-testid="generation">
            <JobProgress job_id=started.job.id label=format!("Generating “{}”", report.title) on_finish/>
            {move || finished.get().filter(|j| j.status == "done").map(|_| view! {
                <a class="button primary" href=api::report_pdf_url(&report.id) download>"Download the PDF"</a>
            })}
        </div>
    }
    .into_any()
}

/// Columns a report can group by (anything but decimals and dates) and follow over time.
fn column_choices(profile: &Profile) -> (Vec<String>, Vec<String>) {
    let group = profile
        .columns
        .iter()
        .filter(|c| {
            matches!(
                c.column_type,
                ColumnType::Text | ColumnType::Boolean | ColumnType::Integer | ColumnType::Mixed
            )
        })
        .map(|c| c.name.clone())
        .collect();
    let time = profile
        .columns
        .iter()
        .filter(|c| c.column_type.is_temporal())
        .map(|c| c.name.clone())
        .collect();
    (group, time)
}

/// A text or boolean column with a handful of values makes a readable group-by table.
fn default_group(profile: &Profile) -> Option<String> {
    profile
        .columns
        .iter()
        .find(|c| {
            matches!(c.column_type, ColumnType::Text | ColumnType::Boolean)
                && (2..=50).contains(&c.distinct)
        })
        .or_else(|| {
            profile.columns.iter().find(|c| {
                !c.column_type.is_numeric() && !c.column_type.is_temporal() && c.distinct >= 2
            })
        })
        .map(|c| c.name.clone())
}
