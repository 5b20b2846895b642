use reqwest::StatusCode;

use crate::helpers::{spawn_app, Backend, Creds};
use crate::on_both_databases;

/// What a browser sends when it navigates or submits a form.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

on_both_databases!(
    the_sign_in_page_renders_with_a_nonced_policy,
    private_pages_send_visitors_to_sign_in,
    the_sign_up_form_works_without_javascript,
);

async fn the_sign_in_page_renders_with_a_nonced_policy(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/signin").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Sign in</h1>"), "{html}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the bootstrap script carries it"
    );
}

async fn private_pages_send_visitors_to_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/datasets", "/tokens"] {
        let response = app
            .client
            .get(app.url(path))
            .header("accept", BROWSER_ACCEPT)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(response.headers()["location"], "/signin", "{path}");
    }
}

async fn the_sign_up_form_works_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = Creds::new();
    let response = app
        .client
        .post(app.url("/rpc/sign_up"))
        .header("accept", BROWSER_ACCEPT)
        .form(&[
            ("email", creds.email.as_str()),
            ("password", creds.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/datasets");

    let page = app.get("/datasets").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    // The list itself loads in the browser; the page around it is rendered here.
    assert!(html.contains("Drop a CSV or JSON file here"), "{html}");
    assert!(
        html.contains(&creds.email),
        "the header shows who is signed in"
    );
}
