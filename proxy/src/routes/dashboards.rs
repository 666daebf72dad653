//! `GET /api/dashboards` (the list) and `GET /api/dashboards/{id}` (one definition).

use crate::error::ProxyError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use vantage_api::dashboard::{Dashboard, DashboardSummary};

pub async fn list(State(state): State<AppState>) -> Json<Vec<DashboardSummary>> {
    Json(state.dashboards.summaries())
}

pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Dashboard>, ProxyError> {
    state
        .dashboards
        .get(&id)
        .map(|d| Json(d.as_ref().clone()))
        .ok_or_else(|| {
            ProxyError::NotFound(format!(
                "no dashboard {:?}",
                id.chars().take(100).collect::<String>()
            ))
        })
}
