//! HTTP traffic of the platform's services.

use rand::rngs::StdRng;

use crate::catalog::platform::ROUTES;
use crate::metrics::platform::PlatformMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, long_tail, poisson};
use crate::sim::groups::{CAP, groups};

/// Requests per second at the daily peak.
const PEAK_PER_SEC: f64 = 12.0;

#[derive(Debug, Clone)]
pub struct Http {
    routes: Weighted,
}

impl Http {
    pub fn new() -> Self {
        Self {
            routes: Weighted::new(ROUTES.iter().map(|r| r.3)),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &PlatformMetrics) {
        let errors = 0.004 + tick.effects.api_errors;
        for n in groups(poisson(rng, PEAK_PER_SEC * tick.load * tick.dt), CAP) {
            let (service, method, route, _, median) = ROUTES[self.routes.pick(rng)];
            let status = if chance(rng, errors) {
                if chance(rng, 0.7) { "500" } else { "503" }
            } else if method == "POST" && chance(rng, 0.03) {
                "400"
            } else if method == "POST" && route != "/api/auth/login" {
                "201"
            } else {
                "200"
            };
            m.http_requests
                .get_or_create(&[
                    ("service", service),
                    ("method", method),
                    ("route", route),
                    ("status_code", status),
                ])
                .inc_by(n);
            m.http_duration
                .get_or_create(&[("service", service), ("method", method), ("route", route)])
                .observe_n(
                    long_tail(rng, median * tick.effects.slow_responses, 0.5, 0.005),
                    n,
                );
        }
    }
}
