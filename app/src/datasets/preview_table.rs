//! The first rows of a dataset, as the file has them.

use leptos::prelude::*;

use crate::model::PreviewView;

#[component]
pub fn PreviewTable(preview: PreviewView) -> impl IntoView {
    if preview.header.is_empty() {
        return view! { <p class="muted">"The file has no rows to show."</p> }.into_any();
    }
    view! {
        <div class="scroll preview" tabindex="0" role="region" aria-label="First rows of the data">
            <table class="table compact" data-testid="preview">
                <thead>
                    <tr>{preview.header.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {preview.rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
