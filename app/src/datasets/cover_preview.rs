//! An HTML likeness of the report's cover page. It follows the PDF renderer's cover
//! (`engine::render::report::cover`): an accent band on top, the logo and title at 30 % of the
//! height, a short accent rule, then the author, date, source and size. Lengths are in PDF
//! points scaled by `--pt`, so proportions hold for every page size and orientation.

use leptos::prelude::*;

use super::draft::{page_points, Draft};
use super::format::count;

#[component]
pub fn CoverPreview(
    draft: RwSignal<Draft>,
    #[prop(into)] source: String,
    /// What the server prints when the spec has no date: the day the data was uploaded.
    #[prop(into)]
    default_date: String,
    rows: u64,
    columns: u64,
) -> impl IntoView {
    let frame_style = move || {
        draft.with(|d| {
            let (w, h) = page_points(d.page_size, d.orientation);
            // The renderer's margin: 9 % of the shorter side, between 36 and 64 pt.
            let margin = (w.min(h) * 0.09).clamp(36.0, 64.0);
            format!(
                "--pt: calc(100cqw / {w:.2}); --margin: {margin:.1}; --cover-accent: {}; aspect-ratio: {w:.2} / {h:.2}",
                d.accent
            )
        })
    };
    let landscape =
        move || draft.with(|d| d.orientation == engine::render::spec::Orientation::Landscape);
    let size_label = move || {
        draft.with(|d| {
            let size = match d.page_size {
                engine::render::spec::PageSize::A4 => "A4",
                engine::render::spec::PageSize::Letter => "Letter",
            };
            let orientation = match d.orientation {
                engine::render::spec::Orientation::Portrait => "portrait",
                engine::render::spec::Orientation::Landscape => "landscape",
            };
            format!("{size}, {orientation}")
        })
    };
    let shape = format!("{} rows · {} columns", count(rows), count(columns));

    view! {
        <figure class="cover-preview" class:landscape=landscape aria-labelledby="cover-caption">
            <div class="cover-frame">
                <div class="cover-page" style=frame_style data-testid="cover-preview">
                    <div class="cover-band"></div>
                    <div class="cover-body">
                        {move || draft.with(|d| d.logo_url()).map(|src| view! {
                            <img class="cover-logo" src=src alt="Logo"/>
                        })}
                        <p class="cover-title">{move || draft.with(|d| display_title(&d.title))}</p>
                        {move || draft.with(|d| (!d.subtitle.trim().is_empty()).then(|| d.subtitle.clone()))
                            .map(|s| view! { <p class="cover-subtitle">{s}</p> })}
                        <div class="cover-rule"></div>
                        {move || draft.with(|d| (!d.author.trim().is_empty()).then(|| d.author.clone()))
                            .map(|s| view! { <p class="cover-line">{s}</p> })}
                        <p class="cover-line">{move || draft.with(|d| {
                            if d.date.is_empty() { default_date.clone() } else { d.date.clone() }
                        })}</p>
                        <p class="cover-line">{source}</p>
                        <p class="cover-line">{shape}</p>
                    </div>
                </div>
            </div>
            <figcaption id="cover-caption" class="muted small">
                "Cover preview · " {size_label}
                {move || draft.with(|d| (!d.cover).then_some(" · the cover section is off"))}
            </figcaption>
        </figure>
    }
    .into_any()
}

fn display_title(title: &str) -> String {
    if title.trim().is_empty() {
        "Data report".into()
    } else {
        title.to_string()
    }
}
