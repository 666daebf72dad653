//! `GET /api/monitoring/health/metrics` (seed 001).

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use vantage_api::management::MetricsHealth;

use super::rfc3339;
use crate::catalog::autobot::CATEGORIES;
use crate::state::AppState;

/// Reports metrics collection as healthy when the exposition encodes.
pub async fn health(State(state): State<AppState>) -> Json<MetricsHealth> {
    let ok = state.metrics().encode().is_ok();
    Json(MetricsHealth {
        status: if ok { "healthy" } else { "unhealthy" }.to_owned(),
        metrics_enabled: true,
        categories: CATEGORIES.iter().map(|c| (*c).to_owned()).collect(),
        timestamp: rfc3339(OffsetDateTime::now_utc()),
    })
}
