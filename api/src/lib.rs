//! The contract between the console, the proxy and the demo backend: wire types of the
//! Prometheus HTTP API and of the management endpoints, time and duration parsing, and
//! step arithmetic. Serde only, no I/O, so it compiles for wasm32 and native alike.

pub mod cost;
pub mod dashboard;
pub mod duration;
pub mod envelope;
pub mod import;
pub mod live;
pub mod management;
pub mod matrix;
pub mod panel_answer;
pub mod prom_time;
pub mod query_url;
pub mod rules;
pub mod server_timing;
pub mod step;
pub mod time_range;
pub mod unit;
pub mod view_params;
