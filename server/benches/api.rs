//! API figures against the real `quire` binary: the latency of one-call processing of a 10k-row
//! CSV, and the server's peak memory while a 1 GiB CSV is uploaded.
//!
//! `cargo bench -p server --bench api` (add `-- --upload-mib 256` for a smaller upload).

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Client;
use serde_json::{json, Value};

const PROCESS_ROWS: usize = 10_000;
const PROCESS_CALLS: usize = 40;

/// Deterministic rows like the engine's benchmark data: ids, timestamps, categories, floats,
/// quantities, gaps and quoted free text.
fn csv_rows(from: usize, count: usize) -> String {
    let mut out = String::with_capacity(count * 120);
    for i in from..from + count {
        let x = (i as f64 * 0.618_033_988_75).fract();
        let empty = if i % 20 == 0 {
            String::new()
        } else {
            format!("{:.2}", x * 50.0)
        };
        out.push_str(&format!(
            "{i},2026-{:02}-{:02}T{:02}:{:02}:00Z,cat{},sku{},{:.4},{:.3},{:.1},{},{empty},\"note {i}, é ü 日本\"\n",
            1 + i % 12,
            1 + i % 28,
            i % 24,
            i % 60,
            i % 10,
            (i * 7919) % 1000,
            x * 100.0,
            (x - 0.5) * 1e4,
            (i % 97) as f64 * x,
            1 + i % 9,
        ));
    }
    out
}

const HEADER: &str = "id,ts,category,sku,f1,f2,f3,quantity,sparse,note\n";

struct Server {
    child: Child,
    address: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn start_server() -> Server {
    let data = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("serve")
        .env("QUIRE_ADDR", format!("127.0.0.1:{port}"))
        .env("QUIRE_DATA_DIR", data.path())
        .env("QUIRE_DATABASE_URL", "")
        .env("QUIRE_WORKERS", "0")
        .env("QUIRE_MAX_UPLOAD_MB", "4096")
        .env("QUIRE_RATE_LIMIT_PER_MINUTE", "100000")
        .env("QUIRE_RATE_LIMIT_COSTLY_PER_MINUTE", "100000")
        .env("QUIRE_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start quire serve");
    // Owned at once, so the server is stopped however this ends.
    let server = Server {
        child,
        address: format!("http://127.0.0.1:{port}"),
        _data: data,
    };
    let client = Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{}/health/ready", server.address))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("quire serve did not become ready");
}

async fn token(server: &Server) -> String {
    let client = Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let creds = json!({"email": "bench@example.org", "password": "correct horse battery staple"});
    client
        .post(format!("{}/api/v1/auth/signup", server.address))
        .json(&creds)
        .send()
        .await
        .expect("sign up");
    let created: Value = client
        .post(format!("{}/api/v1/tokens", server.address))
        .json(&json!({"name": "bench"}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("JSON");
    created["data"]["secret"]
        .as_str()
        .expect("secret")
        .to_owned()
}

/// Peak resident memory of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

async fn bench_process(server: &Server, token: &str) {
    let body = format!("{HEADER}{}", csv_rows(0, PROCESS_ROWS));
    let client = Client::new();
    let url = format!("{}/api/v1/process?name=bench.csv", server.address);
    let mut millis = Vec::with_capacity(PROCESS_CALLS);
    for call in 0..PROCESS_CALLS + 3 {
        let started = Instant::now();
        let response = client
            .post(&url)
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body.clone())
            .send()
            .await
            .expect("process");
        assert!(response.status().is_success(), "{}", response.status());
        let pdf = response.bytes().await.expect("PDF");
        assert!(pdf.starts_with(b"%PDF"));
        // The first calls warm up the server (page caches, font parsing).
        if call >= 3 {
            millis.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    millis.sort_by(f64::total_cmp);
    println!(
        "POST /api/v1/process, {PROCESS_ROWS} rows ({} KiB): p50 {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms over {PROCESS_CALLS} calls",
        body.len() / 1024,
        percentile(&millis, 0.5),
        percentile(&millis, 0.9),
        millis[0],
        millis[millis.len() - 1],
    );
}

async fn bench_upload(server: &Server, token: &str, mib: u64) {
    let target = mib * 1024 * 1024;
    let before = peak_rss_kib(server.child.id());
    // Generated as it is sent, so the client holds one chunk at a time.
    let chunks = futures_util::stream::unfold((0usize, 0u64), move |(row, sent)| async move {
        if sent >= target {
            return None;
        }
        let text = if row == 0 {
            format!("{HEADER}{}", csv_rows(0, 5_000))
        } else {
            csv_rows(row, 5_000)
        };
        let len = text.len() as u64;
        Some((
            Ok::<_, std::io::Error>(Bytes::from(text)),
            (row + 5_000, sent + len),
        ))
    });
    let started = Instant::now();
    let response = Client::new()
        .post(format!("{}/api/v1/datasets?name=big.csv", server.address))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert!(status.is_success(), "{status}: {body}");
    let seconds = started.elapsed().as_secs_f64();
    let size = body["data"]["dataset"]["size_bytes"].as_u64().unwrap_or(0);
    println!(
        "POST /api/v1/datasets, {:.0} MiB streamed: {seconds:.1} s ({:.0} MB/s); server peak RSS {} MiB before, {} MiB after",
        size as f64 / (1024.0 * 1024.0),
        size as f64 / 1e6 / seconds,
        before / 1024,
        peak_rss_kib(server.child.id()) / 1024,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let upload_mib = args
        .iter()
        .position(|a| a == "--upload-mib")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let server = start_server().await;
        let token = token(&server).await;
        bench_process(&server, &token).await;
        bench_upload(&server, &token, upload_mib).await;
    });
    let _ = std::io::stdout().flush();
}
