//! Seed 004's `/api/metrics/query_range`: the same parameters and answers as
//! `/api/v1/query_range`, with the seed's default `step` of 15 s.

use super::prometheus::run_range;
use crate::error::ProxyError;
use crate::params::prometheus as check;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::response::Response;

pub async fn query_range(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    run_range(&state, request, |params, limits| {
        if params.all("step").next().is_some() {
            check::query_range(params, limits)
        } else {
            check::query_range(&params.with("step", "15s"), limits)
        }
    })
    .await
}
