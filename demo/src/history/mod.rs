//! The simulation's own past, for backfilling Prometheus: the same seed stepped from a
//! fixed origin in ticks of [`TICK_S`], written as timestamped OpenMetrics samples. The
//! live demo replays the same steps before it starts serving, so its counters continue
//! exactly where the written past ends.
//!
//! Everything is a function of (seed, origin, time): a later run that starts from the
//! same origin writes the same samples, so blocks built earlier stay valid and only the
//! time since they end has to be written.

pub mod chunks;
pub mod command;
pub mod replay;
pub mod resolution;
pub mod samples;
pub mod snapshot;
pub mod writer;

/// Simulated seconds per step of the past; every sample time is a multiple of it.
pub const TICK_S: i64 = 10;
