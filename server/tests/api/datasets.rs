//! Upload → profiling job → profile → report job → PDF, from a script's point of view.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, json_body, pdf_text, spawn_app, Backend};
use crate::on_both_databases;

pub const SALES_CSV: &str = "region,amount,when\n\
                             north,10,2026-01-01\n\
                             south,20,2026-01-02\n\
                             north,30,2026-01-03\n\
                             east,40,2026-01-04\n";

fn column<'a>(profile: &'a Value, name: &str) -> &'a Value {
    profile["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name} in {profile}"))
}

async fn a_csv_upload_is_profiled_and_becomes_a_downloadable_report(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;

    let created = app.upload_csv("sales.csv", SALES_CSV).await;
    assert_eq!(created["dataset"]["name"], "sales.csv");
    assert_eq!(created["dataset"]["format"], "csv");
    assert_eq!(created["dataset"]["size_bytes"], SALES_CSV.len());
    assert_eq!(created["job"]["kind"], "profile");
    let job = app
        .wait_for_job(created["job"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["progress"], 1.0);

    let id = created["dataset"]["id"].as_str().unwrap();
    let dataset = json_body(
        app.get(&format!("/api/v1/datasets/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dataset["data"]["status"], "ready");
    assert_eq!(dataset["data"]["rows"], 4);
    assert_eq!(dataset["data"]["columns"], 3);

    let profile = json_body(
        app.get(&format!("/api/v1/datasets/{id}/profile")).await,
        StatusCode::OK,
    )
    .await["data"]
        .clone();
    let amount = column(&profile, "amount");
    assert_eq!(amount["type"], "integer");
    assert_eq!(amount["mean"], 25.0);
    // statistics.stdev([10, 20, 30, 40])
    let std = amount["std"].as_f64().unwrap();
    assert!((std - 12.909944487358056).abs() < 1e-12, "{std}");
    assert_eq!(column(&profile, "when")["type"], "date");

    let preview = json_body(
        app.get(&format!("/api/v1/datasets/{id}/preview")).await,
        StatusCode::OK,
    )
    .await["data"]
        .clone();
    assert_eq!(preview["header"], json!(["region", "amount", "when"]));
    assert_eq!(preview["rows"][3], json!(["east", "40", "2026-01-04"]));

    let spec = json!({
        "title": "Quarterly sales",
        "accent": "#0a7d5a",
        "group_by": "region",
        "sections": [{"kind": "cover"}, {"kind": "columns"}, {"kind": "group_by"}],
    });
    let made = json_body(
        app.post_json("/api/v1/reports", &json!({"dataset_id": id, "spec": spec}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await["data"]
        .clone();
    assert_eq!(made["report"]["status"], "queued");
    let job = app.wait_for_job(made["job"]["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "done", "{job}");

    let report_id = made["report"]["id"].as_str().unwrap();
    let report = json_body(
        app.get(&format!("/api/v1/reports/{report_id}")).await,
        StatusCode::OK,
    )
    .await["data"]
        .clone();
    assert_eq!(report["status"], "ready");
    assert_eq!(report["title"], "Quarterly sales");

    let download = app.get(&format!("/api/v1/reports/{report_id}/pdf")).await;
    assert_eq!(download.status(), StatusCode::OK);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename=\"Quarterly_sales.pdf\""));
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let pdf = download.bytes().await.unwrap();
    assert_eq!(report["size_bytes"], pdf.len());
    let text = pdf_text(&pdf);
    assert!(text.contains("Quarterly sales"), "{text}");
    assert!(text.contains("amount"), "{text}");
    // The group-by section was computed by the report's own profile.
    assert!(text.contains("north"), "{text}");

    let again = app
        .client
        .get(app.url(&format!("/api/v1/reports/{report_id}/pdf")))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

async fn a_json_file_sent_as_a_form_is_profiled_with_flattened_names(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let people = r#"[{"name": "Ana", "address": {"city": "Lisboa"}, "age": 31},
                     {"name": "Bo", "address": {"city": "Oslo"}, "age": 45}]"#;
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text(people)
            .file_name("people.json")
            .mime_str("application/octet-stream")
            .unwrap(),
    );
    let response = app.upload_form(form).await;
    let created = json_body(response, StatusCode::CREATED).await["data"].clone();
    assert_eq!(created["dataset"]["format"], "json");
    let job = app
        .wait_for_job(created["job"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["status"], "done", "{job}");
    let id = created["dataset"]["id"].as_str().unwrap();
    let profile = json_body(
        app.get(&format!("/api/v1/datasets/{id}/profile")).await,
        StatusCode::OK,
    )
    .await["data"]
        .clone();
    assert_eq!(column(&profile, "address.city")["distinct"], 2);
    assert_eq!(column(&profile, "age")["mean"], 38.0);
}

async fn a_malformed_csv_fails_its_job_with_the_line_named(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let created = app.upload_csv("bad.csv", "a,b\n1,2\n3,4,5\n").await;
    let job = app
        .wait_for_job(created["job"]["id"].as_str().unwrap())
        .await;
    assert_eq!(job["status"], "failed");
    assert!(
        job["error"].as_str().unwrap().contains("line 3, column 3"),
        "{job}"
    );
    let id = created["dataset"]["id"].as_str().unwrap();
    let dataset = json_body(
        app.get(&format!("/api/v1/datasets/{id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dataset["data"]["status"], "failed");
    assert!(dataset["data"]["error"]
        .as_str()
        .unwrap()
        .contains("line 3"));
    let code = error_code(
        app.get(&format!("/api/v1/datasets/{id}/profile")).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "not_ready");
}

async fn deleting_a_dataset_removes_its_file_and_reports(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    let dataset = app.ready_dataset("sales.csv", SALES_CSV).await;
    let id = dataset["id"].as_str().unwrap();
    let made = json_body(
        app.post_json("/api/v1/reports", &json!({"dataset_id": id}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await["data"]
        .clone();
    app.wait_for_job(made["job"]["id"].as_str().unwrap()).await;
    let files = app.data_dir().join("files");
    let count = |dir: &str| {
        std::fs::read_dir(files.join(dir))
            .map(|entries| entries.count())
            .unwrap_or(0)
    };
    assert_eq!((count("datasets"), count("reports")), (1, 1));

    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/datasets/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!((count("datasets"), count("reports")), (0, 0));
    let report_id = made["report"]["id"].as_str().unwrap();
    let code = error_code(
        app.get(&format!("/api/v1/reports/{report_id}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "not_found");
    let job_id = made["job"]["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/jobs/{job_id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn lists_are_paged_filtered_and_sorted(backend: Backend) {
    let app = spawn_app(backend).await;
    app.signed_in_user().await;
    for name in ["b.csv", "a.csv", "c.csv"] {
        app.ready_dataset(name, SALES_CSV).await;
    }
    let page = json_body(app.get("/api/v1/datasets?limit=2").await, StatusCode::OK).await;
    assert_eq!(page["meta"], json!({"total": 3, "page": 1, "limit": 2}));
    // Newest first by default.
    let names = |page: &Value| {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&page), ["c.csv", "a.csv"]);
    let second = json_body(
        app.get("/api/v1/datasets?limit=2&page=2").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(names(&second), ["b.csv"]);
    let by_name = json_body(app.get("/api/v1/datasets?sort=name").await, StatusCode::OK).await;
    assert_eq!(names(&by_name), ["a.csv", "b.csv", "c.csv"]);
    let found = json_body(app.get("/api/v1/datasets?q=B.C").await, StatusCode::OK).await;
    assert_eq!(names(&found), ["b.csv"]);
    let failed = json_body(
        app.get("/api/v1/datasets?status=failed").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(failed["meta"]["total"], 0);
    let code = error_code(
        app.get("/api/v1/datasets?limit=1000").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(code, "bad_request");
}

on_both_databases!(
    a_csv_upload_is_profiled_and_becomes_a_downloadable_report,
    a_json_file_sent_as_a_form_is_profiled_with_flattened_names,
    a_malformed_csv_fails_its_job_with_the_line_named,
    deleting_a_dataset_removes_its_file_and_reports,
    lists_are_paged_filtered_and_sorted,
);
