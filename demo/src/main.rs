//! `vantage-demo`: runs the simulation and serves its metrics and management API.

use std::io::IsTerminal;
use std::time::Duration;

use clap::Parser;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::time::MissedTickBehavior;
use tracing_subscriber::EnvFilter;
use vantage_demo::cli::{Args, Command, LogFormat};
use vantage_demo::history;
use vantage_demo::history::snapshot::Snapshot;
use vantage_demo::history::writer::Start;
use vantage_demo::sim::SimConfig;
use vantage_demo::sim::events::Event;
use vantage_demo::{AppState, router};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    init_logging(args.log_format);
    if let Some(Command::History(history)) = &args.command {
        return match history::command::run(history) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!(%error, "vantage-demo history failed");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "vantage-demo stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr, coloured only for a terminal.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Plain => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(args: Args) -> std::io::Result<()> {
    let config = args.sim_config(rand::random());
    let start = match (&args.history_origin, &args.history_resume) {
        (Some(origin), _) => Some(Start::Origin(*origin)),
        (None, Some(path)) => Some(Start::Resume(
            Snapshot::read(path).map_err(std::io::Error::other)?,
        )),
        (None, None) => None,
    };
    let state = match start {
        Some(start) => replay_past(&args, config, start)?,
        None => AppState::new(config, OffsetDateTime::now_utc()),
    };
    let listener = TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    tracing::info!(
        %addr,
        seed = config.seed,
        tick_ms = args.tick_ms,
        sessions = ?config.sessions,
        repositories = config.cardinality.repositories,
        users = config.cardinality.users,
        "vantage-demo listening"
    );

    let ticker = tokio::spawn(tick_forever(state.clone(), config.tick));
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    ticker.abort();
    served
}

/// Replays the simulation's past so its metrics continue a history written by
/// `vantage-demo history` with the same seed and start.
fn replay_past(args: &Args, config: SimConfig, start: Start) -> std::io::Result<AppState> {
    let started = std::time::Instant::now();
    let until = args
        .history_until
        .unwrap_or_else(history::command::now_on_tick);
    let spec = history::writer::HistorySpec {
        seed: config.seed,
        sessions: config.sessions,
        cardinality: config.cardinality,
        start,
        until,
        catch_up: false,
        target: history::samples::TargetLabels::new("", ""),
    };
    let mut replay = spec.replay().map_err(std::io::Error::other)?;
    replay.run_until(until).map_err(std::io::Error::other)?;
    tracing::info!(
        until = replay.at(),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "replayed the past"
    );
    Ok(AppState::from_simulation(replay.into_live(config.tick)))
}

/// Steps the simulation once per tick, logging what happened.
async fn tick_forever(state: AppState, tick: Duration) {
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        for event in state.tick(OffsetDateTime::now_utc()) {
            log_event(&event);
        }
    }
}

fn log_event(event: &Event) {
    match event {
        Event::IncidentStarted { kind, detail } => {
            tracing::info!(kind, detail, "incident started");
        }
        Event::IncidentEnded { kind } => tracing::info!(kind, "incident ended"),
        Event::Breaker { agent, from, to } => {
            tracing::info!(agent, ?from, ?to, "circuit breaker changed state");
        }
        Event::VaultRotation { secret, ok: true } => {
            tracing::debug!(secret, "vault secret rotated");
        }
        Event::VaultRotation { secret, ok: false } => {
            tracing::warn!(secret, "vault secret rotation failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
