//! The checks of each Prometheus API endpoint, in Prometheus's order and wording. Each
//! returns the upstream call to make: only known parameters, values exactly as given.

use super::Params;
use super::promql::{check_query, check_selector};
use super::time::{parse_bool, parse_duration, parse_limit, parse_opt_time, parse_time};
use crate::error::ProxyError;
use crate::upstream::{UpstreamCall, UpstreamMethod};

/// Prometheus refuses range queries with more points per series than this.
pub const MAX_POINTS: f64 = 11_000.0;

/// What the checks need to know besides the parameters.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest `end - start` of a range query, seconds.
    pub max_range_s: f64,
    /// Answers about the last this-many seconds are not cached.
    pub freshness_s: f64,
    /// The current time, unix seconds.
    pub now_s: f64,
}

/// Keeps the named parameters that are present, in this order, values verbatim.
fn keep(params: &Params, names: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in names {
        for value in params.all(name) {
            out.push(((*name).to_owned(), value.to_owned()));
        }
    }
    for unknown in params.unknown(names) {
        tracing::debug!(parameter = unknown, "unknown parameter not forwarded");
    }
    out
}

fn required<'a>(params: &'a Params, name: &str) -> Result<&'a str, ProxyError> {
    params
        .one(name)?
        .ok_or_else(|| ProxyError::BadData(format!("invalid parameter {name:?}: missing")))
}

fn api(path: &str) -> Vec<String> {
    path.split('/').map(str::to_owned).collect()
}

/// `/api/v1/query_range` (and the seed's `/api/metrics/query_range`, which passes a
/// default `step`).
pub fn query_range(params: &Params, limits: &Limits) -> Result<UpstreamCall, ProxyError> {
    const KNOWN: [&str; 7] = [
        "query",
        "start",
        "end",
        "step",
        "timeout",
        "stats",
        "lookback_delta",
    ];
    let start_text = params.one("start")?.unwrap_or("");
    let end_text = params.one("end")?.unwrap_or("");
    let start = parse_time("start", start_text)?;
    let end = parse_time("end", end_text)?;
    if end < start {
        return Err(ProxyError::BadData(
            "end timestamp must not be before start time".to_owned(),
        ));
    }
    let step = parse_duration("step", params.one("step")?.unwrap_or(""))?;
    if step <= 0.0 {
        return Err(ProxyError::BadData(
            "zero or negative query resolution step widths are not accepted. Try a positive integer"
                .to_owned(),
        ));
    }
    if ((end - start) / step).floor() > MAX_POINTS {
        return Err(ProxyError::BadData(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
                .to_owned(),
        ));
    }
    if end - start > limits.max_range_s {
        return Err(ProxyError::BadData(format!(
            "the query range of {} exceeds the configured maximum of {} (max_query_range)",
            human(end - start),
            human(limits.max_range_s)
        )));
    }
    if let Some(timeout) = params.one("timeout")? {
        parse_duration("timeout", timeout)?;
    }
    if let Some(delta) = params.one("lookback_delta")? {
        parse_duration("lookback_delta", delta)?;
    }
    params.one("stats")?;
    check_query("query", required(params, "query")?)?;
    // Only step-aligned ranges repeat (the console plans them so), and only answers
    // about the settled past may be kept.
    let step_ms = (step * 1000.0).round();
    let aligned = step_ms >= 1.0
        && (start * 1000.0).round() % step_ms == 0.0
        && (end * 1000.0).round() % step_ms == 0.0;
    Ok(UpstreamCall {
        segments: api("api/v1/query_range"),
        method: UpstreamMethod::PostForm,
        params: keep(params, &KNOWN),
        cacheable: aligned && end <= limits.now_s - limits.freshness_s,
        shared: true,
    })
}

/// `/api/v1/query`.
pub fn query(params: &Params, limits: &Limits) -> Result<UpstreamCall, ProxyError> {
    const KNOWN: [&str; 5] = ["query", "time", "timeout", "stats", "lookback_delta"];
    let time = parse_opt_time("time", params.one("time")?)?;
    if let Some(timeout) = params.one("timeout")? {
        parse_duration("timeout", timeout)?;
    }
    if let Some(delta) = params.one("lookback_delta")? {
        parse_duration("lookback_delta", delta)?;
    }
    params.one("stats")?;
    check_query("query", required(params, "query")?)?;
    Ok(UpstreamCall {
        segments: api("api/v1/query"),
        method: UpstreamMethod::PostForm,
        params: keep(params, &KNOWN),
        cacheable: time.is_some_and(|t| t <= limits.now_s - limits.freshness_s),
        shared: true,
    })
}

/// `start`, `end`, `match[]` and `limit`, shared by labels, label values and series.
fn check_series_params(params: &Params) -> Result<(), ProxyError> {
    let start = parse_opt_time("start", params.one("start")?)?;
    let end = parse_opt_time("end", params.one("end")?)?;
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(ProxyError::BadData(
            "end timestamp must not be before start time".to_owned(),
        ));
    }
    for selector in params.all("match[]") {
        check_selector(selector)?;
    }
    parse_limit(params.one("limit")?)
}

/// `/api/v1/labels`.
pub fn labels(params: &Params) -> Result<UpstreamCall, ProxyError> {
    check_series_params(params)?;
    Ok(UpstreamCall {
        segments: api("api/v1/labels"),
        method: UpstreamMethod::PostForm,
        params: keep(params, &["start", "end", "match[]", "limit"]),
        cacheable: false,
        shared: true,
    })
}

/// `/api/v1/label/<name>/values`; `name` is already percent-decoded.
pub fn label_values(name: &str, params: &Params) -> Result<UpstreamCall, ProxyError> {
    if !is_label_name(name) {
        return Err(ProxyError::BadData(format!("invalid label name: {name:?}")));
    }
    check_series_params(params)?;
    Ok(UpstreamCall {
        segments: vec![
            "api".into(),
            "v1".into(),
            "label".into(),
            name.to_owned(),
            "values".into(),
        ],
        method: UpstreamMethod::Get,
        params: keep(params, &["start", "end", "match[]", "limit"]),
        cacheable: false,
        shared: true,
    })
}

/// `/api/v1/series`.
pub fn series(params: &Params) -> Result<UpstreamCall, ProxyError> {
    if params.all("match[]").next().is_none() {
        return Err(ProxyError::BadData(
            "no match[] parameter provided".to_owned(),
        ));
    }
    check_series_params(params)?;
    Ok(UpstreamCall {
        segments: api("api/v1/series"),
        method: UpstreamMethod::PostForm,
        params: keep(params, &["start", "end", "match[]", "limit"]),
        cacheable: false,
        shared: true,
    })
}

/// `/api/v1/metadata`.
pub fn metadata(params: &Params) -> Result<UpstreamCall, ProxyError> {
    parse_limit(params.one("limit")?)?;
    if let Some(per_metric) = params.one("limit_per_metric")? {
        parse_limit(Some(per_metric)).map_err(|_| {
            ProxyError::BadData(
                "invalid parameter \"limit_per_metric\": must be a non-negative integer".to_owned(),
            )
        })?;
    }
    if let Some(metric) = params.one("metric")?
        && !metric.is_empty()
        && !is_metric_name(metric)
    {
        return Err(ProxyError::BadData(format!(
            "invalid parameter \"metric\": {metric:?} is not a metric name"
        )));
    }
    Ok(UpstreamCall {
        segments: api("api/v1/metadata"),
        method: UpstreamMethod::Get,
        params: keep(params, &["metric", "limit", "limit_per_metric"]),
        cacheable: false,
        shared: true,
    })
}

/// `/api/v1/rules`.
pub fn rules(params: &Params) -> Result<UpstreamCall, ProxyError> {
    match params.one("type")? {
        None | Some("" | "alert" | "record") => {}
        Some(other) => {
            return Err(ProxyError::BadData(format!(
                "invalid parameter \"type\": {other:?}, must be \"alert\" or \"record\""
            )));
        }
    }
    parse_bool("exclude_alerts", params.one("exclude_alerts")?)?;
    for selector in params.all("match[]") {
        check_selector(selector)?;
    }
    Ok(UpstreamCall {
        segments: api("api/v1/rules"),
        method: UpstreamMethod::Get,
        params: keep(
            params,
            &[
                "type",
                "rule_name[]",
                "rule_group[]",
                "file[]",
                "exclude_alerts",
                "match[]",
            ],
        ),
        cacheable: false,
        shared: true,
    })
}

/// `/api/v1/alerts` and `/api/v1/status/buildinfo`: no parameters.
pub fn no_params(path: &str, params: &Params) -> Result<UpstreamCall, ProxyError> {
    for unknown in params.unknown(&[]) {
        tracing::debug!(parameter = unknown, "unknown parameter not forwarded");
    }
    Ok(UpstreamCall {
        segments: api(path),
        method: UpstreamMethod::Get,
        params: Vec::new(),
        cacheable: false,
        shared: true,
    })
}

/// Label names as Prometheus 2 accepts them: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Metric names: label names plus `:`.
fn is_metric_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
}

/// Seconds as a Prometheus duration for messages, e.g. `32d` or `1h30m`.
fn human(seconds: f64) -> String {
    vantage_api::duration::format_duration_ms((seconds.max(0.0) * 1000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_range_s: 32.0 * 86_400.0,
        freshness_s: 300.0,
        now_s: 1_700_000_000.0,
    };

    fn p(query: &str) -> Params {
        Params::parse(Some(query), None, b"").expect("parses")
    }

    fn message(result: Result<UpstreamCall, ProxyError>) -> String {
        match result {
            Err(ProxyError::BadData(m)) => m,
            other => panic!("expected bad data, got {other:?}"),
        }
    }

    #[test]
    fn range_query_checks_in_prometheus_order() {
        assert!(
            message(query_range(&p("query=up&start=x&end=1&step=1"), &LIMITS))
                .contains("\"start\"")
        );
        assert_eq!(
            message(query_range(&p("query=up&start=10&end=1&step=1"), &LIMITS)),
            "end timestamp must not be before start time"
        );
        assert!(
            message(query_range(&p("query=up&start=1&end=10&step=0"), &LIMITS))
                .starts_with("zero or negative")
        );
        assert!(
            message(query_range(
                &p("query=up&start=0&end=11001&step=1"),
                &LIMITS
            ))
            .starts_with("exceeded maximum resolution")
        );
        assert!(query_range(&p("query=up&start=0&end=11000&step=1"), &LIMITS).is_ok());
        assert!(message(query_range(&p("start=0&end=10&step=1"), &LIMITS)).contains("query"));
    }

    #[test]
    fn range_is_limited() {
        let q = format!("query=up&start=0&end={}&step=86400", 40 * 86_400);
        assert!(message(query_range(&p(&q), &LIMITS)).contains("max_query_range"));
    }

    #[test]
    fn only_aligned_settled_ranges_are_cacheable() {
        let old = query_range(
            &p("query=up&start=1699990000&end=1699999000&step=10"),
            &LIMITS,
        )
        .expect("valid");
        assert!(old.cacheable);
        let fresh = query_range(
            &p("query=up&start=1699990000&end=1699999990&step=10"),
            &LIMITS,
        )
        .expect("valid");
        assert!(!fresh.cacheable);
        let unaligned = query_range(
            &p("query=up&start=1699990001&end=1699999001&step=10"),
            &LIMITS,
        )
        .expect("valid");
        assert!(!unaligned.cacheable);
    }

    #[test]
    fn unknown_parameters_are_not_forwarded() {
        let call =
            query(&p("query=up&time=1&nocache=1&extra_label=a%3Db"), &LIMITS).expect("valid");
        assert_eq!(
            call.params,
            vec![("query".into(), "up".into()), ("time".into(), "1".into())]
        );
    }

    #[test]
    fn series_and_labels() {
        assert_eq!(message(series(&p(""))), "no match[] parameter provided");
        assert!(message(series(&p("match[]={a=~\".*\"}"))).contains("non-empty matcher"));
        assert!(message(labels(&p("limit=-1"))).contains("non-negative"));
        assert!(labels(&p("match[]=up&limit=5")).is_ok());
        assert!(message(label_values("a-b", &p(""))).contains("invalid label name"));
        assert!(label_values("__name__", &p("")).is_ok());
    }

    #[test]
    fn rules_metadata() {
        assert!(rules(&p("type=alert")).is_ok());
        assert!(rules(&p("type=other")).is_err());
        assert!(rules(&p("exclude_alerts=maybe")).is_err());
        assert!(metadata(&p("metric=up&limit=1")).is_ok());
        assert!(metadata(&p("limit=-2")).is_err());
        assert!(metadata(&p("metric=a%20b")).is_err());
    }
}
