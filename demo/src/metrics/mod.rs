//! Every exposed metric, one module per seed system, and the exposition itself.
//!
//! The body is OpenMetrics text written by prometheus-client, plus what it cannot
//! write: the orchestrator's two distribution summaries (see [`summary_encoding`]),
//! appended before `# EOF`.

pub mod asdlc;
pub mod aurea;
pub mod autobot;
pub mod cached_family;
pub mod families;
pub mod histogram;
pub mod info;
pub mod meters;
pub mod orchestrator;
pub mod platform;
pub mod registrar;
pub mod restore;
pub mod summary_encoding;
pub mod untyped;

use prometheus_client::encoding::text::{encode_eof, encode_registry};
use prometheus_client::registry::Registry;

use self::registrar::Registrar;
use self::restore::{Restore, parse_families};

use self::asdlc::AsdlcMetrics;
use self::aurea::AureaMetrics;
use self::autobot::AutobotMetrics;
use self::orchestrator::OrchestratorMetrics;
use self::platform::PlatformMetrics;
use crate::catalog::orchestrator::Cardinality;

/// Content type of the exposition.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The registry and typed handles to every metric of every seed system.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    /// A handle per registered family, to restore a snapshot.
    restorers: Vec<(String, Box<dyn Restore>)>,
    /// Seed 000.
    pub orchestrator: OrchestratorMetrics,
    /// Seed 001.
    pub autobot: AutobotMetrics,
    /// Seed 002.
    pub aurea: AureaMetrics,
    /// Seed 003.
    pub platform: PlatformMetrics,
    /// Seed 004.
    pub asdlc: AsdlcMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric, for the catalog's repositories and users.
    pub fn new() -> Self {
        Self::with_cardinality(Cardinality::default())
    }

    /// Registers every metric; the cost counter gets a series for each pair of
    /// `cardinality`'s repositories and users.
    pub fn with_cardinality(cardinality: Cardinality) -> Self {
        let mut registrar = Registrar::default();
        let orchestrator = OrchestratorMetrics::register(&mut registrar, cardinality);
        let autobot = AutobotMetrics::register(&mut registrar);
        let aurea = AureaMetrics::register(&mut registrar);
        let platform = PlatformMetrics::register(&mut registrar);
        let asdlc = AsdlcMetrics::register(&mut registrar);
        Self {
            registry: registrar.registry,
            restorers: registrar.restorers,
            orchestrator,
            autobot,
            aurea,
            platform,
            asdlc,
        }
    }

    /// Sets every metric to the values `exposition` (an earlier [`Metrics::encode`])
    /// shows; families it does not mention keep their values.
    pub fn restore(&self, exposition: &str) -> Result<(), String> {
        let families = parse_families(exposition)?;
        for (name, metric) in &self.restorers {
            if let Some(samples) = families.get(name) {
                metric.restore(samples);
            }
        }
        for family in self.orchestrator.summaries() {
            if let Some(samples) = families.get(family.name) {
                family.summary.restore(samples);
            }
        }
        Ok(())
    }

    /// The full exposition, ending with `# EOF`.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut body = String::with_capacity(1 << 20);
        encode_registry(&mut body, &self.registry)?;
        for family in self.orchestrator.summaries() {
            family.encode(&mut body)?;
        }
        encode_eof(&mut body)?;
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restored_exposition_is_the_same_exposition() {
        let a = Metrics::new();
        a.orchestrator.jwt_refresh.inc_by(41);
        a.orchestrator
            .agent_latency
            .get_or_create(&[("agent_type", "PM"), ("repository", "r"), ("user", "u")])
            .observe(1234.0);
        a.orchestrator.ws_quality.observe(77.0);
        let text = a.encode().expect("encodes");
        let b = Metrics::new();
        b.restore(&text).expect("restores");
        let sorted = |t: &str| {
            let mut lines: Vec<String> = t
                .lines()
                .filter(|l| !l.contains("quantile="))
                .map(str::to_owned)
                .collect();
            lines.sort();
            lines
        };
        assert_eq!(sorted(&b.encode().expect("encodes")), sorted(&text));
    }

    #[test]
    fn exposition_ends_with_eof_after_the_summaries() {
        let text = Metrics::new().encode().expect("encodes");
        assert!(text.ends_with("orchestrator_websocket_message_delivery_rate_count 0\n# EOF\n"));
        assert_eq!(text.matches("# EOF").count(), 1);
    }

    #[test]
    fn every_family_is_declared_once() {
        let text = Metrics::new().encode().expect("encodes");
        let mut names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE "))
            .filter_map(|l| l.split(' ').next())
            .collect();
        let total = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), total);
        assert!(total > 90, "{total} families");
    }
}
