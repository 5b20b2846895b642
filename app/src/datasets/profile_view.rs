//! A ready dataset's profile: headline figures, alerts, a card per column, correlations and
//! the first rows.

use engine::profile::{Alert, Profile};
use leptos::prelude::*;

use super::api;
use super::column_card::ColumnCard;
use super::correlations::CorrelationTable;
use super::format::{bytes, count, percent};
use super::list_page::TableSkeleton;
use super::preview_table::PreviewTable;

#[component]
pub fn ProfileView(#[prop(into)] dataset_id: String) -> impl IntoView {
    let id = StoredValue::new(dataset_id);
    let profile = LocalResource::new(move || {
        let id = id.get_value();
        async move { api::profile(&id).await }
    });
    let preview = LocalResource::new(move || {
        let id = id.get_value();
        async move { api::preview(&id).await }
    });

    view! {
        {move || match profile.get() {
            None => view! { <TableSkeleton/> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            Some(Ok(profile)) => view! { <ProfileSections profile/> }.into_any(),
        }}
        <section class="block" aria-labelledby="preview-heading">
            <h2 id="preview-heading">"First rows"</h2>
            {move || match preview.get() {
                None => view! { <TableSkeleton/> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(preview)) => view! { <PreviewTable preview/> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ProfileSections(profile: Profile) -> impl IntoView {
    let cells: u64 = profile.columns.iter().map(|c| c.count + c.missing).sum();
    let missing: u64 = profile.columns.iter().map(|c| c.missing).sum();
    let table = &profile.table;
    let figures = vec![
        ("Rows", count(profile.rows)),
        ("Columns", count(profile.columns.len() as u64)),
        ("Missing cells", percent(missing, cells)),
        ("Duplicate rows", count(table.duplicate_rows)),
        ("Size", bytes(table.bytes as i64)),
        (
            "Encoding",
            table
                .encoding
                .clone()
                .unwrap_or_else(|| table.format.to_uppercase()),
        ),
    ];
    let alerts = profile.alerts.clone();
    let correlations = profile
        .correlations
        .clone()
        .filter(|c| c.columns.len() >= 2);

    view! {
        <dl class="figures" data-testid="figures">
            {figures.into_iter().map(|(term, value)| view! {
                <div><dt>{term}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
        {(!alerts.is_empty()).then(|| view! {
            <section class="block" aria-labelledby="alerts-heading">
                <h2 id="alerts-heading">"Alerts"</h2>
                <AlertList alerts/>
            </section>
        })}
        <section class="block" aria-labelledby="columns-heading">
            <h2 id="columns-heading">"Columns"</h2>
            <div class="column-grid">
                {profile.columns.into_iter().map(|column| view! { <ColumnCard column/> }).collect_view()}
            </div>
        </section>
        {correlations.map(|correlations| view! {
            <section class="block" aria-labelledby="correlations-heading">
                <h2 id="correlations-heading">"Correlations"</h2>
                <p class="muted small">"Pearson's r between numeric columns, from −1 to 1."</p>
                <CorrelationTable correlations/>
            </section>
        })}
    }
    .into_any()
}

#[component]
fn AlertList(alerts: Vec<Alert>) -> impl IntoView {
    view! {
        <ul class="alerts">
            {alerts.into_iter().map(|alert| view! {
                <li data-kind=alert.kind.clone()>
                    <span class="alert-kind">{alert.kind.replace('_', " ")}</span>
                    {alert.column.map(|c| view! { <strong class="alert-column">{c}</strong> })}
                    <span>{alert.message}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
