//! When and how finely a panel's queries ask: the panel's own range (`time_from`,
//! `time_shift`), each query's step (the panel's width, the scrape interval,
//! `max_points`, `min_step`, `interval_factor`), and whether a query is instant. The
//! console and the proxy (for embeds) plan with these same functions.

use super::expand::{Intervals, Selection, substitute};
use super::spec::{Panel, PanelKind, Query};
use crate::duration::parse_prometheus_duration;
use crate::step::{MAX_POINTS, RangePlan, rate_interval};
use std::collections::BTreeMap;

/// Whether the panel's queries ask over a range unless a query says otherwise.
pub fn panel_wants_range(panel: &Panel) -> bool {
    panel.is_range() || (panel.kind == PanelKind::Stat && panel.sparkline)
}

/// Whether `query` of `panel` is evaluated at one instant (the end of the range).
pub fn is_instant(panel: &Panel, query: &Query) -> bool {
    query
        .instant
        .map_or(!panel_wants_range(panel), |instant| instant)
}

/// A duration as written in a panel (`5m`) or a variable holding one (`$interval`), in
/// milliseconds; `None` when it is neither (or the variable is "All").
pub fn resolve_duration_ms(text: &str, selections: &BTreeMap<String, Selection>) -> Option<u64> {
    let text = text.trim();
    if let Ok(ms) = parse_prometheus_duration(text) {
        return Some(ms);
    }
    let intervals = Intervals {
        interval_s: 0.0,
        rate_interval_s: 0.0,
        range_s: 0.0,
    };
    parse_prometheus_duration(substitute(text, selections, intervals).trim())
        .ok()
        .filter(|ms| *ms > 0)
}

/// The panel's range in milliseconds: `time_from` makes it the last this-long before
/// the dashboard's end, `time_shift` moves it into the past.
pub fn panel_range_ms(
    range_ms: (i64, i64),
    panel: &Panel,
    resolve: &dyn Fn(&str) -> Option<u64>,
) -> (i64, i64) {
    let (mut start, mut end) = range_ms;
    if let Some(from) = panel.time_from.as_deref().and_then(resolve) {
        start = end - from as i64;
    }
    if let Some(shift) = panel.time_shift.as_deref().and_then(resolve) {
        start -= shift as i64;
        end -= shift as i64;
    }
    (start, end.max(start + 1_000))
}

/// The range plan of one query over the panel's range: the step is at least
/// `base_step_s` (planned from the panel's width), `span / max_points` and the
/// query's (else the panel's) `min_step`, rounded up to a round step, then multiplied
/// by `interval_factor`; start and end are aligned to it.
pub fn query_plan(
    panel_range_ms: (i64, i64),
    base_step_s: f64,
    panel: &Panel,
    query: &Query,
    resolve: &dyn Fn(&str) -> Option<u64>,
) -> RangePlan {
    let (start, end) = panel_range_ms;
    let span_s = ((end - start).max(1_000)) as f64 / 1000.0;
    let mut floor = base_step_s.max(span_s / (MAX_POINTS - 1.0)).max(1.0);
    if let Some(points) = panel.max_points.filter(|p| *p > 0) {
        floor = floor.max(span_s / f64::from(points));
    }
    let min_step = query.min_step.as_deref().or(panel.min_step.as_deref());
    if let Some(ms) = min_step.and_then(resolve) {
        floor = floor.max(ms as f64 / 1000.0);
    }
    // A step exactly as asked when it is already the base step, else a round one.
    let mut step = if floor <= base_step_s {
        base_step_s.max(1.0)
    } else {
        crate::step::plan_range(start, end, u32::MAX, floor).step
    };
    if let Some(factor) = query.interval_factor.filter(|f| *f > 1) {
        step *= f64::from(factor);
        while span_s / step > MAX_POINTS - 1.0 {
            step *= 2.0;
        }
    }
    RangePlan {
        start: (start as f64 / 1000.0 / step).floor() * step,
        end: (end as f64 / 1000.0 / step).ceil() * step,
        step,
    }
}

/// The macros of one query planned as `plan`.
pub fn intervals(plan: &RangePlan, scrape_interval_s: f64) -> Intervals {
    Intervals {
        interval_s: plan.step,
        rate_interval_s: rate_interval(plan.step, scrape_interval_s),
        range_s: (plan.end - plan.start).max(1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(extra: &str) -> Panel {
        serde_json::from_str(&format!(
            r#"{{"id":"p","title":"P","type":"timeseries","query":"up"{extra}}}"#
        ))
        .expect("panel")
    }

    fn durations(text: &str) -> Option<u64> {
        let vars = BTreeMap::from([(
            "interval".to_owned(),
            Selection::Values(vec!["5m".to_owned()]),
        )]);
        resolve_duration_ms(text, &vars)
    }

    const HOUR: i64 = 3_600_000;

    #[test]
    fn panel_ranges() {
        let range = (10 * HOUR, 16 * HOUR);
        assert_eq!(panel_range_ms(range, &panel(""), &durations), range);
        let last_hour = panel(r#","time_from":"1h""#);
        assert_eq!(
            panel_range_ms(range, &last_hour, &durations),
            (15 * HOUR, 16 * HOUR)
        );
        let shifted = panel(r#","time_from":"1h","time_shift":"1d""#);
        assert_eq!(
            panel_range_ms(range, &shifted, &durations),
            (15 * HOUR - 24 * HOUR, 16 * HOUR - 24 * HOUR)
        );
        let by_variable = panel(r#","time_shift":"$interval""#);
        assert_eq!(
            panel_range_ms(range, &by_variable, &durations).1,
            16 * HOUR - 300_000
        );
    }

    #[test]
    fn steps_honour_every_floor() {
        let range = (0, 6 * HOUR);
        let p = panel("");
        let q = Query::default();
        assert_eq!(query_plan(range, 60.0, &p, &q, &durations).step, 60.0);
        // 360 points over 6 h: 60 s.
        let few = panel(r#","max_points":100"#);
        assert_eq!(query_plan(range, 15.0, &few, &q, &durations).step, 300.0);
        let min = Query {
            min_step: Some("$interval".into()),
            ..Query::default()
        };
        assert_eq!(query_plan(range, 60.0, &p, &min, &durations).step, 300.0);
        let panel_min = panel(r#","min_step":"2m""#);
        assert_eq!(
            query_plan(range, 60.0, &panel_min, &q, &durations).step,
            120.0
        );
        let factor = Query {
            interval_factor: Some(3),
            ..Query::default()
        };
        let plan = query_plan(range, 60.0, &p, &factor, &durations);
        assert_eq!(plan.step, 180.0);
        assert_eq!(plan.start % 180.0, 0.0);
    }

    #[test]
    fn instant_follows_the_query_then_the_kind() {
        let stat: Panel =
            serde_json::from_str(r#"{"id":"s","title":"S","type":"stat","query":"up"}"#)
                .expect("stat");
        let q = Query::default();
        assert!(is_instant(&stat, &q));
        let range = Query {
            instant: Some(false),
            ..Query::default()
        };
        assert!(!is_instant(&stat, &range));
        assert!(!is_instant(&panel(""), &q));
        let instant = Query {
            instant: Some(true),
            ..Query::default()
        };
        assert!(is_instant(&panel(""), &instant));
    }
}
