//! The first rows of a table as text, taken while profiling so the file is read once.

/// Column names and the first rows, every row as long as the header (missing cells are empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sample {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sample {
    /// JSON objects may add keys as they go: pad early rows to the final header.
    pub(crate) fn square(&mut self) {
        let width = self.header.len();
        for row in &mut self.rows {
            row.resize(width, String::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use crate::ingest::Format;
    use crate::profile::{profile_reader_with_sample, ProfileOptions};

    #[test]
    fn the_sample_holds_the_first_rows_and_the_profile_all_of_them() {
        let csv = "a,b\n1,x\n2,y\n3,z\n";
        let (profile, sample) = profile_reader_with_sample(
            Cursor::new(csv),
            Some(Format::Csv),
            &ProfileOptions::default(),
            2,
        )
        .unwrap();
        assert_eq!(profile.rows, 3);
        assert_eq!(sample.header, ["a", "b"]);
        assert_eq!(sample.rows, [["1", "x"], ["2", "y"]]);
    }

    #[test]
    fn json_rows_are_padded_to_keys_that_appear_later() {
        let jsonl = "{\"a\":1}\n{\"a\":2,\"b\":\"late\"}\n";
        let (_, sample) = profile_reader_with_sample(
            Cursor::new(jsonl),
            Some(Format::JsonLines),
            &ProfileOptions::default(),
            10,
        )
        .unwrap();
        assert_eq!(sample.header, ["a", "b"]);
        assert_eq!(sample.rows, [["1", ""], ["2", "late"]]);
    }
}
