//! Times and durations of the HTTP API, with Prometheus's error messages.

use crate::error::ProxyError;
use vantage_api::duration::parse_duration_param;
use vantage_api::prom_time::parse_prometheus_time;

/// The boundary times Prometheus's own clients send for "all time"; RFC3339 parsers
/// cannot read their years, so Prometheus special-cases them and so does the proxy.
const MIN_TIME_FORMATTED: &str = "-292273086-05-16T16:47:06Z";
const MAX_TIME_FORMATTED: &str = "292277025-08-18T07:12:54.999999999Z";
const MIN_TIME_S: f64 = -9_223_309_901_257_974.0;
const MAX_TIME_S: f64 = 9_223_309_901_257_974.0;

/// A timestamp parameter in unix seconds (float or RFC3339).
pub fn parse_time(name: &str, text: &str) -> Result<f64, ProxyError> {
    match text {
        MIN_TIME_FORMATTED => return Ok(MIN_TIME_S),
        MAX_TIME_FORMATTED => return Ok(MAX_TIME_S),
        _ => {}
    }
    parse_prometheus_time(text)
        .map_err(|e| ProxyError::BadData(format!("invalid parameter {name:?}: {e}")))
}

/// An optional timestamp parameter.
pub fn parse_opt_time(name: &str, text: Option<&str>) -> Result<Option<f64>, ProxyError> {
    text.map(|t| parse_time(name, t)).transpose()
}

/// A `step` or `timeout` parameter in seconds (float or Prometheus duration).
pub fn parse_duration(name: &str, text: &str) -> Result<f64, ProxyError> {
    parse_duration_param(text)
        .map_err(|e| ProxyError::BadData(format!("invalid parameter {name:?}: {e}")))
}

/// A `limit` parameter: a non-negative integer.
pub fn parse_limit(text: Option<&str>) -> Result<(), ProxyError> {
    let Some(text) = text else { return Ok(()) };
    if text.is_empty() {
        return Ok(());
    }
    let limit: i64 = text.parse().map_err(|_| {
        ProxyError::BadData(format!(
            "invalid parameter \"limit\": cannot parse {text:?} to an integer"
        ))
    })?;
    if limit < 0 {
        return Err(ProxyError::BadData(
            "invalid parameter \"limit\": limit must be non-negative".to_owned(),
        ));
    }
    Ok(())
}

/// A boolean as Go's `strconv.ParseBool` reads it.
pub fn parse_bool(name: &str, text: Option<&str>) -> Result<(), ProxyError> {
    match text {
        None | Some("") => Ok(()),
        Some(
            "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false"
            | "False",
        ) => Ok(()),
        Some(other) => Err(ProxyError::BadData(format!(
            "invalid parameter {name:?}: cannot parse {other:?} to a boolean"
        ))),
    }
}

/// Current unix time in seconds.
pub fn now_s() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_parameter() {
        let err = parse_time("start", "yesterday").expect_err("bad");
        assert_eq!(
            err,
            ProxyError::BadData(
                "invalid parameter \"start\": cannot parse \"yesterday\" to a valid timestamp"
                    .into()
            )
        );
        assert!(parse_duration("step", "1x").is_err());
        assert_eq!(parse_duration("step", "1m30s"), Ok(90.0));
    }

    #[test]
    fn boundary_times_are_accepted() {
        assert!(parse_time("start", MIN_TIME_FORMATTED).is_ok());
        assert!(parse_time("end", MAX_TIME_FORMATTED).is_ok());
    }

    #[test]
    fn limits_and_booleans() {
        assert!(parse_limit(Some("-1")).is_err());
        assert!(parse_limit(Some("ten")).is_err());
        assert!(parse_limit(Some("10")).is_ok());
        assert!(parse_limit(None).is_ok());
        assert!(parse_bool("exclude_alerts", Some("yes")).is_err());
        assert!(parse_bool("exclude_alerts", Some("true")).is_ok());
    }
}
