//! Font subsetting before embedding: printpdf 0.12 without its heavy `text_layout` feature
//! embeds whole fonts (2.3 MB for our three), so each font is cut down to the characters a
//! document draws and re-registered under the same id.

use std::collections::{BTreeMap, BTreeSet};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::{FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, TextItem};

/// The characters drawn with each font across `pages`.
pub fn characters_used(pages: &[Vec<Op>]) -> BTreeMap<FontId, BTreeSet<char>> {
    let mut used: BTreeMap<FontId, BTreeSet<char>> = BTreeMap::new();
    for ops in pages {
        let mut current: Option<&FontId> = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(id),
                Op::ShowText { items } => {
                    if let Some(id) = current {
                        let chars = used.entry(id.clone()).or_default();
                        for item in items {
                            if let TextItem::Text(text) = item {
                                chars.extend(text.chars());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

/// Replaces every font in `doc` with its subset for `used`; a font that cannot be subset
/// is dropped if unused and otherwise kept whole (bigger, still correct).
pub fn subset_fonts(doc: &mut PdfDocument, used: &BTreeMap<FontId, BTreeSet<char>>) {
    let ids: Vec<FontId> = doc.resources.fonts.map.keys().cloned().collect();
    for id in ids {
        let Some(chars) = used.get(&id) else {
            doc.resources.fonts.map.remove(&id);
            continue;
        };
        let Some(font) = doc.resources.fonts.map.get(&id) else {
            continue;
        };
        if let Some(smaller) = subset_one(&font.parsed_font, chars) {
            doc.resources.fonts.map.insert(id, PdfFont::new(smaller));
        }
    }
}

fn subset_one(font: &ParsedFont, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    let mut glyphs: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| font.lookup_glyph_index(u32::from(*c)))
        .collect();
    glyphs.remove(&0);
    // .notdef must come first (allsorts requires it).
    let glyphs: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let bytes = font.source_bytes()?;
    let data = ReadScope::new(&bytes).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let subset_bytes = subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    let mut warnings = Vec::new();
    let smaller = ParsedFont::from_bytes(&subset_bytes, 0, &mut warnings)?;
    // A subset that lost a character would draw it as .notdef: keep the whole font then.
    chars
        .iter()
        .all(|c| {
            font.lookup_glyph_index(u32::from(*c)).is_none()
                || smaller.lookup_glyph_index(u32::from(*c)).is_some()
        })
        .then_some(smaller)
}
