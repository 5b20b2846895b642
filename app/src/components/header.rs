use leptos::prelude::*;
use leptos_router::components::A;

use crate::account::Session;

/// The top bar: brand, navigation, and the signed-in person with a sign-out button.
#[component]
pub fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Quire"</a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(user)) => view! {
                            <nav class="nav">
                                <A href="/datasets">"Datasets"</A>
                                <A href="/tokens">"API tokens"</A>
                                <A href="/account">"Account"</A>
                            </nav>
                            <div class="who">
                                <span class="email" data-testid="current-user">{user.email}</span>
                                <ActionForm action=session.sign_out>
                                    <button type="submit" class="ghost">"Sign out"</button>
                                </ActionForm>
                            </div>
                        }
                        .into_any(),
                        _ => view! {
                            <nav class="nav">
                                <A href="/signin">"Sign in"</A>
                                <A href="/signup">"Create account"</A>
                            </nav>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}
