//! An OpenMetrics `info` family with one sample per service.
//!
//! prometheus-client's `Info` holds a single label set, and wrapping it in a `Family`
//! would write the labels twice; the seed's `asdlc_service_info{service,version}` needs
//! one sample per service under one family.

use prometheus_client::encoding::{EncodeMetric, MetricEncoder};
use prometheus_client::metrics::MetricType;

/// Service name and version pairs, exposed as `<name>_info{service=..,version=..} 1`.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    entries: Vec<(&'static str, &'static str)>,
}

impl ServiceInfo {
    /// One sample per `(service, version)` pair.
    pub fn new(entries: &[(&'static str, &'static str)]) -> Self {
        Self {
            entries: entries.to_vec(),
        }
    }
}

impl EncodeMetric for ServiceInfo {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        for (service, version) in &self.entries {
            encoder.encode_info(&[("service", *service), ("version", *version)])?;
        }
        Ok(())
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Info
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use prometheus_client::encoding::text::encode;
    use prometheus_client::registry::Registry;

    use super::*;

    #[test]
    fn one_info_sample_per_service() {
        let mut registry = Registry::default();
        registry.register(
            "asdlc_service",
            "Service information",
            ServiceInfo::new(&[("orchestrator", "1.0.0"), ("workers", "1.0.1")]),
        );
        let mut text = String::new();
        encode(&mut text, &registry).expect("encodes");
        assert!(text.contains("# TYPE asdlc_service info\n"));
        assert!(
            text.contains("asdlc_service_info{service=\"orchestrator\",version=\"1.0.0\"} 1\n")
        );
        assert!(text.contains("asdlc_service_info{service=\"workers\",version=\"1.0.1\"} 1\n"));
    }
}
