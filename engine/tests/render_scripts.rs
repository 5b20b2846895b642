//! What a reader of a report in Arabic, Hebrew or Korean, with emoji in the data, notices:
//! the text comes back out of the PDF, the fonts are embedded subsets, the logo heads every
//! page, and wide group-bys and correlation matrices are shown whole.

mod common;

use common::*;
use engine::render::render_pdf;

fn world_pdf() -> (tempfile::TempDir, std::path::PathBuf) {
    let pdf = render_pdf(&world_profile(), &world_spec(), &world_input()).expect("renders");
    write_temp(&pdf)
}

/// pdftotext's text without the embedding marks it wraps right-to-left runs in.
fn text_of(path: &std::path::Path) -> String {
    poppler("pdftotext", &[path.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

fn page_count(path: &std::path::Path) -> usize {
    poppler("pdfinfo", &[path.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count")
}

#[test]
fn arabic_hebrew_hangul_and_emoji_come_back_out_in_reading_order() {
    let (_dir, path) = world_pdf();
    let text = text_of(&path);
    for expected in WORLD_TEXT {
        assert!(
            text.contains(expected),
            "pdftotext lacks {expected:?}:\n{text}"
        );
    }
    for expected in ["نمت الإيرادات في", "הכנסות גדלו בתל אביב", "서울 매출 증가"]
    {
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
fn rare_hanzi_kanji_and_hanja_are_drawn_from_the_full_cjk_font() {
    let mut profile = world_profile();
    profile.columns.push(text("地名", &[RARE_CJK, "東京"]));
    let pdf = render_pdf(&profile, &world_spec(), &world_input()).expect("renders");
    let (_dir, path) = write_temp(&pdf);
    let text = text_of(&path);
    assert!(
        text.contains(RARE_CJK),
        "pdftotext lacks {RARE_CJK:?}: Debian's fonts-noto-cjk must be installed when the \
         engine is built (scripts/tools.sh test):\n{text}"
    );
    let fonts = poppler("pdffonts", &[path.to_str().unwrap()]);
    assert_eq!(
        fonts.matches("+NotoSansCJKsc-Regular").count(),
        2,
        "the committed subset for common hanzi and the full font for rare ones:\n{fonts}"
    );
}

#[test]
fn every_font_is_embedded_as_a_tagged_subset() {
    let (_dir, path) = world_pdf();
    let fonts = poppler("pdffonts", &[path.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        rows.len() >= 4,
        "regular, bold, Hangul and emoji fonts:\n{fonts}"
    );
    for row in rows {
        let name = row.split_whitespace().next().unwrap_or("");
        let (tag, _) = name.split_once('+').unwrap_or(("", ""));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{name} has no subset tag:\n{fonts}"
        );
        assert!(row.contains(" yes yes yes "), "not emb/sub/uni: {row}");
    }
}

#[test]
fn the_logo_heads_every_page_and_is_stored_once() {
    let (_dir, path) = world_pdf();
    let list = poppler("pdfimages", &["-list", path.to_str().unwrap()]);
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let pages: Vec<usize> = rows.iter().filter_map(|r| r[0].parse().ok()).collect();
    let expected: Vec<usize> = (1..=page_count(&path)).collect();
    assert_eq!(pages, expected, "one logo per page:\n{list}");
    assert!(
        rows.iter().all(|r| r[10] == rows[0][10]),
        "every page shows the same image object:\n{list}"
    );
}

#[test]
fn a_group_by_with_eight_measures_shows_all_eight() {
    let (_dir, path) = world_pdf();
    let text = text_of(&path);
    for m in 0..8 {
        assert!(
            text.contains(&format!("Σ measure_{m}")),
            "measure_{m}:\n{text}"
        );
    }
    // The last group's last sum, so no measure lost its values.
    assert!(text.contains("8,003.0"), "{text}");
}

#[test]
fn a_correlation_matrix_of_twenty_columns_is_drawn_in_blocks_covering_every_pair() {
    let (_dir, path) = world_pdf();
    let text = text_of(&path);
    for block in [
        "Columns 1–10 × 1–10",
        "Columns 1–10 × 11–20",
        "Columns 11–20 × 11–20",
    ] {
        assert!(text.contains(block), "{block}:\n{text}");
    }
    for c in 0..20 {
        assert!(text.contains(&format!("c{c:02}")), "c{c:02}:\n{text}");
    }
}

#[test]
fn a_report_in_every_script_gives_the_same_bytes_twice() {
    let render = || render_pdf(&world_profile(), &world_spec(), &world_input()).expect("renders");
    let first = render();
    assert!(first == render(), "two renders differ");
}
