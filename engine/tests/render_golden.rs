//! A few pages compared with committed low-resolution golden images, within a tolerance
//! that absorbs anti-aliasing differences between poppler versions but not a moved table.
//! Regenerate after an intended change with `QUIRE_UPDATE_GOLDEN=1 cargo test --test render_golden`.

mod common;

use common::*;
use engine::render::render_pdf;

/// Cover, summary, a column page with a histogram, the correlation heat map.
const PAGES: [usize; 4] = [1, 3, 4, 8];
/// Mean absolute difference per pixel, out of 255.
const TOLERANCE: f64 = 2.0;

fn decode(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn pages_match_their_golden_images() {
    let mut spec = spec();
    spec.logo = Some(logo());
    let pdf = render_pdf(&profile(), &spec, &input()).expect("renders");
    let (dir, path) = write_temp(&pdf);
    let update = std::env::var_os("QUIRE_UPDATE_GOLDEN").is_some();
    for page in PAGES {
        let prefix = dir.path().join(format!("p{page}"));
        let n = page.to_string();
        poppler(
            "pdftoppm",
            &[
                "-r",
                "20",
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                &n,
                "-l",
                &n,
                path.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let rendered = prefix.with_extension("png");
        let golden = fixture(&format!("golden-page-{page}.png"));
        if update {
            std::fs::copy(&rendered, &golden).expect("update golden");
            continue;
        }
        let (gw, gh, want) = decode(&golden);
        let (w, h, got) = decode(&rendered);
        assert_eq!((w, h), (gw, gh), "page {page} changed size");
        let diff: f64 = want
            .iter()
            .zip(&got)
            .map(|(a, b)| f64::from(a.abs_diff(*b)))
            .sum::<f64>()
            / want.len() as f64;
        assert!(
            diff <= TOLERANCE,
            "page {page} differs from its golden image by {diff:.2} per pixel"
        );
    }
}
