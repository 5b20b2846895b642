//! Drawing a PDF report from a profile and a report spec.
//!
//! [`spec`] is plain serde and always available (the browser shares it); everything that
//! draws is behind the `pdf` feature. The entry point is [`render_pdf`].

pub mod spec;

#[cfg(feature = "pdf")]
mod charts;
#[cfg(feature = "pdf")]
mod document;
#[cfg(feature = "pdf")]
mod fonts;
#[cfg(feature = "pdf")]
mod format;
#[cfg(feature = "pdf")]
mod layout;
#[cfg(feature = "pdf")]
mod logo;
#[cfg(feature = "pdf")]
mod report;
#[cfg(feature = "pdf")]
mod shaping;
#[cfg(feature = "pdf")]
mod subset;

#[cfg(feature = "pdf")]
pub use document::render_pdf;
pub use spec::ReportSpec;

/// What the report needs besides the profile: things the profile does not keep.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderInput {
    /// Column names and the first rows of the data, as text, for the data-sample section.
    pub sample_header: Vec<String>,
    pub sample_rows: Vec<Vec<String>>,
    /// The source file's name, shown on the cover and in the metadata subject.
    pub source_name: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded font {0} could not be parsed")]
    Font(String),
    #[error("the logo is neither a PNG nor a JPEG image: {0}")]
    Logo(String),
}
