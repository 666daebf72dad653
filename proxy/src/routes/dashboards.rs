//! `GET /api/dashboards` (the list) and `GET /api/dashboards/{id}` (one definition).

use crate::error::ProxyError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use std::sync::Arc;
use vantage_api::dashboard::{Dashboard, DashboardSummary};

pub async fn list(State(state): State<AppState>) -> Json<Vec<DashboardSummary>> {
    Json(state.dashboards.summaries())
}

pub async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Dashboard>, ProxyError> {
    find(&state, &id).map(|d| Json(d.as_ref().clone()))
}

/// The dashboard `id`, or a 404 naming it (at most 100 characters of the caller's text).
pub fn find(state: &AppState, id: &str) -> Result<Arc<Dashboard>, ProxyError> {
    state.dashboards.get(id).ok_or_else(|| {
        ProxyError::NotFound(format!(
            "no dashboard {:?}",
            id.chars().take(100).collect::<String>()
        ))
    })
}
