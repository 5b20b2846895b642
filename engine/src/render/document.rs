//! The PDF document around the report: page size, fonts, logo, metadata, outline, and the
//! fixes that make the bytes reproducible.

use printpdf::{
    parse_pdf_date, Mm, PageAnnotId, PageAnnotation, PdfDocument, PdfPage, PdfSaveOptions,
    RawImage, XObject, XObjectId,
};

use super::fonts::Fonts;
use super::layout::{Layout, OutlineEntry};
use super::logo::Logo;
use super::report;
use super::spec::{Orientation, ReportSpec};
use super::subset;
use super::{RenderError, RenderInput};
use crate::profile::Profile;

/// Draws the report `spec` describes from `profile` and returns the PDF's bytes.
///
/// The same arguments always give the same bytes: nothing is taken from the clock or a
/// random source.
pub fn render_pdf(
    profile: &Profile,
    spec: &ReportSpec,
    input: &RenderInput,
) -> Result<Vec<u8>, RenderError> {
    let mut doc = PdfDocument::new(&spec.title);
    let fonts = Fonts::load()?;
    let (mut pages, outline) = draw_pages(&mut doc, &fonts, profile, spec, input)?;
    subset::embed(&mut doc, &fonts.all(), &mut pages);
    let (w_mm, h_mm) = page_mm(spec);
    for (i, entry) in outline.iter().enumerate() {
        doc.bookmarks.map.insert(
            PageAnnotId(format!("bookmark{i:04}")),
            PageAnnotation {
                name: entry.title.clone(),
                page: entry.page + 1,
            },
        );
    }
    set_metadata(&mut doc, profile, spec, input);
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w_mm), Mm(h_mm), ops))
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(fix_trailer_id(bytes))
}

/// Lays the report out into pages of operations, registering the logo in `doc`.
fn draw_pages(
    doc: &mut PdfDocument,
    fonts: &Fonts,
    profile: &Profile,
    spec: &ReportSpec,
    input: &RenderInput,
) -> Result<(Vec<Vec<printpdf::Op>>, Vec<OutlineEntry>), RenderError> {
    let logo = load_logo(doc, spec)?;
    let (w_mm, h_mm) = page_mm(spec);
    let accent = (
        f32::from(spec.accent.r) / 255.0,
        f32::from(spec.accent.g) / 255.0,
        f32::from(spec.accent.b) / 255.0,
    );
    let mut layout = Layout::new(fonts, Mm(w_mm).into_pt().0, Mm(h_mm).into_pt().0, accent);
    report::draw(&mut layout, profile, spec, input, logo.as_ref());
    Ok(layout.finish(&spec.title, logo.as_ref()))
}

fn page_mm(spec: &ReportSpec) -> (f32, f32) {
    let (w, h) = spec.page_size.portrait_mm();
    match spec.orientation {
        Orientation::Portrait => (w, h),
        Orientation::Landscape => (h, w),
    }
}

fn load_logo(doc: &mut PdfDocument, spec: &ReportSpec) -> Result<Option<Logo>, RenderError> {
    let Some(logo) = &spec.logo else {
        return Ok(None);
    };
    let mut warnings = Vec::new();
    let image =
        RawImage::decode_from_bytes(&logo.bytes, &mut warnings).map_err(RenderError::Logo)?;
    let (width, height) = (image.width, image.height);
    let id = XObjectId("Logo".to_owned());
    doc.resources
        .xobjects
        .map
        .insert(id.clone(), XObject::Image(image));
    Ok(Some(Logo { id, width, height }))
}

fn set_metadata(doc: &mut PdfDocument, profile: &Profile, spec: &ReportSpec, input: &RenderInput) {
    let info = &mut doc.metadata.info;
    info.document_title = spec.title.clone();
    info.author = spec.author.clone().unwrap_or_default();
    info.creator = "Quire".to_owned();
    info.producer = "Quire (printpdf)".to_owned();
    info.subject = match &input.source_name {
        Some(name) => format!("Data profile of {name}: {} rows", profile.rows),
        None => format!("Data profile: {} rows", profile.rows),
    };
    if let Some(date) = spec.date.as_deref().and_then(pdf_date) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
}

/// `2026-11-22…` as a PDF date; `None` unless it starts with a plain ISO date.
fn pdf_date(iso: &str) -> Option<printpdf::OffsetDateTime> {
    let day = iso.get(..10)?;
    let digits: String = day.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 || day.chars().filter(|c| *c == '-').count() != 2 {
        return None;
    }
    parse_pdf_date(&format!("D:{digits}000000+00'00'")).ok()
}

/// printpdf fills the trailer's `/ID` from a process-wide counter, so two renders in one
/// process would differ. Replace both strings with a hash of the rest of the file, which
/// keeps their length and so every offset.
fn fix_trailer_id(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(start) = find_last(&bytes, b"/ID") else {
        return bytes;
    };
    let mut spans = Vec::new();
    let mut i = start;
    while spans.len() < 2 && i < bytes.len() {
        if bytes[i] == b'(' {
            let end = bytes[i + 1..]
                .iter()
                .position(|&b| b == b')')
                .map(|p| i + 1 + p);
            let Some(end) = end else { break };
            spans.push((i + 1, end));
            i = end;
        }
        i += 1;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (n, &b) in bytes.iter().enumerate() {
        if spans.iter().any(|&(s, e)| n >= s && n < e) {
            continue;
        }
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    for (s, e) in spans {
        for (k, byte) in bytes[s..e].iter_mut().enumerate() {
            let nibble = (hash.rotate_left((k as u32 * 4) % 64) & 0xf) as u8;
            *byte = b"0123456789ABCDEF"[usize::from(nibble)];
        }
    }
    bytes
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{ColumnProfile, ColumnType, Histogram, Scalar, TopValue};
    use printpdf::{Op, Pt};
    use proptest::prelude::*;

    fn any_number() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(1e308),
            Just(-1e308),
            any::<f64>(),
        ]
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,40}",
            "[a-zA-Z]{200,400}",
            "[\\u{0590}-\\u{06FF} ]{1,60}",
            "[\\u{1F300}-\\u{1FAFF}\\u{0000}-\\u{001F}]{1,30}",
        ]
    }

    fn profile_from(name: String, value: f64) -> Profile {
        let column = ColumnProfile {
            name: name.clone(),
            column_type: ColumnType::Float,
            min: Some(Scalar::Number(value)),
            max: Some(Scalar::Text(name.clone())),
            mean: Some(value),
            std: Some(value),
            histogram: Some(Histogram {
                edges: vec![value, 0.0, value],
                counts: vec![u64::MAX, 0],
            }),
            top: vec![TopValue {
                value: name,
                count: u64::MAX,
            }],
            ..Default::default()
        };
        Profile {
            rows: u64::MAX,
            columns: vec![
                column.clone(),
                ColumnProfile {
                    column_type: ColumnType::Text,
                    histogram: None,
                    ..column
                },
            ],
            ..Default::default()
        }
    }

    /// Every point an operation places lies on the page.
    fn assert_on_page(pages: &[Vec<Op>], width: f32, height: f32) {
        let inside = |x: Pt, y: Pt| {
            x.0.is_finite()
                && y.0.is_finite()
                && (0.0..=width).contains(&x.0)
                && (0.0..=height).contains(&y.0)
        };
        for op in pages.iter().flatten() {
            match op {
                Op::SetTextCursor { pos } => assert!(inside(pos.x, pos.y), "text at {pos:?}"),
                Op::DrawLine { line } => line
                    .points
                    .iter()
                    .for_each(|p| assert!(inside(p.p.x, p.p.y), "line at {p:?}")),
                Op::DrawPolygon { polygon } => polygon
                    .rings
                    .iter()
                    .flat_map(|r| &r.points)
                    .for_each(|p| assert!(inside(p.p.x, p.p.y), "shape at {p:?}")),
                _ => {}
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn arbitrary_text_and_numbers_never_panic_nor_leave_the_page(name in any_text(), note in any_text(), value in any_number()) {
            let spec = ReportSpec {
                title: note.clone(),
                subtitle: Some(name.clone()),
                author: Some(note.clone()),
                sections: vec![
                    crate::render::spec::Section::Cover,
                    crate::render::spec::Section::TableOfContents,
                    crate::render::spec::Section::Summary,
                    crate::render::spec::Section::Columns { only: vec![] },
                    crate::render::spec::Section::Sample { rows: 3 },
                    crate::render::spec::Section::Notes { heading: Some(name.clone()), text: format!("{note}\n\n- {name} **{note}**") },
                ],
                ..ReportSpec::default()
            };
            let input = RenderInput {
                sample_header: vec![name.clone(); 9],
                sample_rows: vec![vec![note.clone(); 9]; 3],
                source_name: Some(name.clone()),
            };
            let profile = profile_from(name, value);
            let mut doc = PdfDocument::new("test");
            let fonts = Fonts::load().expect("fonts");
            let (pages, _) = draw_pages(&mut doc, &fonts, &profile, &spec, &input).expect("draws");
            let (w, h) = page_mm(&spec);
            assert_on_page(&pages, Mm(w).into_pt().0 + 0.01, Mm(h).into_pt().0 + 0.01);
            prop_assert!(!render_pdf(&profile, &spec, &input).expect("renders").is_empty());
        }
    }
}
