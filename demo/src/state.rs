//! What the HTTP handlers share: the simulation behind a lock, and the metrics.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use crate::metrics::Metrics;
use crate::sim::events::Event;
use crate::sim::{SimConfig, Simulation};

/// Shared state of the demo server; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    sim: Arc<Mutex<Simulation>>,
    metrics: Arc<Metrics>,
}

impl AppState {
    /// A fresh simulation starting at `now`.
    pub fn new(config: SimConfig, now: OffsetDateTime) -> Self {
        let metrics = Arc::new(Metrics::with_cardinality(config.cardinality));
        let sim = Simulation::new(config, Arc::clone(&metrics), now);
        Self {
            sim: Arc::new(Mutex::new(sim)),
            metrics,
        }
    }

    /// Serves a simulation that has already run (the live demo after its past).
    pub fn from_simulation(sim: Simulation) -> Self {
        let metrics = Arc::clone(sim.metrics());
        Self {
            sim: Arc::new(Mutex::new(sim)),
            metrics,
        }
    }

    /// The metrics (reading them needs no lock on the simulation).
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Runs one simulation tick ending at `now`.
    pub fn tick(&self, now: OffsetDateTime) -> Vec<Event> {
        self.sim().step(now)
    }

    /// Locks the simulation. A panic while it was held leaves plain data behind, so
    /// a poisoned lock is simply taken over.
    pub fn sim(&self) -> MutexGuard<'_, Simulation> {
        self.sim.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
