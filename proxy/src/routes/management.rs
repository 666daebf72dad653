//! The orchestrator's management API (seed 000) and the metrics health check (seed
//! 001), forwarded to the configured backend with the same path.

use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::pipeline;
use crate::state::AppState;
use crate::upstream::{UpstreamCall, UpstreamMethod};
use axum::extract::{MatchedPath, State};
use axum::response::Response;

/// Forwards a read-only management call. The path is the route template (these
/// routes have no parameters), never the caller's raw text.
pub async fn forward(
    State(state): State<AppState>,
    path: MatchedPath,
) -> Result<Response, ProxyError> {
    let backend = state.backend.as_ref().ok_or_else(|| {
        ProxyError::NotFound("no management backend is configured (--backend)".to_owned())
    })?;
    let call = UpstreamCall {
        segments: path
            .as_str()
            .trim_start_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect(),
        method: UpstreamMethod::Get,
        params: Vec::new(),
        cacheable: false,
        shared: true,
    };
    pipeline::fetch(
        &state,
        backend,
        call,
        CacheUse {
            read: false,
            store: false,
        },
    )
    .await
}
