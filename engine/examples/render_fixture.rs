//! Writes the render tests' fixture report to a file, to look at: `cargo run -p engine
//! --example render_fixture -- out.pdf [world]` (`world`: the Arabic, Hebrew, Hangul and
//! emoji fixture).
#[path = "../tests/common/mod.rs"]
mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "report.pdf".into());
    let pdf = if args.next().as_deref() == Some("world") {
        engine::render::render_pdf(
            &common::world_profile(),
            &common::world_spec(),
            &common::world_input(),
        )?
    } else {
        let mut spec = common::spec();
        spec.logo = Some(common::logo());
        engine::render::render_pdf(&common::profile(), &spec, &common::input())?
    };
    std::fs::write(out, pdf)?;
    Ok(())
}
