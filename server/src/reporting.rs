//! Turning a report spec into engine work: which profile options it needs, how many sample
//! rows, and the PDF itself. Shared by the report job, one-call processing and `quire report`.

use engine::profile::{Profile, ProfileOptions};
use engine::render::spec::Section;
use engine::render::{render_pdf, RenderError, RenderInput, ReportSpec};

/// Rows kept as a dataset's preview, enough for any sample section up to this size.
pub const PREVIEW_ROWS: usize = 50;

/// The profile options a spec asks for, over `base` (whose columns count when the spec names none).
pub fn profile_options(spec: &ReportSpec, base: ProfileOptions) -> ProfileOptions {
    let named = |column: &Option<String>| column.clone().filter(|c| !c.trim().is_empty());
    ProfileOptions {
        group_by: named(&spec.group_by).or(base.group_by.clone()),
        time_column: named(&spec.time_column).or(base.time_column.clone()),
        ..base
    }
}

/// True when the dataset's stored profile already has everything the spec needs.
pub fn stored_profile_suffices(spec: &ReportSpec) -> bool {
    let options = profile_options(spec, ProfileOptions::default());
    options.group_by.is_none() && options.time_column.is_none() && sample_rows(spec) <= PREVIEW_ROWS
}

/// As many rows as the largest data-sample section shows.
pub fn sample_rows(spec: &ReportSpec) -> usize {
    spec.sections
        .iter()
        .filter_map(|section| match section {
            Section::Sample { rows } => Some(*rows),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

/// Draws the PDF.
pub fn render(
    profile: &Profile,
    spec: &ReportSpec,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    source_name: Option<String>,
) -> Result<Vec<u8>, RenderError> {
    let input = RenderInput {
        sample_header: header,
        sample_rows: rows,
        source_name,
    };
    render_pdf(profile, spec, &input)
}
