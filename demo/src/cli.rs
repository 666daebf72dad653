//! Command-line flags.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, ValueEnum};

use crate::sim::SimConfig;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Plain,
    /// One JSON object per line.
    Json,
}

/// A simulated AI-agent orchestrator exposing the seed systems' metrics and
/// management API.
#[derive(Debug, Clone, Parser)]
#[command(name = "vantage-demo", version, about)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port, logged once listening).
    #[arg(long, env = "VANTAGE_DEMO_LISTEN", default_value = "127.0.0.1:9464")]
    pub listen: SocketAddr,

    /// Seed of the simulation (the same seed replays the same events); random when
    /// not given.
    #[arg(long, env = "VANTAGE_DEMO_SEED")]
    pub seed: Option<u64>,

    /// Simulation tick in milliseconds.
    #[arg(long, env = "VANTAGE_DEMO_TICK_MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub tick_ms: u64,

    /// Drive the number of live WebSocket sessions towards this many (load tests);
    /// natural churn around 10-40 when not given.
    #[arg(long, env = "VANTAGE_DEMO_SESSIONS",
          value_parser = clap::value_parser!(u64).range(0..=50_000))]
    pub sessions: Option<u64>,

    /// Log format.
    #[arg(long, env = "VANTAGE_DEMO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Plain)]
    pub log_format: LogFormat,
}

impl Args {
    /// The simulation settings, with `seed` standing in for a missing `--seed`.
    pub fn sim_config(&self, seed: u64) -> SimConfig {
        SimConfig {
            seed: self.seed.unwrap_or(seed),
            tick: Duration::from_millis(self.tick_ms),
            sessions: self
                .sessions
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_flags_parse() {
        let args = Args::try_parse_from(["vantage-demo"]).expect("defaults parse");
        assert_eq!(args.listen.to_string(), "127.0.0.1:9464");
        assert_eq!(args.tick_ms, 1000);
        assert_eq!(args.sessions, None);

        let args = Args::try_parse_from([
            "vantage-demo",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "7",
            "--tick-ms",
            "250",
            "--sessions",
            "5000",
            "--log-format",
            "json",
        ])
        .expect("flags parse");
        let config = args.sim_config(99);
        assert_eq!(config.seed, 7);
        assert_eq!(config.tick, Duration::from_millis(250));
        assert_eq!(config.sessions, Some(5000));
        assert_eq!(args.log_format, LogFormat::Json);

        assert!(Args::try_parse_from(["vantage-demo", "--tick-ms", "0"]).is_err());
    }
}
