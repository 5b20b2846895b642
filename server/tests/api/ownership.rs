//! Every dataset, report, template and job belongs to its user; other users get 404.

use reqwest::StatusCode;
use serde_json::json;

use crate::datasets::SALES_CSV;
use crate::helpers::{browser_client, error_code, json_body, spawn_app, Backend, Creds};
use crate::on_both_databases;

async fn another_users_ids_are_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let dataset = app.ready_dataset("sales.csv", SALES_CSV).await;
    let dataset_id = dataset["id"].as_str().unwrap();
    let made = json_body(
        app.post_json("/api/v1/reports", &json!({"dataset_id": dataset_id}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await["data"]
        .clone();
    app.wait_for_job(made["job"]["id"].as_str().unwrap()).await;
    let template = json_body(
        app.post_json(
            "/api/v1/templates",
            &json!({"name": "Mine", "spec": {"title": "T"}}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["data"]
        .clone();
    let report_id = made["report"]["id"].as_str().unwrap();
    let job_id = made["job"]["id"].as_str().unwrap();
    let template_id = template["id"].as_str().unwrap();

    let other = browser_client();
    app.sign_up_as(&other, &Creds::new()).await;
    for path in [
        format!("/api/v1/datasets/{dataset_id}"),
        format!("/api/v1/datasets/{dataset_id}/profile"),
        format!("/api/v1/datasets/{dataset_id}/preview"),
        format!("/api/v1/reports/{report_id}"),
        format!("/api/v1/reports/{report_id}/pdf"),
        format!("/api/v1/templates/{template_id}"),
        format!("/api/v1/jobs/{job_id}"),
        format!("/api/v1/jobs/{job_id}/events"),
    ] {
        let response = other.get(app.url(&path)).send().await.unwrap();
        assert_eq!(
            error_code(response, StatusCode::NOT_FOUND).await,
            "not_found",
            "{path}"
        );
    }
    for path in [
        format!("/api/v1/datasets/{dataset_id}"),
        format!("/api/v1/reports/{report_id}"),
        format!("/api/v1/templates/{template_id}"),
    ] {
        let response = other.delete(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // Nor can they build on them.
    let response = other
        .post(app.url("/api/v1/reports"))
        .json(&json!({"dataset_id": dataset_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let list = json_body(
        other.get(app.url("/api/v1/datasets")).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["meta"]["total"], 0);
    // The owner still has everything.
    assert_eq!(
        app.get(&format!("/api/v1/reports/{report_id}/pdf"))
            .await
            .status(),
        StatusCode::OK
    );
}

on_both_databases!(another_users_ids_are_not_found);
