//! The embedded fonts and text measuring.
//!
//! DejaVu Sans (Bitstream Vera licence) covers Latin, Greek and Cyrillic; a subset of Noto
//! Sans CJK SC (SIL OFL 1.1: GB2312 level-1 hanzi, kana, CJK punctuation) is the fallback,
//! picked per run of characters. Licences are beside the files in `assets/fonts/`. printpdf
//! subsets both again on save, so only the glyphs used are shipped.

use std::sync::Arc;

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};

use super::RenderError;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
const CJK_OTF: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Subset.otf");

/// Drawn in place of a character no font has, so nothing silently turns into a box.
const MISSING: char = '\u{FFFD}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

struct Glyphs {
    id: FontId,
    parsed: ParsedFont,
    units_per_em: f32,
}

impl Glyphs {
    /// Registers the font under a fixed id: printpdf's own ids come from a process-wide
    /// counter and would make the bytes differ from run to run.
    fn load(doc: &mut PdfDocument, bytes: &[u8], id: &str) -> Result<Glyphs, RenderError> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| RenderError::Font(id.to_owned()))?;
        let id = FontId(id.to_owned());
        doc.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed.clone()));
        let units_per_em = f32::from(parsed.units_per_em.max(1));
        Ok(Glyphs {
            id,
            parsed,
            units_per_em,
        })
    }

    fn has(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(u32::from(c)).is_some()
    }

    fn advance(&self, c: char) -> Option<f32> {
        let gid = self.parsed.lookup_glyph_index(u32::from(c))?;
        Some(f32::from(self.parsed.get_glyph_width(gid).unwrap_or(0)) / self.units_per_em)
    }
}

pub struct Face {
    primary: Glyphs,
    fallback: Arc<Glyphs>,
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load_into(doc: &mut PdfDocument) -> Result<Fonts, RenderError> {
        let cjk = Arc::new(Glyphs::load(doc, CJK_OTF, "FNotoSansCJK")?);
        Ok(Fonts {
            regular: Face {
                primary: Glyphs::load(doc, REGULAR_TTF, "FDejaVuSans")?,
                fallback: Arc::clone(&cjk),
            },
            bold: Face {
                primary: Glyphs::load(doc, BOLD_TTF, "FDejaVuSansBold")?,
                fallback: cjk,
            },
        })
    }

    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

impl Face {
    /// Width of `text` in points at `size`, after [`Face::clean`].
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c)).sum::<f32>() * size
    }

    /// Advance of one character in ems.
    pub fn char_width(&self, c: char) -> f32 {
        self.primary
            .advance(c)
            .or_else(|| self.fallback.advance(c))
            .or_else(|| self.primary.advance(MISSING))
            .unwrap_or(0.0)
    }

    /// Text as it will be drawn: control characters become spaces and characters no font
    /// has become U+FFFD, so measuring and drawing agree.
    pub fn clean(&self, text: &str) -> String {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.primary.has(c) || self.fallback.has(c) {
                    c
                } else {
                    MISSING
                }
            })
            .collect()
    }

    /// Cleaned text split into runs, each with the font that has its glyphs.
    pub fn runs(&self, clean_text: &str) -> Vec<(FontId, String)> {
        let mut runs: Vec<(FontId, String)> = Vec::new();
        for c in clean_text.chars() {
            let id = if !self.primary.has(c) && self.fallback.has(c) {
                &self.fallback.id
            } else {
                &self.primary.id
            };
            match runs.last_mut() {
                Some((last, text)) if last == id => text.push(c),
                _ => runs.push((id.clone(), c.to_string())),
            }
        }
        runs
    }
}
