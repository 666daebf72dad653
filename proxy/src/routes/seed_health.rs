//! Seed 004's `/api/metrics/health`: can the proxy reach the upstream?

use crate::state::AppState;
use crate::upstream::Fault;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use std::time::Duration;

/// As in the seed: `healthy` on a 200 from the upstream's health endpoint,
/// `degraded` on another status, `unhealthy` (with why) when it cannot be reached.
pub async fn health(State(state): State<AppState>) -> Json<Value> {
    let timeout = state.config.upstream_timeout.min(Duration::from_secs(5));
    let request = match state.upstream.get_path(&["-", "healthy"], timeout) {
        Ok(request) => request,
        Err(err) => return Json(json!({ "status": "unhealthy", "error": err.to_string() })),
    };
    match request.send().await {
        Ok(answer) if answer.status().as_u16() == 200 => Json(json!({ "status": "healthy" })),
        Ok(_) => Json(json!({ "status": "degraded" })),
        Err(err) => {
            let fault = Fault::from_reqwest(&err);
            state.metrics.upstream_error("upstream", fault.kind());
            let message = fault
                .to_error("upstream", &state.upstream.limits)
                .to_string();
            Json(json!({ "status": "unhealthy", "error": message }))
        }
    }
}
