//! Sign-in with an OpenID Connect provider (and GitHub's flavour of OAuth 2.0), against a real
//! provider that can be told to misbehave. Every refusal must leave the browser signed out and
//! land on a page that explains it, never on a 500.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{browser_client, spawn_app_with, Backend, Creds, TestApp};
use crate::oidc_provider::{approve, me, server_fn, sign_in_with, MockProvider};
use crate::on_both_databases;

on_both_databases!(
    a_first_sign_in_creates_a_user_and_the_next_reaches_the_same_one,
    a_signed_in_user_links_a_provider_and_then_signs_in_with_it,
);

/// Quire with the mock configured as provider `mock`, or `None` when the mock is unavailable.
async fn app_with_provider(backend: Backend) -> Option<(TestApp, MockProvider)> {
    let provider = MockProvider::start()?;
    let app = spawn_app_with(backend, &[("oauth.mock", &provider.oidc_settings())]).await;
    Some((app, provider))
}

async fn a_first_sign_in_creates_a_user_and_the_next_reaches_the_same_one(backend: Backend) {
    let Some((app, provider)) = app_with_provider(backend).await else {
        return;
    };
    provider
        .set(json!({ "sub": "alice-1", "email": "Alice@Example.org" }))
        .await;

    let landed = sign_in_with(&app, &app.client, "/auth/mock/login").await;
    assert_eq!(landed, "/datasets");
    let first = me(&app, &app.client).await.expect("signed in");
    assert_eq!(first["email"], json!("alice@example.org"));

    // Quire asked for PKCE S256 and a nonce, and sent its verifier with the code.
    let seen = provider.seen().await;
    assert_eq!(seen["authorize"]["code_challenge_method"], json!("S256"));
    assert!(seen["authorize"]["nonce"]
        .as_str()
        .is_some_and(|n| n.len() >= 16));
    assert!(seen["authorize"]["scope"]
        .as_str()
        .is_some_and(|s| s.contains("openid")));
    assert_eq!(seen["token_had_verifier"], json!(true));

    app.sign_out().await;
    assert!(me(&app, &app.client).await.is_none());
    sign_in_with(&app, &app.client, "/auth/mock/login").await;
    let second = me(&app, &app.client).await.expect("signed in again");
    assert_eq!(second["id"], first["id"]);

    // A provider-only account has no password to guess.
    let password_attempt = app
        .sign_in(&Creds {
            email: "alice@example.org".into(),
            password: "correct horse battery staple".into(),
        })
        .await;
    assert_eq!(password_attempt.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_state_is_refused() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    let approved = approve(&app, &app.client, "/auth/mock/login").await;
    let tampered = format!("{}x", approved.state);
    let response = app
        .get(&approved.callback_with(&approved.code, &tampered))
        .await;
    assert_refused(&app, response, "/signin?error=state").await;

    // The state is spent even by a failed attempt: the genuine callback no longer works.
    let response = app.get(&approved.callback).await;
    assert_refused(&app, response, "/signin?error=state").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_callback_does_not_sign_anyone_in() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    let approved = approve(&app, &app.client, "/auth/mock/login").await;
    let response = app.get(&approved.callback).await;
    assert_eq!(response.headers()["location"], "/datasets");

    // Someone who captured the callback URL replays it in their own browser...
    let attacker = browser_client();
    let response = attacker
        .get(app.url(&approved.callback))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/signin?error=state");
    assert!(me(&app, &attacker).await.is_none());
    // ...and the original browser cannot use it twice either.
    app.sign_out().await;
    let response = app.get(&approved.callback).await;
    assert_refused(&app, response, "/signin?error=state").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_issued_to_another_session_fails_the_pkce_check() {
    let Some((app, provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    // The victim's browser got a code for its own flow (and PKCE challenge)...
    let victim = browser_client();
    let stolen = approve(&app, &victim, "/auth/mock/login").await;
    // ...and an attacker pastes it into a flow of their own, with their own valid state.
    let own = approve(&app, &app.client, "/auth/mock/login").await;
    let response = app.get(&own.callback_with(&stolen.code, &own.state)).await;
    assert_refused(&app, response, "/signin?error=provider").await;
    assert_eq!(
        provider.seen().await["authorize"]["code_challenge_method"],
        json!("S256")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_in_a_session_without_a_pending_sign_in_is_refused() {
    // Without the pending sign-in there is no PKCE verifier to send (and the provider used
    // here refuses token requests without one): Quire stops before the exchange.
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    let approved = approve(&app, &app.client, "/auth/mock/login").await;
    let fresh_browser = browser_client();
    let response = fresh_browser
        .get(app.url(&approved.callback))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/signin?error=state");
    assert!(me(&app, &fresh_browser).await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_tokens_with_a_wrong_audience_nonce_issuer_or_expiry_or_no_signature_are_refused() {
    let Some((app, provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    for misbehave in [
        "wrong_aud",
        "wrong_nonce",
        "expired",
        "alg_none",
        "wrong_iss",
    ] {
        provider.set(json!({ "misbehave": misbehave })).await;
        let approved = approve(&app, &app.client, "/auth/mock/login").await;
        let response = app.get(&approved.callback).await;
        assert_eq!(
            response.headers()["location"],
            "/signin?error=provider",
            "{misbehave}"
        );
        assert!(me(&app, &app.client).await.is_none(), "{misbehave}");
    }
    // The same provider behaving again signs in: the refusals were about the tokens.
    provider.set(json!({ "misbehave": null })).await;
    assert_eq!(
        sign_in_with(&app, &app.client, "/auth/mock/login").await,
        "/datasets"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_consent_lands_on_the_sign_in_page_with_a_message() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    let approved = approve(&app, &app.client, "/auth/mock/login").await;
    let path = approved.callback.split('?').next().unwrap_or_default();
    let response = app
        .get(&format!(
            "{path}?error=access_denied&state={}",
            approved.state
        ))
        .await;
    assert_refused(&app, response, "/signin?error=denied").await;

    let page = app.get("/signin?error=denied").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("cancelled at the provider"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_provider_gives_a_message_not_a_500() {
    // Nothing listens on port 9 of this machine.
    let app = spawn_app_with(
        Backend::Sqlite,
        &[(
            "oauth.down",
            "{ issuer = \"http://127.0.0.1:9\", client_id = \"x\", allow_http = true }",
        )],
    )
    .await;
    let response = app.get("/auth/down/login").await;
    assert_refused(&app, response, "/signin?error=unreachable").await;
    let response = app.get("/auth/nonesuch/login").await;
    assert_refused(&app, response, "/signin?error=unknown_provider").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_email_from_two_issuers_makes_two_users() {
    let (Some(one), Some(two)) = (MockProvider::start(), MockProvider::start()) else {
        return;
    };
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("oauth.one", &one.oidc_settings()),
            ("oauth.two", &two.oidc_settings()),
        ],
    )
    .await;
    for provider in [&one, &two] {
        provider
            .set(json!({ "sub": "same-sub", "email": "shared@example.org" }))
            .await;
    }
    let first = browser_client();
    sign_in_with(&app, &first, "/auth/one/login").await;
    let second = browser_client();
    sign_in_with(&app, &second, "/auth/two/login").await;
    let (a, b) = (
        me(&app, &first).await.unwrap(),
        me(&app, &second).await.unwrap(),
    );
    assert_ne!(a["id"], b["id"], "no silent merge by e-mail");
    assert_eq!(a["email"], b["email"]);

    // Nor with a password account of that address.
    let creds = Creds {
        email: "shared@example.org".into(),
        password: "correct horse battery staple".into(),
    };
    let owner = browser_client();
    assert_eq!(
        app.sign_up_as(&owner, &creds).await.status(),
        StatusCode::CREATED
    );
    let c = me(&app, &owner).await.unwrap();
    assert_ne!(c["id"], a["id"]);
    assert_ne!(c["id"], b["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_sign_in_only_local_paths_are_followed() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    for (next, expected) in [
        ("https%3A%2F%2Fevil.example", "/datasets"),
        ("%2F%2Fevil.example", "/datasets"),
        ("%2F%5Cevil.example", "/datasets"),
        ("%2Ftokens", "/tokens"),
    ] {
        let client = browser_client();
        let landed = sign_in_with(&app, &client, &format!("/auth/mock/login?next={next}")).await;
        assert_eq!(landed, expected, "next={next}");
    }
}

async fn a_signed_in_user_links_a_provider_and_then_signs_in_with_it(backend: Backend) {
    let Some((app, provider)) = app_with_provider(backend).await else {
        return;
    };
    provider
        .set(json!({ "sub": "bob-7", "email": "bob@elsewhere.example" }))
        .await;
    let creds = app.signed_in_user().await;
    let owner = me(&app, &app.client).await.unwrap();

    assert_eq!(
        sign_in_with(&app, &app.client, "/auth/mock/link").await,
        "/account?linked=mock"
    );
    let (status, linked) = server_fn(&app, &app.client, "linked_accounts", &[]).await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["has_password"], json!(true));
    assert_eq!(
        linked["identities"][0]["email"],
        json!("bob@elsewhere.example")
    );
    assert_eq!(linked["providers"][0]["display_name"], json!("Test ID"));
    let identity_id = linked["identities"][0]["id"].as_str().unwrap().to_string();

    // The provider now reaches the password account.
    let other_browser = browser_client();
    sign_in_with(&app, &other_browser, "/auth/mock/login").await;
    assert_eq!(me(&app, &other_browser).await.unwrap()["id"], owner["id"]);

    // Another user cannot link the same provider account.
    let intruder = browser_client();
    app.sign_up_as(&intruder, &Creds::new()).await;
    assert_eq!(
        sign_in_with(&app, &intruder, "/auth/mock/link").await,
        "/account?error=linked_elsewhere"
    );

    // Unlinking works while the password remains; then the provider makes a new user.
    let (status, _) = server_fn(
        &app,
        &app.client,
        "unlink_identity",
        &[("id", &identity_id)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let fresh = browser_client();
    sign_in_with(&app, &fresh, "/auth/mock/login").await;
    assert_ne!(me(&app, &fresh).await.unwrap()["id"], owner["id"]);
    assert_eq!(app.sign_in(&creds).await.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_way_to_sign_in_cannot_be_unlinked() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    sign_in_with(&app, &app.client, "/auth/mock/login").await;
    let (_, linked) = server_fn(&app, &app.client, "linked_accounts", &[]).await;
    assert_eq!(linked["has_password"], json!(false));
    let id = linked["identities"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = server_fn(&app, &app.client, "unlink_identity", &[("id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, linked) = server_fn(&app, &app.client, "linked_accounts", &[]).await;
    assert_eq!(linked["identities"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linking_needs_a_session_and_a_same_site_start() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    let response = app.get("/auth/mock/link").await;
    assert_refused(&app, response, "/signin?error=sign_in_required").await;

    app.signed_in_user().await;
    let response = app
        .client
        .get(app.url("/auth/mock/link"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/account?error=cross_site");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_github_preset_uses_the_user_api_id_as_subject() {
    let Some(provider) = MockProvider::start() else {
        return;
    };
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("oauth.github", &provider.github_settings())],
    )
    .await;
    provider
        .set(json!({ "sub": "583231", "email": "octo@example.org" }))
        .await;
    let approved = approve(&app, &app.client, "/auth/github/login").await;
    assert!(approved
        .authorize_url
        .contains("code_challenge_method=S256"));
    assert!(!approved.authorize_url.contains("nonce="));
    let response = app.get(&approved.callback).await;
    assert_eq!(response.headers()["location"], "/datasets");
    let user = me(&app, &app.client).await.expect("signed in");
    assert_eq!(user["email"], json!("octo@example.org"));

    let (_, linked) = server_fn(&app, &app.client, "linked_accounts", &[]).await;
    assert_eq!(
        linked["identities"][0]["provider_display_name"],
        json!("GitHub")
    );
    let (_, providers) = server_fn(&app, &app.client, "sign_in_providers", &[]).await;
    assert_eq!(
        providers,
        json!([{ "name": "github", "display_name": "GitHub" }])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_shows_a_button_per_provider_and_none_without() {
    let Some((app, _provider)) = app_with_provider(Backend::Sqlite).await else {
        return;
    };
    // Without the markers Leptos puts between adjacent text nodes.
    let page = app
        .get("/signin")
        .await
        .text()
        .await
        .unwrap()
        .replace("<!>", "");
    assert!(page.contains("Sign in with Test ID"), "{page}");
    assert!(page.contains("href=\"/auth/mock/login\""));

    let plain = spawn_app_with(Backend::Sqlite, &[]).await;
    let page = plain.get("/signin").await.text().await.unwrap();
    assert!(!page.contains("Sign in with"));
}

/// A refusal: a redirect to the explaining page, and nobody signed in.
async fn assert_refused(app: &TestApp, response: reqwest::Response, expected: &str) {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], expected);
    assert!(
        me(app, &app.client).await.is_none(),
        "signed in after {expected}"
    );
}
