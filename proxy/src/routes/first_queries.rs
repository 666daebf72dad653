//! `GET /api/dashboards/{id}/first-queries?viewport=<px>&now=<ms>&<the page's query>`:
//! the URLs of the queries the console sends first on that dashboard page, in a window
//! that wide, at that moment (`vantage_api::dashboard::first_view`). The page asks for
//! them in its first milliseconds and preloads them, so the panel queries are on their
//! way while the console's wasm is still downloading. No upstream is asked here.

use crate::error::ProxyError;
use crate::params::Params;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use vantage_api::dashboard::first_view::first_queries;
use vantage_api::view_params::ViewParams;

/// Widest window taken, in CSS pixels.
const MAX_VIEWPORT: f64 = 100_000.0;

pub async fn first_queries_of(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, ProxyError> {
    let params = Params::parse(query.as_deref(), None, &[])?;
    let dashboard = super::dashboards::find(&state, &id)?;
    let viewport = number(&params, "viewport")?;
    if !(1.0..=MAX_VIEWPORT).contains(&viewport) {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"viewport\": {viewport} is not a window width in CSS pixels (1 to {MAX_VIEWPORT})"
        )));
    }
    let now = number(&params, "now")?;
    // Any moment from 1970 to 2200 in milliseconds: the page's own clock, which the
    // console resolves its range with.
    if !(0.0..=7.3e12).contains(&now) || now.fract() != 0.0 {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"now\": {now} is not a time in unix milliseconds"
        )));
    }
    let view = ViewParams::from_pairs(params.pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let urls = first_queries(&dashboard, &view, viewport, now as i64);
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(urls)))
}

fn number(params: &Params, name: &str) -> Result<f64, ProxyError> {
    let text = params
        .one(name)?
        .ok_or_else(|| ProxyError::BadData(format!("missing parameter {name:?}")))?;
    text.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| {
            ProxyError::BadData(format!(
                "invalid parameter {name:?}: {:?} is not a number",
                text.chars().take(40).collect::<String>()
            ))
        })
}
