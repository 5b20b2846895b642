use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::Session;
use crate::components::{ActionError, PasswordField};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Title text="Sign in · Quire"/>
        <section class="card auth">
            <h1>"Sign in"</h1>
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
