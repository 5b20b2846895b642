//! CSV is cut into blocks of bytes that threads parse apart, at cuts that are only guesses
//! (quoted line breaks, stray quotes) and in an encoding that may change mid-file: whatever the
//! block size and thread count, the rows, their statistics, the sample and the errors are those
//! of reading the file in one piece.

use std::io::Cursor;
use std::path::Path;

use engine::ingest::Format;
use engine::profile::{profile_reader_with_sample, ProfileOptions};
use serde_json::Value;

const BLOCK_SIZES: [usize; 5] = [1, 7, 64, 1000, 1 << 30];

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The profile and the first rows as JSON, or the error's message.
fn profile(input: &[u8], chunk_bytes: usize, threads: usize, skip: bool) -> Result<Value, String> {
    let opts = ProfileOptions {
        chunk_bytes,
        threads,
        skip_bad_rows: skip,
        ..ProfileOptions::default()
    };
    let (profile, sample) =
        profile_reader_with_sample(Cursor::new(input), Some(Format::Csv), &opts, 5)
            .map_err(|e| e.to_string())?;
    let mut value = serde_json::to_value(&profile).map_err(|e| e.to_string())?;
    value["sample"] = serde_json::json!({ "header": sample.header, "rows": sample.rows });
    Ok(value)
}

/// Equal, numbers within 1e-9 relative (sums grouped by block may differ in the last digits).
fn assert_close(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            let scale = x.abs().max(y.abs()).max(1e-300);
            assert!((x - y).abs() / scale <= 1e-9, "{path}: {x} != {y}");
        }
        (Value::Array(xs), Value::Array(ys)) => {
            assert_eq!(xs.len(), ys.len(), "{path}: lengths");
            for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                assert_close(x, y, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(xs), Value::Object(ys)) => {
            let keys = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(keys(xs), keys(ys), "{path}: keys");
            for (k, x) in xs {
                assert_close(x, &ys[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

fn assert_same_in_any_blocks(name: &str, input: &[u8], skip: bool) {
    let whole = profile(input, 1 << 30, 1, skip);
    for chunk_bytes in BLOCK_SIZES {
        for threads in [1, 2, 3] {
            let cut = profile(input, chunk_bytes, threads, skip);
            let at = format!("{name}, blocks of {chunk_bytes}, {threads} threads");
            match (&whole, &cut) {
                (Ok(a), Ok(b)) => assert_close(a, b, &at),
                (a, b) => assert_eq!(a, b, "{at}"),
            }
        }
    }
}

#[test]
fn fixtures_profile_the_same_in_blocks_of_any_size() {
    for name in [
        "quoting.csv",
        "bom_semicolon.csv",
        "dates.tsv",
        "latin1.csv",
        "generated.csv",
    ] {
        assert_same_in_any_blocks(name, &fixture(name), false);
    }
}

#[test]
fn past_the_distinct_bound_blocks_of_any_size_count_as_one_pass() {
    // Later blocks count against what the merged table hands out: a snapshot of the keys once a
    // merge adds no new value (which blocks of a row or two often do, new values coming after
    // it), or the keys of a full table (id and the floats; with a bound of 300 note and day too).
    let input = fixture("generated.csv");
    let profile = |chunk_bytes: usize, bound: usize| {
        let opts = ProfileOptions {
            chunk_bytes,
            threads: 2,
            exact_distinct_limit: bound,
            ..ProfileOptions::default()
        };
        let (p, _) = profile_reader_with_sample(Cursor::new(&input), Some(Format::Csv), &opts, 0)
            .unwrap_or_else(|e| panic!("{e}"));
        let columns: Vec<_> = p
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.distinct, c.distinct_exact, c.top.clone()))
            .collect();
        (columns, p.rows)
    };
    for bound in [300, 2_000] {
        let whole = profile(1 << 30, bound);
        // Both ways of counting in play: some columns pass the bound, some do not.
        assert!(whole.0.iter().any(|(_, _, exact, _)| !exact));
        assert!(whole.0.iter().any(|(_, _, exact, _)| *exact));
        for chunk_bytes in [64, 1000, 20_000] {
            let at = format!("blocks of {chunk_bytes}, bound {bound}");
            assert_eq!(profile(chunk_bytes, bound), whole, "{at}");
        }
    }
}

#[test]
fn the_table_counts_every_byte_of_the_file_in_blocks_of_any_size() {
    for name in ["bom_semicolon.csv", "latin1.csv", "generated.csv"] {
        let input = fixture(name);
        for chunk_bytes in BLOCK_SIZES {
            let p = profile(&input, chunk_bytes, 2, false).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                p["table"]["bytes"].as_u64(),
                Some(input.len() as u64),
                "{name}, blocks of {chunk_bytes}"
            );
        }
    }
}

#[test]
fn ragged_rows_fail_on_the_same_line_or_are_skipped_alike() {
    let input = fixture("ragged.csv");
    assert_same_in_any_blocks("ragged.csv", &input, false);
    assert_same_in_any_blocks("ragged.csv, skipping", &input, true);
    let error = profile(&input, 7, 2, false).expect_err("ragged rows");
    assert!(error.starts_with("line "), "{error}");
}

/// Quoted line breaks and doubled quotes in every row, and a stray quote inside an unquoted field
/// (`5'11"`) that makes counting quotes guess the cuts wrong for the rest of the block.
#[test]
fn quoted_line_breaks_and_stray_quotes_are_parsed_as_in_one_piece() {
    let mut input = String::from("id,height,note\n");
    for i in 0..300 {
        let height = if i % 37 == 5 { "5'11\"" } else { "180" };
        input.push_str(&format!(
            "{i},{height},\"line one\nline \"\"{i}\"\", two\"\n"
        ));
    }
    assert_same_in_any_blocks("quotes", input.as_bytes(), false);
    let whole = profile(input.as_bytes(), 1 << 30, 1, false).expect("valid");
    assert_eq!(whole["rows"], 300);
}

/// Valid UTF-8 for longer than the encoding sniff reads, then a Windows-1252 byte: from that
/// field on the file is read as Windows-1252, whichever block or thread reads the later rows.
#[test]
fn an_encoding_that_changes_past_the_first_blocks_is_followed_in_order() {
    let mut input = b"city,n\n".to_vec();
    for i in 0..8000 {
        input.extend_from_slice(format!("Zürich,{i}\n").as_bytes());
    }
    input.extend_from_slice(b"M\xFCnchen,1\n");
    for i in 0..100 {
        input.extend_from_slice(format!("Zürich,{i}\n").as_bytes());
    }
    assert_same_in_any_blocks("latin1 late", &input, false);
    let whole = profile(&input, 1 << 30, 1, false).expect("valid");
    assert_eq!(whole["table"]["encoding"], "windows-1252");
    let top: Vec<&str> = whole["columns"][0]["top"]
        .as_array()
        .map(|t| t.iter().filter_map(|v| v["value"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(top, ["Zürich", "ZÃ¼rich", "München"]);
}

/// A bad row deep in a file with quoted line breaks is reported on its own line, whichever block
/// and thread found it, and only the first bad row is.
#[test]
fn a_bad_row_far_into_the_file_names_its_own_line() {
    let mut input = String::from("id,note\r\n");
    let mut line = 2;
    for i in 0..5000 {
        if i == 4321 {
            input.push_str("4321,one,two\r\n");
            assert_eq!(line, 4321 * 2 + 2);
        } else if i == 4500 {
            input.push_str("4500\r\n");
        } else {
            input.push_str(&format!("{i},\"two\r\nlines\"\r\n"));
        }
        line += if i == 4321 || i == 4500 { 1 } else { 2 };
    }
    for chunk_bytes in [64, 1000, 1 << 30] {
        for threads in [1, 2, 3] {
            let error =
                profile(input.as_bytes(), chunk_bytes, threads, false).expect_err("bad row");
            assert!(
                error.starts_with("line 8644, column 3:"),
                "blocks of {chunk_bytes}, {threads} threads: {error}"
            );
        }
    }
}
