//! A plotters x coordinate for time whose ticks are chosen by `time_axis` (round local
//! minutes, hours, days) rather than by plotters' evenly spaced numbers.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use std::ops::Range;

pub struct TimeCoord {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl TimeCoord {
    pub fn new(range: Range<f64>, ticks: Vec<f64>) -> TimeCoord {
        TimeCoord { inner: range.into(), ticks }
    }
}

impl Ranged for TimeCoord {
    // Labels always come from the chart's own formatter; this only satisfies plotters.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}
