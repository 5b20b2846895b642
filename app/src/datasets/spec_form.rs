//! The report builder's form fields, each bound to the shared [`Draft`].

use engine::render::spec::{CorrelationMethod, Orientation, PageSize};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use super::draft::{check_logo, Draft, MAX_LOGO_BYTES};

/// Looks and words of the report.
#[component]
pub fn LookFields(draft: RwSignal<Draft>) -> impl IntoView {
    view! {
        <fieldset class="group">
            <legend>"Cover"</legend>
            <TextField id="spec-title" label="Title" draft required=true
                get=|d| d.title.clone() set=|d, v| d.title = v/>
            <TextField id="spec-subtitle" label="Subtitle" draft
                get=|d| d.subtitle.clone() set=|d, v| d.subtitle = v/>
            <div class="two">
                <TextField id="spec-author" label="Author" draft
                    get=|d| d.author.clone() set=|d, v| d.author = v/>
                <div class="field">
                    <label for="spec-date">"Date"</label>
                    <input id="spec-date" type="date"
                        prop:value=move || draft.with(|d| d.date.clone())
                        on:input=move |ev| draft.update(|d| d.date = event_target_value(&ev))/>
                </div>
            </div>
            <LogoField draft/>
        </fieldset>
        <fieldset class="group">
            <legend>"Page"</legend>
            <div class="three">
                <div class="field">
                    <label for="spec-accent">"Accent colour"</label>
                    <input id="spec-accent" type="color"
                        prop:value=move || draft.with(|d| d.accent.clone())
                        on:input=move |ev| draft.update(|d| d.accent = event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="spec-size">"Page size"</label>
                    <select id="spec-size"
                        prop:value=move || draft.with(|d| if d.page_size == PageSize::Letter { "letter" } else { "a4" })
                        on:change=move |ev| draft.update(|d| {
                            d.page_size = if event_target_value(&ev) == "letter" { PageSize::Letter } else { PageSize::A4 }
                        })>
                        <option value="a4" selected=move || draft.with(|d| d.page_size == PageSize::A4)>"A4"</option>
                        <option value="letter" selected=move || draft.with(|d| d.page_size == PageSize::Letter)>"Letter"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="spec-orientation">"Orientation"</label>
                    <select id="spec-orientation"
                        prop:value=move || draft.with(|d| if d.orientation == Orientation::Landscape { "landscape" } else { "portrait" })
                        on:change=move |ev| draft.update(|d| {
                            d.orientation = if event_target_value(&ev) == "landscape" { Orientation::Landscape } else { Orientation::Portrait }
                        })>
                        <option value="portrait" selected=move || draft.with(|d| d.orientation == Orientation::Portrait)>"Portrait"</option>
                        <option value="landscape" selected=move || draft.with(|d| d.orientation == Orientation::Landscape)>"Landscape"</option>
                    </select>
                </div>
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    draft: RwSignal<Draft>,
    get: fn(&Draft) -> String,
    set: fn(&mut Draft, String),
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" maxlength="200" required=required
                prop:value=move || draft.with(get)
                on:input=move |ev| draft.update(|d| set(d, event_target_value(&ev)))/>
        </div>
    }
    .into_any()
}

/// Reads the chosen image in the browser; its bytes go into the spec as base64.
#[component]
fn LogoField(draft: RwSignal<Draft>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let on_pick = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        if file.size() > MAX_LOGO_BYTES as f64 {
            problem.set(Some("The logo must be at most 1 MB.".into()));
            return;
        }
        spawn_local(async move {
            match read_bytes(&file).await {
                Some(bytes) => match check_logo(&bytes) {
                    Ok(()) => {
                        problem.try_set(None);
                        draft.try_update(|d| d.logo = Some(bytes));
                    }
                    Err(e) => {
                        problem.try_set(Some(capitalised(&e)));
                    }
                },
                None => {
                    problem.try_set(Some("The image could not be read.".into()));
                }
            }
        });
    };
    let has_logo = move || draft.with(|d| d.logo.is_some());
    view! {
        <div class="field">
            <span class="label" id="logo-label">"Logo"</span>
            <div class="field-row logo-row">
                <label class="button ghost file-button">
                    {move || if has_logo() { "Replace logo" } else { "Choose an image" }}
                    <input type="file" class="visually-hidden" accept="image/png,image/jpeg"
                        aria-describedby="logo-hint" on:change=on_pick/>
                </label>
                {move || has_logo().then(|| view! {
                    <button type="button" class="ghost" on:click=move |_| draft.update(|d| d.logo = None)>
                        "Remove logo"
                    </button>
                })}
            </div>
            <p class="hint" id="logo-hint">"PNG or JPEG, at most 1 MB."</p>
            {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        </div>
    }
    .into_any()
}

async fn read_bytes(file: &File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// The sections, in the order the report draws them, and their options.
#[component]
pub fn SectionFields(
    draft: RwSignal<Draft>,
    /// Columns a report can group by.
    group_columns: Vec<String>,
    /// Date and datetime columns.
    time_columns: Vec<String>,
) -> impl IntoView {
    let no_groups = group_columns.is_empty();
    let no_times = time_columns.is_empty();
    view! {
        <fieldset class="group sections">
            <legend>"Sections"</legend>
            <Toggle id="sec-cover" label="Cover page" draft get=|d| d.cover set=|d, v| d.cover = v/>
            <Toggle id="sec-contents" label="Table of contents" draft get=|d| d.contents set=|d, v| d.contents = v/>
            <Toggle id="sec-summary" label="Summary" draft get=|d| d.summary set=|d, v| d.summary = v/>
            <Toggle id="sec-columns" label="A page per column" draft get=|d| d.columns set=|d, v| d.columns = v/>
            <Toggle id="sec-correlations" label="Correlations" draft get=|d| d.correlations set=|d, v| d.correlations = v>
                <label for="sec-correlations-method">"Method"</label>
                <select id="sec-correlations-method"
                    prop:value=move || draft.with(|d| if d.correlation_method == CorrelationMethod::Spearman { "spearman" } else { "pearson" })
                    on:change=move |ev| draft.update(|d| {
                    d.correlation_method = if event_target_value(&ev) == "spearman" {
                        CorrelationMethod::Spearman
                    } else {
                        CorrelationMethod::Pearson
                    }
                })>
                    <option value="pearson" selected=move || draft.with(|d| d.correlation_method == CorrelationMethod::Pearson)>"Pearson"</option>
                    <option value="spearman" selected=move || draft.with(|d| d.correlation_method == CorrelationMethod::Spearman)>"Spearman (ranks)"</option>
                </select>
            </Toggle>
            <Toggle id="sec-group-by" label="Group by" draft disabled=no_groups
                get=|d| d.group_by set=|d, v| d.group_by = v>
                <ColumnSelect id="sec-group-by-column" label="Group-by column" draft choices=group_columns.clone()
                    get=|d| d.group_by_column.clone() set=|d, v| d.group_by_column = v/>
            </Toggle>
            {no_groups.then(|| view! { <p class="hint indent">"No column suits grouping."</p> })}
            <Toggle id="sec-time" label="Time series" draft disabled=no_times
                get=|d| d.time_series set=|d, v| d.time_series = v>
                <ColumnSelect id="sec-time-column" label="Time column" draft choices=time_columns.clone()
                    get=|d| d.time_column.clone() set=|d, v| d.time_column = v/>
            </Toggle>
            {no_times.then(|| view! { <p class="hint indent">"The dataset has no date column."</p> })}
            <Toggle id="sec-sample" label="Sample of rows" draft get=|d| d.sample set=|d, v| d.sample = v>
                <label for="sec-sample-rows">"Rows"</label>
                <input id="sec-sample-rows" type="number" min="1" max="1000" class="narrow"
                    prop:value=move || draft.with(|d| d.sample_rows.to_string())
                    on:input=move |ev| {
                        if let Ok(rows) = event_target_value(&ev).parse::<usize>() {
                            draft.update(|d| d.sample_rows = rows.clamp(1, 1000));
                        }
                    }/>
            </Toggle>
            <Toggle id="sec-notes" label="Notes" draft get=|d| d.notes set=|d, v| d.notes = v>
                <div class="notes">
                    <label for="sec-notes-heading">"Heading"</label>
                    <input id="sec-notes-heading" type="text" maxlength="200" placeholder="Notes"
                        prop:value=move || draft.with(|d| d.notes_heading.clone())
                        on:input=move |ev| draft.update(|d| d.notes_heading = event_target_value(&ev))/>
                    <label for="sec-notes-text">"Text"</label>
                    <textarea id="sec-notes-text" rows="4"
                        prop:value=move || draft.with(|d| d.notes_text.clone())
                        on:input=move |ev| draft.update(|d| d.notes_text = event_target_value(&ev))></textarea>
                    <p class="hint">"Blank lines separate paragraphs; **bold**; lines starting with “- ” are bullets."</p>
                </div>
            </Toggle>
        </fieldset>
    }
    .into_any()
}

/// A section's checkbox, with its options shown while it is on.
#[component]
fn Toggle(
    id: &'static str,
    label: &'static str,
    draft: RwSignal<Draft>,
    get: fn(&Draft) -> bool,
    set: fn(&mut Draft, bool),
    #[prop(optional)] disabled: bool,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    let on = move || !disabled && draft.with(get);
    let children = StoredValue::new(children);
    view! {
        <div class="toggle">
            <label class="check" for=id>
                <input id=id type="checkbox" disabled=disabled
                    prop:checked=on
                    on:change=move |ev| draft.update(|d| set(d, event_target_checked(&ev)))/>
                {label}
            </label>
            {move || (on() && children.with_value(Option::is_some)).then(|| view! {
                <div class="options">{children.with_value(|c| c.as_ref().map(|c| c()))}</div>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn ColumnSelect(
    id: &'static str,
    label: &'static str,
    draft: RwSignal<Draft>,
    choices: Vec<String>,
    get: fn(&Draft) -> Option<String>,
    set: fn(&mut Draft, Option<String>),
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id prop:value=move || draft.with(|d| get(d).unwrap_or_default()) on:change=move |ev| {
            let value = event_target_value(&ev);
            draft.update(|d| set(d, Some(value).filter(|v| !v.is_empty())));
        }>
            {choices.into_iter().map(|name| {
                let current = name.clone();
                view! {
                    <option value=name.clone() selected=move || draft.with(|d| get(d).as_deref() == Some(current.as_str()))>
                        {name.clone()}
                    </option>
                }
            }).collect_view()}
        </select>
    }
    .into_any()
}
