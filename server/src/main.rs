use clap::Parser;
use server::cli::{Cli, Command};
use server::config::Settings;
use server::startup::{shutdown_signal, Application};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("quire: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    server::telemetry::init(&settings.log, settings.log_format);

    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
    }
}

async fn serve(settings: Settings) -> std::process::ExitCode {
    let public_url = settings.public_url.clone();
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "Quire could not start");
            eprintln!("quire: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "Quire is running at {public_url} (listening on {})",
        app.local_addr()
    );
    match app.run_until(shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quire: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
