use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::providers::{get_linked_accounts, oauth_error_message, LinkedAccounts, UnlinkIdentity};
use crate::components::ActionError;

/// How the signed-in person signs in: password or not, linked provider accounts with an Unlink
/// button each, and a "Link …" link for every configured provider.
#[component]
pub fn AccountPage() -> impl IntoView {
    let unlink = ServerAction::<UnlinkIdentity>::new();
    let accounts = Resource::new(move || unlink.version().get(), |_| get_linked_accounts());
    let query = use_query_map();
    let notice = move || {
        let query = query.read();
        if let Some(code) = query.get("error") {
            Some(
                view! { <p class="error" role="alert">{oauth_error_message(&code)}</p> }.into_any(),
            )
        } else {
            query.get("linked").map(|_| {
                view! { <p class="notice" role="status">"The account is linked: you can sign in with it now."</p> }
                    .into_any()
            })
        }
    };

    view! {
        <Title text="Account · Quire"/>
        <section class="page">
            <h1>"Account"</h1>
            {notice}
            <h2>"Ways to sign in"</h2>
            <ActionError result=unlink.value()/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(accounts) => view! { <SignInMethods accounts unlink/> }.into_any(),
                        Err(error) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SignInMethods(accounts: LinkedAccounts, unlink: ServerAction<UnlinkIdentity>) -> impl IntoView {
    let LinkedAccounts {
        has_password,
        identities,
        providers,
    } = accounts;
    // The server refuses to unlink the last way in; don't offer it.
    let can_unlink = has_password || identities.len() > 1;
    let password = if has_password {
        "Email and password: yes."
    } else {
        "Email and password: not set. This account signs in only through the providers below."
    };
    view! {
        <p>{password}</p>
        {if identities.is_empty() {
            view! { <p class="empty">"No provider accounts linked."</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="identities">
                    <thead><tr><th>"Provider"</th><th>"Email"</th><th>"Linked"</th><th></th></tr></thead>
                    <tbody>
                        {identities.into_iter().map(|identity| view! {
                            <tr>
                                <td>{identity.provider_display_name}</td>
                                <td>{identity.email.unwrap_or_else(|| "—".into())}</td>
                                <td>{identity.created_at.get(..10).unwrap_or_default().to_string()}</td>
                                <td class="actions">
                                    {can_unlink.then(|| view! {
                                        <ActionForm action=unlink>
                                            <input type="hidden" name="id" value=identity.id.clone()/>
                                            <button type="submit" class="danger">"Unlink"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {(!providers.is_empty()).then(|| view! {
            <p class="muted">"Link another provider account to sign in with it too:"</p>
            <div class="providers">
                {providers.into_iter().map(|p| view! {
                    <a class="button provider" rel="external" href=format!("/auth/{}/link", p.name)>
                        "Link " {p.display_name}
                    </a>
                }).collect_view()}
            </div>
        })}
    }
}
