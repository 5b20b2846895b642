use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{browser_client, error_code, json_body, spawn_app, Backend, Creds};
use crate::on_both_databases;

on_both_databases!(
    a_token_works_as_bearer_until_it_is_revoked,
    tokens_in_the_query_string_are_refused,
    the_secret_is_shown_once_and_never_listed,
    another_users_token_cannot_be_revoked,
);

async fn a_token_works_as_bearer_until_it_is_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let creds = app.signed_in_user().await;

    let created = json_body(
        app.post_json("/api/v1/tokens", &json!({"name": "nightly upload"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let secret = created["data"]["secret"].as_str().unwrap().to_string();
    let id = created["data"]["token"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("qk_") && secret.len() >= 40, "{secret}");

    let me = json_body(
        app.get_with_token("/api/v1/me", &secret).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["data"]["email"], json!(creds.email));

    let list = json_body(
        app.get_with_token("/api/v1/tokens", &secret).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["meta"]["total"], json!(1));
    assert!(
        list["data"][0]["last_used_at"].is_string(),
        "use is recorded: {list}"
    );

    let revoked = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .send()
        .await
        .unwrap();
    json_body(revoked, StatusCode::OK).await;
    error_code(
        app.get_with_token("/api/v1/me", &secret).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    error_code(
        app.get_with_token("/api/v1/me", "qk_made_up").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn tokens_in_the_query_string_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let created = json_body(
        app.post_json("/api/v1/tokens", &json!({"name": "script"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let secret = created["data"]["secret"].as_str().unwrap();
    for param in ["access_token", "token", "api_key"] {
        let response = reqwest::get(app.url(&format!("/api/v1/me?{param}={secret}")))
            .await
            .unwrap();
        assert_eq!(
            error_code(response, StatusCode::BAD_REQUEST).await,
            "bad_request"
        );
    }
}

async fn the_secret_is_shown_once_and_never_listed(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let created = json_body(
        app.post_json("/api/v1/tokens", &json!({"name": "ci"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let secret = created["data"]["secret"].as_str().unwrap();
    let listed = app.get("/api/v1/tokens").await.text().await.unwrap();
    assert!(
        !listed.contains(secret),
        "the list must not contain the secret"
    );
    assert!(listed.contains(created["data"]["token"]["prefix"].as_str().unwrap()));
}

async fn another_users_token_cannot_be_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let created = json_body(
        app.post_json("/api/v1/tokens", &json!({"name": "mine"}))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let id = created["data"]["token"]["id"].as_str().unwrap();
    let secret = created["data"]["secret"].as_str().unwrap();

    let intruder = browser_client();
    app.sign_up_as(&intruder, &Creds::new()).await;
    let response = intruder
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    json_body(
        app.get_with_token("/api/v1/me", secret).await,
        StatusCode::OK,
    )
    .await;
}
