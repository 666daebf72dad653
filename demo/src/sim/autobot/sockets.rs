//! Socket.IO-style namespaces: connections, messages, latency, errors, rooms.

use rand::rngs::StdRng;

use crate::catalog::autobot::{NAMESPACES, WS_ERRORS};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{binomial, chance, long_tail, poisson};
use crate::sim::groups::{CAP, groups};
use crate::sim::smooth::Level;

/// Connections across namespaces at the daily peak.
const PEAK_CONNECTIONS: f64 = 60.0;
/// Mean connection lifetime, seconds.
const LIFETIME_SECS: f64 = 300.0;

#[derive(Debug, Clone)]
pub struct Sockets {
    active: Vec<Level>,
}

impl Sockets {
    pub fn new() -> Self {
        Self {
            active: NAMESPACES.iter().map(|_| Level::new(0.0)).collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        let bad = tick.effects.ws_degradation;
        for (i, (ns, share, events)) in NAMESPACES.iter().enumerate() {
            let before = self.active[i].value.round();
            let target = PEAK_CONNECTIONS * share * tick.load;
            let now = self.active[i]
                .step(rng, target, tick.dt, 120.0, 0.01)
                .round();
            // Churn on top of the net change: some leave and as many others join.
            let churn = binomial(rng, before as u64, (tick.dt / LIFETIME_SECS).min(1.0));
            let joined = churn + (now - before).max(0.0) as u64;
            let left = churn + (before - now).max(0.0) as u64;
            let labels = [("namespace", *ns)];
            m.ws_active.get_or_create(&labels).set(now);
            m.ws_rooms.get_or_create(&labels).set((now / 3.0).ceil());
            m.ws_connections
                .get_or_create(&[("namespace", ns), ("status", "connected")])
                .inc_by(joined);
            m.ws_connections
                .get_or_create(&[("namespace", ns), ("status", "disconnected")])
                .inc_by(left);
            if chance(rng, 0.002 * tick.dt * (1.0 + 20.0 * bad)) {
                m.ws_connections
                    .get_or_create(&[("namespace", ns), ("status", "rejected")])
                    .inc();
            }
            let hist = m.ws_latency.get_or_create(&labels);
            for (e, event) in events.iter().enumerate() {
                let weight = if e == 0 { 0.8 } else { 0.2 };
                let sent = poisson(rng, now * 0.5 * weight * tick.dt);
                let received = poisson(rng, now * 0.3 * weight * tick.dt);
                m.ws_sent
                    .get_or_create(&[("namespace", ns), ("event_type", event)])
                    .inc_by(sent);
                m.ws_received
                    .get_or_create(&[("namespace", ns), ("event_type", event)])
                    .inc_by(received);
                for k in groups(sent, CAP) {
                    hist.observe_n(long_tail(rng, 0.004 * (1.0 + 3.0 * bad), 0.5, 0.01), k);
                }
            }
            drop(hist);
            for (e, error) in WS_ERRORS.iter().enumerate() {
                let rate = [0.01, 0.004, 0.001][e] * now * (1.0 + 10.0 * bad);
                m.ws_errors
                    .get_or_create(&[("namespace", ns), ("error_type", error)])
                    .inc_by(poisson(rng, rate * tick.dt));
            }
        }
    }
}
