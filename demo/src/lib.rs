//! A simulated AI-agent orchestrator for the Vantage console: it exposes the metrics of
//! the five seed systems (see [`metrics`]) for a real Prometheus to scrape, and the
//! orchestrator's management API, with values that move like a real system's: a daily
//! rhythm, long latency tails, heavy hitters, and an incident every few minutes.

pub mod catalog;
pub mod cli;
pub mod history;
pub mod metrics;
pub mod routes;
pub mod sim;
pub mod state;

pub use routes::router;
pub use state::AppState;
