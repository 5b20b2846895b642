//! Saved report templates, applied to a dataset.

use reqwest::StatusCode;
use serde_json::json;

use crate::datasets::SALES_CSV;
use crate::helpers::{error_code, json_body, pdf_text, spawn_app, Backend};
use crate::on_both_databases;

async fn a_saved_template_makes_reports_for_any_dataset(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let spec =
        json!({"title": "Monthly review", "sections": [{"kind": "cover"}, {"kind": "summary"}]});
    let created = json_body(
        app.post_json(
            "/api/v1/templates",
            &json!({"name": "Review", "spec": spec}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["data"]
        .clone();
    assert_eq!(created["spec"]["title"], "Monthly review");
    let duplicate = app
        .post_json(
            "/api/v1/templates",
            &json!({"name": "Review", "spec": spec}),
        )
        .await;
    assert_eq!(
        error_code(duplicate, StatusCode::CONFLICT).await,
        "conflict"
    );

    let id = created["id"].as_str().unwrap();
    let renamed = app
        .client
        .put(app.url(&format!("/api/v1/templates/{id}")))
        .json(&json!({"name": "Review v2", "spec": {"title": "Quarterly review", "sections": [{"kind": "cover"}]}}))
        .send()
        .await
        .unwrap();
    let renamed = json_body(renamed, StatusCode::OK).await["data"].clone();
    assert_eq!(renamed["name"], "Review v2");
    let list = json_body(app.get("/api/v1/templates").await, StatusCode::OK).await;
    assert_eq!(list["meta"]["total"], 1);

    let dataset = app.ready_dataset("sales.csv", SALES_CSV).await;
    let made = json_body(
        app.post_json(
            "/api/v1/reports",
            &json!({"dataset_id": dataset["id"], "template_id": id}),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await["data"]
        .clone();
    assert_eq!(made["report"]["title"], "Quarterly review");
    app.wait_for_job(made["job"]["id"].as_str().unwrap()).await;
    let pdf = app
        .get(&format!(
            "/api/v1/reports/{}/pdf",
            made["report"]["id"].as_str().unwrap()
        ))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(pdf_text(&pdf).contains("Quarterly review"));

    let bad = app
        .post_json(
            "/api/v1/templates",
            &json!({"name": "Empty", "spec": {"title": "", "sections": []}}),
        )
        .await;
    assert_eq!(
        error_code(bad, StatusCode::UNPROCESSABLE_ENTITY).await,
        "validation_failed"
    );
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/templates/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/templates/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(a_saved_template_makes_reports_for_any_dataset);
