use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::Session;
use crate::components::{ActionError, PasswordField};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Title text="Create an account · Quire"/>
        <section class="card auth">
            <h1>"Create an account"</h1>
            <ActionForm action=session.sign_up>
                <label class="field">
                    <span>"Email"</span>
                    <input type="email" name="email" required autocomplete="email"/>
                </label>
                <PasswordField autocomplete="new-password"/>
                <p class="hint">"8 to 128 characters. A passphrase of a few words is easy to remember."</p>
                <button type="submit" class="primary">"Create account"</button>
            </ActionForm>
            <ActionError result=session.sign_up.value()/>
            <p class="muted">"Already have an account? " <A href="/signin">"Sign in"</A></p>
        </section>
    }
}
