//! The Aurea orchestrator (seed 002): an HTTP API that queues LLM tasks, with token
//! and cost accounting per model at the seed's prices.

use rand::rngs::StdRng;

use super::Tick;
use super::dist::{Weighted, chance, lognormal, long_tail, poisson};
use super::groups::{CAP, groups};
use super::smooth::Level;
use crate::catalog::aurea::{ENDPOINTS, MODELS};
use crate::metrics::aurea::{AureaMetrics, endpoint_statuses};

/// HTTP requests per second at the daily peak.
const PEAK_REQUESTS_PER_SEC: f64 = 3.0;
/// Seconds a task takes, median.
const TASK_SECS: f64 = 12.0;

/// Aurea's state.
#[derive(Debug, Clone)]
pub struct AureaSim {
    endpoints: Weighted,
    models: Weighted,
    active: Level,
}

impl Default for AureaSim {
    fn default() -> Self {
        Self {
            endpoints: Weighted::new(ENDPOINTS.iter().map(|e| e.2)),
            models: Weighted::new(MODELS.iter().map(|m| m.2)),
            active: Level::new(0.0),
        }
    }
}

/// USD cost of `tokens` tokens at `price_per_1k` (the seed's formula).
pub fn cost_usd(tokens: u64, price_per_1k: f64) -> f64 {
    tokens as f64 / 1000.0 * price_per_1k
}

impl AureaSim {
    /// Advances by one tick.
    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AureaMetrics) {
        let errors = 0.002 + tick.effects.api_errors;
        let mut created = 0;
        for n in groups(
            poisson(rng, PEAK_REQUESTS_PER_SEC * tick.load * tick.dt),
            CAP,
        ) {
            let (method, endpoint, _, median) = ENDPOINTS[self.endpoints.pick(rng)];
            let statuses = endpoint_statuses(method, endpoint);
            let status = if chance(rng, errors) {
                statuses[statuses.len() - 1 - usize::from(chance(rng, 0.6))]
            } else if statuses.len() == 4 && chance(rng, 0.03) {
                statuses[1]
            } else {
                statuses[0]
            };
            if method == "POST" && status == "201" {
                created += n;
            }
            m.http_requests
                .get_or_create(&[
                    ("method", method),
                    ("endpoint", endpoint),
                    ("status", status),
                ])
                .inc_by(n);
            m.request_latency
                .get_or_create(&[("endpoint", endpoint)])
                .observe_n(
                    long_tail(rng, median * tick.effects.slow_responses, 0.6, 0.01),
                    n,
                );
        }
        // Each created task runs on a model and spends tokens there.
        for _ in 0..created {
            let (model, price, _) = MODELS[self.models.pick(rng)];
            let failed = chance(rng, 0.03 + 0.5 * tick.effects.api_errors);
            let status = if failed { "failed" } else { "completed" };
            m.tasks
                .get_or_create(&[("model", model), ("status", status)])
                .inc();
            let tokens = lognormal(rng, if failed { 400.0 } else { 2400.0 }, 0.6).round() as u64;
            m.tokens.get_or_create(&[("model", model)]).inc_by(tokens);
            m.cost
                .get_or_create(&[("model", model)])
                .inc_by(cost_usd(tokens, price));
        }
        let task_rate = PEAK_REQUESTS_PER_SEC * 0.22 * tick.load;
        let active = self.active.step(
            rng,
            task_rate * TASK_SECS * tick.effects.slow_responses.sqrt(),
            tick.dt,
            20.0,
            0.05,
        );
        m.active_tasks.set(active.round() as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_follows_the_seed_price_table() {
        assert!((cost_usd(2000, 0.03) - 0.06).abs() < 1e-12);
        assert!((cost_usd(1000, 0.002) - 0.002).abs() < 1e-12);
        let prices: Vec<_> = MODELS.iter().map(|m| (m.0, m.1)).collect();
        assert_eq!(
            prices,
            vec![
                ("gpt-4", 0.03),
                ("gpt-3.5-turbo", 0.002),
                ("claude-2", 0.025),
                ("llama-2", 0.001)
            ]
        );
    }
}
