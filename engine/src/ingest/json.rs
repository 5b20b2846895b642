//! JSON input: an array of objects (streamed element by element) or JSON Lines. Nested objects
//! become dotted column names (`a.b`); arrays are kept as their JSON text.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Cursor, Read};

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{
    read_prefix, CountingReader, IngestError, IngestOptions, IngestSummary, RowSink, UTF8_BOM,
};

pub fn read_json(
    reader: impl Read,
    opts: &IngestOptions,
    sink: &mut impl RowSink,
) -> Result<IngestSummary, IngestError> {
    let (mut reader, bytes) = CountingReader::new(reader);
    let mut prefix = read_prefix(&mut reader, 4096)?;
    if prefix.starts_with(UTF8_BOM) {
        prefix.drain(..UTF8_BOM.len());
    }
    let Some(&first) = prefix.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(IngestError::Empty);
    };
    let input = Cursor::new(prefix).chain(reader);
    let mut table = Columns::default();
    let skipped = if first == b'[' {
        read_array(input, opts, &mut table, sink)?
    } else {
        read_lines(input, opts, &mut table, sink)?
    };
    Ok(IngestSummary {
        bytes: bytes.get(),
        skipped_rows: skipped,
        encoding: Some("UTF-8".to_string()),
        delimiter: None,
    })
}

/// Column names in order of first appearance.
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    index: HashMap<String, usize>,
    values: Vec<Option<String>>,
}

impl Columns {
    fn push_object(&mut self, object: &Map<String, Value>, sink: &mut impl RowSink) {
        self.values.clear();
        self.values.resize(self.names.len(), None);
        self.flatten("", object);
        let refs: Vec<Option<&str>> = self.values.iter().map(Option::as_deref).collect();
        sink.row(&self.names, &refs);
    }

    fn flatten(&mut self, prefix: &str, object: &Map<String, Value>) {
        for (key, value) in object {
            let name = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let text = match value {
                Value::Object(inner) => {
                    self.flatten(&name, inner);
                    continue;
                }
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                Value::Array(_) => Some(value.to_string()),
            };
            let i = match self.index.get(&name) {
                Some(&i) => i,
                None => {
                    self.names.push(name.clone());
                    self.values.push(None);
                    self.index.insert(name, self.names.len() - 1);
                    self.names.len() - 1
                }
            };
            self.values[i] = text;
        }
    }
}

fn json_error(e: &serde_json::Error, expected: &'static str) -> IngestError {
    if e.is_io() {
        return IngestError::Io(std::io::Error::other(e.to_string()));
    }
    IngestError::Json {
        line: e.line() as u64,
        column: e.column() as u64,
        expected,
        message: e.to_string(),
    }
}

fn read_lines(
    input: impl Read,
    opts: &IngestOptions,
    table: &mut Columns,
    sink: &mut impl RowSink,
) -> Result<u64, IngestError> {
    let mut skipped = 0;
    let mut line = String::new();
    let mut reader = BufReader::new(input);
    let mut number = 0u64;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let failure = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(object)) => {
                table.push_object(&object, sink);
                continue;
            }
            Ok(_) => IngestError::Json {
                line: number,
                column: 1,
                expected: "a JSON object",
                message: "found another JSON value".to_string(),
            },
            Err(e) => {
                let mut err = json_error(&e, "a JSON object");
                if let IngestError::Json { line, .. } = &mut err {
                    *line = number;
                }
                err
            }
        };
        if !opts.skip_bad_rows {
            return Err(failure);
        }
        skipped += 1;
    }
    Ok(skipped)
}

/// Streams the elements of a top-level array without holding the array.
fn read_array(
    input: impl Read,
    opts: &IngestOptions,
    table: &mut Columns,
    sink: &mut impl RowSink,
) -> Result<u64, IngestError> {
    struct Elements<'a, S> {
        table: &'a mut Columns,
        sink: &'a mut S,
        skip_bad_rows: bool,
        skipped: u64,
    }

    impl<'de, S: RowSink> Visitor<'de> for &mut Elements<'_, S> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an array of objects")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(value) = seq.next_element::<Value>()? {
                match value {
                    Value::Object(object) => self.table.push_object(&object, self.sink),
                    _ if self.skip_bad_rows => self.skipped += 1,
                    _ => {
                        return Err(serde::de::Error::custom(
                            "expected an object as array element",
                        ))
                    }
                }
            }
            Ok(())
        }
    }

    impl<'de, S: RowSink> DeserializeSeed<'de> for &mut Elements<'_, S> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    let mut elements = Elements {
        table,
        sink,
        skip_bad_rows: opts.skip_bad_rows,
        skipped: 0,
    };
    // serde_json reads a byte at a time: a buffer saves a read call per byte.
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(input));
    (&mut elements)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| json_error(&e, "an array of objects"))?;
    Ok(elements.skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::test_sink::Rows;

    fn read(input: &str, skip: bool) -> Result<(Rows, IngestSummary), IngestError> {
        let mut rows = Rows::default();
        let opts = IngestOptions {
            skip_bad_rows: skip,
        };
        let summary = read_json(input.as_bytes(), &opts, &mut rows)?;
        Ok((rows, summary))
    }

    #[test]
    fn arrays_of_objects_flatten_nested_keys() {
        let (rows, _) = read(
            r#"[{"a": 1, "b": {"c": "x", "d": [1, 2]}}, {"a": null, "e": true}]"#,
            false,
        )
        .expect("valid");
        assert_eq!(rows.header, ["a", "b.c", "b.d", "e"]);
        assert_eq!(rows.rows[0][2].as_deref(), Some("[1,2]"));
        assert_eq!(rows.rows[1][0], None);
        assert_eq!(rows.rows[1][3].as_deref(), Some("true"));
    }

    #[test]
    fn json_lines_report_bad_lines() {
        let text = "{\"a\": 1}\n\n{\"a\": 2\n{\"a\": 3}\n";
        match read(text, false) {
            Err(IngestError::Json { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a JSON error, got {:?}", other.map(|r| r.1)),
        }
        let (rows, summary) = read(text, true).expect("skipping");
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(summary.skipped_rows, 1);
    }

    #[test]
    fn truncated_arrays_name_line_and_column() {
        match read("[{\"a\": 1},\n {\"a\": }]", false) {
            Err(IngestError::Json { line, column, .. }) => assert_eq!((line, column), (2, 8)),
            other => panic!("expected a JSON error, got {:?}", other.map(|r| r.1)),
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
            let _ = read(&s, false);
            let _ = read(&s, true);
        }
    }
}
