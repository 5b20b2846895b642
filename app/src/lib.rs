//! Quire's user interface: Leptos pages rendered on the server and hydrated in the browser.
//!
//! Each feature module holds its page, its server functions and the types they exchange
//! ([`account`], [`tokens`], [`datasets`]). Server functions are thin: they call the
//! [`services::Services`] the server crate provides, so this crate never touches the database.

pub mod account;
pub mod components;
pub mod datasets;
pub mod error;
pub mod model;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod services;
pub mod tokens;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use account::{AccountPage, Session, SignInPage, SignUpPage};
use components::{Header, Protected};
use datasets::{DatasetPage, DatasetsPage, ReportBuilderPage};
use tokens::TokensPage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Session::provide();

    view! {
        <Stylesheet id="leptos" href="/pkg/quire.css"/>
        <Title text="Quire"/>
        <Router>
            <Header/>
            <main class="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/datasets"/> }/>
                    <Route path=path!("/signin") view=SignInPage/>
                    <Route path=path!("/signup") view=SignUpPage/>
                    <Route
                        path=path!("/datasets")
                        ssr=SsrMode::Async
                        view=|| view! { <Protected><DatasetsPage/></Protected> }
                    />
                    <Route
                        path=path!("/datasets/:id")
                        ssr=SsrMode::Async
                        view=|| view! { <Protected><DatasetPage/></Protected> }
                    />
                    <Route
                        path=path!("/datasets/:id/report")
                        ssr=SsrMode::Async
                        view=|| view! { <Protected><ReportBuilderPage/></Protected> }
                    />
                    <Route
                        path=path!("/tokens")
                        ssr=SsrMode::Async
                        view=|| view! { <Protected><TokensPage/></Protected> }
                    />
                    <Route
                        path=path!("/account")
                        ssr=SsrMode::Async
                        view=|| view! { <Protected><AccountPage/></Protected> }
                    />
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found · Quire"/>
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. " <a href="/">"Go to your datasets"</a></p>
        </section>
    }
}
