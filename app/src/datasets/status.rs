//! The state of a dataset or report as a coloured word.

use leptos::prelude::*;

#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let text = match status.as_str() {
        "queued" => "Queued",
        "profiling" => "Profiling",
        "running" => "Generating",
        "ready" => "Ready",
        "failed" => "Failed",
        "done" => "Done",
        _ => "Unknown",
    };
    view! { <span class="badge" data-status=status>{text}</span> }
}
