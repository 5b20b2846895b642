//! `quire profile FILE`: the profile as JSON (the schema in docs/profile-schema.md) or a table.

use std::process::ExitCode;

use engine::profile::{format_table, profile_path};

use crate::cli::{OutputFormat, ProfileArgs};

pub fn run(args: ProfileArgs) -> ExitCode {
    let file = &args.input.file;
    let profile = match profile_path(file, &args.input.options()) {
        Ok(profile) => profile,
        Err(error) => {
            eprintln!("quire profile: {}: {error}", file.display());
            return ExitCode::FAILURE;
        }
    };
    match args.format {
        OutputFormat::Table => print!("{}", format_table(&profile)),
        OutputFormat::Json => match serde_json::to_string_pretty(&profile) {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("quire profile: cannot write JSON: {error}");
                return ExitCode::FAILURE;
            }
        },
    }
    ExitCode::SUCCESS
}
