use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::provider_buttons::ProviderButtons;
use super::providers::oauth_error_message;
use super::Session;
use crate::components::{ActionError, PasswordField};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    // Set by the server when a provider sign-in did not work out.
    let provider_error = move || {
        use_query_map()
            .read()
            .get("error")
            .map(|code| view! { <p class="error" role="alert">{oauth_error_message(&code)}</p> })
    };
    view! {
        <Title text="Sign in · Quire"/>
        <section class="card auth">
            <h1>"Sign in"</h1>
            {provider_error}
            <ProviderButtons/>
            <ActionForm action=session.sign_in>
                <label class="field">
                    <span>"Email"</span>
                    <input type="email" name="email" required autocomplete="email"/>
                </label>
                <PasswordField autocomplete="current-password"/>
                <button type="submit" class="primary">"Sign in"</button>
            </ActionForm>
            <ActionError result=session.sign_in.value()/>
            <p class="muted">"New to Quire? " <A href="/signup">"Create an account"</A></p>
        </section>
    }
}
