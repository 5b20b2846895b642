use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_code, json_body, spawn_app, Backend};
use crate::on_both_databases;

on_both_databases!(
    an_unknown_api_route_gets_the_404_envelope,
    an_internal_failure_gets_a_500_envelope_without_internals,
    health_probes_report_live_and_ready,
    every_response_carries_security_headers_and_a_request_id,
    a_cross_site_form_post_is_refused,
    malformed_json_gets_a_400_envelope,
);

async fn an_unknown_api_route_gets_the_404_envelope(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(
        error_code(response, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

async fn an_internal_failure_gets_a_500_envelope_without_internals(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    // Break the database under the running server.
    let db = server::db::Db::connect(&app.database_url).await.unwrap();
    server::on_db!(&db, pool => sqlx::query("drop table api_tokens").execute(pool).await.map(|_| ())).unwrap();
    let response = app.get("/api/v1/tokens").await;
    let text = response.text().await.unwrap();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body,
        json!({"success": false, "error": "an internal error occurred", "code": "internal_error"})
    );
    for leak in ["api_tokens", "table", "relation", "sqlx", "select"] {
        assert!(
            !text.to_lowercase().contains(leak),
            "leaked {leak:?}: {text}"
        );
    }
}

async fn health_probes_report_live_and_ready(backend: Backend) {
    let app = spawn_app(backend).await;
    let live = json_body(app.get("/health/live").await, StatusCode::OK).await;
    assert_eq!(live["data"]["status"], json!("live"));
    let ready = json_body(app.get("/health/ready").await, StatusCode::OK).await;
    assert_eq!(ready["data"]["status"], json!("ready"));
}

async fn every_response_carries_security_headers_and_a_request_id(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/signin", "/api/v1/me", "/health/live"] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(
            !headers.contains_key("strict-transport-security"),
            "plain http: {path}"
        );
        assert_eq!(
            headers["x-request-id"].to_str().unwrap().len(),
            36,
            "{path}"
        );
    }
}

async fn a_cross_site_form_post_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let response = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("origin", "https://evil.example")
        .json(&json!({"name": "planted"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::FORBIDDEN).await,
        "forbidden"
    );
    let list = json_body(app.get("/api/v1/tokens").await, StatusCode::OK).await;
    assert_eq!(list["meta"]["total"], json!(0));
}

async fn malformed_json_gets_a_400_envelope(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::BAD_REQUEST).await,
        "bad_request"
    );
}
