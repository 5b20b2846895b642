//! One-call processing and the rate limits in front of it.

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::datasets::SALES_CSV;
use crate::helpers::{
    error_code, json_body, pdf_text, spawn_app, spawn_app_with, Backend, TestApp,
};
use crate::on_both_databases;

/// A script's API token for a fresh user of `app`.
async fn script_token(app: &TestApp) -> String {
    app.signed_in_user().await;
    let created = json_body(
        app.post_json("/api/v1/tokens", &json!({"name": "script"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    created["data"]["secret"].as_str().unwrap().to_owned()
}

async fn process(app: &TestApp, token: &str, query: &str, body: &str) -> reqwest::Response {
    Client::new()
        .post(app.url(&format!("/api/v1/process{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn one_call_turns_data_into_a_pdf(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = script_token(&app).await;
    let spec =
        json!({"title": "Regional amounts", "sections": [{"kind": "cover"}, {"kind": "columns"}]});
    let query = format!("?name=sales.csv&spec={}", urlencode(&spec.to_string()));
    let response = process(&app, &token, &query, SALES_CSV).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("Regional_amounts.pdf"));
    let text = pdf_text(&response.bytes().await.unwrap());
    assert!(text.contains("Regional amounts"), "{text}");
    assert!(text.contains("region"), "{text}");

    // The spec may also come as a form part beside the file.
    let form = reqwest::multipart::Form::new()
        .text("spec", json!({"title": "From a form"}).to_string())
        .part(
            "file",
            reqwest::multipart::Part::text(SALES_CSV).file_name("sales.csv"),
        );
    let response = Client::new()
        .post(app.url("/api/v1/process"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(pdf_text(&response.bytes().await.unwrap()).contains("From a form"));
    // Nothing is kept.
    let kept = std::fs::read_dir(app.data_dir().join("files/process"))
        .map(|e| e.count())
        .unwrap_or(0);
    assert_eq!(kept, 0);
}

async fn malformed_data_gets_422_naming_the_line(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = script_token(&app).await;
    let response = process(&app, &token, "", "a,b\n1,2\n3,4\n5,6,7\n").await;
    let body = json_body(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["code"], "validation_failed");
    assert!(
        body["error"].as_str().unwrap().contains("line 4, column 3"),
        "{body}"
    );

    let response = process(&app, &token, "?spec=%7Bnot%20json", SALES_CSV).await;
    assert_eq!(
        error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
        "validation_failed"
    );
}

async fn the_sixth_process_call_in_a_minute_gets_429_with_its_headers(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[
            ("rate_limit_per_minute", "20"),
            ("rate_limit_costly_per_minute", "5"),
        ],
    )
    .await;
    let token = script_token(&app).await;
    for call in 1..=5 {
        let response = process(&app, &token, "", SALES_CSV).await;
        assert_eq!(response.status(), StatusCode::OK, "call {call}");
        let policy = response.headers()["ratelimit-policy"].to_str().unwrap();
        assert_eq!(policy, "\"costly\";q=5;w=60");
        let remaining = response.headers()["x-ratelimit-remaining"]
            .to_str()
            .unwrap();
        assert_eq!(remaining, (5 - call).to_string());
    }
    let refused = process(&app, &token, "", SALES_CSV).await;
    let headers = refused.headers().clone();
    assert_eq!(
        error_code(refused, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry_after), "{retry_after}");
    assert!(headers["ratelimit"]
        .to_str()
        .unwrap()
        .starts_with("\"costly\";r=0;t="));
    assert_eq!(headers["ratelimit-policy"], "\"costly\";q=5;w=60");
    assert!(headers.contains_key("x-ratelimit-reset"));

    // Cheap calls have their own, larger budget.
    let me = app.get_with_token("/api/v1/datasets", &token).await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.headers()["ratelimit-policy"], "\"default\";q=20;w=60");
}

async fn refused_process_calls_do_not_use_up_the_general_budget(backend: Backend) {
    let app = spawn_app_with(
        backend,
        &[
            ("rate_limit_per_minute", "8"),
            ("rate_limit_costly_per_minute", "2"),
        ],
    )
    .await;
    let token = script_token(&app).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(process(&app, &token, "", SALES_CSV).await.status().as_u16());
    }
    assert_eq!(statuses[..3], [200, 200, 429]);
    assert!(statuses[2..].iter().all(|s| *s == 429), "{statuses:?}");

    // Two accepted calls counted against the 8; the eight refused ones did not.
    let list = app.get_with_token("/api/v1/datasets", &token).await;
    assert_eq!(list.status(), StatusCode::OK);
    assert_eq!(list.headers()["x-ratelimit-remaining"], "5");
}

async fn a_spoofed_forwarded_for_does_not_escape_the_limit(backend: Backend) {
    let app = spawn_app_with(backend, &[("rate_limit_per_minute", "3")]).await;
    let client = Client::new();
    let mut statuses = Vec::new();
    for n in 0..4 {
        let response = client
            .get(app.url("/api/v1/datasets"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429]);
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

on_both_databases!(
    one_call_turns_data_into_a_pdf,
    malformed_data_gets_422_naming_the_line,
    the_sixth_process_call_in_a_minute_gets_429_with_its_headers,
    refused_process_calls_do_not_use_up_the_general_budget,
    a_spoofed_forwarded_for_does_not_escape_the_limit,
);
