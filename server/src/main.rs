use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Settings;
use server::startup::{shutdown_signal, Application};

fn main() -> ExitCode {
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::Worker => worker(),
        Command::Profile(args) => server::commands::profile::run(args),
        Command::Report(args) => server::commands::report::run(args),
    }
}

/// Settings, logging and the async runtime, shared by `serve` and `worker`.
fn start() -> Result<(Settings, tokio::runtime::Runtime), ExitCode> {
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("quire: {error}");
            return Err(ExitCode::from(2));
        }
    };
    server::telemetry::init(&settings.log, settings.log_format);
    match tokio::runtime::Runtime::new() {
        Ok(runtime) => Ok((settings, runtime)),
        Err(error) => {
            eprintln!("quire: cannot start the async runtime: {error}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn worker() -> ExitCode {
    let (settings, runtime) = match start() {
        Ok(started) => started,
        Err(code) => return code,
    };
    runtime.block_on(async {
        println!(
            "Quire worker running {} jobs at once",
            settings.workers.max(1)
        );
        match server::startup::run_worker(settings, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("quire: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

fn serve() -> ExitCode {
    let (settings, runtime) = match start() {
        Ok(started) => started,
        Err(code) => return code,
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
