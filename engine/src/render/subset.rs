//! Font subsetting before embedding: printpdf 0.12 without its heavy `text_layout` feature
//! embeds whole fonts (over 4 MB for ours), so each font a document draws with is cut down
//! to the glyphs it uses, named with a subset tag (`ABCDEF+DejaVuSans`, as PDF readers
//! expect of a subset) and registered under its fixed id. Unused fonts are not embedded.

use std::collections::{BTreeMap, BTreeSet};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::{FontId, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, TextItem};

use super::fonts::Glyphs;

/// What one font draws across a document.
#[derive(Default)]
struct Usage {
    chars: BTreeSet<char>,
    /// Glyphs given by id (shaped text), which no character maps to.
    glyphs: BTreeSet<u16>,
}

/// Subsets and registers in `doc` every font of `fonts` that `pages` draw with, and
/// renumbers the glyph ids in `pages` to the subsets'.
pub fn embed(doc: &mut PdfDocument, fonts: &[&Glyphs], pages: &mut [Vec<Op>]) {
    let used = usage(pages);
    for glyphs in fonts {
        let Some(usage) = used.get(&glyphs.id) else {
            continue;
        };
        let Some(parsed) = glyphs.parsed() else {
            continue;
        };
        let font = match subset_one(glyphs, parsed, usage) {
            Some((mut smaller, order)) => {
                smaller.font_name = Some(format!(
                    "{}+{}",
                    subset_tag(&glyphs.id, &order),
                    glyphs.source.name
                ));
                renumber(pages, &glyphs.id, &order);
                smaller
            }
            None => {
                // Bigger, still correct.
                let mut whole = parsed.clone();
                whole.font_name = Some(glyphs.source.name.to_owned());
                whole
            }
        };
        doc.resources
            .fonts
            .map
            .insert(glyphs.id.clone(), PdfFont::new(font));
    }
}

/// The characters and glyph ids drawn with each font across `pages`.
fn usage(pages: &[Vec<Op>]) -> BTreeMap<FontId, Usage> {
    let mut used: BTreeMap<FontId, Usage> = BTreeMap::new();
    for ops in pages {
        let mut current: Option<&FontId> = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(id),
                Op::ShowText { items } => {
                    let Some(id) = current else { continue };
                    let usage = used.entry(id.clone()).or_default();
                    for item in items {
                        match item {
                            TextItem::Text(text) => usage.chars.extend(text.chars()),
                            TextItem::GlyphIds(ids) => {
                                usage.glyphs.extend(ids.iter().map(|c| c.gid))
                            }
                            TextItem::Offset(_) => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    used
}

/// The subset and the original glyph ids in their new order (new id = position).
fn subset_one(glyphs: &Glyphs, font: &ParsedFont, usage: &Usage) -> Option<(ParsedFont, Vec<u16>)> {
    let mut ids: BTreeSet<u16> = usage
        .chars
        .iter()
        .filter_map(|c| font.lookup_glyph_index(u32::from(*c)))
        .collect();
    ids.extend(&usage.glyphs);
    ids.remove(&0);
    // .notdef must come first (allsorts requires it).
    let order: Vec<u16> = std::iter::once(0).chain(ids).collect();
    let data = ReadScope::new(glyphs.source.bytes)
        .read::<FontData<'_>>()
        .ok()?;
    let provider = data.table_provider(glyphs.source.index).ok()?;
    let subset_bytes = subset(&provider, &order, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    let smaller = ParsedFont::from_bytes(&subset_bytes, 0, &mut Vec::new())?;
    // A subset that lost a character, or numbered glyphs otherwise than asked, would draw
    // the wrong glyphs: keep the whole font then.
    let faithful = usage.chars.iter().all(|c| {
        let code = u32::from(*c);
        match font.lookup_glyph_index(code) {
            None => true,
            Some(old) => {
                let new = order.iter().position(|g| *g == old);
                new.is_some() && smaller.lookup_glyph_index(code).map(usize::from) == new
            }
        }
    });
    faithful.then_some((smaller, order))
}

/// Rewrites the glyph ids drawn with font `id` to their position in `order`.
fn renumber(pages: &mut [Vec<Op>], id: &FontId, order: &[u16]) {
    let new_id: BTreeMap<u16, u16> = order
        .iter()
        .enumerate()
        .filter_map(|(new, old)| Some((*old, u16::try_from(new).ok()?)))
        .collect();
    for ops in pages {
        let mut current = false;
        for op in ops.iter_mut() {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(font),
                    ..
                } => current = font == id,
                Op::ShowText { items } if current => {
                    for item in items {
                        if let TextItem::GlyphIds(codepoints) = item {
                            for cp in codepoints {
                                cp.gid = new_id.get(&cp.gid).copied().unwrap_or(0);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Six capital letters that depend on the font and its glyphs, so two different subsets
/// of one font get different tags and the same document always gets the same ones.
fn subset_tag(id: &FontId, order: &[u16]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes =
        id.0.bytes()
            .chain(order.iter().flat_map(|g| g.to_be_bytes()));
    for b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_tags_are_six_capitals_and_differ_between_subsets() {
        let id = FontId("FDejaVuSans".into());
        let a = subset_tag(&id, &[0, 1, 2]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()), "{a}");
        assert_eq!(a, subset_tag(&id, &[0, 1, 2]));
        assert_ne!(a, subset_tag(&id, &[0, 1, 3]));
    }
}
