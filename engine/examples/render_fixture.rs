//! Writes the render tests' fixture report to a file, to look at: `cargo run -p engine
//! --example render_fixture -- out.pdf`.
#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "report.pdf".into());
    let mut spec = common::spec();
    spec.logo = Some(common::logo());
    let pdf = engine::render::render_pdf(&common::profile(), &spec, &common::input())?;
    std::fs::write(out, pdf)?;
    Ok(())
}
