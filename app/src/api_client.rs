//! The one typed client of the proxy's API. Every call can be cancelled through an
//! `AbortSignal`, so a panel that goes away or changes its question stops waiting.

use gloo_net::http::Request;
use std::fmt;
use vantage_api::envelope::{Envelope, ErrorBody};
use vantage_api::matrix::{QueryData, Series};
use vantage_api::step::RangePlan;
use web_sys::AbortSignal;

/// Why a call failed, in words a person can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request was cancelled; nobody is waiting for the answer.
    Aborted,
    /// The proxy could not be reached.
    Network(String),
    /// The proxy or the upstream answered with an error.
    Server {
        status: u16,
        error_type: String,
        message: String,
    },
    /// The answer was not what the API promises.
    Decode(String),
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
            } => write!(f, "{message} ({error_type}, HTTP {status})"),
            ApiError::Decode(m) => write!(f, "unexpected answer: {m}"),
        }
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
    let request = Request::get("/api/v1/query_range")
        .query([
            ("query", query),
            ("start", &start),
            ("end", &end),
            ("step", &step),
        ])
        .abort_signal(Some(signal));
    prometheus_call(request, signal)
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
    let request = Request::get("/api/v1/query")
        .query([("query", query), ("time", &time)])
        .abort_signal(Some(signal));
    prometheus_call(request, signal)
        .await
        .map(QueryData::into_series)
}

async fn prometheus_call(
    request: gloo_net::http::RequestBuilder,
    signal: &AbortSignal,
) -> Result<QueryData, ApiError> {
    let response = request.send().await.map_err(|e| transport(e, signal))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| transport(e, signal))?;
    match serde_json::from_str::<Envelope<QueryData>>(&text) {
        Ok(envelope) => envelope.into_result().map_err(|body| server(status, body)),
        Err(_) if !(200..300).contains(&status) => {
            Err(match serde_json::from_str::<ErrorBody>(&text) {
                Ok(body) => server(status, body),
                Err(_) => ApiError::Server {
                    status,
                    error_type: "unknown".to_owned(),
                    message: text.chars().take(200).collect(),
                },
            })
        }
        Err(err) => Err(ApiError::Decode(err.to_string())),
    }
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
