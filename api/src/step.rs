//! Step arithmetic for range queries: about one point per two pixels, never finer than
//! the scrape interval, never more than Prometheus's 11,000 points, and start/end
//! aligned to the step so that repeated views ask the same question (and hit caches).

/// Prometheus refuses range queries with more points per series than this.
pub const MAX_POINTS: f64 = 11_000.0;

/// Steps a human reads easily and caches share; the planned step is rounded up to one.
const NICE_STEPS: [f64; 24] = [
    1.0,
    2.0,
    5.0,
    10.0,
    15.0,
    20.0,
    30.0,
    60.0,
    120.0,
    300.0,
    600.0,
    900.0,
    1_200.0,
    1_800.0,
    3_600.0,
    7_200.0,
    10_800.0,
    21_600.0,
    43_200.0,
    86_400.0,
    172_800.0,
    604_800.0,
    1_209_600.0,
    2_592_000.0,
];

/// A range query's `start`, `end` and `step`, all in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangePlan {
    pub start: f64,
    pub end: f64,
    pub step: f64,
}

impl RangePlan {
    /// Points per series this plan asks for.
    pub fn points(&self) -> f64 {
        ((self.end - self.start) / self.step).floor() + 1.0
    }
}

/// Plans a range query for a panel `width_px` wide over `[start_ms, end_ms]`.
pub fn plan_range(start_ms: i64, end_ms: i64, width_px: u32, min_step_s: f64) -> RangePlan {
    let span = ((end_ms - start_ms).max(1_000)) as f64 / 1000.0;
    let by_pixels = span / f64::from((width_px / 2).max(1));
    let by_limit = span / (MAX_POINTS - 1.0);
    let raw = by_pixels.max(min_step_s).max(by_limit).max(1.0);
    let step = NICE_STEPS
        .iter()
        .copied()
        .find(|nice| *nice >= raw)
        .unwrap_or_else(|| raw.ceil());
    let start = (start_ms as f64 / 1000.0 / step).floor() * step;
    let end = (end_ms as f64 / 1000.0 / step).ceil() * step;
    RangePlan { start, end, step }
}

/// Grafana's `$__rate_interval`: wide enough for `rate()` to always see two samples.
pub fn rate_interval(step_s: f64, scrape_s: f64) -> f64 {
    (step_s + scrape_s).max(4.0 * scrape_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_one_point_per_two_pixels() {
        let plan = plan_range(0, 6 * 3_600_000, 1200, 5.0);
        // 6 h over 600 points is 36 s, rounded up to a nice 60 s.
        assert_eq!(plan.step, 60.0);
        assert!(plan.points() <= 601.0);
    }

    #[test]
    fn never_finer_than_scrape_interval() {
        let plan = plan_range(0, 60_000, 2000, 15.0);
        assert_eq!(plan.step, 15.0);
    }

    #[test]
    fn never_more_than_eleven_thousand_points() {
        let plan = plan_range(0, 400 * 86_400_000, 100_000, 1.0);
        assert!(plan.points() <= MAX_POINTS, "{} points", plan.points());
    }

    #[test]
    fn aligned_to_the_step() {
        let a = plan_range(1_700_000_007_000, 1_700_003_607_000, 800, 5.0);
        let b = plan_range(1_700_000_009_000, 1_700_003_609_000, 800, 5.0);
        assert_eq!(a.start % a.step, 0.0);
        assert_eq!(a.end % a.step, 0.0);
        assert_eq!(a, b, "a few seconds later the plan is the same");
    }

    #[test]
    fn rate_interval_covers_four_scrapes() {
        assert_eq!(rate_interval(15.0, 15.0), 60.0);
        assert_eq!(rate_interval(120.0, 15.0), 135.0);
    }
}
