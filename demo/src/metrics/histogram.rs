//! A classic histogram that can take many equal observations at once.
//!
//! Why: the simulation replays a month of its past in seconds, so where a tick holds
//! hundreds of events it draws a few representative values and records each for the
//! events it stands for (see [`crate::sim::groups`]). prometheus-client's histogram
//! only observes one value at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::exemplar::Exemplar;
use prometheus_client::metrics::{MetricType, TypedMetric};

#[derive(Debug)]
struct State {
    sum: f64,
    count: u64,
    /// `(upper bound, observations in this bucket only)`, `+Inf` last.
    buckets: Vec<(f64, u64)>,
}

/// Cheap to clone: clones share the same counts.
#[derive(Debug, Clone)]
pub struct Histogram {
    state: Arc<Mutex<State>>,
}

impl Histogram {
    /// A histogram with these upper bounds (ascending; `+Inf` is added).
    pub fn new(bounds: impl IntoIterator<Item = f64>) -> Self {
        let buckets = bounds
            .into_iter()
            .chain(std::iter::once(f64::INFINITY))
            .map(|upper| (upper, 0))
            .collect();
        Self {
            state: Arc::new(Mutex::new(State {
                sum: 0.0,
                count: 0,
                buckets,
            })),
        }
    }

    /// Records one observation of `value`.
    pub fn observe(&self, value: f64) {
        self.observe_n(value, 1);
    }

    /// Records `n` observations of `value`.
    pub fn observe_n(&self, value: f64, n: u64) {
        if n == 0 {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.sum += value * n as f64;
        state.count += n;
        if let Some(bucket) = state.buckets.iter_mut().find(|(upper, _)| value <= *upper) {
            bucket.1 += n;
        }
    }

    /// Sets the state from an exposition's `_sum`, `_count` and cumulative
    /// `(le, count)` buckets (restoring a snapshot); bounds not in `cumulative` keep
    /// their counts at zero.
    pub fn set(&self, sum: f64, count: u64, cumulative: &[(f64, u64)]) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.sum = sum;
        state.count = count;
        let mut below = 0;
        for bucket in &mut state.buckets {
            let upto = cumulative
                .iter()
                .find(|(le, _)| *le == bucket.0)
                .map_or(below, |(_, c)| *c);
            bucket.1 = upto.saturating_sub(below);
            below = below.max(upto);
        }
    }

    /// `(sum, count)` so far.
    pub fn totals(&self) -> (f64, u64) {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (state.sum, state.count)
    }
}

impl TypedMetric for Histogram {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for Histogram {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        encoder.encode_histogram::<NoLabelSet>(
            state.sum,
            state.count,
            &state.buckets,
            None::<&HashMap<usize, Exemplar<NoLabelSet, f64>>>,
        )
    }

    fn metric_type(&self) -> MetricType {
        Self::TYPE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus_client::encoding::text::encode;
    use prometheus_client::registry::Registry;

    #[test]
    fn many_at_once_equal_one_by_one() {
        let once = Histogram::new([1.0, 2.0]);
        let each = Histogram::new([1.0, 2.0]);
        once.observe_n(1.5, 3);
        once.observe(5.0);
        for v in [1.5, 1.5, 1.5, 5.0] {
            each.observe(v);
        }
        let text = |h: &Histogram| {
            let mut registry = Registry::default();
            registry.register("h", "H.", h.clone());
            let mut out = String::new();
            encode(&mut out, &registry).expect("encodes");
            out
        };
        assert_eq!(text(&once), text(&each));
        assert!(text(&once).contains("h_bucket{le=\"2.0\"} 3\n"));
        assert_eq!(once.totals(), (9.5, 4));
    }
}
