//! A range query as the frontend's layers pass it down: the PromQL, the parameters that
//! change its answer, and its time grid in whole milliseconds.

use crate::upstream::{UpstreamCall, UpstreamMethod};
use std::sync::Arc;

/// The points `start, start + step, ..., end` (milliseconds since the epoch), where
/// `start` and `end` are multiples of `step`: the grid every step-aligned request of the
/// same step shares, so that any two of them can be cut and joined on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grid {
    pub start: i64,
    pub end: i64,
    pub step: i64,
}

impl Grid {
    /// A grid, if `start <= end`, `step > 0` and both ends are on it.
    pub fn new(start: i64, end: i64, step: i64) -> Option<Grid> {
        (step > 0 && start <= end && start.rem_euclid(step) == 0 && end.rem_euclid(step) == 0)
            .then_some(Grid { start, end, step })
    }

    /// Number of points.
    pub fn points(&self) -> i64 {
        (self.end - self.start) / self.step + 1
    }

    /// The last grid point at or before `t` (not clamped to the grid's ends).
    pub fn floor(&self, t: i64) -> i64 {
        t.div_euclid(self.step) * self.step
    }

    /// The first grid point at or after `t` (not clamped).
    pub fn ceil(&self, t: i64) -> i64 {
        -(-t).div_euclid(self.step) * self.step
    }

    /// The same step over `[start, end]`, if that is not empty.
    pub fn span(&self, start: i64, end: i64) -> Option<Grid> {
        (start <= end).then_some(Grid {
            start,
            end,
            step: self.step,
        })
    }

    /// The part of this grid within `[from, to]`.
    pub fn clip(&self, from: i64, to: i64) -> Option<Grid> {
        self.span(
            self.start.max(self.ceil(from)),
            self.end.min(self.floor(to)),
        )
    }
}

/// One range query: what is asked, over which grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeQuery {
    pub query: Arc<str>,
    pub grid: Grid,
    /// `step` as the caller wrote it, sent upstream unchanged.
    pub step_text: Arc<str>,
    /// Changes the answer, so it is part of the cache key.
    pub lookback_delta: Option<Arc<str>>,
    /// Does not change the answer; passed on to every sub-query.
    pub timeout: Option<Arc<str>>,
    /// The split interval this piece lies in (set by the split layer): extents are
    /// kept per interval, so that one key never grows past a day of points.
    pub bucket: Option<i64>,
    /// How far before each step the query reads samples, ms (see `splittable`).
    pub window_ms: i64,
}

impl RangeQuery {
    /// The same question over another grid of the same step.
    pub fn with_grid(&self, grid: Grid) -> RangeQuery {
        RangeQuery {
            grid,
            ..self.clone()
        }
    }

    /// The upstream call for exactly this grid (coalesced with identical calls, never
    /// kept in the whole-answer cache: the extent cache keeps what is worth keeping).
    pub fn upstream_call(&self) -> UpstreamCall {
        let mut params = vec![
            ("query".to_owned(), self.query.to_string()),
            ("start".to_owned(), seconds_text(self.grid.start)),
            ("end".to_owned(), seconds_text(self.grid.end)),
            ("step".to_owned(), self.step_text.to_string()),
        ];
        if let Some(timeout) = &self.timeout {
            params.push(("timeout".to_owned(), timeout.to_string()));
        }
        if let Some(delta) = &self.lookback_delta {
            params.push(("lookback_delta".to_owned(), delta.to_string()));
        }
        UpstreamCall {
            segments: ["api", "v1", "query_range"].map(str::to_owned).to_vec(),
            method: UpstreamMethod::PostForm,
            params,
            cacheable: false,
            shared: true,
        }
    }
}

/// Milliseconds as the seconds text the Prometheus API reads: `1700000000` or
/// `1700000000.5`.
pub fn seconds_text(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    let (whole, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let frac = format!("{frac:03}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

/// Seconds (as the API parsed them) to whole milliseconds, if they are whole.
pub fn whole_ms(seconds: f64) -> Option<i64> {
    let ms = (seconds * 1000.0).round();
    ((seconds * 1000.0 - ms).abs() < 1e-3 && ms.abs() < 1e15).then_some(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_are_step_aligned() {
        assert!(Grid::new(0, 600_000, 60_000).is_some());
        assert!(
            Grid::new(1, 600_001, 60_000).is_none(),
            "off the epoch grid"
        );
        assert!(Grid::new(600_000, 0, 60_000).is_none());
        assert!(Grid::new(0, 0, 0).is_none());
        let grid = Grid::new(60_000, 600_000, 60_000).expect("grid");
        assert_eq!(grid.points(), 10);
        assert_eq!(grid.floor(119_999), 60_000);
        assert_eq!(grid.ceil(60_001), 120_000);
        assert_eq!(grid.ceil(120_000), 120_000);
        assert_eq!(grid.floor(-1), -60_000);
        assert_eq!(
            grid.clip(100_000, 1_000_000),
            Grid::new(120_000, 600_000, 60_000)
        );
        assert_eq!(grid.clip(601_000, 700_000), None);
    }

    #[test]
    fn seconds_round_trip() {
        assert_eq!(seconds_text(1_700_000_000_000), "1700000000");
        assert_eq!(seconds_text(1_700_000_000_500), "1700000000.5");
        assert_eq!(seconds_text(1_700_000_000_050), "1700000000.05");
        assert_eq!(seconds_text(-1_500), "-1.5");
        assert_eq!(whole_ms(1_700_000_000.5), Some(1_700_000_000_500));
        assert_eq!(whole_ms(1.2345), None);
    }

    #[test]
    fn sub_queries_carry_what_changes_the_answer() {
        let q = RangeQuery {
            query: "up".into(),
            grid: Grid::new(0, 60_000, 15_000).expect("grid"),
            step_text: "15s".into(),
            lookback_delta: Some("1m".into()),
            timeout: Some("10s".into()),
            bucket: None,
            window_ms: 0,
        };
        let call = q
            .with_grid(Grid::new(30_000, 45_000, 15_000).expect("grid"))
            .upstream_call();
        assert_eq!(
            call.key(),
            "api/v1/query_range?end=45&lookback_delta=1m&query=up&start=30&step=15s&timeout=10s"
        );
        assert!(!call.cacheable);
    }
}
