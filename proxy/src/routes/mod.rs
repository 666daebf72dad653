//! The API routes, one handler per file.

mod healthz;
mod management;
mod prom_query;

use crate::AppState;
use axum::Router;
use axum::routing::get;

/// Every route under `/api` plus `/healthz`; static files are the fallback.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz::healthz))
        .route(
            "/api/v1/query_range",
            get(prom_query::query_range).post(prom_query::query_range),
        )
        .route(
            "/api/v1/query",
            get(prom_query::query).post(prom_query::query),
        )
        .route("/api/metrics/summary", get(management::forward))
        .route("/api/metrics/available", get(management::forward))
        .route("/api/metrics/circuit-breakers", get(management::forward))
        .route(
            "/api/metrics/websocket/connections",
            get(management::forward),
        )
        .route("/api/monitoring/health/metrics", get(management::forward))
        .route("/api/{*rest}", axum::routing::any(management::not_found))
}
