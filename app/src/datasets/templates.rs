//! Templates in the report builder: save the current settings under a name, or apply saved
//! ones to this dataset.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::api;
use super::draft::Draft;
use crate::model::TemplateView;

#[component]
pub fn TemplatesPanel(draft: RwSignal<Draft>, columns: StoredValue<Vec<String>>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let templates = LocalResource::new(move || {
        version.track();
        api::templates()
    });
    let chosen = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    // Ok: what happened; Err: why it did not.
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let saving = RwSignal::new(false);

    let loaded = move || -> Vec<TemplateView> {
        templates
            .map(|r| r.as_ref().map(|p| p.items.clone()).unwrap_or_default())
            .unwrap_or_default()
    };

    let apply = move |_| {
        let id = chosen.get_untracked();
        let Some(template) = loaded().into_iter().find(|t| t.id == id) else {
            return;
        };
        let current = draft.get_untracked();
        match Draft::from_json(&template.spec, &columns.get_value(), &current) {
            Ok(next) => {
                draft.set(next);
                name.set(template.name.clone());
                outcome.set(Some(Ok(format!("Applied “{}”.", template.name))));
            }
            Err(e) => outcome.set(Some(Err(e))),
        }
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let title = name.get_untracked().trim().to_string();
        if title.is_empty() || saving.get_untracked() {
            return;
        }
        let spec = draft.with_untracked(Draft::to_json);
        let existing = loaded().into_iter().find(|t| t.name == title).map(|t| t.id);
        saving.set(true);
        spawn_local(async move {
            let result = match &existing {
                Some(id) => api::update_template(id, &title, &spec).await,
                None => api::create_template(&title, &spec).await,
            };
            saving.try_set(false);
            match result {
                Ok(saved) => {
                    let verb = if existing.is_some() {
                        "Updated"
                    } else {
                        "Saved"
                    };
                    outcome.try_set(Some(Ok(format!("{verb} template “{}”.", saved.name))));
                    chosen.try_set(saved.id);
                    version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    outcome.try_set(Some(Err(e.to_string())));
                }
            }
        });
    };

    let delete = move |_| {
        let id = chosen.get_untracked();
        if id.is_empty() {
            return;
        }
        spawn_local(async move {
            match api::delete_template(&id).await {
                Ok(()) => {
                    chosen.try_set(String::new());
                    outcome.try_set(Some(Ok("Template deleted.".into())));
                    version.try_update(|v| *v += 1);
                }
                Err(e) => {
                    outcome.try_set(Some(Err(e.to_string())));
                }
            }
        });
    };

    let will_update = move || {
        let title = name.get();
        let title = title.trim();
        !title.is_empty() && loaded().iter().any(|t| t.name == title)
    };

    view! {
        <section class="panel" aria-labelledby="templates-heading">
            <h2 id="templates-heading">"Templates"</h2>
            <div class="field">
                <label for="template-pick">"Apply a saved template"</label>
                <div class="field-row">
                    <select id="template-pick" prop:value=move || chosen.get()
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">
                            {move || match templates.get() {
                                None => "Loading…",
                                Some(Ok(p)) if p.items.is_empty() => "No templates yet",
                                Some(Ok(_)) => "Choose a template",
                                Some(Err(_)) => "Templates could not be loaded",
                            }}
                        </option>
                        {move || loaded().into_iter().map(|t| view! {
                            <option value=t.id.clone() selected=move || chosen.get() == t.id>{t.name}</option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="ghost" disabled=move || chosen.get().is_empty()
                        on:click=apply>"Apply"</button>
                    <button type="button" class="danger" disabled=move || chosen.get().is_empty()
                        aria-label="Delete the chosen template" on:click=delete>"Delete"</button>
                </div>
            </div>
            <form class="field" on:submit=save>
                <label for="template-name">"Save these settings as a template"</label>
                <div class="field-row">
                    <input id="template-name" type="text" maxlength="100" placeholder="e.g. Monthly sales"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <button type="submit" class="ghost" disabled=move || saving.get()>
                        {move || if will_update() { "Update template" } else { "Save template" }}
                    </button>
                </div>
            </form>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="ok" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
    .into_any()
}
