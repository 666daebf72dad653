//! The Prometheus HTTP API passthrough: each route checks its parameters as Prometheus
//! does and forwards only what it checked; the upstream's answer comes back as-is.

use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::frontend::Outcome;
use crate::params::Params;
use crate::params::prometheus::{self as check, Limits};
use crate::params::time::now_s;
use crate::pipeline;
use crate::state::AppState;
use crate::upstream::UpstreamCall;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::response::Response;

/// The limits of the configuration at this moment.
pub fn limits(state: &AppState) -> Limits {
    Limits {
        max_range_s: state.config.max_query_range.as_secs_f64(),
        freshness_s: state.config.cache_freshness.as_secs_f64(),
        now_s: now_s(),
    }
}

/// Reads the parameters, checks them with `check`, forwards the call.
pub async fn run(
    state: &AppState,
    request: Request,
    check: impl FnOnce(&Params, &Limits) -> Result<UpstreamCall, ProxyError>,
) -> Result<Response, ProxyError> {
    let (parts, body) = request.into_parts();
    let params = Params::from_request(
        parts.uri.query(),
        &parts.headers,
        body,
        state.config.max_request_body,
    )
    .await?;
    let call = check(&params, &limits(state))?;
    pipeline::fetch(
        state,
        &state.upstream,
        call,
        CacheUse::from_headers(&parts.headers),
    )
    .await
}

/// Reads the parameters, checks them with `check` (a range query), and answers through
/// the query frontend, or the plain path when the frontend cannot take it.
pub async fn run_range(
    state: &AppState,
    request: Request,
    check: impl FnOnce(&Params, &Limits) -> Result<UpstreamCall, ProxyError>,
) -> Result<Response, ProxyError> {
    let (parts, body) = request.into_parts();
    let params = Params::from_request(
        parts.uri.query(),
        &parts.headers,
        body,
        state.config.max_request_body,
    )
    .await?;
    let limits = limits(state);
    let call = check(&params, &limits)?;
    answer_range(
        state,
        call,
        CacheUse::from_headers(&parts.headers),
        limits.now_s,
    )
    .await
}

/// A checked range query's answer: split and cached by the frontend when it can be.
pub async fn answer_range(
    state: &AppState,
    call: UpstreamCall,
    usage: CacheUse,
    now_s: f64,
) -> Result<Response, ProxyError> {
    let now_ms = (now_s * 1000.0) as i64;
    match state.frontend.answer(&call, usage, now_ms).await? {
        Outcome::Answered(response) => Ok(response),
        Outcome::Bypass(_) => pipeline::fetch(state, &state.upstream, call, usage).await,
    }
}

pub async fn query_range(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run_range(&state, request, check::query_range).await
}

pub async fn query(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, check::query).await
}

pub async fn labels(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| check::labels(p)).await
}

pub async fn label_values(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    request: Request,
) -> Result<Response, ProxyError> {
    let Path(name) =
        name.map_err(|_| ProxyError::BadData("invalid label name: not valid UTF-8".to_owned()))?;
    run(&state, request, |p, _| check::label_values(&name, p)).await
}

pub async fn series(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| check::series(p)).await
}

pub async fn metadata(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| check::metadata(p)).await
}

pub async fn rules(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| check::rules(p)).await
}

pub async fn alerts(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| check::no_params("api/v1/alerts", p)).await
}

pub async fn buildinfo(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run(&state, request, |p, _| {
        check::no_params("api/v1/status/buildinfo", p)
    })
    .await
}
