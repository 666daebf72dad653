//! Grafana-style time range in the URL: `from=now-6h&to=now`, or absolute times as
//! unix milliseconds or RFC3339.

use crate::prom_time::{format_rfc3339_ms, parse_rfc3339_ms};
use std::fmt;

/// One end of a time range as written in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeExpr {
    /// `now` minus this many milliseconds (`now-6h` is 21_600_000; `now` is 0).
    Relative(u64),
    /// A fixed instant in unix milliseconds.
    Absolute(i64),
}

const MINUTE: u64 = 60_000;
const RELATIVE_UNITS: [(char, u64); 7] = [
    ('s', 1_000),
    ('m', MINUTE),
    ('h', 60 * MINUTE),
    ('d', 24 * 60 * MINUTE),
    ('w', 7 * 24 * 60 * MINUTE),
    ('M', 30 * 24 * 60 * MINUTE),
    ('y', 365 * 24 * 60 * MINUTE),
];

impl TimeExpr {
    /// Parses `now`, `now-<n><unit>` (units s m h d w M y), unix ms, or RFC3339.
    pub fn parse(text: &str) -> Result<TimeExpr, String> {
        let text = text.trim();
        if text == "now" {
            return Ok(TimeExpr::Relative(0));
        }
        if let Some(rest) = text.strip_prefix("now-") {
            let unit = rest.chars().last().ok_or_else(|| bad(text))?;
            let size = RELATIVE_UNITS
                .iter()
                .find(|(u, _)| *u == unit)
                .map(|(_, size)| *size)
                .ok_or_else(|| bad(text))?;
            let number: u64 = rest[..rest.len() - unit.len_utf8()]
                .parse()
                .map_err(|_| bad(text))?;
            return number
                .checked_mul(size)
                .map(TimeExpr::Relative)
                .ok_or_else(|| bad(text));
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse::<i64>()
                .map(TimeExpr::Absolute)
                .map_err(|_| bad(text));
        }
        parse_rfc3339_ms(text)
            .map(TimeExpr::Absolute)
            .ok_or_else(|| bad(text))
    }

    /// The instant this expression names, given the current time.
    pub fn resolve(&self, now_ms: i64) -> i64 {
        match self {
            TimeExpr::Relative(ago) => {
                now_ms.saturating_sub(i64::try_from(*ago).unwrap_or(i64::MAX))
            }
            TimeExpr::Absolute(ms) => *ms,
        }
    }

    pub fn is_relative(&self) -> bool {
        matches!(self, TimeExpr::Relative(_))
    }
}

fn bad(text: &str) -> String {
    format!(
        "{text:?} is not a time: use now, now-15m, now-6h, now-7d, unix milliseconds or RFC3339"
    )
}

impl fmt::Display for TimeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeExpr::Relative(0) => f.write_str("now"),
            TimeExpr::Relative(ago) => {
                // Display only in s/m/h/d so that what a URL says stays what it said.
                let (unit, size) = RELATIVE_UNITS[..4]
                    .iter()
                    .rev()
                    .find(|(_, size)| ago % size == 0)
                    .copied()
                    .unwrap_or(('s', 1_000));
                if ago % size == 0 {
                    write!(f, "now-{}{unit}", ago / size)
                } else {
                    write!(f, "now-{}s", ago / 1_000)
                }
            }
            TimeExpr::Absolute(ms) => write!(f, "{ms}"),
        }
    }
}

/// A range as the URL carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeRange {
    pub from: TimeExpr,
    pub to: TimeExpr,
}

impl Default for TimeRange {
    fn default() -> Self {
        TimeRange {
            from: TimeExpr::Relative(6 * 60 * MINUTE),
            to: TimeExpr::Relative(0),
        }
    }
}

impl TimeRange {
    /// Parses both ends and checks that `from` is before `to` at `now_ms`.
    pub fn parse(from: &str, to: &str, now_ms: i64) -> Result<TimeRange, String> {
        let range = TimeRange {
            from: TimeExpr::parse(from)?,
            to: TimeExpr::parse(to)?,
        };
        let (start, end) = range.resolve(now_ms);
        if start >= end {
            return Err(format!(
                "the range from {from} to {to} is empty: from must be before to"
            ));
        }
        Ok(range)
    }

    /// `(start_ms, end_ms)` at `now_ms`.
    pub fn resolve(&self, now_ms: i64) -> (i64, i64) {
        (self.from.resolve(now_ms), self.to.resolve(now_ms))
    }

    /// The same range with both ends frozen to absolute instants.
    pub fn frozen(&self, now_ms: i64) -> TimeRange {
        let (start, end) = self.resolve(now_ms);
        TimeRange {
            from: TimeExpr::Absolute(start),
            to: TimeExpr::Absolute(end),
        }
    }

    /// A short human label: `Last 6h` or two RFC3339 instants.
    pub fn label(&self) -> String {
        match (&self.from, &self.to) {
            (TimeExpr::Relative(ago), TimeExpr::Relative(0)) => {
                format!(
                    "Last {}",
                    TimeExpr::Relative(*ago)
                        .to_string()
                        .trim_start_matches("now-")
                )
            }
            (from, to) => format!("{} to {}", describe(from), describe(to)),
        }
    }
}

fn describe(expr: &TimeExpr) -> String {
    match expr {
        TimeExpr::Absolute(ms) => format_rfc3339_ms(*ms),
        relative => relative.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn parses_grafana_forms() {
        assert_eq!(TimeExpr::parse("now"), Ok(TimeExpr::Relative(0)));
        assert_eq!(
            TimeExpr::parse("now-6h"),
            Ok(TimeExpr::Relative(21_600_000))
        );
        assert_eq!(
            TimeExpr::parse("now-30d"),
            Ok(TimeExpr::Relative(2_592_000_000))
        );
        assert_eq!(
            TimeExpr::parse("1700000000000"),
            Ok(TimeExpr::Absolute(NOW))
        );
        assert_eq!(
            TimeExpr::parse("2023-11-14T22:13:20Z"),
            Ok(TimeExpr::Absolute(NOW))
        );
    }

    #[test]
    fn refuses_malformed_times() {
        for bad in [
            "",
            "now-",
            "now-6",
            "now-6x",
            "now+6h",
            "yesterday",
            "-5",
            "now-h",
        ] {
            assert!(TimeExpr::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn round_trips_through_display() {
        for text in [
            "now",
            "now-5m",
            "now-6h",
            "now-7d",
            "now-90s",
            "1700000000000",
        ] {
            let expr = TimeExpr::parse(text).expect("parses");
            assert_eq!(expr.to_string(), text);
        }
    }

    #[test]
    fn range_must_not_be_empty() {
        assert!(TimeRange::parse("now", "now-1h", NOW).is_err());
        let range = TimeRange::parse("now-1h", "now", NOW).expect("valid");
        assert_eq!(range.resolve(NOW), (NOW - 3_600_000, NOW));
        assert_eq!(range.label(), "Last 1h");
        assert_eq!(range.frozen(NOW).from, TimeExpr::Absolute(NOW - 3_600_000));
    }
}
