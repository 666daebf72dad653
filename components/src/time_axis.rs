//! Time ticks and labels for chart axes and tooltips, in the browser's time zone or UTC.

/// Tick spacings a reader expects: round seconds, minutes, hours and days.
const INTERVALS: [f64; 19] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1_800.0, 3_600.0, 7_200.0,
    10_800.0, 21_600.0, 43_200.0, 86_400.0, 604_800.0,
];

/// The spacing for about `max_ticks` ticks over `span_s` seconds.
pub fn tick_interval(span_s: f64, max_ticks: usize) -> f64 {
    let raw = span_s / max_ticks.max(1) as f64;
    INTERVALS
        .iter()
        .copied()
        .find(|i| *i >= raw)
        .unwrap_or_else(|| (raw / 86_400.0).ceil() * 86_400.0)
}

/// Ticks on round times within `[t0, t1]`; `offset_s` is the zone's offset from UTC so
/// that hour and day ticks fall on local midnights and full hours.
pub fn time_ticks(t0: f64, t1: f64, interval: f64, offset_s: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut t = ((t0 + offset_s) / interval).ceil() * interval - offset_s;
    while t <= t1 && ticks.len() < 1_000 {
        ticks.push(t);
        t += interval;
    }
    ticks
}

/// The browser's offset from UTC at instant `t`, in seconds (0 when `utc`).
pub fn zone_offset_s(t: f64, utc: bool) -> f64 {
    if utc {
        return 0.0;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t * 1000.0));
    -date.get_timezone_offset() * 60.0
}

/// A tick label suited to the spacing: `HH:MM:SS`, `HH:MM`, `MM-DD HH:MM` or `MM-DD`.
pub fn format_tick(t: f64, interval: f64, span_s: f64, utc: bool) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t * 1000.0));
    let (month, day, hour, minute, second) = if utc {
        (
            date.get_utc_month(),
            date.get_utc_date(),
            date.get_utc_hours(),
            date.get_utc_minutes(),
            date.get_utc_seconds(),
        )
    } else {
        (
            date.get_month(),
            date.get_date(),
            date.get_hours(),
            date.get_minutes(),
            date.get_seconds(),
        )
    };
    let month = month + 1;
    if interval >= 86_400.0 {
        format!("{month:02}-{day:02}")
    } else if interval < 60.0 {
        format!("{hour:02}:{minute:02}:{second:02}")
    } else if span_s > 86_400.0 {
        format!("{month:02}-{day:02} {hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}")
    }
}

/// A full timestamp for tooltips: `YYYY-MM-DD HH:MM:SS`.
pub fn format_instant(t: f64, utc: bool) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t * 1000.0));
    let parts = if utc {
        [
            date.get_utc_full_year(),
            date.get_utc_month() + 1,
            date.get_utc_date(),
            date.get_utc_hours(),
            date.get_utc_minutes(),
            date.get_utc_seconds(),
        ]
    } else {
        [
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date(),
            date.get_hours(),
            date.get_minutes(),
            date.get_seconds(),
        ]
    };
    let [y, mo, d, h, mi, s] = parts;
    format!(
        "{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{}",
        if utc { " UTC" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_round_intervals() {
        assert_eq!(tick_interval(900.0, 10), 120.0);
        assert_eq!(tick_interval(6.0 * 3600.0, 8), 3_600.0);
        assert_eq!(tick_interval(30.0 * 86_400.0, 8), 604_800.0);
    }

    #[test]
    fn ticks_fall_on_round_local_times() {
        // 10:07:30 to 11:00 UTC, 15 minute ticks, in a zone at UTC+5:30.
        let t0 = 1_700_000_000.0 - 1_700_000_000.0 % 3600.0 + 450.0;
        let ticks = time_ticks(t0, t0 + 3_150.0, 900.0, 19_800.0);
        assert!(!ticks.is_empty());
        for t in &ticks {
            assert_eq!((t + 19_800.0) % 900.0, 0.0);
        }
        assert!(ticks[0] >= t0);
    }
}
