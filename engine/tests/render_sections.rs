//! Every section ends up in the PDF as real, extractable text, on pages poppler can draw.

mod common;

use common::*;
use engine::render::render_pdf;
use engine::render::spec::{Orientation, PageSize};

#[test]
fn every_section_is_found_by_pdftotext_including_cyrillic_and_chinese() {
    let mut spec = spec();
    spec.logo = Some(logo());
    let pdf = render_pdf(&profile(), &spec, &input()).expect("renders");
    let (_dir, path) = write_temp(&pdf);
    let text = poppler("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    for expected in [
        "Quarterly sales",
        "Ada Lovelace",
        "Contents",
        "Summary",
        "1,000,000",
        "Выручка",
        "城市",
        "北京",
        "Correlations (Pearson)",
        "0.82",
        "By region",
        "Over time: order_date",
        "Data sample",
        "Remarks",
        "strongly",
        "second point",
        "Page 2 of",
        "1,234.5",
    ] {
        assert!(
            text.contains(expected),
            "pdftotext lacks {expected:?}:\n{text}"
        );
    }
    assert!(
        !text.contains('\u{FFFD}'),
        "a character fell back to U+FFFD:\n{text}"
    );
}

#[test]
fn page_size_and_orientation_follow_the_spec() {
    let mut spec = spec();
    spec.page_size = PageSize::Letter;
    spec.orientation = Orientation::Landscape;
    let pdf = render_pdf(&profile(), &spec, &input()).expect("renders");
    let (_dir, path) = write_temp(&pdf);
    let info = poppler("pdfinfo", &[path.to_str().unwrap()]);
    assert!(info.contains("792 x 612 pts (letter)"), "{info}");
    assert!(
        info.lines()
            .any(|l| l.starts_with("Title:") && l.trim_end().ends_with(" Quarterly sales")),
        "{info}"
    );
    assert!(
        info.lines()
            .any(|l| l.starts_with("Author:") && l.trim_end().ends_with(" Ada Lovelace")),
        "{info}"
    );
    assert!(
        info.contains("2026"),
        "creation date comes from the spec: {info}"
    );
}

#[test]
fn every_page_renders_with_pdftoppm() {
    let pdf = render_pdf(&profile(), &spec(), &input()).expect("renders");
    let (dir, path) = write_temp(&pdf);
    let info = poppler("pdfinfo", &[path.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(
        pages >= 10,
        "expected a cover, contents and sections, got {pages} pages"
    );
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-r",
            "20",
            "-png",
            path.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pngs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, pages);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let mut spec = spec();
    spec.logo = Some(logo());
    let first = render_pdf(&profile(), &spec, &input()).expect("renders");
    let second = render_pdf(&profile(), &spec, &input()).expect("renders");
    assert!(first == second, "two renders differ");
    let mut other = spec.clone();
    other.title = "Another".into();
    assert_ne!(
        first,
        render_pdf(&profile(), &other, &input()).expect("renders")
    );
}

#[test]
fn column_pages_show_as_many_decimals_as_their_figures_need() {
    let mut discount = numeric("discount", 0.2537);
    discount.min = Some(engine::profile::Scalar::Number(0.0));
    discount.max = Some(engine::profile::Scalar::Number(0.5));
    discount.std = Some(0.1443);
    // A million rows of cents add up to a large total, which the page does not show.
    discount.sum = Some(253_700.0);
    if let Some(q) = discount.quantiles.as_mut() {
        q.p50 = 0.25;
    }
    let mut quantity = numeric("quantity", 10.5);
    quantity.column_type = engine::profile::ColumnType::Integer;
    quantity.min = Some(engine::profile::Scalar::Number(1.0));
    quantity.max = Some(engine::profile::Scalar::Number(20.0));
    let mut profile = profile();
    profile.columns.extend([discount, quantity]);
    let pdf = render_pdf(&profile, &spec(), &input()).expect("renders");
    let (_dir, path) = write_temp(&pdf);
    let text = poppler("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    // pdftotext ends each page with a form feed.
    let page_of = |name: &str| {
        text.split('\u{c}')
            .find(|page| page.contains(name) && page.contains("Standard deviation"))
            .unwrap_or_else(|| panic!("{name} has its page"))
            .to_string()
    };
    let page = page_of("discount");
    for expected in ["0.254", "0.144", "0.250", "0.500"] {
        assert!(
            page.contains(expected),
            "the page lacks {expected:?}:\n{page}"
        );
    }
    // An integer column's bounds are whole numbers; its mean keeps its decimals.
    let page = page_of("quantity");
    let figure = |label: &str| {
        page.lines()
            .find(|l| l.trim_start().starts_with(label))
            .and_then(|l| l.split_whitespace().last())
            .map(str::to_string)
    };
    assert_eq!(figure("Minimum").as_deref(), Some("1"), "{page}");
    assert_eq!(figure("Maximum").as_deref(), Some("20"), "{page}");
    assert_eq!(figure("Mean").as_deref(), Some("10.50"), "{page}");
}
