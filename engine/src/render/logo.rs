//! The spec's logo as an image placed in a box: on the cover and in every running header.

use printpdf::{Op, Pt, XObjectId, XObjectTransform};

pub struct Logo {
    pub id: XObjectId,
    pub width: usize,
    pub height: usize,
}

impl Logo {
    /// The size in points of the logo scaled to fit `max_w` × `max_h`, keeping its
    /// proportions; `None` for an image without pixels.
    pub fn fitted(&self, max_w: f32, max_h: f32) -> Option<(f32, f32)> {
        if self.width == 0 || self.height == 0 || max_w <= 0.0 || max_h <= 0.0 {
            return None;
        }
        let (w, h) = (self.width as f32, self.height as f32);
        let scale = (max_w / w).min(max_h / h);
        Some((w * scale, h * scale))
    }

    /// Draws the logo fitted into the box whose top-left corner is (`x`, `top`) in
    /// top-down page coordinates, aligned to the box's left or right edge.
    pub fn draw(
        &self,
        (x, top, max_w, max_h): (f32, f32, f32, f32),
        right_aligned: bool,
        page_height: f32,
    ) -> Option<Op> {
        let (w, h) = self.fitted(max_w, max_h)?;
        let left = if right_aligned { x + max_w - w } else { x };
        // At 72 dpi one pixel is one point, so the scale is the fitted width over pixels.
        let scale = w / self.width as f32;
        Some(Op::UseXobject {
            id: self.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(left)),
                translate_y: Some(Pt(page_height - top - h)),
                scale_x: Some(scale),
                scale_y: Some(scale),
                dpi: Some(72.0),
                ..Default::default()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logo(width: usize, height: usize) -> Logo {
        Logo {
            id: XObjectId("Logo".into()),
            width,
            height,
        }
    }

    #[test]
    fn a_wide_logo_is_limited_by_the_width_and_a_tall_one_by_the_height() {
        assert_eq!(logo(400, 100).fitted(80.0, 40.0), Some((80.0, 20.0)));
        assert_eq!(logo(100, 400).fitted(80.0, 40.0), Some((10.0, 40.0)));
        assert_eq!(logo(0, 10).fitted(80.0, 40.0), None);
    }
}
