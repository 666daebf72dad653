//! The Prometheus scrape endpoint (the same body under three paths).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::metrics::CONTENT_TYPE;
use crate::state::AppState;

/// `GET /metrics`, `/actuator/prometheus`, `/api/monitoring/metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match state.metrics().encode() {
        Ok(body) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response(),
        Err(error) => {
            tracing::error!(%error, "encoding the exposition failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
