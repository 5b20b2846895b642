//! Datasets: the files people upload and their profiles.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DatasetsPage() -> impl IntoView {
    view! {
        <Title text="Datasets · Quire"/>
        <section class="page">
            <h1>"Datasets"</h1>
            <div class="empty-state">
                <p class="empty">"No datasets yet."</p>
                <p class="muted">"Upload a CSV or JSON file to profile it and turn it into a PDF report."</p>
            </div>
        </section>
    }
}
