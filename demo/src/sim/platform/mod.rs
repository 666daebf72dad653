//! The monitored platform (seed 003): HTTP services, workflow engines, the host and
//! the business KPIs, one module each.

mod business;
mod host;
mod http;
mod workflows;

use rand::rngs::StdRng;

use super::Tick;
use crate::metrics::platform::PlatformMetrics;

/// The platform's state.
#[derive(Debug, Clone)]
pub struct PlatformSim {
    http: http::Http,
    workflows: workflows::Workflows,
    host: host::Host,
    business: business::Business,
}

impl PlatformSim {
    /// A platform at its normal levels.
    pub fn new(rng: &mut StdRng) -> Self {
        Self {
            http: http::Http::new(),
            workflows: workflows::Workflows::new(),
            host: host::Host::new(),
            business: business::Business::new(rng),
        }
    }

    /// Advances every part by one tick.
    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &PlatformMetrics) {
        self.http.step(tick, rng, m);
        self.workflows.step(tick, rng, m);
        self.host.step(tick, rng, m);
        self.business.step(tick, rng, m);
    }
}
