//! Prometheus duration syntax (`1m30s`, `2h`, `1w`, `500ms`) and the float-seconds form
//! that the HTTP API also accepts for `step` and `timeout`.

use std::fmt;

/// Why a duration string was refused; the message matches Prometheus's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(pub String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DurationError {}

const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Parses a Prometheus duration (`5m`, `1h30m`, `0`) into milliseconds.
/// Units must appear at most once each, largest first, as Prometheus requires.
pub fn parse_prometheus_duration(text: &str) -> Result<u64, DurationError> {
    let bad = || DurationError(format!("not a valid duration string: {text:?}"));
    if text == "0" {
        return Ok(0);
    }
    if text.is_empty() {
        return Err(bad());
    }
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut total: u64 = 0;
    let mut last_unit = None;
    while pos < bytes.len() {
        let digits_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == digits_start {
            return Err(bad());
        }
        let number: u64 = text[digits_start..pos].parse().map_err(|_| bad())?;
        let unit_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_alphabetic() {
            pos += 1;
        }
        let unit = &text[unit_start..pos];
        let index = UNITS
            .iter()
            .position(|(name, _)| *name == unit)
            .ok_or_else(bad)?;
        if last_unit.is_some_and(|last| index <= last) {
            return Err(bad());
        }
        last_unit = Some(index);
        let part = number.checked_mul(UNITS[index].1).ok_or_else(bad)?;
        total = total.checked_add(part).ok_or_else(bad)?;
    }
    Ok(total)
}

/// Parses `step`/`timeout` as the HTTP API does: float seconds first, then a duration.
/// Returns seconds as a float.
pub fn parse_duration_param(text: &str) -> Result<f64, DurationError> {
    if let Ok(seconds) = text.parse::<f64>() {
        let ms = seconds * 1000.0;
        if !ms.is_finite() || ms > i64::MAX as f64 || ms < i64::MIN as f64 {
            return Err(DurationError(format!(
                "cannot parse {text:?} to a valid duration. It overflows int64"
            )));
        }
        return Ok(seconds);
    }
    parse_prometheus_duration(text)
        .map(|ms| ms as f64 / 1000.0)
        .map_err(|_| DurationError(format!("cannot parse {text:?} to a valid duration")))
}

/// Formats milliseconds the way Prometheus prints durations (`1h30m`, `15s`, `250ms`).
pub fn format_duration_ms(mut ms: u64) -> String {
    if ms == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (name, size) in UNITS {
        if ms >= size {
            out.push_str(&format!("{}{}", ms / size, name));
            ms %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compound_durations() {
        assert_eq!(parse_prometheus_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_prometheus_duration("2h"), Ok(7_200_000));
        assert_eq!(parse_prometheus_duration("1w"), Ok(604_800_000));
        assert_eq!(parse_prometheus_duration("1y"), Ok(31_536_000_000));
        assert_eq!(parse_prometheus_duration("500ms"), Ok(500));
        assert_eq!(parse_prometheus_duration("1s500ms"), Ok(1_500));
        assert_eq!(parse_prometheus_duration("0"), Ok(0));
    }

    #[test]
    fn refuses_what_prometheus_refuses() {
        for bad in ["", "m", "5", "1.5m", "30s1m", "1m1m", "5x", "-5m", "1h 30m"] {
            assert!(parse_prometheus_duration(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn step_accepts_float_seconds_or_durations() {
        assert_eq!(parse_duration_param("15"), Ok(15.0));
        assert_eq!(parse_duration_param("0.5"), Ok(0.5));
        assert_eq!(parse_duration_param("1m30s"), Ok(90.0));
        assert!(parse_duration_param("1e300").is_err());
        assert!(parse_duration_param("fast").is_err());
    }

    #[test]
    fn formats_like_prometheus() {
        assert_eq!(format_duration_ms(90_000), "1m30s");
        assert_eq!(format_duration_ms(86_400_000), "1d");
        assert_eq!(format_duration_ms(250), "250ms");
        assert_eq!(format_duration_ms(0), "0s");
    }
}
