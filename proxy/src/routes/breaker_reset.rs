//! `POST /api/metrics/circuit-breakers/{agentName}/reset`: admins only, same-origin
//! only; the proxy then calls the backend's `GET .../{agentName}/reset`.

use crate::auth::origin::check_origin;
use crate::auth::{Principal, Role};
use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::pipeline;
use crate::state::AppState;
use crate::upstream::{UpstreamCall, UpstreamMethod};
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;

const PREFIX: &str = "/api/metrics/circuit-breakers/";
const SUFFIX: &str = "/reset";
/// Longest agent name accepted.
pub const MAX_AGENT_NAME: usize = 128;

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

/// The agent name after percent-decoding until nothing changes (so `%252F` cannot
/// smuggle a `/`): letters, digits, `.`, `_`, `-`, at most 128, not only dots.
pub fn agent_name(raw: &str) -> Result<String, ProxyError> {
    let bad = |why: &str| ProxyError::BadData(format!("invalid agent name: {why}"));
    let mut name = raw.to_owned();
    for _ in 0..8 {
        let decoded = percent_encoding::percent_decode_str(&name)
            .decode_utf8()
            .map_err(|_| bad("not valid UTF-8"))?
            .into_owned();
        if decoded == name {
            if name.is_empty() || name.len() > MAX_AGENT_NAME {
                return Err(bad("must be 1 to 128 characters"));
            }
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            {
                return Err(bad("only letters, digits, '.', '_' and '-' are allowed"));
            }
            if name.bytes().all(|b| b == b'.') {
                return Err(bad("must not be only dots"));
            }
            return Ok(name);
        }
        name = decoded;
    }
    Err(bad("encoded too many times"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names() {
        assert_eq!(agent_name("architect-v1"), Ok("architect-v1".to_owned()));
        assert_eq!(agent_name("pm_v1.2"), Ok("pm_v1.2".to_owned()));
        assert_eq!(agent_name("architect%2Dv1"), Ok("architect-v1".to_owned()));
        assert!(agent_name(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn bad_names() {
        for raw in [
            "",
            "..",
            ".",
            "a%2Fb",
            "a%252Fb",
            "%25252e%25252e",
            "%2e%2e",
            "a b",
            "a%20b",
            "a?b",
            "a%3Fb",
            "%ff",
            "ü",
            "a%00",
            "a\\b",
        ] {
            assert!(agent_name(raw).is_err(), "{raw:?} accepted");
        }
        assert!(agent_name(&"a".repeat(129)).is_err());
    }
}
