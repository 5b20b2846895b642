//! Jobs run by separate workers, watched live, and surviving a worker that died.

use reqwest::StatusCode;
use serde_json::Value;

use crate::datasets::SALES_CSV;
use crate::helpers::{json_body, spawn_app_with, Backend, TestApp};
use crate::on_both_databases;

/// A web-only instance: its jobs wait for a worker.
async fn web_only(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("workers", "0")]).await
}

/// Reads a whole event stream (it must end by itself) into (event, data) pairs.
async fn read_events(app: &TestApp, job_id: &str) -> Vec<(String, Value)> {
    let response = app.get(&format!("/api/v1/jobs/{job_id}/events")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    parse_events(response).await
}

/// Waits for the stream to end by itself and splits it into (event, data) pairs.
async fn parse_events(response: reqwest::Response) -> Vec<(String, Value)> {
    let body = tokio::time::timeout(std::time::Duration::from_secs(60), response.text())
        .await
        .expect("the stream ends once the job is done")
        .expect("body");
    body.split("\n\n")
        .filter_map(|block| {
            let event = block.lines().find_map(|l| l.strip_prefix("event: "))?;
            let data = block.lines().find_map(|l| l.strip_prefix("data: "))?;
            Some((
                event.to_owned(),
                serde_json::from_str(data).expect("JSON data"),
            ))
        })
        .collect()
}

async fn progress_events_arrive_in_order_and_end_with_done(backend: Backend) {
    let app = web_only(backend).await;
    app.signed_in_user().await;
    let created = app.upload_csv("sales.csv", SALES_CSV).await;
    let job_id = created["job"]["id"].as_str().unwrap().to_owned();

    let watcher = {
        let client = app.client.clone();
        let url = app.url(&format!("/api/v1/jobs/{job_id}/events"));
        tokio::spawn(async move { client.get(url).send().await })
    };
    // The watcher sees the queued job before a worker exists to run it.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let stop_worker = app.spawn_worker();
    let response = watcher.await.unwrap().expect("events request");
    let events = parse_events(response).await;
    let _ = stop_worker.send(());

    let (first, first_job) = &events[0];
    assert_eq!(
        (first.as_str(), first_job["status"].as_str()),
        ("progress", Some("queued"))
    );
    let (last, last_job) = events.last().unwrap();
    assert_eq!(last, "done");
    assert_eq!(last_job["progress"], 1.0);
    assert!(events[..events.len() - 1]
        .iter()
        .all(|(name, _)| name == "progress"));
    let progress: Vec<f64> = events
        .iter()
        .map(|(_, job)| job["progress"].as_f64().unwrap())
        .collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");

    // Watching a finished job gives its final state at once.
    let again = read_events(&app, &job_id).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].0, "done");
}

async fn a_job_whose_worker_died_runs_again_and_completes(backend: Backend) {
    let app = web_only(backend).await;
    app.signed_in_user().await;
    let created = app.upload_csv("sales.csv", SALES_CSV).await;
    let job_id = created["job"]["id"].as_str().unwrap();

    // A worker takes the job and dies: its lease is never renewed.
    let db = app.db().await;
    let claimed = server::db::jobs::claim(&db, "worker-that-died", 0)
        .await
        .unwrap()
        .expect("the queued job");
    assert_eq!(claimed.id, job_id);
    let job = json_body(
        app.get(&format!("/api/v1/jobs/{job_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(job["data"]["status"], "running");

    let stop_worker = app.spawn_worker();
    let job = app.wait_for_job(job_id).await;
    let _ = stop_worker.send(());
    assert_eq!(job["status"], "done", "{job}");
    let dataset_id = created["dataset"]["id"].as_str().unwrap();
    let dataset = json_body(
        app.get(&format!("/api/v1/datasets/{dataset_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dataset["data"]["status"], "ready");
    assert_eq!(dataset["data"]["rows"], 4);
}

async fn a_stopped_worker_returns_its_job_to_the_queue(backend: Backend) {
    let app = web_only(backend).await;
    app.signed_in_user().await;
    let created = app.upload_csv("sales.csv", SALES_CSV).await;
    let job_id = created["job"]["id"].as_str().unwrap();
    let db = app.db().await;
    server::db::jobs::claim(&db, "stopping-worker", 60_000)
        .await
        .unwrap()
        .expect("the queued job");
    let released = server::db::jobs::release(&db, "stopping-worker")
        .await
        .unwrap();
    assert_eq!(released, 1);
    let job = json_body(
        app.get(&format!("/api/v1/jobs/{job_id}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(job["data"]["status"], "queued");
}

on_both_databases!(
    progress_events_arrive_in_order_and_end_with_done,
    a_job_whose_worker_died_runs_again_and_completes,
    a_stopped_worker_returns_its_job_to_the_queue,
);
