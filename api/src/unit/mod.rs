//! Units a panel's values are shown in, and how each formats a number.
//!
//! A unit is written in dashboard files as a string: one of the names in [`NAMED`], or
//! one of Grafana's custom forms `suffix:<text>`, `prefix:<text>`, `si:<base unit>`,
//! `count:<unit>` and `currency:<symbol>`. Unknown names are refused, so a typo is an
//! error rather than a silently odd suffix.

mod format;

use format::{
    BITS_IEC, BITS_SI, BYTES_IEC, BYTES_SI, binary, currency, date_time, decimal, duration, fixed,
    number, si, si_prefixed, usd, words,
};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How a value is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Unit {
    /// A plain number with SI suffixes (1.2k, 3.4M). `short`
    #[default]
    Short,
    /// A plain number, no scaling. `none`
    Plain,
    /// US dollars. `usd`
    Usd,
    /// Seconds, shown as ms/s/min/h as fits. `seconds`
    Seconds,
    /// Milliseconds, shown as ms/s/min as fits. `milliseconds`
    Milliseconds,
    /// `microseconds`
    Microseconds,
    /// `nanoseconds`
    Nanoseconds,
    /// `minutes`
    Minutes,
    /// `hours`
    Hours,
    /// `days`
    Days,
    /// Seconds in words, "2 days, 3 hours". `duration_seconds`
    DurationSeconds,
    /// Milliseconds in words. `duration_milliseconds`
    DurationMilliseconds,
    /// Milliseconds since the epoch as a date and time (UTC). `date_time`
    DateTime,
    /// Bytes in binary multiples (KiB, MiB, GiB). `bytes`
    Bytes,
    /// Bytes in decimal multiples (kB, MB, GB). `decimal_bytes`
    DecimalBytes,
    /// Bits in binary multiples (Kib, Mib). `bits`
    Bits,
    /// Bits in decimal multiples (kb, Mb). `decimal_bits`
    DecimalBits,
    /// `kibibytes`
    Kibibytes,
    /// `mebibytes`
    Mebibytes,
    /// `gibibytes`
    Gibibytes,
    /// Bytes per second, decimal multiples (kB/s). `bytes_per_second`
    BytesPerSecond,
    /// Bytes per second, binary multiples (KiB/s). `binary_bytes_per_second`
    BinaryBytesPerSecond,
    /// Bits per second, decimal multiples (Mb/s). `bits_per_second`
    BitsPerSecond,
    /// Bits per second, binary multiples (Mib/s). `binary_bits_per_second`
    BinaryBitsPerSecond,
    /// A ratio 0..1 shown as a percentage. `percent_unit`
    PercentUnit,
    /// Already a percentage 0..100. `percent`
    Percent,
    /// Events per second. `per_second`
    PerSecond,
    /// `requests_per_second` (req/s)
    RequestsPerSecond,
    /// `ops_per_second` (ops/s)
    OpsPerSecond,
    /// `iops` (io/s)
    Iops,
    /// `packets_per_second` (p/s)
    PacketsPerSecond,
    /// The number, a space, then the text, no scaling. `suffix:<text>`
    Suffix(String),
    /// The text, then the number, no scaling. `prefix:<text>`
    Prefix(String),
    /// SI prefixes on a base unit (`1.5 kW`, `2 mV`). `si:<base>`
    Si(String),
    /// A count with k/M/G suffixes, then the unit (`1.2k req`). `count:<unit>`
    Count(String),
    /// Money in a currency other than dollars (`€1.23K`). `currency:<symbol>`
    Currency(String),
}

/// The units that have a name of their own, with that name.
pub const NAMED: &[(&str, Unit)] = &[
    ("short", Unit::Short),
    ("none", Unit::Plain),
    ("usd", Unit::Usd),
    ("seconds", Unit::Seconds),
    ("milliseconds", Unit::Milliseconds),
    ("microseconds", Unit::Microseconds),
    ("nanoseconds", Unit::Nanoseconds),
    ("minutes", Unit::Minutes),
    ("hours", Unit::Hours),
    ("days", Unit::Days),
    ("duration_seconds", Unit::DurationSeconds),
    ("duration_milliseconds", Unit::DurationMilliseconds),
    ("date_time", Unit::DateTime),
    ("bytes", Unit::Bytes),
    ("decimal_bytes", Unit::DecimalBytes),
    ("bits", Unit::Bits),
    ("decimal_bits", Unit::DecimalBits),
    ("kibibytes", Unit::Kibibytes),
    ("mebibytes", Unit::Mebibytes),
    ("gibibytes", Unit::Gibibytes),
    ("bytes_per_second", Unit::BytesPerSecond),
    ("binary_bytes_per_second", Unit::BinaryBytesPerSecond),
    ("bits_per_second", Unit::BitsPerSecond),
    ("binary_bits_per_second", Unit::BinaryBitsPerSecond),
    ("percent_unit", Unit::PercentUnit),
    ("percent", Unit::Percent),
    ("per_second", Unit::PerSecond),
    ("requests_per_second", Unit::RequestsPerSecond),
    ("ops_per_second", Unit::OpsPerSecond),
    ("iops", Unit::Iops),
    ("packets_per_second", Unit::PacketsPerSecond),
];

/// The custom forms, `<prefix>:<text>`.
const CUSTOM: [&str; 5] = ["suffix", "prefix", "si", "count", "currency"];

impl Unit {
    /// Formats a value for axes, legends and tables.
    pub fn format(&self, value: f64) -> String {
        self.format_decimals(value, None)
    }

    /// Formats a value with exactly `decimals` decimals when given (a panel's
    /// `decimals`), else with a precision that fits the magnitude.
    pub fn format_decimals(&self, value: f64, decimals: Option<u8>) -> String {
        if value.is_nan() {
            return "NaN".to_owned();
        }
        if value.is_infinite() {
            return if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
        }
        let d = decimals.map(usize::from);
        match self {
            Unit::Short => si(value, d),
            Unit::Plain => number(value, d),
            Unit::Usd => usd(value, d),
            Unit::Seconds => duration(value, d),
            Unit::Milliseconds => duration(value / 1e3, d),
            Unit::Microseconds => duration(value / 1e6, d),
            Unit::Nanoseconds => duration(value / 1e9, d),
            Unit::Minutes => duration(value * 60.0, d),
            Unit::Hours => duration(value * 3600.0, d),
            Unit::Days => duration(value * 86_400.0, d),
            Unit::DurationSeconds => words(value, d),
            Unit::DurationMilliseconds => words(value / 1e3, d),
            Unit::DateTime => date_time(value),
            Unit::Bytes => binary(value, d, &BYTES_IEC),
            Unit::DecimalBytes => decimal(value, d, &BYTES_SI),
            Unit::Bits => binary(value, d, &BITS_IEC),
            Unit::DecimalBits => decimal(value, d, &BITS_SI),
            Unit::Kibibytes => binary(value * 1024.0, d, &BYTES_IEC),
            Unit::Mebibytes => binary(value * 1024.0 * 1024.0, d, &BYTES_IEC),
            Unit::Gibibytes => binary(value * 1024.0 * 1024.0 * 1024.0, d, &BYTES_IEC),
            Unit::BytesPerSecond => format!("{}/s", decimal(value, d, &BYTES_SI)),
            Unit::BinaryBytesPerSecond => format!("{}/s", binary(value, d, &BYTES_IEC)),
            Unit::BitsPerSecond => format!("{}/s", decimal(value, d, &BITS_SI)),
            Unit::BinaryBitsPerSecond => format!("{}/s", binary(value, d, &BITS_IEC)),
            Unit::PercentUnit => format!("{}%", fixed(value * 100.0, 2, d)),
            Unit::Percent => format!("{}%", fixed(value, 2, d)),
            Unit::PerSecond => format!("{}/s", si(value, d)),
            Unit::RequestsPerSecond => format!("{} req/s", si(value, d)),
            Unit::OpsPerSecond => format!("{} ops/s", si(value, d)),
            Unit::Iops => format!("{} io/s", si(value, d)),
            Unit::PacketsPerSecond => format!("{} p/s", si(value, d)),
            Unit::Suffix(text) => format!("{} {text}", number(value, d)),
            Unit::Prefix(text) => format!("{text}{}", number(value, d)),
            Unit::Si(base) => si_prefixed(value, d, base),
            Unit::Count(unit) => format!("{} {unit}", si(value, d)),
            Unit::Currency(symbol) => currency(value, d, symbol),
        }
    }

    /// The name written in dashboard files.
    pub fn name(&self) -> String {
        let custom = |form: &str, text: &str| format!("{form}:{text}");
        match self {
            Unit::Suffix(text) => custom("suffix", text),
            Unit::Prefix(text) => custom("prefix", text),
            Unit::Si(text) => custom("si", text),
            Unit::Count(text) => custom("count", text),
            Unit::Currency(text) => custom("currency", text),
            named => NAMED
                .iter()
                .find(|(_, unit)| unit == named)
                .map(|(name, _)| (*name).to_owned())
                .unwrap_or_default(),
        }
    }
}

impl FromStr for Unit {
    type Err = String;

    fn from_str(text: &str) -> Result<Unit, String> {
        if let Some((_, unit)) = NAMED.iter().find(|(name, _)| *name == text) {
            return Ok(unit.clone());
        }
        if let Some((form, rest)) = text.split_once(':')
            && CUSTOM.contains(&form)
            && !rest.is_empty()
        {
            let rest = rest.to_owned();
            return Ok(match form {
                "suffix" => Unit::Suffix(rest),
                "prefix" => Unit::Prefix(rest),
                "si" => Unit::Si(rest),
                "count" => Unit::Count(rest),
                _ => Unit::Currency(rest),
            });
        }
        let names: Vec<&str> = NAMED.iter().map(|(name, _)| *name).collect();
        Err(format!(
            "unknown unit {text:?}: use one of {}, or suffix:<text>, prefix:<text>, si:<unit>, count:<unit>, currency:<symbol>",
            names.join(", ")
        ))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Unit, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(D::Error::custom)
    }
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

    #[test]
    fn formats_the_new_units() {
        assert_eq!(Unit::Plain.format(1234.5678), "1235");
        assert_eq!(Unit::Plain.format(0.012345), "0.0123");
        assert_eq!(Unit::Microseconds.format(250.0), "250µs");
        assert_eq!(Unit::Nanoseconds.format(12.0), "12ns");
        assert_eq!(Unit::Minutes.format(90.0), "1.5h");
        assert_eq!(Unit::Days.format(2.0), "2d");
        assert_eq!(Unit::DurationSeconds.format(93_784.0), "1 day");
        assert_eq!(
            Unit::DurationSeconds.format_decimals(93_784.0, Some(1)),
            "1 day, 2 hours"
        );
        assert_eq!(Unit::DurationSeconds.format(45.0), "45 seconds");
        assert_eq!(Unit::DurationMilliseconds.format(120_000.0), "2 minutes");
        assert_eq!(
            Unit::DateTime.format(1_700_000_000_000.0),
            "2023-11-14 22:13:20"
        );
        assert_eq!(Unit::DecimalBytes.format(1_500_000.0), "1.5 MB");
        assert_eq!(Unit::Bits.format(2048.0), "2 Kib");
        assert_eq!(Unit::DecimalBits.format(1e9), "1 Gb");
        assert_eq!(Unit::Kibibytes.format(1024.0), "1 MiB");
        assert_eq!(Unit::Gibibytes.format(2.0), "2 GiB");
        assert_eq!(Unit::BytesPerSecond.format(2_500.0), "2.5 kB/s");
        assert_eq!(Unit::BinaryBytesPerSecond.format(2048.0), "2 KiB/s");
        assert_eq!(Unit::BitsPerSecond.format(1e8), "100 Mb/s");
        assert_eq!(Unit::RequestsPerSecond.format(1200.0), "1.2k req/s");
        assert_eq!(Unit::OpsPerSecond.format(3.0), "3 ops/s");
        assert_eq!(Unit::Iops.format(15.0), "15 io/s");
        assert_eq!(Unit::PacketsPerSecond.format(0.5), "0.5 p/s");
        assert_eq!(Unit::Suffix("°C".into()).format(21.26), "21.3 °C");
        assert_eq!(Unit::Prefix("~".into()).format(3.0), "~3");
        assert_eq!(Unit::Si("W".into()).format(1500.0), "1.5 kW");
        assert_eq!(Unit::Si("Hz".into()).format(0.002), "2 mHz");
        assert_eq!(Unit::Count("req".into()).format(2_000_000.0), "2M req");
        assert_eq!(Unit::Currency("€".into()).format(1234.0), "€1.23K");
        assert_eq!(Unit::Currency("€".into()).format(-5.0), "-€5");
    }

    #[test]
    fn small_values_keep_their_significant_digits() {
        assert_eq!(Unit::Short.format(0.0000782), "7.82e-5");
        assert_eq!(Unit::Plain.format(0.0000782), "7.82e-5");
        assert_eq!(Unit::Short.format(0.000782), "0.000782");
        assert_eq!(Unit::Short.format(0.0125), "0.0125");
        assert_eq!(Unit::Short.format(-0.0034567), "-0.00346");
        assert_eq!(Unit::Short.format(0.5), "0.5");
        assert_eq!(Unit::Short.format(1e-12), "1e-12");
        assert_eq!(Unit::Plain.format(3.5e-9), "3.5e-9");
        assert_eq!(Unit::PerSecond.format(0.0000782), "7.82e-5/s");
        assert_eq!(Unit::Count("req".into()).format(0.00123), "0.00123 req");
        assert_eq!(Unit::Short.format(0.0), "0");
        // A panel's own decimals still win.
        assert_eq!(Unit::Short.format_decimals(0.0000782, Some(2)), "0.00");
    }

    #[test]
    fn honours_decimals() {
        assert_eq!(
            Unit::Bytes.format_decimals(1_572_864.0, Some(2)),
            "1.50 MiB"
        );
        assert_eq!(Unit::Percent.format_decimals(12.0, Some(1)), "12.0%");
        assert_eq!(Unit::Short.format_decimals(1500.0, Some(0)), "2k");
        assert_eq!(Unit::Plain.format_decimals(1.23456, Some(3)), "1.235");
        assert_eq!(Unit::Usd.format_decimals(3.0, Some(0)), "$3");
        assert_eq!(Unit::Seconds.format_decimals(0.25, Some(2)), "250.00ms");
        assert_eq!(
            Unit::DurationSeconds.format_decimals(3_725.0, Some(2)),
            "1 hour, 2 minutes, 5 seconds"
        );
    }

    #[test]
    fn names_round_trip() {
        for (name, unit) in NAMED {
            assert_eq!(unit.name(), *name);
            assert_eq!(name.parse::<Unit>().as_ref(), Ok(unit));
        }
        for text in ["suffix:°C", "prefix:~", "si:W", "count:req", "currency:€"] {
            let unit: Unit = text.parse().expect("custom unit");
            assert_eq!(unit.name(), text);
        }
        assert!("byts".parse::<Unit>().is_err());
        assert!("suffix:".parse::<Unit>().is_err());
        assert!("weird:x".parse::<Unit>().is_err());
    }

    #[test]
    fn serializes_as_a_string() {
        let json = serde_json::to_string(&Unit::PercentUnit).expect("serialize");
        assert_eq!(json, "\"percent_unit\"");
        let unit: Unit = serde_json::from_str("\"suffix:rpm\"").expect("deserialize");
        assert_eq!(unit, Unit::Suffix("rpm".into()));
        let err = serde_json::from_str::<Unit>("\"byts\"").expect_err("typo");
        assert!(
            err.to_string().contains("unknown unit \\\"byts\\\"")
                || err.to_string().contains("byts")
        );
    }
}
