use leptos::prelude::*;

/// A password input with a Show/Hide toggle. The toggle works only once the page has hydrated.
/// The button sits outside the `<label>` so the field's accessible name is just the label.
#[component]
pub fn PasswordField(
    #[prop(into)] autocomplete: String,
    #[prop(default = "Password")] label: &'static str,
) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    view! {
        <div class="field">
            <label for="password">{label}</label>
            <span class="password-row">
                <input
                    id="password"
                    type=move || if visible.get() { "text" } else { "password" }
                    name="password"
                    required
                    minlength="8"
                    maxlength="128"
                    autocomplete=autocomplete
                />
                <button
                    type="button"
                    class="ghost toggle-password"
                    aria-controls="password"
                    aria-pressed=move || visible.get().to_string()
                    on:click=move |_| set_visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { "Hide" } else { "Show" }}
                </button>
            </span>
        </div>
    }
}
