//! Grafana's unit ids as Vantage units. Ids Vantage has no unit for are shown as a
//! suffix, as Grafana itself shows unknown ids.

use vantage_api::unit::Unit;

/// The unit for a Grafana unit id, and whether it is exact (`false`: shown as a
/// suffix or a near unit).
pub fn grafana_unit(id: &str) -> (Unit, bool) {
    let id = id.trim();
    let exact = |unit: Unit| (unit, true);
    let si = |base: &str| (Unit::Si(base.to_owned()), true);
    let suffix = |text: &str| (Unit::Suffix(text.to_owned()), true);
    let count = |text: &str| (Unit::Count(text.to_owned()), true);
    let currency = |symbol: &str| (Unit::Currency(symbol.to_owned()), true);
    match id {
        "" | "short" | "sishort" | "locale" => exact(Unit::Short),
        "none" | "string" => exact(Unit::Plain),
        "percent" => exact(Unit::Percent),
        "percentunit" => exact(Unit::PercentUnit),
        "s" => exact(Unit::Seconds),
        "ms" => exact(Unit::Milliseconds),
        "µs" | "us" => exact(Unit::Microseconds),
        "ns" => exact(Unit::Nanoseconds),
        "m" => exact(Unit::Minutes),
        "h" => exact(Unit::Hours),
        "d" => exact(Unit::Days),
        "dtdurations" => exact(Unit::DurationSeconds),
        "dtdurationms" => exact(Unit::DurationMilliseconds),
        "dateTimeAsIso" | "dateTimeAsIsoNoDateIfToday" | "dateTimeAsSystem" => {
            exact(Unit::DateTime)
        }
        "dateTimeAsUS"
        | "dateTimeAsUSNoDateIfToday"
        | "dateTimeAsLocal"
        | "dateTimeAsLocalNoDateIfToday"
        | "dateTimeFromNow" => (Unit::DateTime, false),
        "dthms" | "dtdhms" | "clocks" | "timeticks" => (Unit::DurationSeconds, false),
        "clockms" => (Unit::DurationMilliseconds, false),
        "bytes" => exact(Unit::Bytes),
        "decbytes" => exact(Unit::DecimalBytes),
        "bits" => exact(Unit::Bits),
        "decbits" => exact(Unit::DecimalBits),
        "kbytes" => exact(Unit::Kibibytes),
        "mbytes" => exact(Unit::Mebibytes),
        "gbytes" => exact(Unit::Gibibytes),
        "Bps" | "decBps" => exact(Unit::BytesPerSecond),
        "binBps" => exact(Unit::BinaryBytesPerSecond),
        "bps" | "decbps" => exact(Unit::BitsPerSecond),
        "binbps" => exact(Unit::BinaryBitsPerSecond),
        "reqps" => exact(Unit::RequestsPerSecond),
        "ops" => exact(Unit::OpsPerSecond),
        "iops" => exact(Unit::Iops),
        "pps" => exact(Unit::PacketsPerSecond),
        "cps" => count("c/s"),
        "rps" => count("rd/s"),
        "wps" => count("wr/s"),
        "mps" => count("msg/s"),
        "opm" => count("ops/min"),
        "reqpm" => count("req/min"),
        "rpm" => count("rd/min"),
        "wpm" => count("wr/min"),
        "mpm" => count("msg/min"),
        "currencyUSD" => exact(Unit::Usd),
        "currencyEUR" => currency("€"),
        "currencyGBP" => currency("£"),
        "currencyJPY" => currency("¥"),
        "currencyRUB" => currency("₽"),
        "currencyINR" => currency("₹"),
        "currencyCHF" => currency("CHF"),
        "currencyBTC" => currency("฿"),
        "hertz" => si("Hz"),
        "watt" => si("W"),
        "kwatt" => (Unit::Si("W".to_owned()), false),
        "watth" => si("Wh"),
        "voltamp" => si("VA"),
        "volt" => si("V"),
        "amp" => si("A"),
        "ohm" => si("Ω"),
        "joule" => si("J"),
        "celsius" => suffix("°C"),
        "fahrenheit" => suffix("°F"),
        "kelvin" => suffix("K"),
        "humidity" => suffix("%H"),
        "degree" => suffix("°"),
        "lengthm" => si("m"),
        "massg" => si("g"),
        "bool" | "bool_yes_no" | "bool_on_off" => (Unit::Plain, false),
        other => {
            if let Some((form, rest)) = other.split_once(':') {
                let custom = match form {
                    "suffix" => Some(Unit::Suffix(rest.to_owned())),
                    "prefix" => Some(Unit::Prefix(rest.to_owned())),
                    "si" => Some(Unit::Si(rest.to_owned())),
                    "count" => Some(Unit::Count(rest.to_owned())),
                    "currency" => Some(Unit::Currency(rest.to_owned())),
                    _ => None,
                };
                if let Some(unit) = custom.filter(|_| !rest.is_empty()) {
                    return (unit, true);
                }
            }
            (Unit::Suffix(other.to_owned()), false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_ids() {
        assert_eq!(grafana_unit("µs"), (Unit::Microseconds, true));
        assert_eq!(grafana_unit("binBps"), (Unit::BinaryBytesPerSecond, true));
        assert_eq!(grafana_unit("currencyUSD"), (Unit::Usd, true));
        assert_eq!(grafana_unit("celsius"), (Unit::Suffix("°C".into()), true));
        assert_eq!(
            grafana_unit("suffix:rpm"),
            (Unit::Suffix("rpm".into()), true)
        );
        assert_eq!(
            grafana_unit("furlongs"),
            (Unit::Suffix("furlongs".into()), false)
        );
    }
}
