//! Redis databases (sections 4 and 8 of the seed): operations and their timeouts,
//! connection pools, per-database circuit breakers, memory and keys.

use rand::rngs::StdRng;

use crate::catalog::autobot::{
    BREAKER_EVENTS, DATABASES, PUBSUB_DIRECTIONS, REDIS_OPERATIONS, TIME_WINDOWS, TIMED_OPERATIONS,
};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{binomial, long_tail, poisson};
use crate::sim::groups::{CAP, groups};
use crate::sim::smooth::{Level, RollingRatio};

/// Commands per second per database at the daily peak.
const PEAK_PER_SEC: [f64; 3] = [40.0, 110.0, 15.0];
/// Median command latency per database, seconds.
const MEDIAN_SECS: [f64; 3] = [0.0008, 0.0004, 0.0025];
/// Failures that open a database's breaker, and how long it stays open, seconds.
const BREAKER_THRESHOLD: f64 = 5.0;
const OPEN_SECS: f64 = 45.0;
const HALF_OPEN_SECS: f64 = 15.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Closed,
    Open { until: f64 },
    HalfOpen { until: f64 },
}

impl State {
    fn gauge(self) -> f64 {
        match self {
            Self::Closed => 0.0,
            Self::Open { .. } => 1.0,
            Self::HalfOpen { .. } => 2.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Database {
    state: State,
    failures: f64,
    active: Level,
    memory: Level,
    timeout_rates: Vec<Vec<RollingRatio>>,
    success_rates: Vec<RollingRatio>,
}

#[derive(Debug, Clone)]
pub struct RedisFleet {
    databases: Vec<Database>,
}

impl RedisFleet {
    pub fn new() -> Self {
        let windows = || {
            TIME_WINDOWS
                .iter()
                .map(|w| RollingRatio::new(w.1))
                .collect::<Vec<_>>()
        };
        Self {
            databases: DATABASES
                .iter()
                .map(|(_, size, memory)| Database {
                    state: State::Closed,
                    failures: 0.0,
                    active: Level::new(size * 0.3),
                    memory: Level::new(*memory),
                    timeout_rates: TIMED_OPERATIONS.iter().map(|_| windows()).collect(),
                    success_rates: windows(),
                })
                .collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        for (d, (db, pool_size, base_memory)) in DATABASES.iter().enumerate() {
            let pressure = match tick.effects.redis_pressure {
                Some((p, k)) if p == d => k,
                _ => 0.0,
            };
            let database = &mut self.databases[d];
            let labels = [("database", *db)];

            // Pool: busier with traffic, nearly full under pressure.
            let busy = (0.25 + 0.2 * tick.load + 0.7 * pressure).min(0.98);
            let active = database
                .active
                .step(rng, pool_size * busy, tick.dt, 20.0, 0.03)
                .min(*pool_size)
                .round();
            m.redis_pool_connections
                .get_or_create(&[("database", db), ("state", "active")])
                .set(active);
            m.redis_pool_connections
                .get_or_create(&[("database", db), ("state", "idle")])
                .set(pool_size - active);
            m.redis_pool_connections
                .get_or_create(&[("database", db), ("state", "max")])
                .set(*pool_size);
            m.redis_pool_saturation
                .get_or_create(&labels)
                .set(active / pool_size);
            m.redis_connections_active
                .get_or_create(&labels)
                .set(active);
            m.redis_pool_size.get_or_create(&labels).set(*pool_size);
            m.redis_pool_available
                .get_or_create(&labels)
                .set(pool_size - active);

            // Timed operations (section 4): timeouts climb under pressure.
            let timeout_share = 0.0005 + 0.06 * pressure;
            let slow = 1.0 + 8.0 * pressure;
            let per_op = PEAK_PER_SEC[d] * tick.load * tick.dt / TIMED_OPERATIONS.len() as f64;
            let mut timed_out_total = 0;
            for (o, op) in TIMED_OPERATIONS.iter().enumerate() {
                let n = poisson(rng, per_op);
                let timed_out = binomial(rng, n, timeout_share);
                timed_out_total += timed_out;
                m.timeouts
                    .get_or_create(&[
                        ("operation_type", op),
                        ("database", db),
                        ("status", "timeout"),
                    ])
                    .inc_by(timed_out);
                m.timeouts
                    .get_or_create(&[
                        ("operation_type", op),
                        ("database", db),
                        ("status", "success"),
                    ])
                    .inc_by(n - timed_out);
                let hist = m
                    .operation_duration
                    .get_or_create(&[("operation_type", op), ("database", db)]);
                for k in groups(n, CAP) {
                    hist.observe_n(long_tail(rng, MEDIAN_SECS[d] * slow, 0.6, 0.005), k);
                }
                drop(hist);
                for (w, (window, _)) in TIME_WINDOWS.iter().enumerate() {
                    // The rolling ratio tracks the share that did not time out (1 while
                    // idle), so the published percentage is the share that did.
                    let ratio = &mut database.timeout_rates[o][w];
                    ratio.add(n - timed_out, n, tick.dt);
                    m.timeout_rate
                        .get_or_create(&[
                            ("operation_type", op),
                            ("database", db),
                            ("time_window", window),
                        ])
                        .set(100.0 * (1.0 - ratio.ratio()));
                }
            }

            // Breaker: consecutive failures open it; it half-opens, then closes once
            // the pressure is gone.
            database.failures = if timed_out_total > 0 {
                database.failures + timed_out_total as f64
            } else {
                (database.failures - 1.0).max(0.0)
            };
            let before = database.state;
            database.state = match database.state {
                State::Closed if database.failures >= BREAKER_THRESHOLD => State::Open {
                    until: tick.t + OPEN_SECS,
                },
                State::Open { until } if tick.t >= until => State::HalfOpen {
                    until: tick.t + HALF_OPEN_SECS,
                },
                State::HalfOpen { until } if tick.t >= until => {
                    if pressure > 0.5 {
                        State::Open {
                            until: tick.t + OPEN_SECS,
                        }
                    } else {
                        database.failures = 0.0;
                        State::Closed
                    }
                }
                state => state,
            };
            if before != database.state {
                let event = match database.state {
                    State::Open { .. } => BREAKER_EVENTS[0],
                    State::HalfOpen { .. } => BREAKER_EVENTS[1],
                    State::Closed => BREAKER_EVENTS[2],
                };
                m.breaker_events
                    .get_or_create(&[("database", db), ("event", event.0), ("reason", event.1)])
                    .inc();
            }
            m.breaker_state
                .get_or_create(&labels)
                .set(database.state.gauge());
            m.breaker_failure_count
                .get_or_create(&labels)
                .set(database.failures.min(BREAKER_THRESHOLD * 4.0).round());

            // Commands (sections 4 and 8 count the same traffic); an open breaker
            // rejects them.
            let rejecting = matches!(database.state, State::Open { .. });
            let fail_share = if rejecting {
                1.0
            } else {
                0.0002 + timeout_share
            };
            let mut ok_total = 0;
            let mut all_total = 0;
            for (op, share) in REDIS_OPERATIONS {
                let n = poisson(rng, PEAK_PER_SEC[d] * tick.load * tick.dt * share);
                let failed = binomial(rng, n, fail_share);
                ok_total += n - failed;
                all_total += n;
                for (family, bad) in [
                    (&m.redis_requests, "failed"),
                    (&m.redis_operations, "error"),
                ] {
                    family
                        .get_or_create(&[
                            ("database", db),
                            ("operation", op),
                            ("status", "success"),
                        ])
                        .inc_by(n - failed);
                    family
                        .get_or_create(&[("database", db), ("operation", op), ("status", bad)])
                        .inc_by(failed);
                }
                let hist = m
                    .redis_latency
                    .get_or_create(&[("database", db), ("operation", op)]);
                for k in groups(n, CAP) {
                    hist.observe_n(long_tail(rng, MEDIAN_SECS[d] * slow, 0.6, 0.005), k);
                }
            }
            for (w, (window, _)) in TIME_WINDOWS.iter().enumerate() {
                let ratio = &mut database.success_rates[w];
                ratio.add(ok_total, all_total, tick.dt);
                m.redis_success_rate
                    .get_or_create(&[("database", db), ("time_window", window)])
                    .set(ratio.ratio());
            }

            // Memory grows with writes and drops back when eviction runs.
            let memory = database.memory.step(
                rng,
                base_memory * (1.0 + 0.15 * tick.load),
                tick.dt,
                600.0,
                0.002,
            );
            m.redis_memory.get_or_create(&labels).set(memory.round());
            m.redis_keys
                .get_or_create(&labels)
                .set((memory / 1800.0).round());
            let published = poisson(rng, 6.0 * tick.load * tick.dt);
            m.redis_pubsub
                .get_or_create(&[("database", db), ("direction", PUBSUB_DIRECTIONS[0])])
                .inc_by(published);
            m.redis_pubsub
                .get_or_create(&[("database", db), ("direction", PUBSUB_DIRECTIONS[1])])
                .inc_by(published * 2);
        }
    }
}
