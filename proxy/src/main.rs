//! `vantage-proxy`: serves the console and is the only thing the browser talks to.

use clap::Parser;
use tracing_subscriber::EnvFilter;
use vantage_proxy::config::{Cli, Config};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .json()
        .init();
    let config = match Config::load(Cli::parse()) {
        Ok(config) => config,
        Err(err) => {
            tracing::error!(%err, "invalid configuration");
            eprintln!("vantage-proxy: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    match vantage_proxy::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "proxy stopped");
            eprintln!("vantage-proxy: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
