//! `vantage-proxy`: serves the console and is the only thing the browser talks to.
//! `vantage-proxy mint-embed-token ...` prints a signed embed link's token instead;
//! `vantage-proxy import-grafana [--out DIR] FILE...` converts Grafana dashboards.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;
use vantage_proxy::config::{Cli, Command, Config};
use vantage_proxy::dashboards::Catalog;
use vantage_proxy::embed::minting::{Grant, mint_grant, parse_var_flags};

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("vantage-proxy: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(run());
    // Blocking background work (compressing the bundle takes tens of seconds on a busy
    // machine) must not hold up a stop that was asked for: wait a moment, then go.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    code
}

async fn run() -> ExitCode {
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
    if let Some(Command::ImportGrafana { out, files }) = &cli.command {
        let ok = vantage_proxy::import_command::run(
            out,
            files,
            &mut std::io::stdout(),
            &mut std::io::stderr(),
        );
        return if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
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
