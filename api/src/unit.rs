//! Units a panel's values are shown in, and how each formats a number.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A plain number with SI suffixes (1.2k, 3.4M).
    #[default]
    Short,
    /// US dollars.
    Usd,
    /// Seconds, shown as ms/s/min/h as fits.
    Seconds,
    /// Milliseconds, shown as ms/s/min as fits.
    Milliseconds,
    /// Bytes, shown in binary multiples (KiB, MiB, GiB).
    Bytes,
    /// A ratio 0..1 shown as a percentage.
    PercentUnit,
    /// Already a percentage 0..100.
    Percent,
    /// Events per second.
    PerSecond,
}

impl Unit {
    /// Formats a value for axes, legends and tables.
    pub fn format(self, value: f64) -> String {
        if value.is_nan() {
            return "NaN".to_owned();
        }
        if value.is_infinite() {
            return if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
        }
        match self {
            Unit::Short => si(value),
            Unit::Usd => usd(value),
            Unit::Seconds => duration(value),
            Unit::Milliseconds => duration(value / 1000.0),
            Unit::Bytes => bytes(value),
            Unit::PercentUnit => format!("{}%", trim(value * 100.0, 2)),
            Unit::Percent => format!("{}%", trim(value, 2)),
            Unit::PerSecond => format!("{}/s", si(value)),
        }
    }
}

/// At most `decimals` decimals, trailing zeros dropped.
fn trim(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn si(value: f64) -> String {
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e12 {
        (value / 1e12, "T")
    } else if abs >= 1e9 {
        (value / 1e9, "G")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let decimals = match scaled.abs() {
        a if suffix.is_empty() && a < 1.0 => 3,
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    format!("{}{suffix}", trim(scaled, decimals))
}

fn usd(value: f64) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    if abs >= 1e6 {
        format!("{sign}${}M", trim(abs / 1e6, 2))
    } else if abs >= 1e4 {
        format!("{sign}${}k", trim(abs / 1e3, 1))
    } else if abs >= 0.01 || abs == 0.0 {
        format!("{sign}${}", group_thousands(&format!("{abs:.2}")))
    } else {
        format!("{sign}${}", trim(abs, 4))
    }
}

fn group_thousands(text: &str) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        out
    } else {
        format!("{out}.{frac}")
    }
}

fn duration(seconds: f64) -> String {
    let abs = seconds.abs();
    if abs == 0.0 {
        "0s".to_owned()
    } else if abs < 1e-3 {
        format!("{}µs", trim(seconds * 1e6, 1))
    } else if abs < 1.0 {
        format!("{}ms", trim(seconds * 1e3, 1))
    } else if abs < 60.0 {
        format!("{}s", trim(seconds, 2))
    } else if abs < 3600.0 {
        format!("{}min", trim(seconds / 60.0, 1))
    } else if abs < 86_400.0 {
        format!("{}h", trim(seconds / 3600.0, 1))
    } else {
        format!("{}d", trim(seconds / 86_400.0, 1))
    }
}

fn bytes(value: f64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut scaled = value;
    let mut index = 0;
    while scaled.abs() >= 1024.0 && index < UNITS.len() - 1 {
        scaled /= 1024.0;
        index += 1;
    }
    format!(
        "{} {}",
        trim(scaled, if index == 0 { 0 } else { 1 }),
        UNITS[index]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_each_unit() {
        assert_eq!(Unit::Usd.format(1234.5), "$1,234.50");
        assert_eq!(Unit::Usd.format(0.0125), "$0.01");
        assert_eq!(Unit::Usd.format(0.5), "$0.50");
        assert_eq!(Unit::Usd.format(0.0061), "$0.0061");
        assert_eq!(Unit::Usd.format(25_300.0), "$25.3k");
        assert_eq!(Unit::Seconds.format(0.25), "250ms");
        assert_eq!(Unit::Milliseconds.format(12_500.0), "12.5s");
        assert_eq!(Unit::Bytes.format(1_572_864.0), "1.5 MiB");
        assert_eq!(Unit::PercentUnit.format(0.9867), "98.67%");
        assert_eq!(Unit::Short.format(1500.0), "1.5k");
        assert_eq!(Unit::Short.format(42.0), "42");
        assert_eq!(Unit::PerSecond.format(0.5), "0.5/s");
        assert_eq!(Unit::Short.format(f64::NAN), "NaN");
    }
}
