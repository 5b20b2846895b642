//! Right-to-left text: bidi reordering (unicode-bidi) and Arabic joining (allsorts applies
//! the font's GSUB `init`/`medi`/`fina`/`rlig` forms).
//!
//! PDF draws glyphs left to right, so a line is split into runs in visual order; a
//! right-to-left run is drawn reversed. Shaped glyphs are written as glyph ids, each with
//! the characters it stands for, so `pdftotext` and copy-paste give the logical text back.

use allsorts::binary::read::ReadScope;
use allsorts::font::MatchingPresentation;
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::gsub::{FeatureMask, FeatureMaskExt};
use allsorts::tag;
use allsorts::Font;
use printpdf::{Codepoint, TextItem};
use unicode_bidi::{BidiInfo, Level};

use super::fonts::{Face, Run};

/// An allsorts font over one of the embedded files, for shaping.
pub struct Shaper(Font<DynamicFontTableProvider<'static>>);

impl Shaper {
    pub fn new(bytes: &'static [u8], index: usize) -> Option<Shaper> {
        let data = ReadScope::new(bytes).read::<FontData<'static>>().ok()?;
        let provider = data.table_provider(index).ok()?;
        Font::new(provider).ok().map(Shaper)
    }

    /// Glyph ids of `text` (logical order) after Arabic shaping, each with its characters.
    fn shape_arabic(&mut self, text: &str) -> Vec<(u16, String)> {
        let glyphs = self
            .0
            .map_glyphs(text, tag::ARAB, MatchingPresentation::NotRequired);
        let infos = match self.0.shape(
            glyphs,
            tag::ARAB,
            None,
            FeatureMask::default_mask(),
            &[],
            None,
            false,
        ) {
            Ok(infos) => infos,
            // Whatever could be applied is still better than nothing.
            Err((_, infos)) => infos,
        };
        infos
            .into_iter()
            .map(|info| {
                let chars: String = info.glyph.unicodes.iter().collect();
                (info.glyph.glyph_index, chars)
            })
            .collect()
    }
}

/// Whether `text` has a right-to-left character, so it needs reordering.
pub fn needs_bidi(text: &str) -> bool {
    text.chars().any(is_rtl)
}

fn is_rtl(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}')
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Format characters with no glyph of their own: joiners, variation selectors, bidi
/// controls, the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// Brackets face the other way inside right-to-left text (the Bidi_Mirrored property,
/// for the pairs data actually contains).
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
    }
}

/// `text` (one cleaned line) as runs in visual order, left to right.
pub fn visual_runs(face: &Face, text: &str) -> Vec<Run> {
    let info = BidiInfo::new(text, None);
    let mut out = Vec::new();
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for range in runs {
            let Some(piece) = text.get(range.clone()) else {
                continue;
            };
            let rtl = levels.get(range.start).is_some_and(|l| l.is_rtl());
            if rtl {
                out.extend(right_to_left(face, piece));
            } else {
                out.extend(face.font_runs(piece));
            }
        }
    }
    out
}

/// One right-to-left run: font runs in reverse order, each drawn reversed; Arabic in the
/// face's own font is shaped first.
fn right_to_left(face: &Face, logical: &str) -> Vec<Run> {
    let mut runs = face.font_runs(logical);
    runs.reverse();
    for run in &mut runs {
        let TextItem::Text(text) = &run.item else {
            continue;
        };
        let primary = face.primary();
        // Brackets are mirrored before shaping too. Their glyphs keep one ToUnicode entry
        // each, so a mirrored bracket is extracted as the mirrored character.
        let mirrored: String = text.chars().map(mirror).collect();
        let shaped = (run.font == primary.id && text.chars().any(is_arabic))
            .then(|| primary.with_shaper(|s| s.shape_arabic(&mirrored)))
            .flatten();
        match shaped {
            Some(glyphs) if !glyphs.is_empty() => {
                run.width = glyphs.iter().map(|(g, _)| primary.glyph_advance(*g)).sum();
                let codepoints = glyphs
                    .into_iter()
                    .rev()
                    // A ligature's characters are stored in drawing order too: text
                    // extractors reverse right-to-left lines character by character.
                    .map(|(gid, chars)| {
                        Codepoint::with_cid(gid, 0.0, chars.chars().rev().collect())
                    })
                    .collect();
                run.item = TextItem::GlyphIds(codepoints);
            }
            _ => run.item = TextItem::Text(mirrored.chars().rev().collect()),
        }
    }
    runs
}

/// Whether a paragraph reads right to left: its first strong character is (rule P2).
pub fn base_is_rtl(text: &str) -> bool {
    BidiInfo::new(text, None)
        .paragraphs
        .first()
        .is_some_and(|p| p.level.is_rtl())
}

/// The styled spans of one wrapped line, cut where the bidi level changes and put in
/// visual order (rule L2), for a paragraph whose base direction is `rtl`. Each piece is
/// then drawn on its own, which reverses and shapes its right-to-left characters.
pub fn reorder_line<W: Copy>(spans: &[(String, W)], rtl: bool) -> Vec<(String, W)> {
    let joined: String = spans.iter().map(|(t, _)| t.as_str()).collect();
    let base = if rtl { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(&joined, Some(base));
    let Some(para) = info.paragraphs.first() else {
        return spans.to_vec();
    };
    let levels = info.reordered_levels(para, para.range.clone());
    // Pieces of constant span and level, in logical order.
    let mut pieces: Vec<(String, W, Level)> = Vec::new();
    let mut offset = 0;
    for (text, weight) in spans {
        let mut starts_span = true;
        for (i, c) in text.char_indices() {
            let level = levels.get(offset + i).copied().unwrap_or(base);
            match pieces.last_mut() {
                Some((t, _, l)) if !starts_span && *l == level => t.push(c),
                _ => pieces.push((c.to_string(), *weight, level)),
            }
            starts_span = false;
        }
        offset += text.len();
    }
    let Some(highest) = pieces.iter().map(|p| p.2.number()).max() else {
        return Vec::new();
    };
    let lowest_odd = pieces
        .iter()
        .map(|p| p.2.number())
        .filter(|n| n % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    let mut level = highest;
    while level >= lowest_odd && level > 0 {
        let mut i = 0;
        while i < pieces.len() {
            if pieces[i].2.number() < level {
                i += 1;
                continue;
            }
            let start = i;
            while i < pieces.len() && pieces[i].2.number() >= level {
                i += 1;
            }
            pieces[start..i].reverse();
        }
        level -= 1;
    }
    pieces
        .into_iter()
        .map(|(text, weight, level)| {
            // Neutral characters at a right-to-left level are reversed here; pieces with
            // right-to-left letters are reversed when drawn.
            if level.is_rtl() && !needs_bidi(&text) {
                (text.chars().rev().map(mirror).collect(), weight)
            } else {
                (text, weight)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fonts::{Fonts, Weight};

    #[test]
    fn arabic_letters_take_their_joining_forms() {
        let fonts = Fonts::load().expect("fonts");
        let face = fonts.face(Weight::Regular);
        let beh = face
            .primary()
            .parsed()
            .and_then(|p| p.lookup_glyph_index(0x0628));
        let runs = face.runs("ببب");
        let [run] = runs.as_slice() else {
            panic!("one run expected");
        };
        let TextItem::GlyphIds(glyphs) = &run.item else {
            panic!("shaped text is drawn as glyphs");
        };
        let ids: Vec<Option<u16>> = glyphs.iter().map(|g| Some(g.gid)).collect();
        assert_eq!(ids.len(), 3);
        assert!(ids.iter().all(|g| *g != beh), "no isolated form: {ids:?}");
        assert_ne!(ids[0], ids[1], "final and medial forms differ");
        assert_eq!(glyphs[0].cid.as_deref(), Some("ب"));
    }

    #[test]
    fn brackets_around_arabic_face_the_other_way() {
        let fonts = Fonts::load().expect("fonts");
        let runs = fonts.face(Weight::Regular).runs("(مصر)");
        let [run] = runs.as_slice() else {
            panic!("one run expected");
        };
        let TextItem::GlyphIds(glyphs) = &run.item else {
            panic!("shaped text is drawn as glyphs");
        };
        let drawn: Vec<&str> = glyphs.iter().filter_map(|g| g.cid.as_deref()).collect();
        assert_eq!(drawn.first(), Some(&"("), "{drawn:?}");
        assert_eq!(drawn.last(), Some(&")"), "{drawn:?}");
    }

    #[test]
    fn hebrew_is_drawn_reversed_and_a_number_inside_keeps_its_order() {
        let fonts = Fonts::load().expect("fonts");
        let drawn: String = fonts
            .face(Weight::Regular)
            .runs("שלום 123 עולם")
            .into_iter()
            .map(|r| match r.item {
                TextItem::Text(t) => t,
                _ => String::new(),
            })
            .collect();
        assert_eq!(drawn, "םלוע 123 םולש");
    }

    #[test]
    fn the_words_of_a_right_to_left_line_are_put_right_to_left() {
        let spans: Vec<(String, u8)> = ["مرحبا", " بالعالم", " ok"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
        let order: Vec<String> = reorder_line(&spans, true)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        assert_eq!(order, ["ok", " ", " بالعالم", "مرحبا"]);
    }
}
