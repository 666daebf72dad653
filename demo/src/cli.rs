//! Command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::catalog::orchestrator::{Cardinality, MAX_REPOSITORIES, MAX_USERS};
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
    /// Without a command, the demo serves its metrics and management API.
    #[command(subcommand)]
    pub command: Option<Command>,

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

    #[command(flatten)]
    pub cardinality: CardinalityArgs,

    /// Log format.
    #[arg(long, env = "VANTAGE_DEMO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Plain)]
    pub log_format: LogFormat,

    /// Replay the simulation's past from this time (unix seconds, as `history
    /// --origin`) before serving, so the metrics continue a written history; needs
    /// `--seed`.
    #[arg(long, env = "VANTAGE_DEMO_HISTORY_ORIGIN", requires = "seed")]
    pub history_origin: Option<i64>,

    /// Replay the past from this snapshot (as `history --resume`) before serving.
    #[arg(
        long,
        env = "VANTAGE_DEMO_HISTORY_RESUME",
        requires = "seed",
        conflicts_with = "history_origin"
    )]
    pub history_resume: Option<PathBuf>,

    /// Where the replayed past ends (unix seconds, as `history --until`); now when
    /// not given.
    #[arg(long, env = "VANTAGE_DEMO_HISTORY_UNTIL")]
    pub history_until: Option<i64>,
}

/// How many repositories and users spend (the live demo's and `history`'s flags).
#[derive(Debug, Clone, Copy, Default, ClapArgs)]
pub struct CardinalityArgs {
    /// Spread the orchestrator's cost over this many repositories: the catalog's 25,
    /// then synthetic ones (seed 000 recommends fewer than 500). Only the cost counter
    /// grows; the other families keep the catalog's labels.
    #[arg(long, env = "VANTAGE_DEMO_REPOSITORIES",
          value_parser = clap::value_parser!(u64).range(1..=MAX_REPOSITORIES as u64))]
    pub repositories: Option<u64>,

    /// Spread the orchestrator's cost over this many users: the catalog's 40, then
    /// synthetic ones (seed 000 recommends fewer than 1,000).
    #[arg(long, env = "VANTAGE_DEMO_USERS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_USERS as u64))]
    pub users: Option<u64>,
}

impl CardinalityArgs {
    pub fn cardinality(&self) -> Cardinality {
        let size = |n: Option<u64>| n.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        Cardinality::new(size(self.repositories), size(self.users))
    }
}

/// What else the demo binary does.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Writes the simulation's past as timestamped OpenMetrics samples for
    /// `promtool tsdb create-blocks-from openmetrics`.
    History(HistoryArgs),
}

/// `vantage-demo history`.
#[derive(Debug, Clone, ClapArgs)]
pub struct HistoryArgs {
    /// Seed of the simulation; the live demo must run with the same one.
    #[arg(
        long,
        env = "VANTAGE_DEMO_SEED",
        required_unless_present = "fingerprint"
    )]
    pub seed: Option<u64>,

    /// Print what identifies the exposed series (families, types, label names) and
    /// stop: a history written by another version with the same fingerprint fits.
    #[arg(long)]
    pub fingerprint: bool,

    /// After `--until`, go on writing until the simulation reaches the wall clock, so
    /// the live demo can resume from the snapshot without a gap.
    #[arg(long)]
    pub catch_up: bool,

    /// Days of past to write, ending at `--until`.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=400))]
    pub days: u32,

    /// Unix seconds the simulation starts at (default: midnight UTC, `--days` before
    /// `--until`). Runs that share an origin write the same samples.
    #[arg(long)]
    pub origin: Option<i64>,

    /// Continue the past an earlier run ended with (its `--snapshot-out`): only the
    /// time since is written.
    #[arg(long, conflicts_with = "origin")]
    pub resume: Option<PathBuf>,

    /// Write where this past ends, for a later `--resume`.
    #[arg(long)]
    pub snapshot_out: Option<PathBuf>,

    /// The last sample time (unix seconds; default now).
    #[arg(long)]
    pub until: Option<i64>,

    /// One OpenMetrics file.
    #[arg(long, required_unless_present_any = ["out_dir", "fingerprint"], conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,

    /// One file per block window in this directory, each announced on standard output
    /// (`<path> <block hours>`) as soon as it is complete.
    #[arg(long)]
    pub out_dir: Option<PathBuf>,

    /// The `job` label Prometheus gives the demo's samples.
    #[arg(long, default_value = "vantage-demo")]
    pub job: String,

    /// The `instance` label Prometheus gives the demo's samples.
    #[arg(long, default_value = "vantage-demo")]
    pub instance: String,

    /// As the live demo's `--sessions`.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=50_000))]
    pub sessions: Option<u64>,

    /// As the live demo's `--repositories` and `--users`.
    #[command(flatten)]
    pub cardinality: CardinalityArgs,
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
            cardinality: self.cardinality.cardinality(),
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

        let args =
            Args::try_parse_from(["vantage-demo", "--repositories", "500", "--users", "1000"])
                .expect("cardinality flags parse");
        let c = args.sim_config(1).cardinality;
        assert_eq!((c.repositories, c.users), (500, 1000));
        assert!(Args::try_parse_from(["vantage-demo", "--users", "20000"]).is_err());
        let args = Args::try_parse_from([
            "vantage-demo",
            "history",
            "--seed",
            "1",
            "--out",
            "x",
            "--users",
            "900",
        ])
        .expect("history flags parse");
        match args.command {
            Some(Command::History(h)) => assert_eq!(h.cardinality.cardinality().users, 900),
            other => panic!("{other:?}"),
        }
    }
}
