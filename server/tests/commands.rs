//! `quire profile` and `quire report`, run as a person would from a shell.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/fixtures")
        .join(name)
}

fn quire(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .output()
        .expect("quire runs")
}

#[test]
fn quire_profile_prints_the_json_profile() {
    let file = fixture("generated.csv");
    let output = quire(&["profile", file.to_str().unwrap(), "--group-by", "city"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let profile: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(profile["rows"], 3000);
    let names: Vec<&str> = profile["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[..3], ["id", "city", "normal"]);
    assert_eq!(profile["columns"][0]["type"], "integer");
    assert_eq!(profile["group_by"]["column"], "city");
}

#[test]
fn quire_profile_names_the_line_of_a_malformed_row() {
    let file = fixture("ragged.csv");
    let output = quire(&["profile", file.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line "), "{stderr}");
    let skipped = quire(&["profile", file.to_str().unwrap(), "--skip-bad-rows"]);
    assert!(
        skipped.status.success(),
        "{}",
        String::from_utf8_lossy(&skipped.stderr)
    );
    let profile: serde_json::Value = serde_json::from_slice(&skipped.stdout).unwrap();
    assert!(profile["table"]["skipped_rows"].as_u64().unwrap() > 0);
}

#[test]
fn quire_report_writes_a_pdf_with_the_columns_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        r#"{"title":"Weekly numbers","sections":[{"kind":"cover"},{"kind":"summary"},{"kind":"columns"},{"kind":"sample","rows":5}]}"#,
    )
    .unwrap();
    let file = fixture("generated.csv");
    let output = quire(&[
        "report",
        file.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout);
    for expected in ["Weekly numbers", "lognormal", "Łódź"] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text"
        );
    }
}
