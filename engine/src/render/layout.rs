//! Pages and flow: a cursor moving down the page, paragraphs that wrap, tables that break
//! between rows and repeat their header, and the running header and footer.
//!
//! Coordinates are points from the top-left of the page; they are turned into PDF's
//! bottom-left coordinates only when an operation is emitted. Everything drawn is clamped
//! to the page, whatever the input.

use printpdf::{
    Color, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Polygon, PolygonRing, Pt,
    WindingOrder,
};

use super::fonts::{Fonts, Weight};
use super::logo::Logo;
use super::shaping;

pub type Rgbf = (f32, f32, f32);

pub const INK: Rgbf = (0.13, 0.13, 0.15);
pub const MUTED: Rgbf = (0.42, 0.43, 0.47);
pub const RULE: Rgbf = (0.82, 0.83, 0.86);
pub const ZEBRA: Rgbf = (0.955, 0.96, 0.97);

/// The type scale: every size used in the report.
pub mod size {
    pub const TITLE: f32 = 30.0;
    pub const H1: f32 = 18.0;
    pub const H2: f32 = 12.5;
    pub const BODY: f32 = 9.5;
    pub const SMALL: f32 = 8.0;
    pub const TINY: f32 = 6.5;
}

const HEADER_SPACE: f32 = 24.0;
const FOOTER_SPACE: f32 = 24.0;
/// The widest a logo may be in the running header.
const LOGO_MAX_WIDTH: f32 = 90.0;

/// A heading to list in the table of contents and the PDF outline.
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub title: String,
    pub page: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct TableColumn {
    pub title: String,
    pub align: Align,
    /// Relative width; the columns share the text width in these proportions.
    pub weight: f32,
}

pub struct Layout<'f> {
    pub fonts: &'f Fonts,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub accent: Rgbf,
    pub pages: Vec<Vec<Op>>,
    /// Pages that carry no running header and footer (the cover).
    pub bare_pages: Vec<usize>,
    pub outline: Vec<OutlineEntry>,
    y: f32,
    /// When set, drawing goes to this earlier page (to fill in the contents afterwards).
    target: Option<usize>,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts, width: f32, height: f32, accent: Rgbf) -> Self {
        let margin = (width.min(height) * 0.09).clamp(36.0, 64.0);
        Layout {
            fonts,
            width,
            height,
            margin,
            accent,
            pages: Vec::new(),
            bare_pages: Vec::new(),
            outline: Vec::new(),
            y: 0.0,
            target: None,
        }
    }

    pub fn left(&self) -> f32 {
        self.margin
    }

    pub fn text_width(&self) -> f32 {
        self.width - 2.0 * self.margin
    }

    fn top(&self) -> f32 {
        self.margin + HEADER_SPACE
    }

    fn bottom(&self) -> f32 {
        self.height - self.margin - FOOTER_SPACE
    }

    pub fn cursor(&self) -> f32 {
        self.y
    }

    pub fn page_index(&self) -> usize {
        self.pages.len().saturating_sub(1)
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top();
    }

    /// Starts a new page unless `height` still fits below the cursor.
    pub fn ensure(&mut self, height: f32) {
        if self.pages.is_empty() || self.y + height > self.bottom() {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        self.y += height;
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        let last = self.pages.len() - 1;
        let index = self.target.map_or(last, |t| t.min(last));
        &mut self.pages[index]
    }

    /// Sends drawing to page `index` with the cursor at `y`, or back to the flow with `None`.
    pub fn draw_on(&mut self, target: Option<(usize, f32)>) {
        self.target = target.map(|(page, _)| page);
        if let Some((_, y)) = target {
            self.y = y;
        }
    }

    /// Draws one line of text with its top-left at (`x`, `y`), cut with an ellipsis at
    /// `max_width` and never past the page edge.
    pub fn text(&mut self, x: f32, y: f32, text: &str, weight: Weight, size: f32, color: Rgbf) {
        let face = self.fonts.face(weight);
        let x = clamp_finite(x, 0.0, self.width);
        let y = clamp_finite(y, 0.0, self.height - size);
        let max_width = self.width - x;
        let fitted = fit(face, &face.clean(text), size, max_width);
        if fitted.is_empty() {
            return;
        }
        let baseline = self.height - y - size * 0.8;
        let runs = face.runs(&fitted);
        let ops = self.ops();
        ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            },
        ]);
        for run in runs {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(run.font),
                size: Pt(size),
            });
            ops.push(Op::ShowText {
                items: vec![run.item],
            });
        }
        ops.push(Op::EndTextSection);
    }

    /// Text cut to `max_width` and placed left or right inside it.
    pub fn text_in(
        &mut self,
        (x, y, max_width): (f32, f32, f32),
        text: &str,
        (weight, size, color): (Weight, f32, Rgbf),
        align: Align,
    ) {
        let face = self.fonts.face(weight);
        let fitted = fit(face, &face.clean(text), size, max_width.max(0.0));
        let x = match align {
            Align::Left => x,
            Align::Right => x + max_width - face.width(&fitted, size),
        };
        self.text(x, y, &fitted, weight, size, color);
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgbf) {
        let (x0, x1) = (
            clamp_finite(x, 0.0, self.width),
            clamp_finite(x + w, 0.0, self.width),
        );
        let (y0, y1) = (
            clamp_finite(y, 0.0, self.height),
            clamp_finite(y + h, 0.0, self.height),
        );
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
        let height = self.height;
        let points = corners
            .iter()
            .map(|&(px, py)| LinePoint {
                p: Point {
                    x: Pt(px),
                    y: Pt(height - py),
                },
                bezier: false,
            })
            .collect();
        self.ops().extend([
            Op::SetFillColor { col: rgb(color) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// A polyline through `points` (top-left coordinates).
    pub fn polyline(&mut self, points: &[(f32, f32)], color: Rgbf, thickness: f32) {
        let height = self.height;
        let (w, h) = (self.width, self.height);
        let points: Vec<LinePoint> = points
            .iter()
            .map(|&(px, py)| LinePoint {
                p: Point {
                    x: Pt(clamp_finite(px, 0.0, w)),
                    y: Pt(height - clamp_finite(py, 0.0, h)),
                },
                bezier: false,
            })
            .collect();
        if points.len() < 2 {
            return;
        }
        self.ops().extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            },
        ]);
    }

    pub fn hline(&mut self, x: f32, y: f32, w: f32, color: Rgbf, thickness: f32) {
        self.polyline(&[(x, y), (x + w, y)], color, thickness);
    }

    /// A section heading, listed in the contents and the outline; `level` 1 starts a page.
    pub fn heading(&mut self, title: &str, level: u8) {
        if level == 1 {
            self.new_page();
            self.outline.push(OutlineEntry {
                title: title.to_owned(),
                page: self.page_index(),
            });
            let (x, y, accent) = (self.left(), self.y, self.accent);
            self.text(x, y, title, Weight::Bold, size::H1, INK);
            self.rect(x, y + size::H1 + 5.0, 36.0, 2.5, accent);
            self.space(size::H1 + 18.0);
        } else {
            self.ensure(size::H2 * 4.0);
            let (x, y) = (self.left(), self.y);
            self.text(x, y, title, Weight::Bold, size::H2, INK);
            self.space(size::H2 + 8.0);
        }
    }

    /// A wrapped paragraph; `**bold**` spans are drawn bold.
    pub fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        let line_height = size * 1.45;
        let max_width = self.text_width() - indent;
        // A paragraph that starts in Arabic or Hebrew is set right to left, flush right.
        let rtl = shaping::needs_bidi(text) && shaping::base_is_rtl(text);
        for line in wrap(self.fonts, text, size, max_width) {
            self.ensure(line_height);
            let line =
                if shaping::needs_bidi(&line.iter().map(|(w, _)| w.as_str()).collect::<String>()) {
                    shaping::reorder_line(&line, rtl)
                } else {
                    line
                };
            let widths: Vec<f32> = line
                .iter()
                .map(|(word, weight)| self.fonts.face(*weight).width(word, size))
                .collect();
            let mut x = self.left() + indent;
            if rtl {
                x += (max_width - widths.iter().sum::<f32>()).max(0.0);
            }
            let y = self.y;
            for ((word, weight), w) in line.into_iter().zip(widths) {
                self.text(x, y, &word, weight, size, INK);
                x += w;
            }
            self.space(line_height);
        }
    }

    /// A table that breaks between rows, repeating its header on every page.
    pub fn table(&mut self, columns: &[TableColumn], rows: &[Vec<String>]) {
        if columns.is_empty() {
            return;
        }
        let size = size::SMALL;
        let row_height = size * 1.9;
        let total: f32 = columns.iter().map(|c| c.weight.max(0.01)).sum();
        let mut xs = Vec::with_capacity(columns.len());
        let mut x = self.left();
        for column in columns {
            let w = self.text_width() * column.weight.max(0.01) / total;
            xs.push((x, w));
            x += w;
        }
        self.ensure(row_height * 3.0);
        self.table_header(columns, &xs, row_height);
        for (i, row) in rows.iter().enumerate() {
            if self.y + row_height > self.bottom() {
                self.new_page();
                self.table_header(columns, &xs, row_height);
            }
            let y = self.y;
            if i % 2 == 1 {
                self.rect(self.left(), y, self.text_width(), row_height, ZEBRA);
            }
            for ((column, &(cx, cw)), cell) in columns.iter().zip(&xs).zip(row) {
                let pad = 4.0;
                self.text_in(
                    (cx + pad, y + (row_height - size) / 2.0, cw - 2.0 * pad),
                    cell,
                    (Weight::Regular, size, INK),
                    column.align,
                );
            }
            self.space(row_height);
        }
        let (x, y, w) = (self.left(), self.y, self.text_width());
        self.hline(x, y, w, RULE, 0.6);
        self.space(10.0);
    }

    fn table_header(&mut self, columns: &[TableColumn], xs: &[(f32, f32)], row_height: f32) {
        let y = self.y;
        let accent = self.accent;
        for (column, &(cx, cw)) in columns.iter().zip(xs) {
            self.text_in(
                (cx + 4.0, y + (row_height - size::SMALL) / 2.0, cw - 8.0),
                &column.title,
                (Weight::Bold, size::SMALL, INK),
                column.align,
            );
        }
        let (x, w) = (self.left(), self.text_width());
        self.hline(x, y + row_height, w, accent, 1.0);
        self.space(row_height + 1.0);
    }

    /// Adds the running title, the logo and "page N of M" to every page but the bare ones.
    pub fn finish(mut self, title: &str, logo: Option<&Logo>) -> (Vec<Vec<Op>>, Vec<OutlineEntry>) {
        let total = self.pages.len();
        for index in 0..total {
            if self.bare_pages.contains(&index) {
                continue;
            }
            let ops = std::mem::take(&mut self.pages[index]);
            self.pages[index] = Vec::new();
            let header_y = self.margin;
            let footer_y = self.height - self.margin - size::SMALL;
            let (left, width) = (self.left(), self.text_width());
            // Draw into a scratch page so the helpers can be reused, then restore order.
            self.pages.push(Vec::new());
            // The logo sits at the right end of the header, as tall as the header text
            // band allows; the title gives way to it.
            let logo_box = (LOGO_MAX_WIDTH, size::SMALL + 8.0);
            let logo_op = logo.and_then(|l| {
                l.draw(
                    (
                        left + width - logo_box.0,
                        header_y - 4.0,
                        logo_box.0,
                        logo_box.1,
                    ),
                    true,
                    self.height,
                )
            });
            let title_width = match logo_op {
                Some(_) => width - logo_box.0 - 12.0,
                None => width,
            };
            self.ops().extend(logo_op);
            self.text_in(
                (left, header_y, title_width),
                title,
                (Weight::Regular, size::SMALL, MUTED),
                Align::Left,
            );
            self.hline(left, header_y + size::SMALL + 5.0, width, RULE, 0.5);
            let page_label = format!("Page {} of {}", index + 1, total);
            self.text_in(
                (left, footer_y, width),
                &page_label,
                (Weight::Regular, size::SMALL, MUTED),
                Align::Right,
            );
            let mut chrome = self.pages.pop().unwrap_or_default();
            chrome.extend(ops);
            self.pages[index] = chrome;
        }
        (self.pages, self.outline)
    }
}

fn rgb((r, g, b): Rgbf) -> Color {
    Color::Rgb(printpdf::Rgb::new(r, g, b, None))
}

fn clamp_finite(v: f32, lo: f32, hi: f32) -> f32 {
    if v.is_finite() {
        v.clamp(lo, hi)
    } else {
        lo
    }
}

/// `text` cut so it fits `max_width`, ending in an ellipsis when cut.
fn fit(face: &super::fonts::Face, text: &str, size: f32, max_width: f32) -> String {
    if face.width(text, size) <= max_width {
        return text.to_owned();
    }
    let ellipsis = face.width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = face.char_width(c) * size;
        if used + w + ellipsis > max_width {
            break;
        }
        used += w;
        out.push(c);
    }
    if ellipsis <= max_width {
        out.push('…');
    }
    out
}

/// Breaks `text` into lines of (word, weight) runs no wider than `max_width`; words longer
/// than a line are split between characters.
fn wrap(fonts: &Fonts, text: &str, size: f32, max_width: f32) -> Vec<Vec<(String, Weight)>> {
    let mut lines = Vec::new();
    let mut line: Vec<(String, Weight)> = Vec::new();
    let mut used = 0.0;
    let space = fonts.regular.width(" ", size);
    for (i, span) in text.split("**").enumerate() {
        let weight = if i % 2 == 1 {
            Weight::Bold
        } else {
            Weight::Regular
        };
        let face = fonts.face(weight);
        for word in span.split_whitespace() {
            let word = face.clean(word);
            let mut w = face.width(&word, size);
            let gap = if line.is_empty() { 0.0 } else { space };
            if used + gap + w > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            let mut word = word;
            while w > max_width {
                let mut head = String::new();
                let mut head_w = 0.0;
                let mut tail = String::new();
                for c in word.chars() {
                    let cw = face.char_width(c) * size;
                    if !tail.is_empty() || (head_w + cw > max_width && !head.is_empty()) {
                        tail.push(c);
                        continue;
                    }
                    head_w += cw;
                    head.push(c);
                }
                word = tail;
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(vec![(head, weight)]);
                w = face.width(&word, size);
                used = 0.0;
            }
            if word.is_empty() {
                continue;
            }
            let text = if line.is_empty() {
                word
            } else {
                format!(" {word}")
            };
            used += face.width(&text, size);
            line.push((text, weight));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
