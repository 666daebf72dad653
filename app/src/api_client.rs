//! The one typed client of the proxy's API. Every call takes an `AbortSignal`, so a
//! panel that goes away or changes its question stops waiting.

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::{RwSignal, Update};
use serde::de::DeserializeOwned;
use std::fmt;
use vantage_api::cost::{Breakdown, BudgetStatus, Catalog, Forecast, UnitCosts};
use vantage_api::dashboard::{Dashboard, DashboardSummary};
use vantage_api::envelope::{Envelope, ErrorBody};
use vantage_api::management::{
    AvailableMetrics, CircuitBreakerEntry, ManagementError, MetricsHealth, MetricsSummary,
};
use vantage_api::matrix::{QueryData, Series};
use vantage_api::query_url;
use vantage_api::rules::{AlertsData, RulesData};
use vantage_api::server_timing;
use vantage_api::step::RangePlan;
use vantage_components::inspector::InspectedRequest;
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

/// Where a panel's requests are written down for its inspector: every request the
/// panel's latest answer took.
pub type RequestLog = RwSignal<Vec<InspectedRequest>>;

/// Sends `request` and decodes a 2xx body as `T`; anything else becomes an `ApiError`
/// carrying the server's own message (Prometheus envelope or management error).
async fn call<T: DeserializeOwned>(
    request: RequestBuilder,
    signal: &AbortSignal,
) -> Result<T, ApiError> {
    send(request, None, signal, None).await
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Like `call`, with a JSON body, writing the exchange into `log` when given.
async fn send<T: DeserializeOwned>(
    request: RequestBuilder,
    json_body: Option<String>,
    signal: &AbortSignal,
    log: Option<RequestLog>,
) -> Result<T, ApiError> {
    let (status, body) = exchange(request, json_body, signal, log).await?;
    if (200..300).contains(&status) {
        serde_json::from_slice(&body).map_err(|e| ApiError::Decode(e.to_string()))
    } else {
        Err(error_from_body(status, &String::from_utf8_lossy(&body)))
    }
}

/// Sends `request` and reads the whole answer: its status and body. The same for every
/// answer type, so it is compiled once; only decoding is generic.
async fn exchange(
    request: RequestBuilder,
    json_body: Option<String>,
    signal: &AbortSignal,
    log: Option<RequestLog>,
) -> Result<(u16, Vec<u8>), ApiError> {
    let request = match EMBED_TOKEN.get() {
        Some(token) => request.header("X-Vantage-Embed", token),
        None => request,
    };
    let request = request.abort_signal(Some(signal));
    let request = match json_body {
        Some(body) => request
            .header("Content-Type", "application/json")
            .body(body),
        None => request.build(),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    let mut entry = InspectedRequest {
        method: request.method().to_string(),
        url: request.url(),
        ..InspectedRequest::default()
    };
    let started = now_ms();
    let sent = request.send().await;
    let answer = match sent {
        Ok(response) => {
            entry.status = Some(response.status());
            if let Some(timing) = response.headers().get("server-timing") {
                let entries = server_timing::parse(&timing);
                let find = |name: &str| server_timing::find(&entries, name);
                entry.upstream_ms = find("upstream").and_then(|e| e.dur);
                entry.proxy_ms = find("proxy").and_then(|e| e.dur);
                entry.cache = find("cache").and_then(|e| e.desc.clone());
            }
            // Bytes, not text: decoding from bytes skips a UTF-16 round trip and is faster.
            response
                .binary()
                .await
                .map(|body| (response.status(), body))
        }
        Err(e) => Err(e),
    }
    .map_err(|e| transport(e, signal));
    if let Some(log) = log {
        entry.browser_ms = now_ms() - started;
        match &answer {
            Ok((status, body)) => {
                entry.bytes = body.len();
                if !(200..300).contains(status) {
                    let text = String::from_utf8_lossy(body);
                    entry.error = Some(error_from_body(*status, &text).to_string());
                }
            }
            Err(err) => entry.error = Some(err.to_string()),
        }
        log.update(|l| l.push(entry));
    }
    answer
}

/// Adds the series and points of an answer to the latest entry of `log`.
fn note_series(log: Option<RequestLog>, series: &[Series]) {
    if let Some(log) = log {
        let points = series.iter().map(|s| s.values.len()).sum::<usize>();
        log.update(|l| {
            if let Some(last) = l.last_mut() {
                last.series = Some(series.len() + last.series.unwrap_or(0));
                last.points = Some(points + last.points.unwrap_or(0));
            }
        });
    }
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

/// A Prometheus API call: the envelope's `data`, or its error; written into `log` when
/// given.
async fn prometheus<T: DeserializeOwned>(
    request: RequestBuilder,
    signal: &AbortSignal,
    log: Option<RequestLog>,
) -> Result<T, ApiError> {
    let envelope: Envelope<T> = send(request, None, signal, log).await?;
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
    log: Option<RequestLog>,
) -> Result<Vec<Series>, ApiError> {
    // The URL written as the proxy writes it when it announces a dashboard's first
    // queries, so that a preloaded answer is taken.
    let request = Request::get(query_url::RANGE_PATH).query(query_url::range_params(query, &plan));
    let series = prometheus::<QueryData>(request, signal, log)
        .await?
        .into_series();
    note_series(log, &series);
    Ok(series)
}

/// An instant query at `time` (unix seconds).
pub async fn query_instant(
    query: &str,
    time: f64,
    signal: &AbortSignal,
    log: Option<RequestLog>,
) -> Result<Vec<Series>, ApiError> {
    let request =
        Request::get(query_url::INSTANT_PATH).query(query_url::instant_params(query, time));
    let series = prometheus::<QueryData>(request, signal, log)
        .await?
        .into_series();
    note_series(log, &series);
    Ok(series)
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
    log: Option<RequestLog>,
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
    prometheus(Request::get(&path).query(params), signal, log).await
}

/// Where a PromQL parse error is: a character range of the query and the message in
/// Prometheus' words (`1:14: parse error: ...`).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseProblem {
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// The query's syntax tree from the proxy (`/api/v1/parse_query`, never sent to the
/// upstream), or where it does not parse.
pub async fn parse_query(
    query: &str,
    signal: &AbortSignal,
) -> Result<Result<serde_json::Value, ParseProblem>, ApiError> {
    let request = Request::get("/api/v1/parse_query").query([("query", query)]);
    let (status, body) = exchange(request, None, signal, None).await?;
    // Read as a generic value: the decoder is already there for other calls.
    let mut answer: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| error_from_body(status, &String::from_utf8_lossy(&body)))?;
    let at = |key: &str| answer["position"][key].as_u64().map(|n| n as usize);
    match (status, at("start"), at("end")) {
        (200, _, _) if answer["status"] == "success" => Ok(Ok(answer["data"].take())),
        (400, Some(start), Some(end)) => Ok(Err(ParseProblem {
            start,
            end,
            message: answer["error"].as_str().unwrap_or_default().to_owned(),
        })),
        _ => Err(error_from_body(status, &String::from_utf8_lossy(&body))),
    }
}

/// Every metric name the upstream knows in `range` (unix seconds).
pub async fn metric_names(
    range: (f64, f64),
    signal: &AbortSignal,
) -> Result<Vec<String>, ApiError> {
    label_values("__name__", None, range, signal).await
}

/// The label names of the series matching `selector` (of all series without one).
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
    prometheus(Request::get("/api/v1/labels").query(params), signal, None).await
}

/// Type and help of every metric (`/api/v1/metadata`): `(name, type, help)`, the first
/// entry of each. Read as a generic value, whose decoder the bundle has already.
pub async fn metadata(signal: &AbortSignal) -> Result<Vec<(String, String, String)>, ApiError> {
    let answer: serde_json::Value =
        prometheus(Request::get("/api/v1/metadata"), signal, None).await?;
    let text = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
    Ok(answer
        .as_object()
        .map(|all| {
            all.iter()
                .map(|(name, entries)| {
                    (
                        name.clone(),
                        text(&entries[0], "type"),
                        text(&entries[0], "help"),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
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
        None,
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
    prometheus(Request::get(&path).query(params), signal, None).await
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
        send(request, Some(json), signal, None).await?;
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
    prometheus(Request::get("/api/v1/rules"), signal, None).await
}

pub async fn alerts(signal: &AbortSignal) -> Result<AlertsData, ApiError> {
    prometheus(Request::get("/api/v1/alerts"), signal, None).await
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
