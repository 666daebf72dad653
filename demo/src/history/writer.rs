//! Writes the past of a simulation: replay from its start, and at every sample time
//! (see [`super::resolution`]) the whole exposition, timestamped.

use super::chunks::Sink;
use super::replay::Replay;
use super::resolution::is_sample_time;
use super::samples::{TargetLabels, append_samples, append_up};
use super::snapshot::Snapshot;
use crate::catalog::orchestrator::Cardinality;

/// Where a past starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// From nothing at this time (unix seconds, a multiple of the history tick).
    Origin(i64),
    /// Where an earlier run's past ended.
    Resume(Snapshot),
}

/// What past to write.
#[derive(Debug, Clone)]
pub struct HistorySpec {
    pub seed: u64,
    pub sessions: Option<usize>,
    /// Repositories and users that spend, as the live demo's.
    pub cardinality: Cardinality,
    pub start: Start,
    /// The last sample time; the live demo continues from here.
    pub until: i64,
    /// Go on after `until` until the simulation reaches the wall clock (the time the
    /// past took to write is written too, at the finest spacing).
    pub catch_up: bool,
    /// The labels the scrape adds.
    pub target: TargetLabels,
}

impl HistorySpec {
    /// The simulation at the start of this past.
    pub fn replay(&self) -> Result<Replay, String> {
        match &self.start {
            Start::Origin(origin) => {
                Replay::from_origin(self.seed, self.sessions, self.cardinality, *origin)
            }
            Start::Resume(snapshot) => {
                Replay::resume(self.seed, self.sessions, self.cardinality, snapshot)
            }
        }
    }
}

/// How much was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Times at which every series was written.
    pub snapshots: u64,
    /// Samples written (snapshots times series).
    pub samples: u64,
    /// Bytes of text.
    pub bytes: u64,
}

/// Writes the past described by `spec` into `sink`; `progress` hears each simulated time
/// that was written. Returns the simulation where the past ends.
pub fn write_history(
    spec: &HistorySpec,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(i64, &Written),
) -> Result<(Written, Replay), String> {
    let mut replay = spec.replay()?;
    if spec.until < replay.at() {
        return Err(format!(
            "the history ends ({}) before it starts ({})",
            spec.until,
            replay.at()
        ));
    }
    let mut written = Written::default();
    let mut lines = String::with_capacity(2 << 20);
    loop {
        let next = replay.at() + super::TICK_S;
        let more = next <= spec.until || (spec.catch_up && next <= super::command::now_on_tick());
        if !more {
            break;
        }
        replay.step()?;
        let t = replay.at();
        if t <= spec.until && !is_sample_time(t, spec.until) {
            continue;
        }
        let exposition = replay
            .sim()
            .metrics()
            .encode()
            .map_err(|e| format!("encoding the metrics: {e}"))?;
        lines.clear();
        append_samples(&exposition, &spec.target, t, &mut lines);
        append_up(&spec.target, t, &mut lines);
        sink.write(t, spec.until - t, &lines)
            .map_err(|e| format!("writing the history: {e}"))?;
        written.snapshots += 1;
        written.samples += lines.bytes().filter(|b| *b == b'\n').count() as u64;
        written.bytes += lines.len() as u64;
        progress(t, &written);
    }
    sink.finish()
        .map_err(|e| format!("finishing the history: {e}"))?;
    Ok((written, replay))
}
