//! LLM providers: requests, tokens, cost, latency, errors, rate limits, availability.

use rand::rngs::StdRng;

use crate::catalog::autobot::{LLM_ERRORS, MODELS, PROVIDERS, REQUEST_TYPES, TOKEN_TYPES};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, chance, lognormal, long_tail, poisson};
use crate::sim::smooth::Level;

/// Requests per second at the daily peak.
const PEAK_PER_SEC: f64 = 1.5;
/// Requests per minute each provider allows.
const RPM_LIMIT: [f64; 3] = [500.0, 400.0, 10_000.0];

#[derive(Debug, Clone)]
pub struct Llm {
    models: Weighted,
    errors: Weighted,
    per_minute: Vec<Level>,
}

impl Llm {
    pub fn new() -> Self {
        Self {
            models: Weighted::new(MODELS.iter().map(|m| m.2)),
            errors: Weighted::new([0.4, 0.3, 0.2, 0.1]),
            per_minute: PROVIDERS.iter().map(|_| Level::new(0.0)).collect(),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        let mut requests = [0u64; 3];
        for _ in 0..poisson(rng, PEAK_PER_SEC * tick.load * tick.dt) {
            let (p, model, _, median, input_price, output_price) = MODELS[self.models.pick(rng)];
            let provider = PROVIDERS[p];
            requests[p] += 1;
            let trouble = match tick.effects.slow_provider {
                Some((sp, k)) if sp == p => k,
                _ => 0.0,
            };
            let request_type = REQUEST_TYPES[usize::from(chance(rng, 0.3))];
            m.llm_requests
                .get_or_create(&[
                    ("provider", provider),
                    ("model", model),
                    ("request_type", request_type),
                ])
                .inc();
            m.llm_latency
                .get_or_create(&[("provider", provider), ("model", model)])
                .observe(long_tail(rng, median * (1.0 + 3.0 * trouble), 0.55, 0.01));
            if chance(rng, 0.01 + 0.25 * trouble) {
                // Troubled providers mostly time out and fail server-side.
                let error = if trouble > 0.0 && chance(rng, 0.7) {
                    LLM_ERRORS[1 + usize::from(chance(rng, 0.5))]
                } else {
                    LLM_ERRORS[self.errors.pick(rng)]
                };
                m.llm_errors
                    .get_or_create(&[("provider", provider), ("error_type", error)])
                    .inc();
                continue;
            }
            let input = lognormal(rng, 1500.0, 0.7).round();
            let output = lognormal(rng, 350.0, 0.6).round();
            for (kind, tokens, price) in [
                (TOKEN_TYPES[0], input, input_price),
                (TOKEN_TYPES[1], output, output_price),
            ] {
                m.llm_tokens
                    .get_or_create(&[
                        ("provider", provider),
                        ("model", model),
                        ("token_type", kind),
                    ])
                    .inc_by(tokens as u64);
                m.llm_cost
                    .get_or_create(&[
                        ("provider", provider),
                        ("model", model),
                        ("cost_type", kind),
                    ])
                    .inc_by(tokens / 1000.0 * price);
            }
        }
        for (p, provider) in PROVIDERS.iter().enumerate() {
            let rpm = requests[p] as f64 * 60.0 / tick.dt.max(1e-3);
            let used = self.per_minute[p].step(rng, rpm, tick.dt, 30.0, 0.0);
            m.llm_rate_limit
                .get_or_create(&[("provider", provider)])
                .set((RPM_LIMIT[p] - used).max(0.0).round());
            let down = matches!(tick.effects.slow_provider, Some((sp, k)) if sp == p && k > 0.8);
            m.llm_availability
                .get_or_create(&[("provider", provider)])
                .set(if down { 0.0 } else { 1.0 });
        }
    }
}
