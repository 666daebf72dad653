//! Number formatting shared by the units: fixed decimals, SI and binary multiples,
//! durations and dates. `decimals: Option<usize>` is the panel's setting; without it
//! each helper picks a precision from the magnitude and drops trailing zeros.

/// At most `decimals` decimals, trailing zeros dropped.
pub(super) fn trim(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Exactly the given decimals (as Grafana does when a panel sets them), or `auto`
/// decimals with trailing zeros dropped.
pub(super) fn fixed(value: f64, auto: usize, decimals: Option<usize>) -> String {
    match decimals {
        Some(d) => {
            let d = d.min(20);
            format!("{value:.d$}")
        }
        None => trim(value, auto),
    }
}

/// Below this, numbers are written with an exponent (`7.82e-5`): a rate that small has
/// more leading zeros than digits worth reading.
const EXPONENT_BELOW: f64 = 1e-4;

/// Three significant digits of a number under 1 in magnitude, so that a small rate
/// never shows as 0: `0.0123`, `0.000782`, `7.82e-5`.
fn small(value: f64) -> String {
    let abs = value.abs();
    if abs < EXPONENT_BELOW {
        // By hand rather than `{:e}`, whose exact formatting would add to the bundle.
        let mut exponent = abs.log10().floor() as i32;
        let mut mantissa = trim(value / 10f64.powi(exponent), 2);
        if mantissa.trim_start_matches('-').starts_with("10") {
            exponent += 1;
            mantissa = trim(value / 10f64.powi(exponent), 2);
        }
        return format!("{mantissa}e{exponent}");
    }
    trim(
        value,
        (2 - abs.log10().floor() as i64).clamp(0, 20) as usize,
    )
}

/// A plain number: about three significant digits, more for large integers.
pub(super) fn number(value: f64, decimals: Option<usize>) -> String {
    let abs = value.abs();
    if decimals.is_none() && abs > 0.0 && abs < 1.0 {
        return small(value);
    }
    let auto = if abs == 0.0 || abs >= 100.0 {
        0
    } else {
        (2 - abs.log10().floor() as i64).clamp(0, 10) as usize
    };
    fixed(value, auto, decimals)
}

/// Decimals for a number already scaled into 1..1000.
fn scaled_decimals(scaled: f64, bare: bool) -> usize {
    match scaled.abs() {
        a if bare && a < 1.0 => 3,
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    }
}

/// A count with k/M/G/T suffixes (1.2k, 3.4M).
pub(super) fn si(value: f64, decimals: Option<usize>) -> String {
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
    if suffix.is_empty() && decimals.is_none() && abs > 0.0 && abs < 1.0 {
        return small(value);
    }
    let auto = scaled_decimals(scaled, suffix.is_empty());
    format!("{}{suffix}", fixed(scaled, auto, decimals))
}

/// A value of `base` with SI prefixes from nano to peta (`1.5 kW`, `2 mV`).
pub(super) fn si_prefixed(value: f64, decimals: Option<usize>, base: &str) -> String {
    const PREFIXES: [(f64, &str); 9] = [
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
    ];
    let abs = value.abs();
    let (size, prefix) = if abs == 0.0 {
        (1.0, "")
    } else {
        PREFIXES
            .iter()
            .copied()
            .find(|(size, _)| abs >= *size)
            .unwrap_or((1e-9, "n"))
    };
    let scaled = value / size;
    format!(
        "{} {prefix}{base}",
        fixed(scaled, scaled_decimals(scaled, false), decimals)
    )
}

/// Multiples of 1024 with IEC names (`1.5 MiB`).
pub(super) fn binary(value: f64, decimals: Option<usize>, names: &[&str; 7]) -> String {
    scaled_by(value, decimals, 1024.0, names)
}

/// Multiples of 1000 (`1.5 MB`).
pub(super) fn decimal(value: f64, decimals: Option<usize>, names: &[&str; 7]) -> String {
    scaled_by(value, decimals, 1000.0, names)
}

fn scaled_by(value: f64, decimals: Option<usize>, base: f64, names: &[&str; 7]) -> String {
    let mut scaled = value;
    let mut index = 0;
    while scaled.abs() >= base && index < names.len() - 1 {
        scaled /= base;
        index += 1;
    }
    let auto = if index == 0 { 0 } else { 1 };
    format!("{} {}", fixed(scaled, auto, decimals), names[index])
}

pub(super) const BYTES_IEC: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
pub(super) const BYTES_SI: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
pub(super) const BITS_IEC: [&str; 7] = ["b", "Kib", "Mib", "Gib", "Tib", "Pib", "Eib"];
pub(super) const BITS_SI: [&str; 7] = ["b", "kb", "Mb", "Gb", "Tb", "Pb", "Eb"];

/// Seconds shown in the largest fitting unit (`250ms`, `1.5min`, `3h`).
pub(super) fn duration(seconds: f64, decimals: Option<usize>) -> String {
    let abs = seconds.abs();
    if abs == 0.0 {
        return "0s".to_owned();
    }
    let (scaled, auto, name) = if abs < 1e-6 {
        (seconds * 1e9, 1, "ns")
    } else if abs < 1e-3 {
        (seconds * 1e6, 1, "µs")
    } else if abs < 1.0 {
        (seconds * 1e3, 1, "ms")
    } else if abs < 60.0 {
        (seconds, 2, "s")
    } else if abs < 3600.0 {
        (seconds / 60.0, 1, "min")
    } else if abs < 86_400.0 {
        (seconds / 3600.0, 1, "h")
    } else {
        (seconds / 86_400.0, 1, "d")
    };
    format!("{}{name}", fixed(scaled, auto, decimals))
}

/// Seconds in words, the largest unit first (`2 days`), as Grafana's "duration" units
/// show them; `decimals` is how many units follow the first (`2 days, 3 hours`).
pub(super) fn words(seconds: f64, decimals: Option<usize>) -> String {
    const UNITS: [(f64, &str); 8] = [
        (31_536_000.0, "year"),
        (2_592_000.0, "month"),
        (604_800.0, "week"),
        (86_400.0, "day"),
        (3_600.0, "hour"),
        (60.0, "minute"),
        (1.0, "second"),
        (0.001, "millisecond"),
    ];
    let sign = if seconds < 0.0 { "-" } else { "" };
    let mut rest = seconds.abs();
    if rest < 0.001 {
        return "0 seconds".to_owned();
    }
    let wanted = decimals.unwrap_or(0).min(7) + 1;
    let mut parts = Vec::new();
    for (size, name) in UNITS {
        if parts.len() == wanted {
            break;
        }
        let count = (rest / size).floor();
        if count >= 1.0 {
            let plural = if count == 1.0 { "" } else { "s" };
            parts.push(format!("{count} {name}{plural}"));
            rest -= count * size;
        } else if !parts.is_empty() {
            // Units after the first count even when zero ("1 hour, 0 minutes").
            parts.push(format!("0 {name}s"));
        }
    }
    format!("{sign}{}", parts.join(", "))
}

/// Milliseconds since the epoch as `2024-05-01 13:45:00` (UTC).
pub(super) fn date_time(ms: f64) -> String {
    let nanos = (ms * 1e6) as i128;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => number(ms, None),
    }
}

/// Money: the symbol first, then K/M/B/T multiples (`€1.23K`), as Grafana shows currencies.
pub(super) fn currency(value: f64, decimals: Option<usize>, symbol: &str) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let (scaled, suffix) = if abs >= 1e12 {
        (abs / 1e12, "T")
    } else if abs >= 1e9 {
        (abs / 1e9, "B")
    } else if abs >= 1e6 {
        (abs / 1e6, "M")
    } else if abs >= 1e3 {
        (abs / 1e3, "K")
    } else {
        (abs, "")
    };
    format!(
        "{sign}{symbol}{}{suffix}",
        fixed(scaled, scaled_decimals(scaled, false), decimals)
    )
}

/// Dollars with cents and thousands separators (`$1,234.50`, `$25.3k`).
pub(super) fn usd(value: f64, decimals: Option<usize>) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    if abs >= 1e6 {
        format!("{sign}${}M", fixed(abs / 1e6, 2, decimals))
    } else if abs >= 1e4 {
        format!("{sign}${}k", fixed(abs / 1e3, 1, decimals))
    } else if abs >= 0.01 || abs == 0.0 {
        let d = decimals.unwrap_or(2).min(20);
        format!("{sign}${}", group_thousands(&format!("{abs:.d$}")))
    } else {
        format!("{sign}${}", fixed(abs, 4, decimals))
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
