//! The embedded fonts, the fallback chain and text measuring.
//!
//! Each character is drawn with the first font of a chain that has it: DejaVu Sans (Latin,
//! Greek, Cyrillic, Arabic, Hebrew, symbols), then subsets of Noto Sans CJK SC (hanzi, kana),
//! Noto Sans CJK KR (Hangul) and Symbola (monochrome emoji), and last, when the build found
//! it (see `build.rs`), the whole Noto Sans CJK collection for rarer hanzi, kanji and hanja.
//! Licences and the commands that cut the subsets are beside the files in `assets/fonts/`.
//! Each font is parsed on first use, once per process; a document embeds only the glyphs it
//! draws (see `subset.rs`).

use std::rc::Rc;
use std::sync::{Mutex, OnceLock};

use printpdf::{FontId, ParsedFont, TextItem};

use super::shaping::{self, Shaper};
use super::RenderError;

/// One embedded font file.
#[derive(Clone, Copy)]
pub struct Source {
    /// The resource name in the PDF; fixed, because printpdf's own ids come from a
    /// process-wide counter and would make the bytes differ from run to run.
    pub id: &'static str,
    /// The PostScript name written (with its subset tag) into the PDF.
    pub name: &'static str,
    pub bytes: &'static [u8],
    /// The face inside a font collection (`.ttc`); 0 for a single font.
    pub index: usize,
}

const REGULAR: usize = 0;
const BOLD: usize = 1;
/// Every source from this one on is a fallback, tried in order after the face's own font.
const FIRST_FALLBACK: usize = 2;
/// Room for every source in the per-process caches below.
const MAX_SOURCES: usize = 6;

#[cfg(quire_full_cjk)]
static SOURCES: [Source; 6] = [
    COMMITTED[0],
    COMMITTED[1],
    COMMITTED[2],
    COMMITTED[3],
    COMMITTED[4],
    Source {
        id: "FNotoSansCJKFull",
        name: "NotoSansCJKsc-Regular",
        bytes: include_bytes!(env!("QUIRE_CJK_FONT_PATH")),
        // Noto Sans CJK's collection holds JP, KR, SC, TC, HK in this order.
        index: 2,
    },
];
#[cfg(not(quire_full_cjk))]
static SOURCES: [Source; 5] = COMMITTED;

/// The fonts in the repository.
const COMMITTED: [Source; 5] = [
    Source {
        id: "FDejaVuSans",
        name: "DejaVuSans",
        bytes: include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        index: 0,
    },
    Source {
        id: "FDejaVuSansBold",
        name: "DejaVuSans-Bold",
        bytes: include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
        index: 0,
    },
    Source {
        id: "FNotoSansCJK",
        name: "NotoSansCJKsc-Regular",
        bytes: include_bytes!("../../assets/fonts/NotoSansCJKsc-Subset.otf"),
        index: 0,
    },
    Source {
        id: "FNotoSansHangul",
        name: "NotoSansCJKkr-Regular",
        bytes: include_bytes!("../../assets/fonts/NotoSansCJKkr-Hangul.otf"),
        index: 0,
    },
    Source {
        id: "FSymbolaEmoji",
        name: "Symbola",
        bytes: include_bytes!("../../assets/fonts/Symbola-Emoji.ttf"),
        index: 0,
    },
];

/// Drawn in place of a character no font has, so nothing silently turns into a box.
const MISSING: char = '\u{FFFD}';

/// The font `index` of [`SOURCES`], parsed on first use and kept for the process: the
/// fallbacks (the full CJK collection above all) cost more to parse than a short report
/// costs to lay out, and most reports never need them.
fn parsed(index: usize) -> Option<&'static ParsedFont> {
    static PARSED: [OnceLock<Option<ParsedFont>>; MAX_SOURCES] =
        [const { OnceLock::new() }; MAX_SOURCES];
    let source = SOURCES.get(index)?;
    PARSED
        .get(index)?
        .get_or_init(|| ParsedFont::from_bytes(source.bytes, source.index, &mut Vec::new()))
        .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

pub struct Glyphs {
    pub id: FontId,
    pub source: &'static Source,
    index: usize,
}

impl Glyphs {
    fn new(index: usize) -> Glyphs {
        let source = &SOURCES[index];
        Glyphs {
            id: FontId(source.id.to_owned()),
            source,
            index,
        }
    }

    /// The parsed font; `None` if it cannot be parsed, and then it has no characters.
    pub fn parsed(&self) -> Option<&'static ParsedFont> {
        parsed(self.index)
    }

    pub fn has(&self, c: char) -> bool {
        self.parsed()
            .is_some_and(|p| p.lookup_glyph_index(u32::from(c)).is_some())
    }

    fn advance(&self, c: char) -> Option<f32> {
        let gid = self.parsed()?.lookup_glyph_index(u32::from(c))?;
        Some(self.glyph_advance(gid))
    }

    /// Advance of a glyph in ems.
    pub fn glyph_advance(&self, gid: u16) -> f32 {
        self.parsed().map_or(0.0, |p| {
            f32::from(p.get_glyph_width(gid).unwrap_or(0)) / f32::from(p.units_per_em.max(1))
        })
    }

    /// Runs `f` with this font's shaper, built on first use and kept for the process (only
    /// text that needs shaping, Arabic, pays for it); `None` if the font cannot be shaped.
    pub fn with_shaper<R>(&self, f: impl FnOnce(&mut Shaper) -> R) -> Option<R> {
        static SHAPERS: [Mutex<Option<Shaper>>; MAX_SOURCES] =
            [const { Mutex::new(None) }; MAX_SOURCES];
        let mut slot = SHAPERS.get(self.index)?.lock().ok()?;
        if slot.is_none() {
            *slot = Shaper::new(self.source.bytes, self.source.index);
        }
        slot.as_mut().map(f)
    }
}

/// The fonts one weight draws with: its own first, then the shared fallbacks.
pub struct Face {
    chain: Vec<Rc<Glyphs>>,
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Fonts, RenderError> {
        let fallbacks: Vec<Rc<Glyphs>> = (FIRST_FALLBACK..SOURCES.len())
            .map(|i| Rc::new(Glyphs::new(i)))
            .collect();
        let face = |own: usize| -> Result<Face, RenderError> {
            let glyphs = Glyphs::new(own);
            if glyphs.parsed().is_none() {
                return Err(RenderError::Font(glyphs.source.id.to_owned()));
            }
            let mut chain = vec![Rc::new(glyphs)];
            chain.extend(fallbacks.iter().cloned());
            Ok(Face { chain })
        };
        Ok(Fonts {
            regular: face(REGULAR)?,
            bold: face(BOLD)?,
        })
    }

    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Every font either face may draw with, each once.
    pub fn all(&self) -> Vec<&Glyphs> {
        let mut all: Vec<&Glyphs> = Vec::new();
        for glyphs in self.regular.chain.iter().chain(&self.bold.chain) {
            if !all.iter().any(|g| g.id == glyphs.id) {
                all.push(glyphs);
            }
        }
        all
    }
}

impl Face {
    /// The font that draws `c`: the first in the chain that has it.
    pub fn font_for(&self, c: char) -> &Glyphs {
        self.chain
            .iter()
            .find(|g| g.has(c))
            .unwrap_or(&self.chain[0])
    }

    /// The face's own font, which also shapes right-to-left text.
    pub fn primary(&self) -> &Glyphs {
        &self.chain[0]
    }

    /// Width of `text` in points at `size`, after [`Face::clean`]; shaped text is measured
    /// as it will be drawn.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        if shaping::needs_bidi(text) {
            return self.runs(text).iter().map(|r| r.width).sum::<f32>() * size;
        }
        text.chars().map(|c| self.char_width(c)).sum::<f32>() * size
    }

    /// Advance of one character in ems.
    pub fn char_width(&self, c: char) -> f32 {
        self.font_for(c)
            .advance(c)
            .or_else(|| self.chain[0].advance(MISSING))
            .unwrap_or(0.0)
    }

    /// Text as it will be drawn: control characters become spaces, invisible format
    /// characters (joiners, variation selectors, bidi controls) are dropped, and
    /// characters no font has become U+FFFD, so measuring and drawing agree.
    pub fn clean(&self, text: &str) -> String {
        text.chars()
            .filter(|c| !shaping::is_invisible(*c))
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if self.chain.iter().any(|g| g.has(c)) {
                    c
                } else {
                    MISSING
                }
            })
            .collect()
    }

    /// Cleaned text as runs in drawing order (left to right), each with its font: mixed
    /// directions are reordered and Arabic is shaped.
    pub fn runs(&self, clean_text: &str) -> Vec<Run> {
        if shaping::needs_bidi(clean_text) {
            return shaping::visual_runs(self, clean_text);
        }
        self.font_runs(clean_text)
    }

    /// Left-to-right text split where the font changes.
    pub fn font_runs(&self, text: &str) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for c in text.chars() {
            let glyphs = self.font_for(c);
            let w = self.char_width(c);
            match runs.last_mut() {
                Some(Run {
                    font,
                    item: TextItem::Text(text),
                    width,
                }) if *font == glyphs.id => {
                    text.push(c);
                    *width += w;
                }
                _ => runs.push(Run {
                    font: glyphs.id.clone(),
                    item: TextItem::Text(c.to_string()),
                    width: w,
                }),
            }
        }
        runs
    }
}

/// A piece of a line drawn with one font.
pub struct Run {
    pub font: FontId,
    pub item: TextItem,
    /// Advance in ems.
    pub width: f32,
}
