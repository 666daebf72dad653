//! The orchestrator's management API, forwarded to the configured backend.

use crate::AppState;
use crate::error::ProxyError;
use crate::forward::{self, Target};
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

/// Forwards a read-only management call to the backend, path unchanged.
pub async fn forward(State(state): State<AppState>, uri: Uri) -> Result<Response, ProxyError> {
    let base = state.config.backend.as_ref().ok_or_else(|| {
        ProxyError::NotFound("no management backend is configured (--backend)".to_owned())
    })?;
    let path = uri.path().trim_start_matches('/');
    forward::get(
        &state.http,
        Target {
            name: "backend",
            base,
            path,
        },
        &[],
    )
    .await
}

/// Any other `/api/...` path: a 404 in the Prometheus envelope, not the app's HTML.
pub async fn not_found(uri: Uri) -> ProxyError {
    ProxyError::NotFound(format!("no API at {}", uri.path()))
}
