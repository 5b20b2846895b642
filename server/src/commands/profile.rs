//! `quire profile FILE`: the profile as JSON (the schema in docs/profile-schema.md) or a table.

use std::process::ExitCode;

use engine::profile::{format_table, profile_path, ProfileOptions};

use crate::cli::{OutputFormat, ProfileArgs};

pub fn run(args: ProfileArgs) -> ExitCode {
    let options = ProfileOptions {
        group_by: args.group_by,
        time_column: args.time_column,
        skip_bad_rows: args.skip_bad_rows,
        ..ProfileOptions::default()
    };
    let profile = match profile_path(&args.file, &options) {
        Ok(profile) => profile,
        Err(error) => {
            eprintln!("quire profile: {}: {error}", args.file.display());
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
