//! Timestamps as the Prometheus HTTP API takes them: unix seconds (float) or RFC3339.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses a `start`/`end`/`time` parameter into unix seconds, with Prometheus's rules:
/// a float is seconds (rounded to the millisecond), otherwise RFC3339.
pub fn parse_prometheus_time(text: &str) -> Result<f64, String> {
    if let Ok(seconds) = text.parse::<f64>()
        && seconds.is_finite()
    {
        return Ok((seconds * 1000.0).round() / 1000.0);
    }
    parse_rfc3339_ms(text)
        .map(|ms| ms as f64 / 1000.0)
        .ok_or_else(|| format!("cannot parse {text:?} to a valid timestamp"))
}

/// Parses an RFC3339 timestamp into unix milliseconds.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Formats unix milliseconds as RFC3339 in UTC (`2024-01-15T10:30:00Z`).
pub fn format_rfc3339_ms(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_float_seconds_and_rfc3339() {
        assert_eq!(parse_prometheus_time("1700000000"), Ok(1_700_000_000.0));
        assert_eq!(
            parse_prometheus_time("1700000000.1234"),
            Ok(1_700_000_000.123)
        );
        assert_eq!(
            parse_prometheus_time("2023-11-14T22:13:20Z"),
            Ok(1_700_000_000.0)
        );
        assert_eq!(
            parse_prometheus_time("2023-11-14T23:13:20.5+01:00"),
            Ok(1_700_000_000.5)
        );
    }

    #[test]
    fn refuses_garbage() {
        for bad in ["", "yesterday", "2023-11-14", "NaN", "inf", "1e400"] {
            assert!(parse_prometheus_time(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(format_rfc3339_ms(1_700_000_000_000), "2023-11-14T22:13:20Z");
    }
}
