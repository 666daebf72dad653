//! `POST /api/metrics/circuit-breakers/{agentName}/reset`: admins only, same-origin
//! only; the proxy then calls the backend's `GET .../{agentName}/reset`.

use crate::auth::origin::check_origin;
use crate::auth::{Principal, Role};
use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::params::agent::agent_name;
use crate::pipeline;
use crate::state::AppState;
use crate::upstream::{UpstreamCall, UpstreamMethod};
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

const PREFIX: &str = "/api/metrics/circuit-breakers/";
const SUFFIX: &str = "/reset";

pub async fn reset(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ProxyError> {
    principal.require(Role::Admin)?;
    check_origin(&headers, &state.config.trusted_origins)?;
    let raw = uri
        .path()
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .ok_or_else(|| ProxyError::BadData("invalid agent name".to_owned()))?;
    let agent = agent_name(raw)?;
    let backend = state.backend.as_ref().ok_or_else(|| {
        ProxyError::NotFound("no management backend is configured (--backend)".to_owned())
    })?;
    tracing::info!(principal = %principal.name, agent = %agent, "circuit breaker reset");
    let call = UpstreamCall {
        segments: vec![
            "api".into(),
            "metrics".into(),
            "circuit-breakers".into(),
            agent,
            "reset".into(),
        ],
        method: UpstreamMethod::Get,
        params: Vec::new(),
        cacheable: false,
        // A change is never merged with another caller's.
        shared: false,
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
