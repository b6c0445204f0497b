use clap::Parser;

use server::cli::{Cli, Command};
use server::{admin, startup, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(cli.config).await,
        Command::Migrate => startup::migrate_only(&cli.config).await,
        Command::Admin(command) => admin::run(&cli.config, command).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "stopped with an error");
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
