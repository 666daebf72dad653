//! A plotters coordinate whose ticks are chosen by us (round local times on the x axis,
//! row centres on a state grid) rather than by plotters' evenly spaced numbers.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use std::ops::Range;

pub struct FixedTicks {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl FixedTicks {
    pub fn new(range: Range<f64>, ticks: Vec<f64>) -> FixedTicks {
        FixedTicks {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for FixedTicks {
    // Labels always come from the chart's own formatter; this only satisfies plotters.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}
