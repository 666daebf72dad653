//! Shorthands for the labelled metric families every seed module uses.
//!
//! Label sets are fixed-size arrays of `(&'static str, &'static str)`: every label value
//! comes from a static catalog, so cardinality is bounded by construction and no label
//! value is ever allocated per observation.

use std::sync::atomic::AtomicU64;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::MetricConstructor;
use prometheus_client::metrics::gauge::Gauge;

use super::cached_family::CachedFamily;
use super::histogram::Histogram;

/// A label set with `N` labels.
pub type Labels<const N: usize> = [(&'static str, &'static str); N];

/// A counter of whole events.
pub type IntCounter = Counter<u64>;
/// A counter of fractional amounts (seconds, dollars).
pub type FloatCounter = Counter<f64, AtomicU64>;
/// A gauge holding any real value.
pub type FloatGauge = Gauge<f64, AtomicU64>;
/// A gauge holding a whole number.
pub type IntGauge = Gauge<i64>;

/// Labelled whole-number counters.
pub type CounterVec<const N: usize> = CachedFamily<N, IntCounter>;
/// Labelled fractional counters.
pub type FloatCounterVec<const N: usize> = CachedFamily<N, FloatCounter>;
/// Labelled gauges.
pub type GaugeVec<const N: usize> = CachedFamily<N, FloatGauge>;
/// Labelled histograms sharing one bucket layout.
pub type HistogramVec<const N: usize> = CachedFamily<N, Histogram, Buckets>;

/// Builds the histograms of a [`HistogramVec`] with a fixed bucket layout.
#[derive(Debug, Clone, Copy)]
pub struct Buckets(pub &'static [f64]);

impl MetricConstructor<Histogram> for Buckets {
    fn new_metric(&self) -> Histogram {
        Histogram::new(self.0.iter().copied())
    }
}

/// A labelled histogram family with the given upper bounds (`+Inf` is implicit).
pub fn histogram_vec<const N: usize>(bounds: &'static [f64]) -> HistogramVec<N> {
    CachedFamily::new_with_constructor(Buckets(bounds))
}

/// An unlabelled histogram with the given upper bounds (`+Inf` is implicit).
pub fn histogram(bounds: &'static [f64]) -> Histogram {
    Histogram::new(bounds.iter().copied())
}

/// Common bucket layouts, in seconds unless the name says otherwise.
pub mod bounds {
    /// Fast calls: caches, Redis, small HTTP handlers.
    pub const FAST: &[f64] = &[
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
    ];
    /// HTTP APIs and remote calls.
    pub const HTTP: &[f64] = &[
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ];
    /// LLM completions and other multi-second calls.
    pub const SLOW: &[f64] = &[0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0];
    /// Long-running jobs such as workflows.
    pub const JOBS: &[f64] = &[
        1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
    ];
}

/// Creates the series of one label set (at zero), so it is exposed before its first
/// event and the label cardinality is fixed from the start.
pub fn touch<const N: usize, M, C>(family: &CachedFamily<N, M, C>, labels: Labels<N>)
where
    M: Clone,
    C: MetricConstructor<M>,
{
    drop(family.get_or_create(&labels));
}
