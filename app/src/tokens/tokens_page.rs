use leptos::prelude::*;
use leptos_meta::Title;

use super::{list_tokens, CreateToken, RevokeToken};
use crate::components::ActionError;
use crate::model::TokenView;

#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );

    view! {
        <Title text="API tokens · Quire"/>
        <section class="page">
            <h1>"API tokens"</h1>
            <p class="lead">
                "Scripts use a token to call the JSON API: "
                <code>"curl -H \"Authorization: Bearer <token>\" /api/v1/me"</code>
            </p>
            <ActionForm action=create>
                <div class="inline-form">
                    <input name="name" placeholder="Name, e.g. nightly-upload" required maxlength="100" aria-label="Token name"/>
                    <button type="submit" class="primary">"Create token"</button>
                </div>
            </ActionForm>
            <ActionError result=create.value()/>
            {move || {
                create.value().get().and_then(Result::ok).map(|created| view! {
                    <div class="notice" id="new-token">
                        <p>"Copy this token now: it will not be shown again."</p>
                        <code class="secret">{created.secret}</code>
                    </div>
                })
            }}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty">"No tokens yet."</p>
                        }.into_any(),
                        Ok(list) => view! { <TokenTable tokens=list revoke/> }.into_any(),
                        Err(error) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(tokens: Vec<TokenView>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    view! {
        <table class="table">
            <thead>
                <tr><th>"Name"</th><th>"Token"</th><th>"Created"</th><th>"Last used"</th><th></th></tr>
            </thead>
            <tbody>
                {tokens.into_iter().map(|token| view! {
                    <tr>
                        <td>{token.name}</td>
                        <td><code>{token.prefix}"…"</code></td>
                        <td>{short_date(&token.created_at)}</td>
                        <td>{token.last_used_at.as_deref().map(short_date).unwrap_or_else(|| "never".to_string())}</td>
                        <td class="actions">
                            <ActionForm action=revoke>
                                <input type="hidden" name="id" value=token.id/>
                                <button type="submit" class="danger">"Revoke"</button>
                            </ActionForm>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `2026-11-22T10:15:00Z` → `2026-11-22 10:15`.
fn short_date(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}
