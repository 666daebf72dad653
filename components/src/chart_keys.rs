//! What a keyboard and a screen reader get from a time-series chart: a summary of what it
//! shows, the next sample time for the arrow keys, and the range `+`/`-` zoom to. Pure
//! functions, so that they are tested natively.

use crate::series::ChartSeries;
use vantage_api::unit::Unit;

/// "3 series. api: min 1.2 req/s, max 9 req/s, last 4 req/s; …" for the series shown
/// (at most `limit` named, then how many more).
pub fn summary(series: &[&ChartSeries], unit: &Unit, limit: usize) -> String {
    if series.is_empty() {
        return "No data.".to_owned();
    }
    let mut parts = Vec::new();
    for s in series.iter().take(limit) {
        let finite = s.values.iter().copied().filter(|v| v.is_finite());
        let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let last = s.values.iter().rev().copied().find(|v| v.is_finite());
        parts.push(match last {
            Some(last) => format!(
                "{}: min {}, max {}, last {}",
                s.name,
                unit.format(min),
                unit.format(max),
                unit.format(last)
            ),
            None => format!("{}: no values", s.name),
        });
    }
    let more = series.len().saturating_sub(limit);
    let count = match series.len() {
        1 => "1 series".to_owned(),
        n => format!("{n} series"),
    };
    let tail = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    format!("{count}. {}{tail}.", parts.join("; "))
}

/// The sample time after (`forward`) or before `current` among the times of every
/// series; the first or last one when there is no current point yet.
pub fn next_time(series: &[&ChartSeries], current: Option<f64>, forward: bool) -> Option<f64> {
    let times = series.iter().flat_map(|s| s.times.iter().copied());
    match (current, forward) {
        (None, true) => times.reduce(f64::min),
        (None, false) => times.reduce(f64::max),
        (Some(t), true) => times.filter(|&x| x > t).reduce(f64::min),
        (Some(t), false) => times.filter(|&x| x < t).reduce(f64::max),
    }
}

/// The range zoomed by `factor` (0.5 halves it, 2 doubles it) around `centre`, kept
/// from reaching into the future beyond `now`.
pub fn zoomed(range: (f64, f64), centre: f64, factor: f64, now: f64) -> (f64, f64) {
    let (start, end) = range;
    let width = ((end - start) * factor).max(60.0);
    let share = if end > start {
        ((centre - start) / (end - start)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let mut from = centre - width * share;
    let mut to = from + width;
    if to > now {
        from -= to - now;
        to = now;
    }
    (from, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, times: &[f64], values: &[f64]) -> ChartSeries {
        ChartSeries {
            name: name.to_owned(),
            times: times.to_vec(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn the_summary_names_min_max_and_last() {
        let a = series("api", &[0.0, 15.0, 30.0], &[2.0, f64::NAN, 1.0]);
        let b = series("web", &[0.0], &[f64::NAN]);
        let text = summary(&[&a, &b], &Unit::Plain, 5);
        assert_eq!(text, "2 series. api: min 1, max 2, last 1; web: no values.");
        assert_eq!(
            summary(&[&a, &b], &Unit::Plain, 1),
            "2 series. api: min 1, max 2, last 1; and 1 more."
        );
        assert_eq!(summary(&[], &Unit::Plain, 5), "No data.");
    }

    #[test]
    fn arrows_step_through_every_series_times() {
        let a = series("a", &[0.0, 30.0], &[1.0, 2.0]);
        let b = series("b", &[15.0, 45.0], &[1.0, 2.0]);
        let all = [&a, &b];
        assert_eq!(next_time(&all, None, true), Some(0.0));
        assert_eq!(next_time(&all, None, false), Some(45.0));
        assert_eq!(next_time(&all, Some(0.0), true), Some(15.0));
        assert_eq!(next_time(&all, Some(30.0), false), Some(15.0));
        assert_eq!(next_time(&all, Some(45.0), true), None);
    }

    #[test]
    fn zoom_keeps_the_centre_and_the_present() {
        assert_eq!(zoomed((0.0, 1000.0), 500.0, 0.5, 5000.0), (250.0, 750.0));
        assert_eq!(
            zoomed((0.0, 1000.0), 1000.0, 2.0, 1000.0),
            (-1000.0, 1000.0)
        );
        // Centred near the present, the wider range ends at the present.
        assert_eq!(zoomed((0.0, 1000.0), 900.0, 2.0, 1000.0), (-1000.0, 1000.0));
        assert_eq!(zoomed((0.0, 1000.0), 0.0, 0.01, 2000.0), (0.0, 60.0));
    }
}
