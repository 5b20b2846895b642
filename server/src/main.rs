use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Settings;
use server::startup::{shutdown_signal, Application};

fn main() -> ExitCode {
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Profile(args) => server::commands::profile::run(args),
        Command::Report(args) => server::commands::report::run(args),
    }
}

fn serve() -> ExitCode {
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("quire: {error}");
            return ExitCode::from(2);
        }
    };
    server::telemetry::init(&settings.log, settings.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("quire: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let public_url = settings.public_url.clone();
        let app = match Application::build(settings).await {
            Ok(app) => app,
            Err(error) => {
                tracing::error!(%error, "Quire could not start");
                eprintln!("quire: {error}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "Quire is running at {public_url} (listening on {})",
            app.local_addr()
        );
        match app.run_until(shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("quire: {error}");
                ExitCode::FAILURE
            }
        }
    })
}
