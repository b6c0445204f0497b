//! `registry-sim [serve] …` serves the data set over HTTP; `registry-sim generate` prints a new
//! data file. Every flag of `serve` also reads an environment variable (`--help` lists them).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use registry_sim::dataset::{Dataset, people_to_json};
use registry_sim::generate::{DEFAULT_FAMILIES, DEFAULT_SEED, generate};
use registry_sim::service::{self, Behaviour};

#[derive(Parser)]
#[command(
    name = "registry-sim",
    about = "Simulated ЕГР ЗАГС, СФР and МВД registries over HTTP",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `serve`'s flags, for when no subcommand is given.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the registries (the default).
    Serve(ServeArgs),
    /// Print a data file to stdout: the documented people, then generated families.
    Generate {
        #[arg(long, default_value_t = DEFAULT_FAMILIES)]
        families: usize,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "REGISTRY_SIM_ADDR", default_value = "127.0.0.1:3300")]
    addr: SocketAddr,
    #[arg(
        long,
        env = "REGISTRY_SIM_DATA",
        default_value = "registry-sim/data/people.json"
    )]
    data: PathBuf,
    /// Every answer waits this long.
    #[arg(long, env = "REGISTRY_SIM_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,
    /// Give or take up to this much.
    #[arg(long, env = "REGISTRY_SIM_JITTER_MS", default_value_t = 0)]
    jitter_ms: u64,
    /// Share of requests answered 503 (0.0–1.0).
    #[arg(long, env = "REGISTRY_SIM_ERROR_RATE", default_value_t = 0.0, value_parser = rate)]
    error_rate: f64,
    /// Share of requests that wait `--hang-ms` before answering (0.0–1.0).
    #[arg(long, env = "REGISTRY_SIM_TIMEOUT_RATE", default_value_t = 0.0, value_parser = rate)]
    timeout_rate: f64,
    /// How long a request picked by `--timeout-rate` waits.
    #[arg(long, env = "REGISTRY_SIM_HANG_MS", default_value_t = 30_000)]
    hang_ms: u64,
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err("expected a share between 0.0 and 1.0".into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // stderr: `generate` prints the data file on stdout.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Generate { families, seed }) => {
            print!("{}", people_to_json(&generate(families, seed)));
            Ok(())
        }
        Some(Command::Serve(args)) => serve(args).await,
        None => serve(cli.serve).await,
    }
}

async fn serve(args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let dataset = Dataset::load(&args.data)?;
    let behaviour = Behaviour {
        latency: Duration::from_millis(args.latency_ms),
        jitter: Duration::from_millis(args.jitter_ms),
        error_rate: args.error_rate,
        timeout_rate: args.timeout_rate,
        hang: Duration::from_millis(args.hang_ms),
    };
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    tracing::info!(
        address = %listener.local_addr()?,
        adults = dataset.adults().len(),
        children = dataset.children().len(),
        ?behaviour,
        "registry simulator listening"
    );
    tokio::select! {
        served = service::serve(listener, Arc::new(dataset), behaviour) => served?,
        _ = tokio::signal::ctrl_c() => tracing::info!("stopping"),
    }
    Ok(())
}
