//! `vantage-proxy`: serves the console and is the only thing the browser talks to.
//! `vantage-proxy mint-embed-token ...` prints a signed embed link's token instead.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;
use vantage_proxy::config::{Cli, Command, Config};
use vantage_proxy::dashboards::Catalog;
use vantage_proxy::embed::minting::{Grant, mint_grant, parse_var_flags};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .json()
        .init();
    let mut cli = Cli::parse();
    if let Some(Command::BudgetRules { interval }) = &cli.command {
        let interval = interval.clone();
        return match Config::load_cost(&cli)
            .and_then(|settings| vantage_proxy::cost::rules::rules_file(&settings, &interval))
        {
            Ok(rules) => {
                let _ = write!(std::io::stdout(), "{rules}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("vantage-proxy budget-rules: {err}");
                ExitCode::from(2)
            }
        };
    }
    if let Some(Command::MintEmbedToken {
        dashboard,
        panel,
        vars,
        expires_in,
    }) = cli.command.take()
    {
        return match mint(cli, dashboard, panel, &vars, expires_in) {
            Ok(token) => {
                let _ = writeln!(std::io::stdout(), "{token}");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("vantage-proxy mint-embed-token: {err}");
                ExitCode::from(2)
            }
        };
    }
    let config = match Config::load(cli) {
        Ok(config) => config,
        Err(err) => {
            tracing::error!(%err, "invalid configuration");
            eprintln!("vantage-proxy: {err}");
            return ExitCode::from(2);
        }
    };
    match vantage_proxy::serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "proxy stopped");
            eprintln!("vantage-proxy: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Signs a token with the configured secret for a grant checked against the dashboards.
fn mint(
    cli: Cli,
    dashboard: String,
    panel: Option<String>,
    vars: &[String],
    expires_in: String,
) -> Result<String, String> {
    let (embed, dashboards_dir) = Config::load_for_minting(cli)?;
    let secret = embed
        .secret
        .ok_or("embed.secret: missing; give --embed-secret or VANTAGE_EMBED_SECRET")?;
    let catalog = Catalog::load(dashboards_dir.as_deref())?;
    let grant = Grant {
        dashboard,
        panel,
        vars: parse_var_flags(vars)?,
        expires_in,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| format!("clock: {e}"))?
        .as_secs();
    mint_grant(&grant, &catalog, &secret, embed.max_ttl, now).map(|(token, _)| token)
}
