//! A monotonically growing value exposed with the OpenMetrics type `unknown`.
//!
//! Why: the seed orchestrator's cost meter is queried as `orchestrator_cost_attribution`
//! (`sum(orchestrator_cost_attribution)`, `rate(orchestrator_cost_attribution[1h])`), with
//! no `_total`. prometheus-client always appends `_total` to counters, and a gauge would
//! misstate what the series is. An `unknown` family's sample carries the family name as
//! is, and PromQL's `rate`/`increase` work on it like on any counter.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use prometheus_client::encoding::{EncodeMetric, MetricEncoder};
use prometheus_client::metrics::{MetricType, TypedMetric};

/// A counter-like `f64` encoded as an `unknown` sample without suffix.
#[derive(Debug, Clone, Default)]
pub struct UntypedCounter {
    bits: Arc<AtomicU64>,
}

impl UntypedCounter {
    /// Adds `amount` (negative or non-finite amounts are ignored: the value only grows).
    pub fn inc_by(&self, amount: f64) {
        if !(amount.is_finite() && amount > 0.0) {
            return;
        }
        // A compare-and-swap loop: there is no atomic f64 add.
        let mut current = self.bits.load(Ordering::Relaxed);
        loop {
            let next = (f64::from_bits(current) + amount).to_bits();
            match self.bits.compare_exchange_weak(
                current,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(seen) => current = seen,
            }
        }
    }

    /// Sets the value (restoring a snapshot).
    pub fn set(&self, value: f64) {
        self.bits.store(value.to_bits(), Ordering::Relaxed);
    }

    /// The current value.
    pub fn get(&self) -> f64 {
        f64::from_bits(self.bits.load(Ordering::Relaxed))
    }
}

impl TypedMetric for UntypedCounter {
    const TYPE: MetricType = MetricType::Unknown;
}

impl EncodeMetric for UntypedCounter {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        // The gauge encoding writes `name{labels} value`: exactly an unknown sample.
        encoder.encode_gauge(&self.get())
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Unknown
    }
}

#[cfg(test)]
mod tests {
    use prometheus_client::encoding::text::encode;
    use prometheus_client::metrics::family::Family;
    use prometheus_client::registry::Registry;

    use super::*;

    #[test]
    fn encodes_without_suffix_as_unknown() {
        let mut registry = Registry::default();
        let family = Family::<[(&'static str, &'static str); 1], UntypedCounter>::default();
        registry.register("orchestrator_cost_attribution", "Cost", family.clone());
        family.get_or_create(&[("user", "user123")]).inc_by(0.25);
        family.get_or_create(&[("user", "user123")]).inc_by(0.5);
        family.get_or_create(&[("user", "user123")]).inc_by(-3.0);

        let mut text = String::new();
        encode(&mut text, &registry).expect("encodes");
        assert!(text.contains("# TYPE orchestrator_cost_attribution unknown\n"));
        assert!(text.contains("orchestrator_cost_attribution{user=\"user123\"} 0.75\n"));
        assert!(!text.contains("orchestrator_cost_attribution_total"));
    }
}
