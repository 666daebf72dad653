//! The one typed client of the proxy's API. Every call takes an `AbortSignal`, so a
//! panel that goes away or changes its question stops waiting.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use std::fmt;
use vantage_api::cost::{Breakdown, BudgetStatus, Catalog, Forecast, UnitCosts};
use vantage_api::dashboard::{Dashboard, DashboardSummary};
use vantage_api::envelope::{Envelope, ErrorBody};
use vantage_api::management::{
    AvailableMetrics, CircuitBreakerEntry, ManagementError, MetricsHealth, MetricsSummary,
};
use vantage_api::matrix::{QueryData, Series};
use vantage_api::rules::{AlertsData, RulesData};
use vantage_api::step::RangePlan;
use web_sys::AbortSignal;

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request was cancelled; nobody is waiting for the answer.
    Aborted,
    /// The proxy could not be reached.
    Network(String),
    /// The proxy, upstream or backend answered with an error.
    Server {
        status: u16,
        error_type: String,
        message: String,
    },
    /// The answer was not what the API promises.
    Decode(String),
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Aborted => f.write_str("cancelled"),
            ApiError::Network(m) => write!(f, "cannot reach the proxy: {m}"),
            ApiError::Server {
                status,
                error_type,
                message,
            } if error_type.is_empty() => {
                write!(f, "{message} (HTTP {status})")
            }
            ApiError::Server {
                status,
                error_type,
                message,
            } => write!(f, "{message} ({error_type}, HTTP {status})"),
            ApiError::Decode(m) => write!(f, "unexpected answer: {m}"),
        }
    }
}

/// The signed embed token of this page, when it was opened from an embed link: every
/// call carries it so the proxy grants exactly that link's scope.
static EMBED_TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Makes every later call carry `token`.
pub fn set_embed_token(token: String) {
    let _ = EMBED_TOKEN.set(token);
}

/// The page's embed token, if it has one (the live streams send it as a subprotocol).
pub fn embed_token() -> Option<&'static str> {
    EMBED_TOKEN.get().map(String::as_str)
}

/// Sends `request` and decodes a 2xx body as `T`; anything else becomes an `ApiError`
/// carrying the server's own message (Prometheus envelope or management error).
async fn call<T: DeserializeOwned>(
    request: RequestBuilder,
    signal: &AbortSignal,
) -> Result<T, ApiError> {
    send(request, None, signal).await
}

/// Like `call`, with a JSON body.
async fn send<T: DeserializeOwned>(
    request: RequestBuilder,
    json_body: Option<String>,
    signal: &AbortSignal,
) -> Result<T, ApiError> {
    let request = match EMBED_TOKEN.get() {
        Some(token) => request.header("X-Vantage-Embed", token),
        None => request,
    };
    let request = request.abort_signal(Some(signal));
    let sent = match json_body {
        Some(body) => {
            let request = request
                .header("Content-Type", "application/json")
                .body(body)
                .map_err(|e| ApiError::Decode(e.to_string()))?;
            request.send().await
        }
        None => request.send().await,
    };
    let response = sent.map_err(|e| transport(e, signal))?;
    let status = response.status();
    // Bytes, not text: decoding from bytes skips a UTF-16 round trip and is faster.
    let body = response.binary().await.map_err(|e| transport(e, signal))?;
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body).map_err(|e| ApiError::Decode(e.to_string()));
    }
    Err(error_from_body(status, &String::from_utf8_lossy(&body)))
}

fn error_from_body(status: u16, text: &str) -> ApiError {
    if let Ok(body) = serde_json::from_str::<ErrorBody>(text) {
        return server(status, body);
    }
    if let Ok(body) = serde_json::from_str::<ManagementError>(text) {
        return ApiError::Server {
            status,
            error_type: String::new(),
            message: body.error,
        };
    }
    let message = if text.trim().is_empty() {
        "no details".to_owned()
    } else {
        text.chars().take(200).collect()
    };
    ApiError::Server {
        status,
        error_type: String::new(),
        message,
    }
}

/// A Prometheus API call: the envelope's `data`, or its error.
async fn prometheus<T: DeserializeOwned>(
    request: RequestBuilder,
    signal: &AbortSignal,
) -> Result<T, ApiError> {
    let envelope: Envelope<T> = call(request, signal).await?;
    envelope.into_result().map_err(|body| server(200, body))
}

fn server(status: u16, body: ErrorBody) -> ApiError {
    let error_type = serde_json::to_value(body.error_type)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    ApiError::Server {
        status,
        error_type,
        message: body.error,
    }
}

fn transport(err: gloo_net::Error, signal: &AbortSignal) -> ApiError {
    if signal.aborted() {
        ApiError::Aborted
    } else {
        ApiError::Network(err.to_string())
    }
}

/// A range query over `plan`.
pub async fn query_range(
    query: &str,
    plan: RangePlan,
    signal: &AbortSignal,
) -> Result<Vec<Series>, ApiError> {
    let (start, end, step) = (
        plan.start.to_string(),
        plan.end.to_string(),
        plan.step.to_string(),
    );
    let request = Request::get("/api/v1/query_range").query([
        ("query", query),
        ("start", &start),
        ("end", &end),
        ("step", &step),
    ]);
    prometheus::<QueryData>(request, signal)
        .await
        .map(QueryData::into_series)
}

/// An instant query at `time` (unix seconds).
pub async fn query_instant(
    query: &str,
    time: f64,
    signal: &AbortSignal,
) -> Result<Vec<Series>, ApiError> {
    let time = time.to_string();
    let request = Request::get("/api/v1/query").query([("query", query), ("time", &time)]);
    prometheus::<QueryData>(request, signal)
        .await
        .map(QueryData::into_series)
}

/// A panel's data with its queries expanded by the proxy: `plan` is the dashboard's
/// range with the panel's step; `instant` is the panel's default for its queries.
pub async fn panel_data(
    dashboard: &str,
    panel: &str,
    plan: RangePlan,
    instant: bool,
    variables: &[(String, String)],
    signal: &AbortSignal,
) -> Result<Vec<vantage_api::panel_answer::PanelAnswer>, ApiError> {
    let path = format!(
        "/api/dashboards/{}/panels/{}/data",
        js_sys::encode_uri_component(dashboard),
        js_sys::encode_uri_component(panel)
    );
    let (start, end, step) = (
        plan.start.to_string(),
        plan.end.to_string(),
        plan.step.to_string(),
    );
    let mut params: Vec<(&str, &str)> = vec![("start", &start), ("end", &end), ("step", &step)];
    if instant {
        params.push(("instant", "true"));
    }
    params.extend(variables.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    prometheus(Request::get(&path).query(params), signal).await
}

/// A signed embed link's token, minted by the proxy for the caller's choice.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MintedToken {
    pub token: String,
}

/// Asks the proxy to mint a signed embed token (only some viewers may).
pub async fn mint_embed_token(
    body: &serde_json::Value,
    signal: &AbortSignal,
) -> Result<MintedToken, ApiError> {
    send(
        Request::post("/api/embed-tokens"),
        Some(body.to_string()),
        signal,
    )
    .await
}

/// The values of `label`, optionally only on series matching `selector`, within a range.
pub async fn label_values(
    label: &str,
    selector: Option<&str>,
    range: (f64, f64),
    signal: &AbortSignal,
) -> Result<Vec<String>, ApiError> {
    let (start, end) = (range.0.to_string(), range.1.to_string());
    let mut params = vec![("start", start.as_str()), ("end", end.as_str())];
    if let Some(selector) = selector {
        params.push(("match[]", selector));
    }
    let path = format!(
        "/api/v1/label/{}/values",
        js_sys::encode_uri_component(label)
    );
    prometheus(Request::get(&path).query(params), signal).await
}

/// The label names, optionally only of series matching `selector`, within a range.
pub async fn label_names(
    selector: Option<&str>,
    range: (f64, f64),
    signal: &AbortSignal,
) -> Result<Vec<String>, ApiError> {
    let (start, end) = (range.0.to_string(), range.1.to_string());
    let mut params = vec![("start", start.as_str()), ("end", end.as_str())];
    if let Some(selector) = selector {
        params.push(("match[]", selector));
    }
    prometheus(Request::get("/api/v1/labels").query(params), signal).await
}

/// Converts a Grafana dashboard (its JSON text) in the proxy; `name` names it when it
/// has neither title nor uid.
pub async fn import_grafana(
    json: String,
    name: &str,
    signal: &AbortSignal,
) -> Result<vantage_api::import::ImportAnswer, ApiError> {
    let request = Request::post("/api/import/grafana").query([("name", name)]);
    let envelope: Envelope<vantage_api::import::ImportAnswer> =
        send(request, Some(json), signal).await?;
    envelope.into_result().map_err(|body| server(200, body))
}

/// A proxy endpoint answering a JSON array of strings.
pub async fn string_list(path: &str, signal: &AbortSignal) -> Result<Vec<String>, ApiError> {
    call(Request::get(path), signal).await
}

pub async fn dashboards(signal: &AbortSignal) -> Result<Vec<DashboardSummary>, ApiError> {
    call(Request::get("/api/dashboards"), signal).await
}

pub async fn dashboard(id: &str, signal: &AbortSignal) -> Result<Dashboard, ApiError> {
    let path = format!("/api/dashboards/{}", js_sys::encode_uri_component(id));
    call(Request::get(&path), signal).await
}

pub async fn metrics_summary(signal: &AbortSignal) -> Result<MetricsSummary, ApiError> {
    call(Request::get("/api/metrics/summary"), signal).await
}

pub async fn available_metrics(signal: &AbortSignal) -> Result<AvailableMetrics, ApiError> {
    call(Request::get("/api/metrics/available"), signal).await
}

/// Resets one agent's breaker (admins only; the proxy checks).
pub async fn reset_breaker(
    agent: &str,
    signal: &AbortSignal,
) -> Result<CircuitBreakerEntry, ApiError> {
    let path = format!(
        "/api/metrics/circuit-breakers/{}/reset",
        js_sys::encode_uri_component(agent)
    );
    call(Request::post(&path), signal).await
}

pub async fn metrics_health(signal: &AbortSignal) -> Result<MetricsHealth, ApiError> {
    call(Request::get("/api/monitoring/health/metrics"), signal).await
}

pub async fn rules(signal: &AbortSignal) -> Result<RulesData, ApiError> {
    prometheus(Request::get("/api/v1/rules"), signal).await
}

pub async fn alerts(signal: &AbortSignal) -> Result<AlertsData, ApiError> {
    prometheus(Request::get("/api/v1/alerts"), signal).await
}

/// Any JSON endpoint, for status checks: the answer as a generic value.
pub async fn json(path: &str, signal: &AbortSignal) -> Result<serde_json::Value, ApiError> {
    call(Request::get(path), signal).await
}

/// `/api/cost/sources`: the sources of spend, teams and the cost time zone.
pub async fn cost_sources(signal: &AbortSignal) -> Result<Catalog, ApiError> {
    call(Request::get("/api/cost/sources"), signal).await
}

/// `from`, `to` (unix seconds), then the drill-down filters in order.
fn cost_params(
    range: Option<(f64, f64)>,
    by: Option<&str>,
    filters: &[(String, String)],
) -> Vec<(String, String)> {
    let mut params = Vec::new();
    if let Some((from, to)) = range {
        params.push(("from".to_owned(), format!("{from:.3}")));
        params.push(("to".to_owned(), format!("{to:.3}")));
    }
    if let Some(by) = by {
        params.push(("by".to_owned(), by.to_owned()));
    }
    params.extend(filters.iter().cloned());
    params
}

fn borrowed(params: &[(String, String)]) -> Vec<(&str, &str)> {
    params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// `/api/cost/breakdown`: spend in `range` by `by` under `filters`, and the period before.
pub async fn cost_breakdown(
    range: (f64, f64),
    by: &str,
    filters: &[(String, String)],
    signal: &AbortSignal,
) -> Result<Breakdown, ApiError> {
    let params = cost_params(Some(range), Some(by), filters);
    call(
        Request::get("/api/cost/breakdown").query(borrowed(&params)),
        signal,
    )
    .await
}

/// `/api/cost/forecast`: this calendar month so far and its expected end, by `by`.
pub async fn cost_forecast(
    by: &str,
    filters: &[(String, String)],
    signal: &AbortSignal,
) -> Result<Forecast, ApiError> {
    let params = cost_params(None, Some(by), filters);
    call(
        Request::get("/api/cost/forecast").query(borrowed(&params)),
        signal,
    )
    .await
}

/// `/api/cost/budgets`: where every configured budget stands this month.
pub async fn cost_budgets(signal: &AbortSignal) -> Result<Vec<BudgetStatus>, ApiError> {
    call(Request::get("/api/cost/budgets"), signal).await
}

/// `/api/cost/units`: what a unit of work cost in `range`.
pub async fn cost_units(range: (f64, f64), signal: &AbortSignal) -> Result<UnitCosts, ApiError> {
    let params = cost_params(Some(range), None, &[]);
    call(
        Request::get("/api/cost/units").query(borrowed(&params)),
        signal,
    )
    .await
}

/// The link that downloads `/api/cost/report` as CSV for the same view (a plain link,
/// so the browser saves the proxy's file as it comes).
pub fn cost_report_href(range: (f64, f64), by: &str, filters: &[(String, String)]) -> String {
    let mut params = cost_params(Some(range), Some(by), filters);
    params.push(("format".to_owned(), "csv".to_owned()));
    crate::url_state::with_query("/api/cost/report", &params)
}
