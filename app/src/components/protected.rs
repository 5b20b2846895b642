use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::account::Session;

/// Shows its children to signed-in people and sends everyone else to the sign-in page.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let session = expect_context::<Session>();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(_)) => children.with_value(|children| children()).into_any(),
                    _ => view! { <Redirect path="/signin"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
