//! The HTTP interface: metrics expositions and the management endpoints.

mod breakers;
mod connections;
mod exposition;
mod health;
mod summary;

use axum::Router;
use axum::routing::get;
use time::OffsetDateTime;

use crate::state::AppState;

/// Every route of the demo backend.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(exposition::metrics))
        .route("/actuator/prometheus", get(exposition::metrics))
        .route("/api/monitoring/metrics", get(exposition::metrics))
        .route("/api/monitoring/health/metrics", get(health::health))
        .route("/api/metrics/summary", get(summary::summary))
        .route("/api/metrics/available", get(summary::available))
        .route("/api/metrics/circuit-breakers", get(breakers::list))
        .route(
            "/api/metrics/circuit-breakers/{agent_name}/reset",
            get(breakers::reset).post(breakers::reset),
        )
        .route("/api/metrics/websocket/connections", get(connections::list))
        .with_state(state)
}

/// Unix milliseconds of a time.
fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// RFC 3339 in UTC to the second, e.g. `2024-01-15T10:30:00Z`.
fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn times_are_written_like_the_orchestrator_writes_them() {
        let at = datetime!(2024-01-15 10:30:00.250 UTC);
        assert_eq!(rfc3339(at), "2024-01-15T10:30:00Z");
        assert_eq!(millis(at), 1_705_314_600_250);
    }
}
