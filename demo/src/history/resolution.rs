//! How densely the past is written: fine where short ranges look (their `rate()`
//! windows need two samples), coarse where only long ranges with long steps do. The
//! console's step is about one point per two pixels and `$__rate_interval` is the step
//! plus one scrape (at least four scrapes of 5 s), so a range `R` drawn on a panel `W`
//! pixels wide needs samples at most `R / W` apart.

/// Seconds between written samples of data `age_s` old.
pub fn spacing(age_s: i64) -> i64 {
    const HOUR: i64 = 3_600;
    const DAY: i64 = 24 * HOUR;
    match age_s {
        // 15-minute and 1-hour views: 5 s steps, 20 s rate windows.
        a if a <= HOUR => 10,
        // 6- and 24-hour views (60 s and 120 s steps on most screens); the whole last day
        // at 30 s, so that a short-range `rate()` anywhere in it has data.
        a if a <= DAY => 30,
        // 7-day views: 10-minute steps or more.
        a if a <= 7 * DAY => 600,
        // 30-day views: 1-hour steps or more.
        _ => 1_800,
    }
}

/// Whether a sample is written at `t` for a past that ends at `until`.
pub fn is_sample_time(t: i64, until: i64) -> bool {
    t <= until && t % spacing(until - t) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denser_towards_the_end() {
        let until = 1_700_000_000 - 1_700_000_000 % 1_800;
        let count = |from: i64, to: i64| {
            (until - from..=until - to)
                .filter(|t| is_sample_time(*t, until))
                .count()
        };
        assert_eq!(count(3_600, 0), 361);
        assert_eq!(count(6 * 3_600, 3_601), 600);
        assert_eq!(count(86_400, 6 * 3_600 + 1), 18 * 120);
        assert_eq!(count(30 * 86_400, 7 * 86_400 + 1), 23 * 48);
        assert!(!is_sample_time(until + 10, until));
    }
}
