//! Business KPIs: logins, workflows created, monthly active users, MRR, satisfaction.

use rand::rngs::StdRng;

use crate::metrics::platform::PlatformMetrics;
use crate::sim::Tick;
use crate::sim::dist::{between, poisson};
use crate::sim::smooth::Level;

/// Logins per hour at the daily peak.
const PEAK_LOGINS_PER_HOUR: f64 = 60.0;
/// Workflows created per hour at the daily peak.
const PEAK_CREATED_PER_HOUR: f64 = 24.0;

#[derive(Debug, Clone)]
pub struct Business {
    active_users: Level,
    mrr: f64,
    csat: Level,
}

impl Business {
    pub fn new(rng: &mut StdRng) -> Self {
        Self {
            active_users: Level::new(between(rng, 1180.0, 1260.0)),
            mrr: between(rng, 46_000.0, 50_000.0),
            csat: Level::new(4.4),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &PlatformMetrics) {
        m.logins.inc_by(poisson(
            rng,
            PEAK_LOGINS_PER_HOUR / 3600.0 * tick.load * tick.dt,
        ));
        m.workflows_created.inc_by(poisson(
            rng,
            PEAK_CREATED_PER_HOUR / 3600.0 * tick.load * tick.dt,
        ));
        let mau = self.active_users.step(rng, 1240.0, tick.dt, 3600.0, 0.0005);
        m.active_users
            .get_or_create(&[("window", "30d")])
            .set(mau.round());
        // Revenue creeps up as accounts upgrade (about $20 a day).
        self.mrr += poisson(rng, tick.dt / 4320.0) as f64 * between(rng, 29.0, 199.0);
        m.mrr.set(self.mrr.round());
        // Satisfaction dips while the API misbehaves.
        let target = 4.4
            - 1.5 * tick.effects.api_errors
            - 0.1 * (tick.effects.slow_responses - 1.0).min(3.0);
        let csat = self
            .csat
            .step(rng, target, tick.dt, 900.0, 0.0005)
            .clamp(1.0, 5.0);
        m.csat.set((csat * 100.0).round() / 100.0);
    }
}
