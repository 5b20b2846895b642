use leptos::prelude::*;

use super::providers::sign_in_providers;

/// One "Sign in with …" link per configured provider; nothing at all when none is configured.
/// Plain links (`rel="external"`): the browser must really navigate to the server's handler.
#[component]
pub fn ProviderButtons() -> impl IntoView {
    let providers = Resource::new(|| (), |_| sign_in_providers());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let providers = providers.await.unwrap_or_default();
                (!providers.is_empty()).then(|| view! {
                    <div class="providers">
                        {providers.into_iter().map(|p| view! {
                            <a class="button provider" rel="external" href=format!("/auth/{}/login", p.name)>
                                "Sign in with " {p.display_name}
                            </a>
                        }).collect_view()}
                        <p class="divider"><span>"or with your email"</span></p>
                    </div>
                })
            })}
        </Suspense>
    }
}
