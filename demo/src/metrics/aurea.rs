//! Seed 002, the Aurea orchestrator (`aurea_*`).
//!
//! | exposed name | type | labels |
//! |---|---|---|
//! | `aurea_http_requests_total` | counter | method, endpoint, status |
//! | `aurea_request_latency_seconds` | histogram, the seed's buckets | endpoint |
//! | `aurea_tasks_total` | counter | model, status |
//! | `aurea_active_tasks` | gauge | |
//! | `aurea_llm_tokens_total` | counter | model |
//! | `aurea_llm_cost_usd_total` | counter, tokens / 1000 x price per 1K | model |

use super::registrar::Registrar;

use super::families::{CounterVec, FloatCounterVec, HistogramVec, IntGauge, histogram_vec, touch};
use crate::catalog::aurea::{ENDPOINTS, LATENCY_BUCKETS, MODELS, TASK_STATUSES};

/// Handles to every Aurea metric.
#[derive(Debug, Clone)]
pub struct AureaMetrics {
    /// method, endpoint, status
    pub http_requests: CounterVec<3>,
    /// endpoint
    pub request_latency: HistogramVec<1>,
    /// model, status
    pub tasks: CounterVec<2>,
    /// Tasks being processed.
    pub active_tasks: IntGauge,
    /// model
    pub tokens: CounterVec<1>,
    /// model
    pub cost: FloatCounterVec<1>,
}

impl AureaMetrics {
    /// Registers every Aurea metric and creates all label sets up front.
    pub fn register(r: &mut Registrar) -> Self {
        let m = Self {
            http_requests: CounterVec::default(),
            request_latency: histogram_vec(LATENCY_BUCKETS),
            tasks: CounterVec::default(),
            active_tasks: IntGauge::default(),
            tokens: CounterVec::default(),
            cost: FloatCounterVec::default(),
        };
        r.register(
            "aurea_http_requests",
            "Total number of HTTP requests",
            m.http_requests.clone(),
        );
        r.register(
            "aurea_request_latency_seconds",
            "Request processing latency in seconds",
            m.request_latency.clone(),
        );
        r.register("aurea_tasks", "Total tasks processed", m.tasks.clone());
        r.register(
            "aurea_active_tasks",
            "Number of currently active/processing tasks",
            m.active_tasks.clone(),
        );
        r.register(
            "aurea_llm_tokens",
            "Total number of tokens consumed",
            m.tokens.clone(),
        );
        r.register("aurea_llm_cost_usd", "Total cost in USD", m.cost.clone());

        for (method, endpoint, _, _) in ENDPOINTS {
            touch(&m.request_latency, [("endpoint", endpoint)]);
            for status in endpoint_statuses(method, endpoint) {
                touch(
                    &m.http_requests,
                    [
                        ("method", method),
                        ("endpoint", endpoint),
                        ("status", status),
                    ],
                );
            }
        }
        for (model, _, _) in MODELS {
            for status in TASK_STATUSES {
                touch(&m.tasks, [("model", model), ("status", status)]);
            }
            touch(&m.tokens, [("model", model)]);
            touch(&m.cost, [("model", model)]);
        }
        m
    }
}

/// The status codes one endpoint can answer: a success code, a client error where it
/// makes sense, and the server errors.
pub fn endpoint_statuses(method: &str, endpoint: &str) -> &'static [&'static str] {
    match (method, endpoint) {
        ("POST", _) => &["201", "500", "503"],
        (_, "/tasks/{task_id}") => &["200", "404", "500", "503"],
        _ => &["200", "500", "503"],
    }
}
