//! `/api/cost/*`: the cost subsystem over the proxy's own query path (so its queries
//! are validated, coalesced and cached like the console's).

use crate::cost::prom::{Labels, Matrix, Prom, parse_matrix, parse_vector};
use crate::cost::spend::Scope;
use crate::cost::{breakdown, budgets, forecast, report, units};
use crate::error::ProxyError;
use crate::params::Params;
use crate::params::prometheus as check;
use crate::params::time::{now_s, parse_time};
use crate::pipeline;
use crate::routes::prometheus::limits;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::future::Future;
use vantage_api::cost::{Catalog, DIMENSIONS};

/// PromQL through the proxy's pipeline.
struct Upstream(AppState);

impl Upstream {
    async fn data(
        &self,
        pairs: Vec<(String, String)>,
        range: bool,
    ) -> Result<serde_json::Value, String> {
        let params = Params::from_pairs(pairs);
        let call = if range {
            check::query_range(&params, &limits(&self.0))
        } else {
            check::query(&params, &limits(&self.0))
        }
        .map_err(|e| e.to_string())?;
        let (status, bytes) = pipeline::fetch_complete(&self.0, &self.0.upstream, call)
            .await
            .map_err(|e| e.to_string())?;
        let answer: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("the upstream's answer is not JSON: {e}"))?;
        if !status.is_success() || answer["status"] != "success" {
            return Err(format!(
                "the upstream refused a cost query: {}",
                answer["error"].as_str().unwrap_or("no message")
            ));
        }
        Ok(answer["data"].clone())
    }
}

impl Prom for Upstream {
    fn instant(
        &self,
        query: &str,
        at: f64,
    ) -> impl Future<Output = Result<Vec<(Labels, f64)>, String>> + Send {
        let pairs = vec![
            ("query".to_owned(), query.to_owned()),
            ("time".to_owned(), format!("{at:.3}")),
        ];
        async move { Ok(parse_vector(&self.data(pairs, false).await?)) }
    }

    fn range(
        &self,
        query: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> impl Future<Output = Result<Matrix, String>> + Send {
        let pairs = vec![
            ("query".to_owned(), query.to_owned()),
            ("start".to_owned(), format!("{start:.3}")),
            ("end".to_owned(), format!("{end:.3}")),
            ("step".to_owned(), format!("{step}")),
        ];
        async move { Ok(parse_matrix(&self.data(pairs, true).await?)) }
    }
}

async fn params(state: &AppState, request: Request) -> Result<Params, ProxyError> {
    let (parts, body) = request.into_parts();
    Params::from_request(
        parts.uri.query(),
        &parts.headers,
        body,
        state.config.max_request_body,
    )
    .await
}

/// `from`/`to` as Prometheus times; `to` defaults to now, `from` to the start of the
/// calendar month holding `to`.
fn range(state: &AppState, params: &Params) -> Result<(f64, f64), ProxyError> {
    let to = match params.one("to")? {
        Some(text) => parse_time("to", text)?,
        None => now_s(),
    };
    let from = match params.one("from")? {
        Some(text) => parse_time("from", text)?,
        None => {
            state
                .config
                .cost
                .calendar
                .month(to.floor() as i64)
                .map_err(ProxyError::BadData)?
                .0 as f64
        }
    };
    if from >= to {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"from\": {from} is not before \"to\" ({to})"
        )));
    }
    Ok((from, to))
}

/// Drill-down filters: every dimension parameter, in the order given.
fn scope(params: &Params) -> Result<Scope, ProxyError> {
    let filters: Vec<(String, String)> = params
        .pairs()
        .iter()
        .filter(|(name, _)| DIMENSIONS.contains(&name.as_str()))
        .cloned()
        .collect();
    for (i, (name, _)) in filters.iter().enumerate() {
        if filters[..i].iter().any(|(n, _)| n == name) {
            return Err(ProxyError::BadData(format!(
                "invalid parameter {name:?}: given more than once"
            )));
        }
    }
    Ok(Scope {
        filters,
        narrowed: None,
    })
}

fn by(params: &Params, default: &str) -> Result<String, ProxyError> {
    let by = params.one("by")?.unwrap_or(default).to_owned();
    if !DIMENSIONS.contains(&by.as_str()) {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"by\": {by:?} is not one of {}",
            DIMENSIONS.join(", ")
        )));
    }
    Ok(by)
}

/// Seconds that "now" is rounded down to for month to date and forecasts.
const NOW_GRAIN_S: f64 = 10.0;

/// `time`, else now rounded down to [`NOW_GRAIN_S`]: the forecast and the budgets a page
/// asks for at once then send identical queries, which the query path coalesces.
fn evaluation_time(params: &Params) -> Result<f64, ProxyError> {
    match params.one("time")? {
        Some(text) => parse_time("time", text),
        None => Ok((now_s() / NOW_GRAIN_S).floor() * NOW_GRAIN_S),
    }
}

fn upstream_error(message: String) -> ProxyError {
    ProxyError::Unavailable(message)
}

/// `GET /api/cost/sources`.
pub async fn sources(State(state): State<AppState>) -> Json<Catalog> {
    let cost = &state.config.cost;
    Json(Catalog {
        sources: cost.sources.iter().map(|s| s.info()).collect(),
        teams: cost.teams.clone(),
        timezone: cost.calendar.name().to_owned(),
    })
}

/// `GET /api/cost/breakdown?from&to&by&<dimension>=<value>...`.
pub async fn breakdown(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    let params = params(&state, request).await?;
    let (from, to) = range(&state, &params)?;
    let by = by(&params, "source")?;
    let scope = scope(&params)?;
    let answer = breakdown::breakdown(
        &Upstream(state.clone()),
        &state.config.cost,
        &by,
        &scope,
        from,
        to,
    )
    .await
    .map_err(upstream_error)?;
    Ok(Json(answer).into_response())
}

/// `GET /api/cost/forecast?by&<dimension>=<value>...&time`.
pub async fn forecast(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    let params = params(&state, request).await?;
    let now = evaluation_time(&params)?;
    let by = by(&params, "source")?;
    let scope = scope(&params)?;
    let answer = forecast::forecast(
        &Upstream(state.clone()),
        &state.config.cost,
        &by,
        &scope,
        now,
    )
    .await
    .map_err(upstream_error)?;
    Ok(Json(answer).into_response())
}

/// `GET /api/cost/budgets`.
pub async fn budgets(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    let params = params(&state, request).await?;
    let now = evaluation_time(&params)?;
    let answer = budgets::statuses(&Upstream(state.clone()), &state.config.cost, now)
        .await
        .map_err(upstream_error)?;
    Ok(Json(answer).into_response())
}

/// `GET /api/cost/report?from&to&by=team,repository&<dimension>=<value>...&format=csv|json`.
pub async fn report(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    let params = params(&state, request).await?;
    let (from, to) = range(&state, &params)?;
    let by = report::parse_by(params.one("by")?.unwrap_or("source"))
        .map_err(|e| ProxyError::BadData(format!("invalid parameter \"by\": {e}")))?;
    let format = params.one("format")?.unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"format\": {format:?} is not csv or json"
        )));
    }
    let scope = scope(&params)?;
    let answer = report::report(
        &Upstream(state.clone()),
        &state.config.cost,
        &by,
        &scope,
        from,
        to,
    )
    .await
    .map_err(upstream_error)?;
    if format == "csv" {
        let name = report::file_name(&answer);
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            report::to_csv(&answer),
        )
            .into_response());
    }
    Ok(Json(answer).into_response())
}

/// `GET /api/cost/units?from&to`.
pub async fn units(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ProxyError> {
    let params = params(&state, request).await?;
    let (from, to) = range(&state, &params)?;
    let answer = units::unit_costs(&Upstream(state.clone()), &state.config.cost, from, to)
        .await
        .map_err(upstream_error)?;
    Ok(Json(answer).into_response())
}
