//! The aSDLC orchestrator and workers services (seed 004).

use rand::rngs::StdRng;

use super::Tick;
use super::dist::{Weighted, chance, long_tail, poisson};
use super::groups::{CAP, groups};
use super::smooth::Level;
use crate::catalog::asdlc::{ENDPOINTS, EVENT_TYPES, MEMORY_TYPES, REDIS_OPERATIONS, SERVICES};
use crate::metrics::asdlc::{AsdlcMetrics, statuses};

/// HTTP requests per second per service at the daily peak.
const PEAK_REQUESTS_PER_SEC: [f64; 2] = [4.0, 1.0];
/// Events processed per second per service at the daily peak.
const PEAK_EVENTS_PER_SEC: [f64; 2] = [2.0, 3.0];
/// Worker threads per service.
const WORKERS: [f64; 2] = [2.0, 8.0];
/// Resident and virtual memory per service, bytes.
const MEMORY: [[f64; 2]; 2] = [[185.0e6, 1.25e9], [420.0e6, 2.1e9]];
/// Redis operations per second per service, and median latency in seconds.
const REDIS_PER_SEC: f64 = 12.0;
const REDIS_MEDIAN: f64 = 0.0015;

/// The aSDLC services' state.
#[derive(Debug, Clone)]
pub struct AsdlcSim {
    endpoints: [Weighted; 2],
    events: Weighted,
    active_tasks: [Level; 2],
    memory: [[Level; 2]; 2],
}

impl Default for AsdlcSim {
    fn default() -> Self {
        let weights = |s: usize| {
            Weighted::new(
                ENDPOINTS
                    .iter()
                    .map(move |e| if e.0 == s { e.3 } else { 0.0 }),
            )
        };
        Self {
            endpoints: [weights(0), weights(1)],
            events: Weighted::new([0.3, 0.3, 0.15, 0.15, 0.1]),
            active_tasks: [Level::new(0.0), Level::new(0.0)],
            memory: MEMORY.map(|m| m.map(Level::new)),
        }
    }
}

impl AsdlcSim {
    /// Advances by one tick.
    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AsdlcMetrics) {
        let redis = match tick.effects.redis_pressure {
            Some((0, k)) => k,
            _ => 0.0,
        };
        let stall = tick.effects.worker_stall;
        for (s, (service, _)) in SERVICES.iter().enumerate() {
            for n in groups(
                poisson(rng, PEAK_REQUESTS_PER_SEC[s] * tick.load * tick.dt),
                CAP,
            ) {
                let (_, method, endpoint, _, median) = ENDPOINTS[self.endpoints[s].pick(rng)];
                let codes = statuses(method);
                let status = if chance(rng, 0.003 + tick.effects.api_errors) {
                    codes[2]
                } else if chance(rng, 0.02) {
                    codes[1]
                } else {
                    codes[0]
                };
                m.http_requests
                    .get_or_create(&[
                        ("service", service),
                        ("method", method),
                        ("endpoint", endpoint),
                        ("status", status),
                    ])
                    .inc_by(n);
                m.http_duration
                    .get_or_create(&[
                        ("service", service),
                        ("method", method),
                        ("endpoint", endpoint),
                    ])
                    .observe_n(
                        long_tail(rng, median * tick.effects.slow_responses, 0.5, 0.01),
                        n,
                    );
            }
            for n in groups(
                poisson(rng, PEAK_EVENTS_PER_SEC[s] * tick.load * tick.dt),
                CAP,
            ) {
                let event = EVENT_TYPES[self.events.pick(rng)];
                let failed = chance(rng, 0.01 + 0.2 * stall + 0.3 * redis);
                let status = if failed { "failed" } else { "success" };
                m.events
                    .get_or_create(&[
                        ("service", service),
                        ("event_type", event),
                        ("status", status),
                    ])
                    .inc_by(n);
            }
            let labels = [("service", *service)];
            let tasks = self.active_tasks[s].step(
                rng,
                PEAK_EVENTS_PER_SEC[s] * tick.load * 4.0 * (1.0 + 3.0 * stall),
                tick.dt,
                30.0,
                0.04,
            );
            m.active_tasks.get_or_create(&labels).set(tasks.round());
            // A worker restarts now and then.
            let workers = WORKERS[s] - f64::from(u8::from(chance(rng, 0.01)));
            m.active_workers.get_or_create(&labels).set(workers);
            // The shared Redis is the "main" database: heavy pressure takes it away.
            m.redis_up
                .get_or_create(&labels)
                .set(if redis > 0.9 { 0.0 } else { 1.0 });
            for op in REDIS_OPERATIONS {
                let hist = m
                    .redis_duration
                    .get_or_create(&[("service", service), ("operation", op)]);
                let n = poisson(
                    rng,
                    REDIS_PER_SEC / REDIS_OPERATIONS.len() as f64 * tick.load * tick.dt,
                );
                for k in groups(n, CAP) {
                    hist.observe_n(
                        long_tail(rng, REDIS_MEDIAN * (1.0 + 15.0 * redis), 0.6, 0.01),
                        k,
                    );
                }
            }
            for (k, kind) in MEMORY_TYPES.iter().enumerate() {
                let target = MEMORY[s][k] * (1.0 + 0.2 * tick.load);
                let bytes = self.memory[s][k].step(rng, target, tick.dt, 300.0, 0.002);
                m.memory
                    .get_or_create(&[("service", service), ("type", kind)])
                    .set(bytes.round());
            }
        }
    }
}
