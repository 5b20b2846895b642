//! The report spec: what a person chose about a report (title, look, sections in order).
//!
//! Shared with the browser, so this module depends only on serde and base64; the PDF code
//! lives behind the `pdf` feature.

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Everything a report is drawn with besides the data itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportSpec {
    pub title: String,
    pub subtitle: Option<String>,
    pub author: Option<String>,
    /// The date printed on the cover and stored in the metadata, ISO 8601 (`2026-11-22`).
    /// Taken from the input, never from the clock, so output is reproducible.
    pub date: Option<String>,
    pub logo: Option<Logo>,
    pub accent: Rgb,
    pub page_size: PageSize,
    pub orientation: Orientation,
    pub locale: Locale,
    pub sections: Vec<Section>,
    /// The column the group-by section aggregates by; none leaves that section empty.
    pub group_by: Option<String>,
    /// The date or datetime column the time-series section follows.
    pub time_column: Option<String>,
}

impl Default for ReportSpec {
    fn default() -> Self {
        ReportSpec {
            title: "Data report".to_owned(),
            subtitle: None,
            author: None,
            date: None,
            logo: None,
            accent: Rgb::DEFAULT_ACCENT,
            page_size: PageSize::A4,
            orientation: Orientation::Portrait,
            locale: Locale::En,
            sections: Section::all_default(),
            group_by: None,
            time_column: None,
        }
    }
}

/// A PNG or JPEG image; base64 in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logo {
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub bytes: Vec<u8>,
}

fn to_base64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(serde::de::Error::custom)
}

/// An sRGB colour, written `"#1f6feb"` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const DEFAULT_ACCENT: Rgb = Rgb {
        r: 0x1f,
        g: 0x5f,
        b: 0x9e,
    };

    /// Parses `#rrggbb` (the `#` is optional).
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().trim_start_matches('#');
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb {
            r: byte(0)?,
            g: byte(2)?,
            b: byte(4)?,
        })
    }

    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Rgb::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a #rrggbb colour: {text:?}")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    #[default]
    A4,
    Letter,
}

impl PageSize {
    /// Width and height in millimetres, portrait.
    pub fn portrait_mm(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (210.0, 297.0),
            PageSize::Letter => (215.9, 279.4),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// How numbers and dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// `1,234.5`, dates as ISO 8601.
    #[default]
    En,
    /// `1.234,5`, dates `22.11.2026`.
    De,
    /// `1 234,5`, dates `22/11/2026`.
    Fr,
}

/// One section of the report, in the order the spec lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Section {
    Cover,
    TableOfContents,
    Summary,
    Columns {
        /// Only these columns, in this order; all columns when empty.
        #[serde(default)]
        only: Vec<String>,
    },
    Correlations {
        #[serde(default)]
        method: CorrelationMethod,
    },
    GroupBy,
    TimeSeries,
    Sample {
        /// At most this many of the rows passed in.
        #[serde(default = "default_sample_rows")]
        rows: usize,
    },
    Notes {
        #[serde(default)]
        heading: Option<String>,
        /// Paragraphs separated by blank lines; `**bold**` and lines starting with `- ` as bullets.
        text: String,
    },
}

fn default_sample_rows() -> usize {
    20
}

impl Section {
    /// Every data section, in the usual order.
    pub fn all_default() -> Vec<Section> {
        vec![
            Section::Cover,
            Section::TableOfContents,
            Section::Summary,
            Section::Columns { only: Vec::new() },
            Section::Correlations {
                method: CorrelationMethod::Pearson,
            },
            Section::GroupBy,
            Section::TimeSeries,
            Section::Sample {
                rows: default_sample_rows(),
            },
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CorrelationMethod {
    #[default]
    Pearson,
    Spearman,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_spec_round_trips_through_json() {
        let spec = ReportSpec {
            subtitle: Some("Q3".into()),
            author: Some("Ана".into()),
            date: Some("2026-11-22".into()),
            logo: Some(Logo {
                bytes: vec![0x89, b'P', b'N', b'G'],
            }),
            accent: Rgb { r: 1, g: 2, b: 255 },
            page_size: PageSize::Letter,
            orientation: Orientation::Landscape,
            locale: Locale::De,
            sections: vec![
                Section::Notes {
                    heading: None,
                    text: "**hi**".into(),
                },
                Section::Sample { rows: 5 },
            ],
            ..ReportSpec::default()
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert!(json.contains("\"#0102ff\""), "{json}");
        assert!(json.contains("\"iVBORw==\""), "{json}");
        assert_eq!(serde_json::from_str::<ReportSpec>(&json).unwrap(), spec);
    }

    #[test]
    fn a_minimal_spec_fills_in_defaults() {
        let spec: ReportSpec =
            serde_json::from_str(r#"{"title":"T","sections":[{"kind":"sample"}]}"#).unwrap();
        assert_eq!(spec.title, "T");
        assert_eq!(spec.accent, Rgb::DEFAULT_ACCENT);
        assert_eq!(spec.sections, vec![Section::Sample { rows: 20 }]);
    }

    #[test]
    fn a_bad_colour_is_refused() {
        assert!(serde_json::from_str::<ReportSpec>(r##"{"accent":"#12"}"##).is_err());
        assert!(serde_json::from_str::<ReportSpec>(r##"{"accent":"#ééé"}"##).is_err());
    }
}
