//! The `quire` binary as an operator runs it: JSON logs carrying request ids, and a clean exit
//! on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test]
async fn quire_serve_logs_json_with_request_ids_and_stops_cleanly_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("serve")
        .env("QUIRE_ADDR", "127.0.0.1:0")
        .env("QUIRE_DATA_DIR", data.path())
        .env("QUIRE_DATABASE_URL", "")
        .env("QUIRE_LOG", "info")
        .env("QUIRE_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .spawn()
        .expect("quire starts");
    // Lines arrive through a channel so that a missing line fails the test instead of hanging it.
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = || {
        lines
            .recv_timeout(Duration::from_secs(10))
            .expect("quire printed a line within 10 s")
    };

    // The banner names the address it listens on.
    let address = loop {
        let line = next_line();
        if let Some(rest) = line.split("listening on ").nth(1) {
            break rest.trim_end_matches(')').to_string();
        }
    };
    let response = reqwest::get(format!("http://{address}/health/live"))
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();

    let access_line = loop {
        let line = next_line();
        if line.contains(&request_id) {
            break line;
        }
    };
    let log: serde_json::Value = serde_json::from_str(&access_line).expect("JSON log line");
    assert_eq!(
        log["span"]["request_id"],
        request_id.as_str(),
        "{access_line}"
    );
    assert_eq!(log["span"]["path"], "/health/live", "{access_line}");

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = tokio::task::spawn_blocking(move || {
        for _ in 0..100 {
            if let Some(status) = child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        None
    })
    .await
    .unwrap();
    assert!(status.expect("exits within 5 s of SIGTERM").success());
}

#[test]
fn quire_refuses_to_start_in_production_without_a_cookie_key() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("serve")
        .env("QUIRE_ENV", "production")
        .env_remove("QUIRE_COOKIE_KEY")
        .env("QUIRE_DATA_DIR", data.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("QUIRE_COOKIE_KEY"), "{stderr}");
}
