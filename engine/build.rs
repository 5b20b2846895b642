//! Finds the full Noto Sans CJK collection (Debian's `fonts-noto-cjk`) to embed in the
//! renderer as the last fallback font, for the hanzi, kanji and hanja the committed subsets
//! lack. Without it the build still works and such characters render as U+FFFD.
//!
//! `QUIRE_CJK_FONT=/path/NotoSansCJK-Regular.ttc` picks another copy; `QUIRE_CJK_FONT=none`
//! leaves it out (a 19 MB smaller binary).

use std::path::PathBuf;

const DEBIAN_PATH: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const FONTS_DIR: &str = "/usr/share/fonts";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=QUIRE_CJK_FONT");
    println!("cargo::rustc-check-cfg=cfg(quire_full_cjk)");
    let wanted = std::env::var("QUIRE_CJK_FONT").ok();
    let path = match wanted.as_deref() {
        Some("none") => return,
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(DEBIAN_PATH),
    };
    if !path.is_file() {
        println!(
            "cargo:warning=no full CJK font at {}: rare CJK characters will render as U+FFFD \
             (apt-get install fonts-noto-cjk)",
            path.display()
        );
        // Build again once the font is installed.
        if std::path::Path::new(FONTS_DIR).is_dir() {
            println!("cargo:rerun-if-changed={FONTS_DIR}");
        }
        return;
    }
    println!("cargo:rerun-if-changed={}", path.display());
    println!("cargo:rustc-cfg=quire_full_cjk");
    println!("cargo:rustc-env=QUIRE_CJK_FONT_PATH={}", path.display());
}
