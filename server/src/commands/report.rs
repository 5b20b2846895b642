//! `quire report FILE -o out.pdf [--spec spec.json]`: profile and render in one go.

use std::path::Path;
use std::process::ExitCode;

use engine::profile::profile_path_with_sample;
use engine::render::ReportSpec;
use time::format_description::well_known::Iso8601;
use time::OffsetDateTime;

use crate::cli::ReportArgs;

pub fn run(args: ReportArgs) -> ExitCode {
    match report(&args) {
        Ok(pages_bytes) => {
            println!("wrote {} ({} bytes)", args.output.display(), pages_bytes);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("quire report: {message}");
            ExitCode::FAILURE
        }
    }
}

fn report(args: &ReportArgs) -> Result<usize, String> {
    let mut spec = match &args.spec {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_json::from_str::<ReportSpec>(&text)
                .map_err(|e| format!("{}: not a valid report spec: {e}", path.display()))?
        }
        None => ReportSpec::default(),
    };
    // The report's date comes from the input, never the clock, so the same file gives the same PDF.
    if spec.date.is_none() {
        spec.date = modified_date(&args.input.file);
    }
    let file = &args.input.file;
    let (profile, sample) = profile_path_with_sample(
        file,
        &crate::reporting::profile_options(&spec, args.input.options()),
        crate::reporting::sample_rows(&spec),
    )
    .map_err(|e| format!("{}: {e}", file.display()))?;
    let source_name = file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let pdf = crate::reporting::render(&profile, &spec, sample.header, sample.rows, source_name)
        .map_err(|e| e.to_string())?;
    std::fs::write(&args.output, &pdf).map_err(|e| format!("{}: {e}", args.output.display()))?;
    Ok(pdf.len())
}

fn modified_date(path: &Path) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let date = OffsetDateTime::from(modified).date();
    date.format(&Iso8601::DATE).ok()
}
