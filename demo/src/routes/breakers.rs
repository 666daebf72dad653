//! `GET /api/metrics/circuit-breakers` and the reset of one agent's breaker.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use vantage_api::management::{
    CircuitBreakerEntry, CircuitBreakerState, CircuitBreakers, ManagementError,
};

use super::{millis, rfc3339};
use crate::metrics::orchestrator::OrchestratorMetrics;
use crate::sim::breakers::Breaker;
use crate::state::AppState;

/// One breaker with its counters.
fn entry(breaker: &Breaker, m: &OrchestratorMetrics) -> CircuitBreakerEntry {
    let labels = [("agent", breaker.agent)];
    let state = breaker.state();
    CircuitBreakerEntry {
        agent: breaker.agent.to_owned(),
        state,
        state_value: state.gauge_value(),
        since: rfc3339(breaker.since()),
        failures: m.graft_failure.get_or_create(&labels).get(),
        successes: m.graft_success.get_or_create(&labels).get(),
        timeouts: m.graft_timeout.get_or_create(&labels).get(),
    }
}

/// `GET /api/metrics/circuit-breakers`.
pub async fn list(State(state): State<AppState>) -> Json<CircuitBreakers> {
    let m = &state.metrics().orchestrator;
    let entries: Vec<CircuitBreakerEntry> = state
        .sim()
        .orchestrator()
        .breakers()
        .iter()
        .map(|b| entry(b, m))
        .collect();
    let open_count = entries
        .iter()
        .filter(|e| e.state == CircuitBreakerState::Open)
        .count() as u64;
    Json(CircuitBreakers {
        timestamp: millis(OffsetDateTime::now_utc()),
        circuit_breakers: entries,
        open_count,
    })
}

/// `GET` (or `POST`) `/api/metrics/circuit-breakers/{agentName}/reset`.
pub async fn reset(State(state): State<AppState>, Path(agent): Path<String>) -> Response {
    let now = OffsetDateTime::now_utc();
    let mut sim = state.sim();
    let (index, events) = sim.reset_breaker(&agent, now);
    let Some(index) = index else {
        let body = ManagementError {
            error: format!("unknown agent: {agent}"),
        };
        return (StatusCode::NOT_FOUND, Json(body)).into_response();
    };
    for event in &events {
        tracing::info!(?event, "circuit breaker reset");
    }
    let body = entry(
        &sim.orchestrator().breakers()[index],
        &state.metrics().orchestrator,
    );
    Json(body).into_response()
}
