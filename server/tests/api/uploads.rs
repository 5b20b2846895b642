//! What an upload refuses: too large (413, before the body is read when its length is
//! declared), not CSV or JSON (415), empty (422) — and that nothing is kept when refused.

use bytes::Bytes;
use reqwest::StatusCode;

use crate::helpers::{error_code, json_body, spawn_app_with, Backend, TestApp};
use crate::on_both_databases;

async fn small_limit(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, &[("max_upload_mb", "1")]).await;
    app.signed_in_user().await;
    app
}

/// Sends the headers of a signed-in POST declaring a `length`-byte body, and a few bytes of it.
async fn raw_post_with_declared_length(app: &TestApp, length: u64) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let url = reqwest::Url::parse(&app.address).unwrap();
    let cookies = app.session_cookie_header();
    let mut stream = tokio::net::TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/datasets?name=big.csv HTTP/1.1\r\nHost: {}\r\nContent-Type: text/csv\r\n\
         Content-Length: {length}\r\nCookie: {cookies}\r\n\r\na,b\n1,2\n",
        url.authority()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("an answer before the body is sent")
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

fn stored_datasets(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir().join("files/datasets"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

async fn an_upload_over_the_limit_gets_413_and_keeps_nothing(backend: Backend) {
    let app = small_limit(backend).await;
    // A declared 2 GiB body is refused from its headers: the answer comes while the client
    // has sent only a few bytes of it.
    let answer = raw_post_with_declared_length(&app, 2 << 30).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("payload_too_large"), "{answer}");

    let two_mib = "a,b\n".to_owned() + &"1,2\n".repeat(512 * 1024);
    // Without a declared length the body is counted as it streams in.
    let chunks: Vec<Result<Bytes, std::io::Error>> = two_mib
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let response = app
        .client
        .post(app.url("/api/v1/datasets?name=big.csv"))
        .header("content-type", "text/csv")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::PAYLOAD_TOO_LARGE).await,
        "payload_too_large"
    );
    assert_eq!(stored_datasets(&app), 0);
    let list = json_body(app.get("/api/v1/datasets").await, StatusCode::OK).await;
    assert_eq!(list["meta"]["total"], 0);
}

async fn other_file_types_get_415(backend: Backend) {
    let app = small_limit(backend).await;
    let pdf = app
        .client
        .post(app.url("/api/v1/datasets?name=x.pdf"))
        .header("content-type", "application/pdf")
        .body("%PDF-1.7")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(pdf, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );

    // A binary file renamed .csv is refused by its content.
    let binary = app
        .client
        .post(app.url("/api/v1/datasets?name=photo.csv"))
        .header("content-type", "text/csv")
        .body(vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13])
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(binary, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"PK\x03\x04".to_vec()).file_name("book.xlsx"),
    );
    let xlsx = app.upload_form(form).await;
    assert_eq!(
        error_code(xlsx, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );
    assert_eq!(stored_datasets(&app), 0);
}

async fn an_empty_file_gets_422(backend: Backend) {
    let app = small_limit(backend).await;
    let response = app
        .client
        .post(app.url("/api/v1/datasets?name=empty.csv"))
        .header("content-type", "text/csv")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::UNPROCESSABLE_ENTITY).await,
        "validation_failed"
    );
    assert_eq!(stored_datasets(&app), 0);
}

async fn a_form_part_other_than_file_gets_422_naming_it(backend: Backend) {
    let app = small_limit(backend).await;
    let form = reqwest::multipart::Form::new()
        .text("fiel", "a misspelt part name")
        .part(
            "file",
            reqwest::multipart::Part::text("a\n1\n").file_name("a.csv"),
        );
    let response = app.upload_form(form).await;
    let body = json_body(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("\"fiel\""),
        "{body}"
    );
    assert_eq!(stored_datasets(&app), 0);
}

async fn a_path_in_the_upload_name_is_dropped(backend: Backend) {
    let app = small_limit(backend).await;
    let created = app.upload_csv("..%2F..%2Fetc%2Fpasswd.csv", "a\n1\n").await;
    assert_eq!(created["dataset"]["name"], "passwd.csv");
    assert_eq!(stored_datasets(&app), 1);
}

async fn uploads_need_a_signed_in_user(backend: Backend) {
    let app = spawn_app_with(backend, &[]).await;
    let response = app
        .client
        .post(app.url("/api/v1/datasets?name=a.csv"))
        .header("content-type", "text/csv")
        .body("a\n1\n")
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "unauthorized"
    );
}

on_both_databases!(
    an_upload_over_the_limit_gets_413_and_keeps_nothing,
    other_file_types_get_415,
    an_empty_file_gets_422,
    a_form_part_other_than_file_gets_422_naming_it,
    a_path_in_the_upload_name_is_dropped,
    uploads_need_a_signed_in_user,
);
