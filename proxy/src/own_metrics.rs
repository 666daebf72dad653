//! The proxy's own `/metrics`: requests by route template (never a raw path or a
//! caller's value), latency, upstream errors by kind, cache hits and misses, coalescing,
//! and the query frontend's extent cache, splitting and shared cache.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TargetLabels {
    pub target: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    pub target: String,
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub result: String,
}

/// Every meter of the proxy, registered once.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pub upstream_requests: Family<TargetLabels, Counter>,
    pub upstream_errors: Family<ErrorLabels, Counter>,
    pub cache: Family<CacheLabels, Counter>,
    pub coalesced: Counter,
    pub rate_limited: Counter,
    pub in_flight: Gauge,
    /// The query frontend's meters (extent cache, splitting, shared cache).
    pub frontend: crate::frontend::metrics::FrontendMetrics,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    ])
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let mut registry = Registry::with_prefix("vantage_proxy");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template, method and status code",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time until the answer's head was ready, by route template",
            latency.clone(),
        );
        let upstream_requests = Family::<TargetLabels, Counter>::default();
        registry.register(
            "upstream_requests",
            "Requests sent to the upstream or backend",
            upstream_requests.clone(),
        );
        let upstream_errors = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "upstream_errors",
            "Upstream or backend exchanges that produced no usable answer, by kind",
            upstream_errors.clone(),
        );
        let cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "cache_requests",
            "Results cache lookups by result (hit or miss)",
            cache.clone(),
        );
        let coalesced = Counter::default();
        registry.register(
            "coalesced_requests",
            "Requests answered by joining an identical request already in flight",
            coalesced.clone(),
        );
        let rate_limited = Counter::default();
        registry.register(
            "rate_limited_requests",
            "Requests refused by the per-principal rate limit",
            rate_limited.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "upstream_in_flight",
            "Upstream exchanges in flight",
            in_flight.clone(),
        );
        let frontend = crate::frontend::metrics::FrontendMetrics::register(&mut registry);
        Arc::new(Metrics {
            registry,
            frontend,
            requests,
            latency,
            upstream_requests,
            upstream_errors,
            cache,
            coalesced,
            rate_limited,
            in_flight,
        })
    }

    /// Counts an upstream fault.
    pub fn upstream_error(&self, target: &str, kind: &str) {
        self.upstream_errors
            .get_or_create(&ErrorLabels {
                target: target.to_owned(),
                kind: kind.to_owned(),
            })
            .inc();
    }

    /// Counts a cache lookup.
    pub fn cache_lookup(&self, hit: bool) {
        let result = if hit { "hit" } else { "miss" };
        self.cache
            .get_or_create(&CacheLabels {
                result: result.to_owned(),
            })
            .inc();
    }

    /// The text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(err) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(%err, "encoding metrics");
        }
        out
    }
}

/// Middleware: counts and times every request by its route template.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "static".to_owned());
    let method = match request.method().as_str() {
        m @ ("GET" | "POST" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "PATCH") => m.to_owned(),
        _ => "other".to_owned(),
    };
    let response = next.run(request).await;
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            code: response.status().as_u16().to_string(),
        })
        .inc();
    response
}

/// `GET /metrics`.
pub async fn serve_metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}
