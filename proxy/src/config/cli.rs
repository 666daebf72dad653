//! Command-line flags; each one can also come from the environment.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Flags and environment variables; they win over the configuration file.
#[derive(Debug, Parser, Default, Clone)]
#[command(
    name = "vantage-proxy",
    version,
    about = "Serves the Vantage console and forwards its queries"
)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, env = "VANTAGE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Base URL of the Prometheus-compatible server (Prometheus, VictoriaMetrics, Thanos, Mimir).
    #[arg(long, env = "VANTAGE_UPSTREAM")]
    pub upstream: Option<String>,
    /// Base URL of the orchestrator backend that serves the management API.
    #[arg(long, env = "VANTAGE_BACKEND")]
    pub backend: Option<String>,
    /// TOML configuration file.
    #[arg(long, global = true, env = "VANTAGE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Authentication mode: none (loopback only), tokens or headers.
    #[arg(long, env = "VANTAGE_AUTH_MODE")]
    pub auth_mode: Option<String>,
    /// How long the upstream may take to answer completely, e.g. `30s`.
    #[arg(long, env = "VANTAGE_UPSTREAM_TIMEOUT")]
    pub upstream_timeout: Option<String>,
    /// Bearer token the proxy sends to the upstream (prefer the environment variable).
    #[arg(long, env = "VANTAGE_UPSTREAM_BEARER_TOKEN", hide_env_values = true)]
    pub upstream_bearer_token: Option<String>,
    /// Answers about the last this-long are never cached, e.g. `5m`.
    #[arg(long, env = "VANTAGE_CACHE_FRESHNESS")]
    pub cache_freshness: Option<String>,
    /// Results cache size in bytes; 0 turns the cache off.
    #[arg(long, env = "VANTAGE_CACHE_MAX_BYTES")]
    pub cache_max_bytes: Option<u64>,
    /// Range queries are split at multiples of this (e.g. `24h`); `0` turns splitting off.
    #[arg(long, env = "VANTAGE_SPLIT_INTERVAL")]
    pub split_interval: Option<String>,
    /// Upstream sub-queries one request may run at once.
    #[arg(long, env = "VANTAGE_MAX_SPLIT_PARALLELISM")]
    pub max_split_parallelism: Option<u64>,
    /// In-memory extent cache size in bytes; 0 turns the extent cache off.
    #[arg(long, env = "VANTAGE_EXTENT_CACHE_MAX_BYTES")]
    pub extent_cache_max_bytes: Option<u64>,
    /// Where extents are shared between replicas: `memory` (not shared) or `redis`.
    #[arg(long, env = "VANTAGE_CACHE_BACKEND")]
    pub cache_backend: Option<String>,
    /// The shared cache, `redis://host:port/db` (prefer the environment variable when it
    /// holds a password).
    #[arg(long, env = "VANTAGE_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Longest wait for Redis before answering without it, e.g. `100ms`.
    #[arg(long, env = "VANTAGE_REDIS_TIMEOUT")]
    pub redis_timeout: Option<String>,
    /// A directory of dashboard files (`*.toml`, and Grafana `*.json` converted at start)
    /// served besides the built-in ones.
    #[arg(long, global = true, env = "VANTAGE_DASHBOARDS_DIR")]
    pub dashboards_dir: Option<PathBuf>,
    /// Secret that signs embed links (at least 32 bytes; prefer the environment variable).
    #[arg(
        long,
        global = true,
        env = "VANTAGE_EMBED_SECRET",
        hide_env_values = true
    )]
    pub embed_secret: Option<String>,
    /// Portal origins allowed to frame the console, comma-separated (besides 'self').
    #[arg(long, env = "VANTAGE_FRAME_ANCESTORS")]
    pub frame_ancestors: Option<String>,
    /// How often a live stream polls the backend while someone watches, e.g. `2s`.
    #[arg(long, env = "VANTAGE_LIVE_INTERVAL")]
    pub live_interval: Option<String>,
    /// Requests per second per principal; 0 turns the limit off.
    #[arg(long, env = "VANTAGE_RATE_LIMIT")]
    pub rate_limit: Option<f64>,
    /// Something else to do than serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand, Clone)]
pub enum Command {
    /// Prints Prometheus alerting rules for every `[[cost.budgets]]` of the
    /// configuration (spend past the warning and critical shares, forecast over budget).
    BudgetRules {
        /// How often Prometheus evaluates them (the group's `interval`): each evaluation
        /// reads the month's hourly spend, so not every scrape.
        #[arg(long, default_value = "5m")]
        interval: String,
    },
    /// Prints a signed embed token for one dashboard (optionally one panel).
    MintEmbedToken {
        /// The dashboard id, e.g. `cost-attribution`.
        #[arg(long)]
        dashboard: String,
        /// One panel of it; every panel when absent.
        #[arg(long)]
        panel: Option<String>,
        /// A locked variable value, `name=value`; repeat for several values or variables.
        #[arg(long = "var")]
        vars: Vec<String>,
        /// How long the link works, e.g. `1h`, `7d`.
        #[arg(long, default_value = "7d")]
        expires_in: String,
    },
    /// Converts Grafana dashboard JSON files into dashboard files, one per input, and
    /// prints what each carried over, approximately, or dropped.
    ImportGrafana {
        /// Where to write the dashboard files (default: the current directory).
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Grafana dashboard JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}
