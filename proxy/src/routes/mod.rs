//! The routes, one handler (or one family of identical handlers) per file.

mod breaker_reset;
mod cost;
mod dashboards;
mod embed_tokens;
mod first_queries;
mod healthz;
mod import;
mod live;
mod management;
mod panel_data;
mod panel_variables;
mod parse_query;
pub mod prometheus;
mod seed_health;
mod seed_query_range;
mod seed_services;
mod session;

use crate::error::ProxyError;
use crate::state::AppState;
use crate::{auth, own_metrics};
use axum::Router;
use axum::http::{Method, Uri};
use axum::routing::{any, get, post};

/// Every route: `/healthz` and `/metrics` open, everything under `/api` behind
/// authentication and the rate limit. Static files are the caller's fallback.
pub fn routes(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .route(
            "/api/v1/query_range",
            get(prometheus::query_range).post(prometheus::query_range),
        )
        .route(
            "/api/v1/query",
            get(prometheus::query).post(prometheus::query),
        )
        .route(
            "/api/v1/labels",
            get(prometheus::labels).post(prometheus::labels),
        )
        .route(
            "/api/v1/label/{name}/values",
            get(prometheus::label_values).post(prometheus::label_values),
        )
        .route(
            "/api/v1/series",
            get(prometheus::series).post(prometheus::series),
        )
        .route(
            "/api/v1/metadata",
            get(prometheus::metadata).post(prometheus::metadata),
        )
        .route(
            "/api/v1/rules",
            get(prometheus::rules).post(prometheus::rules),
        )
        .route(
            "/api/v1/alerts",
            get(prometheus::alerts).post(prometheus::alerts),
        )
        .route(
            "/api/v1/parse_query",
            get(parse_query::parse_query).post(parse_query::parse_query),
        )
        .route(
            "/api/v1/status/buildinfo",
            get(prometheus::buildinfo).post(prometheus::buildinfo),
        )
        .route(
            "/api/metrics/query_range",
            get(seed_query_range::query_range).post(seed_query_range::query_range),
        )
        .route("/api/metrics/services", get(seed_services::services))
        .route("/api/metrics/health", get(seed_health::health))
        .route("/api/metrics/summary", get(management::forward))
        .route("/api/metrics/available", get(management::forward))
        .route("/api/metrics/circuit-breakers", get(management::forward))
        .route(
            "/api/metrics/circuit-breakers/{agent_name}/reset",
            post(breaker_reset::reset),
        )
        .route(
            "/api/metrics/websocket/connections",
            get(management::forward),
        )
        .route("/api/monitoring/health/metrics", get(management::forward))
        .route("/api/live/{source}", get(live::live))
        .route("/api/dashboards", get(dashboards::list))
        .route("/api/cost/sources", get(cost::sources))
        .route("/api/cost/breakdown", get(cost::breakdown))
        .route("/api/cost/forecast", get(cost::forecast))
        .route("/api/cost/budgets", get(cost::budgets))
        .route("/api/cost/report", get(cost::report))
        .route("/api/cost/units", get(cost::units))
        .route("/api/dashboards/{id}", get(dashboards::one))
        .route(
            "/api/dashboards/{id}/first-queries",
            get(first_queries::first_queries_of),
        )
        .route(
            "/api/dashboards/{id}/panels/{panel}/data",
            get(panel_data::panel_data),
        )
        .route("/api/embed-tokens", post(embed_tokens::mint))
        .route("/api/import/grafana", post(import::grafana))
        .route("/api/session", get(session::session))
        .route("/api/{*rest}", any(not_found))
        .route("/api", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(axum::middleware::from_fn_with_state(
            state,
            auth::authenticate,
        ));
    Router::new()
        .route("/healthz", get(healthz::healthz))
        .route("/metrics", get(own_metrics::serve_metrics))
        .merge(api)
}

/// Any other `/api/...` path: a 404 in the Prometheus envelope, not the app's HTML.
async fn not_found(uri: Uri) -> ProxyError {
    // The path is the caller's text: say what was asked without echoing it at length.
    let path: String = uri.path().chars().take(200).collect();
    ProxyError::NotFound(format!("no API at {path}"))
}

async fn method_not_allowed(method: Method) -> ProxyError {
    ProxyError::MethodNotAllowed(format!("method {method} is not allowed here"))
}
