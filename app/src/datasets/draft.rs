//! The report builder's form state and its translation to and from the spec JSON the API takes.

use base64::Engine as _;
use engine::render::spec::{
    CorrelationMethod, Locale, Logo, Orientation, PageSize, ReportSpec, Rgb, Section,
};
use serde_json::Value;

/// The largest logo the builder accepts; it travels inside every spec.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Which optional sections are on, and their options.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub title: String,
    pub subtitle: String,
    pub author: String,
    /// ISO date printed on the cover, or empty.
    pub date: String,
    pub logo: Option<Vec<u8>>,
    /// `#rrggbb`, as the colour input gives it.
    pub accent: String,
    pub page_size: PageSize,
    pub orientation: Orientation,
    pub locale: Locale,
    pub cover: bool,
    pub contents: bool,
    pub summary: bool,
    pub columns: bool,
    /// Only these columns in the columns section; all when empty. Kept from templates.
    pub only: Vec<String>,
    pub correlations: bool,
    pub correlation_method: CorrelationMethod,
    pub group_by: bool,
    pub group_by_column: Option<String>,
    pub time_series: bool,
    pub time_column: Option<String>,
    pub sample: bool,
    pub sample_rows: usize,
    pub notes: bool,
    pub notes_heading: String,
    pub notes_text: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft::from_spec(&ReportSpec::default(), None, None)
    }
}

impl Draft {
    /// A draft for a dataset, with its name as the title and the usual columns picked.
    pub fn for_dataset(
        name: &str,
        group_by_column: Option<String>,
        time_column: Option<String>,
    ) -> Draft {
        let title = name
            .rsplit_once('.')
            .map_or(name, |(stem, _)| stem)
            .replace(['_', '-'], " ");
        Draft {
            title: if title.trim().is_empty() {
                "Data report".into()
            } else {
                title.trim().to_string()
            },
            ..Draft::from_spec(&ReportSpec::default(), group_by_column, time_column)
        }
    }

    fn from_spec(spec: &ReportSpec, group_by: Option<String>, time: Option<String>) -> Draft {
        let mut draft = Draft {
            title: spec.title.clone(),
            subtitle: spec.subtitle.clone().unwrap_or_default(),
            author: spec.author.clone().unwrap_or_default(),
            date: spec.date.clone().unwrap_or_default(),
            logo: spec.logo.as_ref().map(|l| l.bytes.clone()),
            accent: spec.accent.to_hex(),
            page_size: spec.page_size,
            orientation: spec.orientation,
            locale: spec.locale,
            cover: false,
            contents: false,
            summary: false,
            columns: false,
            only: Vec::new(),
            correlations: false,
            correlation_method: CorrelationMethod::Pearson,
            group_by: false,
            group_by_column: group_by,
            time_series: false,
            time_column: time,
            sample: false,
            sample_rows: 20,
            notes: false,
            notes_heading: String::new(),
            notes_text: String::new(),
        };
        for section in &spec.sections {
            match section {
                Section::Cover => draft.cover = true,
                Section::TableOfContents => draft.contents = true,
                Section::Summary => draft.summary = true,
                Section::Columns { only } => {
                    draft.columns = true;
                    draft.only = only.clone();
                }
                Section::Correlations { method } => {
                    draft.correlations = true;
                    draft.correlation_method = *method;
                }
                Section::GroupBy => draft.group_by = true,
                Section::TimeSeries => draft.time_series = true,
                Section::Sample { rows } => {
                    draft.sample = true;
                    draft.sample_rows = *rows;
                }
                Section::Notes { heading, text } => {
                    draft.notes = true;
                    draft.notes_heading = heading.clone().unwrap_or_default();
                    draft.notes_text = text.clone();
                }
            }
        }
        draft
    }

    /// Reads a spec as the API stores it (a template's or an earlier report's). Columns that
    /// this dataset lacks are dropped, keeping the builder's own choice for them.
    pub fn from_json(spec: &Value, columns: &[String], fallback: &Draft) -> Result<Draft, String> {
        let parsed: ReportSpec = serde_json::from_value(spec.clone())
            .map_err(|e| format!("this template's spec cannot be read: {e}"))?;
        let known = |name: &Option<String>| name.clone().filter(|name| columns.contains(name));
        let group_by = known(&parsed.group_by).or_else(|| fallback.group_by_column.clone());
        let time = known(&parsed.time_column).or_else(|| fallback.time_column.clone());
        let mut draft = Draft::from_spec(&parsed, group_by, time);
        draft.only.retain(|name| columns.contains(name));
        Ok(draft)
    }

    pub fn to_spec(&self) -> ReportSpec {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut sections = Vec::new();
        let mut add = |on: bool, section: Section| {
            if on {
                sections.push(section);
            }
        };
        add(self.cover, Section::Cover);
        add(self.contents, Section::TableOfContents);
        add(self.summary, Section::Summary);
        add(
            self.columns,
            Section::Columns {
                only: self.only.clone(),
            },
        );
        add(
            self.correlations,
            Section::Correlations {
                method: self.correlation_method,
            },
        );
        add(self.group_by, Section::GroupBy);
        add(self.time_series, Section::TimeSeries);
        add(
            self.sample,
            Section::Sample {
                rows: self.sample_rows,
            },
        );
        add(
            self.notes && !self.notes_text.trim().is_empty(),
            Section::Notes {
                heading: text(&self.notes_heading),
                text: self.notes_text.clone(),
            },
        );
        // Fields this form does not set (and any the spec gains later) keep their defaults.
        let mut spec = ReportSpec {
            title: text(&self.title).unwrap_or_else(|| "Data report".into()),
            subtitle: text(&self.subtitle),
            author: text(&self.author),
            date: text(&self.date),
            logo: self.logo.clone().map(|bytes| Logo { bytes }),
            accent: Rgb::parse(&self.accent).unwrap_or(Rgb::DEFAULT_ACCENT),
            page_size: self.page_size,
            orientation: self.orientation,
            sections,
            // Only a section that is on names its column.
            group_by: self.group_by_column.clone().filter(|_| self.group_by),
            time_column: self.time_column.clone().filter(|_| self.time_series),
            ..ReportSpec::default()
        };
        spec.locale = self.locale;
        spec
    }

    /// The spec as the API takes it.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.to_spec()).unwrap_or(Value::Null)
    }

    /// The logo as a `data:` URL for the preview.
    pub fn logo_url(&self) -> Option<String> {
        let bytes = self.logo.as_deref()?;
        let mime = image_type(bytes)?;
        Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }
}

/// The media type of a PNG or JPEG, the two formats the PDF renderer embeds.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Checks a chosen logo file before it goes into the spec.
pub fn check_logo(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "the logo is {} KB; the limit is 1 MB",
            bytes.len() / 1024
        ));
    }
    if image_type(bytes).is_none() {
        return Err("the logo must be a PNG or JPEG image".into());
    }
    Ok(())
}

/// Page width and height in points for the preview, orientation applied.
pub fn page_points(size: PageSize, orientation: Orientation) -> (f32, f32) {
    let (w, h) = size.portrait_mm();
    let (w, h) = (w * 72.0 / 25.4, h * 72.0 / 25.4);
    match orientation {
        Orientation::Portrait => (w, h),
        Orientation::Landscape => (h, w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_draft_writes_every_usual_section() {
        let draft = Draft::for_dataset("sales_2026.csv", Some("region".into()), None);
        assert_eq!(draft.title, "sales 2026");
        let json = draft.to_json();
        let kinds: Vec<&str> = json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds[0], "cover");
        assert!(kinds.contains(&"sample"));
        assert_eq!(json["group_by"], "region");
        assert_eq!(json["time_column"], Value::Null);
    }

    #[test]
    fn a_spec_round_trips_through_the_draft() {
        let mut draft = Draft::for_dataset("x.csv", Some("city".into()), Some("day".into()));
        draft.subtitle = "Q3".into();
        draft.accent = "#aa0011".into();
        draft.page_size = PageSize::Letter;
        draft.orientation = Orientation::Landscape;
        draft.sample_rows = 7;
        draft.logo = Some(vec![0x89, b'P', b'N', b'G', 1, 2]);
        let columns = vec!["city".to_string(), "day".to_string()];
        let back = Draft::from_json(&draft.to_json(), &columns, &Draft::default()).unwrap();
        assert_eq!(back, draft);
    }

    #[test]
    fn a_template_naming_a_column_this_dataset_lacks_keeps_the_builders_choice() {
        let spec = serde_json::json!({"title": "T", "group_by": "nope", "sections": [{"kind": "group_by"}]});
        let fallback = Draft::for_dataset("x.csv", Some("city".into()), None);
        let draft = Draft::from_json(&spec, &["city".into()], &fallback).unwrap();
        assert_eq!(draft.group_by_column.as_deref(), Some("city"));
        assert!(draft.group_by && !draft.cover);
    }

    #[test]
    fn logos_must_be_small_png_or_jpeg() {
        assert!(check_logo(&[0x89, b'P', b'N', b'G']).is_ok());
        assert!(check_logo(b"GIF89a").is_err());
        assert!(check_logo(&vec![0xFF; MAX_LOGO_BYTES + 1]).is_err());
    }
}
