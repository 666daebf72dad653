//! Stepping a simulation through its past at [`TICK_S`]: the one sequence of steps
//! both the history writer and the live demo take, so that both arrive at the same
//! state. A past starts either at an origin, from nothing, or from a [`Snapshot`] an
//! earlier run ended with.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use super::TICK_S;
use super::snapshot::Snapshot;
use crate::catalog::orchestrator::Cardinality;
use crate::metrics::Metrics;
use crate::sim::{SimConfig, Simulation};

/// Simulated time a resumed simulation runs before taking the snapshot's values, so
/// that its sessions, queues and levels are warm rather than empty.
const WARM_UP_S: i64 = 900;

/// A simulation being stepped through its past.
#[derive(Debug)]
pub struct Replay {
    sim: Simulation,
    /// Unix seconds of the last step taken.
    at: i64,
}

impl Replay {
    /// A simulation of `seed` started at `origin` (unix seconds, a multiple of
    /// [`TICK_S`]); `sessions` and `cardinality` as the live demo's `--sessions`,
    /// `--repositories` and `--users`.
    pub fn from_origin(
        seed: u64,
        sessions: Option<usize>,
        cardinality: Cardinality,
        origin: i64,
    ) -> Result<Self, String> {
        if origin % TICK_S != 0 {
            return Err(format!(
                "the history origin {origin} must be a multiple of {TICK_S} seconds"
            ));
        }
        let config = SimConfig {
            seed,
            tick: Duration::from_secs(TICK_S as u64),
            sessions,
            cardinality,
        };
        let metrics = Arc::new(Metrics::with_cardinality(cardinality));
        let sim = Simulation::new(config, metrics, at_unix(origin)?);
        Ok(Self { sim, at: origin })
    }

    /// A simulation that continues `snapshot`: warmed up from shortly before it, then
    /// holding every value the snapshot shows. The same snapshot always gives the
    /// same continuation.
    pub fn resume(
        seed: u64,
        sessions: Option<usize>,
        cardinality: Cardinality,
        snapshot: &Snapshot,
    ) -> Result<Self, String> {
        if snapshot.seed != seed {
            return Err(format!(
                "the snapshot was written with seed {}, not {seed}",
                snapshot.seed
            ));
        }
        let at = snapshot.at - snapshot.at.rem_euclid(TICK_S);
        // The warm-up's own stream, so it does not replay the origin's first minutes.
        let mut replay =
            Self::from_origin(seed ^ at as u64, sessions, cardinality, at - WARM_UP_S)?;
        replay.run_until(at)?;
        replay.sim.metrics().restore(&snapshot.exposition)?;
        Ok(replay)
    }

    /// Unix seconds of the last step taken.
    pub fn at(&self) -> i64 {
        self.at
    }

    /// The simulation (its metrics hold the values at [`Replay::at`]).
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// One step of [`TICK_S`].
    pub fn step(&mut self) -> Result<(), String> {
        self.at += TICK_S;
        self.sim.step(at_unix(self.at)?);
        Ok(())
    }

    /// Steps until the last step is at or just before `until`.
    pub fn run_until(&mut self, until: i64) -> Result<(), String> {
        while self.at + TICK_S <= until {
            self.step()?;
        }
        Ok(())
    }

    /// Where this past ends, for a later run to resume from.
    pub fn snapshot(&self, seed: u64) -> Result<Snapshot, String> {
        Ok(Snapshot {
            seed,
            at: self.at,
            exposition: self
                .sim
                .metrics()
                .encode()
                .map_err(|e| format!("encoding the metrics: {e}"))?,
        })
    }

    /// The simulation, to go on stepping it live with `tick`.
    pub fn into_live(mut self, tick: Duration) -> Simulation {
        self.sim.set_tick(tick);
        self.sim
    }
}

fn at_unix(seconds: i64) -> Result<OffsetDateTime, String> {
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|e| format!("time {seconds}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(replay: &Replay) -> Vec<String> {
        let mut lines: Vec<String> = replay
            .sim()
            .metrics()
            .encode()
            .expect("encodes")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.contains("quantile="))
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn the_same_origin_reaches_the_same_state() {
        let origin = 1_700_000_000 - 1_700_000_000 % TICK_S;
        let mut a = Replay::from_origin(5, None, Cardinality::default(), origin).expect("replay");
        let mut b = Replay::from_origin(5, None, Cardinality::default(), origin).expect("replay");
        a.run_until(origin + 3_600).expect("runs");
        b.run_until(origin + 1_800).expect("runs");
        b.run_until(origin + 3_605).expect("runs");
        assert_eq!(a.at(), b.at());
        assert_eq!(series(&a), series(&b));
        assert!(Replay::from_origin(5, None, Cardinality::default(), origin + 3).is_err());
    }

    #[test]
    fn a_resumed_past_continues_the_counters_and_is_repeatable() {
        let origin = 1_700_000_000 - 1_700_000_000 % TICK_S;
        let mut a = Replay::from_origin(5, None, Cardinality::default(), origin).expect("replay");
        a.run_until(origin + 3_600).expect("runs");
        let snapshot = a.snapshot(5).expect("snapshot");
        let resumed = Replay::resume(5, None, Cardinality::default(), &snapshot).expect("resumes");
        assert_eq!(resumed.at(), a.at());
        // Every counter and histogram holds the snapshot's value.
        let counters = |r: &Replay| -> Vec<String> {
            series(r)
                .into_iter()
                .filter(|l| l.contains("_total") || l.contains("_bucket") || l.contains("_count"))
                .collect()
        };
        assert_eq!(counters(&resumed), counters(&a));
        let mut b = Replay::resume(5, None, Cardinality::default(), &snapshot).expect("resumes");
        let mut c = Replay::resume(5, None, Cardinality::default(), &snapshot).expect("resumes");
        b.run_until(origin + 7_200).expect("runs");
        c.run_until(origin + 7_200).expect("runs");
        assert_eq!(series(&b), series(&c));
        assert!(Replay::resume(6, None, Cardinality::default(), &snapshot).is_err());
    }
}
