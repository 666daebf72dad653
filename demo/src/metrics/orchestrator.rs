//! Seed 000, the AI orchestrator (`orchestrator_*`, Micrometer names with dots turned
//! into underscores).
//!
//! | exposed name | type | labels |
//! |---|---|---|
//! | `orchestrator_agent_execution_latency` (`_bucket`, `_sum`, `_count`) | histogram, **milliseconds** | agent_type, repository, user |
//! | `orchestrator_graft_circuit_breaker_state` | gauge 0/1/2 | agent |
//! | `orchestrator_graft_{circuit_open,success,failure,timeout,executions}_total` | counter | agent |
//! | `orchestrator_websocket_{active_connections,message_queue_depth,dropped_messages}` | gauge | |
//! | `orchestrator_websocket_{connection_quality,message_delivery_rate}` | summary | quantile |
//! | `orchestrator_websocket_{connections,disconnections,reconnections,messages_in,messages_out,message_failures,fallback_http}_total` | counter | |
//! | `orchestrator_websocket_message_latency` | histogram, **milliseconds** | |
//! | `orchestrator_jwt_token_refresh_total`, `orchestrator_jwt_token_refresh_failure_total` | counter | |
//! | `orchestrator_vault_secret_rotation_total`, `..._failure_total` | counter | secret |
//! | `orchestrator_cost_attribution` | unknown (a counter without `_total`), USD | repository, user |

use super::registrar::Registrar;

use super::cached_family::CachedFamily;
use super::histogram::Histogram;

use super::families::{
    CounterVec, GaugeVec, HistogramVec, IntCounter, IntGauge, histogram, histogram_vec, touch,
};
use super::meters::{Meter, MeterKind};
use super::summary_encoding::{Summary, SummaryFamily};
use super::untyped::UntypedCounter;
use crate::catalog::orchestrator::{AGENT_TYPES, Cardinality, GRAFT_AGENTS, SECRETS, pairs_for};

/// Agent execution latency buckets in milliseconds.
pub const AGENT_LATENCY_MS: &[f64] = &[
    50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0, 10000.0, 15000.0, 30000.0, 60000.0, 120000.0,
];

/// WebSocket message latency buckets in milliseconds.
pub const MESSAGE_LATENCY_MS: &[f64] = &[
    5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, 5000.0,
];

/// Handles to every orchestrator metric.
#[derive(Debug, Clone)]
pub struct OrchestratorMetrics {
    /// Agent execution latency, ms, by agent_type, repository, user.
    pub agent_latency: HistogramVec<3>,
    /// Breaker state gauge by agent.
    pub breaker_state: GaugeVec<1>,
    /// Breaker open events by agent.
    pub circuit_open: CounterVec<1>,
    /// Successful graft executions by agent.
    pub graft_success: CounterVec<1>,
    /// Failed graft executions (including calls rejected by an open breaker) by agent.
    pub graft_failure: CounterVec<1>,
    /// Timed-out graft executions by agent.
    pub graft_timeout: CounterVec<1>,
    /// All graft executions by agent.
    pub graft_executions: CounterVec<1>,
    /// Live WebSocket sessions.
    pub ws_active: IntGauge,
    /// Messages sent but neither acknowledged nor failed yet.
    pub ws_queue_depth: IntGauge,
    /// Failed messages of the live sessions.
    pub ws_dropped: IntGauge,
    /// Connection quality score, 0-100.
    pub ws_quality: Summary,
    /// Per-session delivery rate, 0-1.
    pub ws_delivery: Summary,
    /// Sessions opened.
    pub ws_connections: IntCounter,
    /// Sessions closed.
    pub ws_disconnections: IntCounter,
    /// Client reconnections.
    pub ws_reconnections: IntCounter,
    /// Messages received from clients.
    pub ws_messages_in: IntCounter,
    /// Messages sent to clients.
    pub ws_messages_out: IntCounter,
    /// Messages that could not be delivered.
    pub ws_message_failures: IntCounter,
    /// Clients that fell back to HTTP polling.
    pub ws_fallback_http: IntCounter,
    /// Message latency, ms.
    pub ws_latency: Histogram,
    /// JWT refresh operations (successful or not).
    pub jwt_refresh: IntCounter,
    /// Failed JWT refreshes.
    pub jwt_refresh_failure: IntCounter,
    /// Vault rotations (successful or not) by secret.
    pub vault_rotation: CounterVec<1>,
    /// Failed Vault rotations by secret.
    pub vault_rotation_failure: CounterVec<1>,
    /// Cost in USD by repository and user.
    pub cost: CachedFamily<2, UntypedCounter>,
    /// Number of (repository, user) pairs of the latency timer and of the cost
    /// counter: every family is filled up front from the catalogs, so label-set counts
    /// are known without walking the families.
    latency_pairs: usize,
    cost_pairs: usize,
}

impl OrchestratorMetrics {
    /// Registers every orchestrator metric and creates all of its label sets up front,
    /// so every series exists from the first scrape.
    pub fn register(registry: &mut Registrar, cardinality: Cardinality) -> Self {
        let pairs = pairs_for(cardinality);
        let latency_pairs: Vec<_> = pairs
            .iter()
            .filter(|p| p.latency_labels == (p.repository, p.user))
            .collect();
        let m = Self {
            agent_latency: histogram_vec(AGENT_LATENCY_MS),
            breaker_state: GaugeVec::default(),
            circuit_open: CounterVec::default(),
            graft_success: CounterVec::default(),
            graft_failure: CounterVec::default(),
            graft_timeout: CounterVec::default(),
            graft_executions: CounterVec::default(),
            ws_active: IntGauge::default(),
            ws_queue_depth: IntGauge::default(),
            ws_dropped: IntGauge::default(),
            ws_quality: Summary::default(),
            ws_delivery: Summary::default(),
            ws_connections: IntCounter::default(),
            ws_disconnections: IntCounter::default(),
            ws_reconnections: IntCounter::default(),
            ws_messages_in: IntCounter::default(),
            ws_messages_out: IntCounter::default(),
            ws_message_failures: IntCounter::default(),
            ws_fallback_http: IntCounter::default(),
            ws_latency: histogram(MESSAGE_LATENCY_MS),
            jwt_refresh: IntCounter::default(),
            jwt_refresh_failure: IntCounter::default(),
            vault_rotation: CounterVec::default(),
            vault_rotation_failure: CounterVec::default(),
            cost: CachedFamily::default(),
            latency_pairs: latency_pairs.len(),
            cost_pairs: pairs.len(),
        };
        let r = registry;
        r.register(
            "orchestrator_agent_execution_latency",
            "Agent execution latency in milliseconds",
            m.agent_latency.clone(),
        );
        r.register(
            "orchestrator_graft_circuit_breaker_state",
            "Circuit breaker state per agent (0=CLOSED, 1=OPEN, 2=HALF_OPEN)",
            m.breaker_state.clone(),
        );
        r.register(
            "orchestrator_graft_circuit_open",
            "Circuit breaker open events",
            m.circuit_open.clone(),
        );
        r.register(
            "orchestrator_graft_success",
            "Successful graft executions",
            m.graft_success.clone(),
        );
        r.register(
            "orchestrator_graft_failure",
            "Failed graft executions, including calls rejected by an open circuit breaker",
            m.graft_failure.clone(),
        );
        r.register(
            "orchestrator_graft_timeout",
            "Graft executions that timed out",
            m.graft_timeout.clone(),
        );
        r.register(
            "orchestrator_graft_executions",
            "Graft executions",
            m.graft_executions.clone(),
        );
        r.register(
            "orchestrator_websocket_active_connections",
            "Active WebSocket connections",
            m.ws_active.clone(),
        );
        r.register(
            "orchestrator_websocket_message_queue_depth",
            "WebSocket messages sent and not yet acknowledged or failed",
            m.ws_queue_depth.clone(),
        );
        r.register(
            "orchestrator_websocket_dropped_messages",
            "Dropped messages across the active WebSocket connections",
            m.ws_dropped.clone(),
        );
        r.register(
            "orchestrator_websocket_connections",
            "WebSocket connections established",
            m.ws_connections.clone(),
        );
        r.register(
            "orchestrator_websocket_disconnections",
            "WebSocket disconnections",
            m.ws_disconnections.clone(),
        );
        r.register(
            "orchestrator_websocket_reconnections",
            "WebSocket reconnection attempts",
            m.ws_reconnections.clone(),
        );
        r.register(
            "orchestrator_websocket_messages_in",
            "Incoming WebSocket messages",
            m.ws_messages_in.clone(),
        );
        r.register(
            "orchestrator_websocket_messages_out",
            "Outgoing WebSocket messages",
            m.ws_messages_out.clone(),
        );
        r.register(
            "orchestrator_websocket_message_failures",
            "WebSocket message failures",
            m.ws_message_failures.clone(),
        );
        r.register(
            "orchestrator_websocket_fallback_http",
            "Fallbacks from WebSocket to HTTP polling",
            m.ws_fallback_http.clone(),
        );
        r.register(
            "orchestrator_websocket_message_latency",
            "WebSocket message delivery latency in milliseconds",
            m.ws_latency.clone(),
        );
        r.register(
            "orchestrator_jwt_token_refresh",
            "JWT token refresh operations, successful or not",
            m.jwt_refresh.clone(),
        );
        r.register(
            "orchestrator_jwt_token_refresh_failure",
            "JWT token refresh failures",
            m.jwt_refresh_failure.clone(),
        );
        r.register(
            "orchestrator_vault_secret_rotation",
            "Vault secret rotation operations, successful or not",
            m.vault_rotation.clone(),
        );
        r.register(
            "orchestrator_vault_secret_rotation_failure",
            "Vault secret rotation failures",
            m.vault_rotation_failure.clone(),
        );
        r.register(
            "orchestrator_cost_attribution",
            "Cost attribution in USD by repository and user (a counter, exposed without the _total suffix)",
            m.cost.clone(),
        );

        for agent_type in AGENT_TYPES {
            for pair in &latency_pairs {
                touch(
                    &m.agent_latency,
                    [
                        ("agent_type", agent_type),
                        ("repository", pair.repository),
                        ("user", pair.user),
                    ],
                );
            }
        }
        for agent in GRAFT_AGENTS {
            let labels = [("agent", agent)];
            touch(&m.breaker_state, labels);
            touch(&m.circuit_open, labels);
            touch(&m.graft_success, labels);
            touch(&m.graft_failure, labels);
            touch(&m.graft_timeout, labels);
            touch(&m.graft_executions, labels);
        }
        for secret in SECRETS {
            touch(&m.vault_rotation, [("secret", secret)]);
            touch(&m.vault_rotation_failure, [("secret", secret)]);
        }
        for pair in &pairs {
            touch(
                &m.cost,
                [("repository", pair.repository), ("user", pair.user)],
            );
        }
        m
    }

    /// The two distribution summaries, written after the registry's families.
    pub fn summaries(&self) -> [SummaryFamily; 2] {
        [
            SummaryFamily {
                name: "orchestrator_websocket_connection_quality",
                help: "WebSocket connection quality score (0-100) from latency, reconnections and delivery rate",
                summary: self.ws_quality.clone(),
            },
            SummaryFamily {
                name: "orchestrator_websocket_message_delivery_rate",
                help: "WebSocket message delivery success rate per connection (0-1)",
                summary: self.ws_delivery.clone(),
            },
        ]
    }

    /// Every orchestrator metric as a Micrometer meter inventory.
    pub fn meters(&self) -> Vec<Meter> {
        use MeterKind::{Counter, DistributionSummary, Gauge, Timer};
        let agents = GRAFT_AGENTS.len();
        let meter = |name, category, kind, count| Meter {
            name,
            category,
            kind,
            count,
        };
        vec![
            meter(
                "orchestrator.agent.execution.latency",
                "agent",
                Timer,
                AGENT_TYPES.len() * self.latency_pairs,
            ),
            meter(
                "orchestrator.graft.circuit.breaker.state",
                "graft",
                Gauge,
                agents,
            ),
            meter(
                "orchestrator.graft.circuit.open.total",
                "graft",
                Counter,
                agents,
            ),
            meter("orchestrator.graft.success.total", "graft", Counter, agents),
            meter("orchestrator.graft.failure.total", "graft", Counter, agents),
            meter("orchestrator.graft.timeout.total", "graft", Counter, agents),
            meter(
                "orchestrator.graft.executions.total",
                "graft",
                Counter,
                agents,
            ),
            meter(
                "orchestrator.websocket.active.connections",
                "websocket",
                Gauge,
                1,
            ),
            meter(
                "orchestrator.websocket.message.queue.depth",
                "websocket",
                Gauge,
                1,
            ),
            meter(
                "orchestrator.websocket.dropped.messages",
                "websocket",
                Gauge,
                1,
            ),
            meter(
                "orchestrator.websocket.connection.quality",
                "websocket",
                DistributionSummary,
                1,
            ),
            meter(
                "orchestrator.websocket.message.delivery.rate",
                "websocket",
                DistributionSummary,
                1,
            ),
            meter(
                "orchestrator.websocket.connections.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.disconnections.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.reconnections.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.messages.in.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.messages.out.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.message.failures.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.fallback.http.total",
                "websocket",
                Counter,
                1,
            ),
            meter(
                "orchestrator.websocket.message.latency",
                "websocket",
                Timer,
                1,
            ),
            meter("orchestrator.jwt.token.refresh.total", "jwt", Counter, 1),
            meter(
                "orchestrator.jwt.token.refresh.failure.total",
                "jwt",
                Counter,
                1,
            ),
            meter(
                "orchestrator.vault.secret.rotation.total",
                "vault",
                Counter,
                SECRETS.len(),
            ),
            meter(
                "orchestrator.vault.secret.rotation.failure.total",
                "vault",
                Counter,
                SECRETS.len(),
            ),
            meter(
                "orchestrator.cost.attribution",
                "cost",
                Counter,
                self.cost_pairs,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use prometheus_client::encoding::text::encode;

    use super::*;

    #[test]
    fn meter_counts_match_the_exposed_series() {
        for cardinality in [
            Cardinality::default(),
            Cardinality::new(Some(60), Some(120)),
        ] {
            let mut registrar = Registrar::default();
            let m = OrchestratorMetrics::register(&mut registrar, cardinality);
            let mut text = String::new();
            encode(&mut text, &registrar.registry).expect("encodes");
            let series = |sample: &str| {
                text.lines()
                    .filter(|l| l.starts_with(sample) && l[sample.len()..].starts_with(['{', ' ']))
                    .count()
            };
            for meter in m.meters() {
                let exposed = meter.name.replace('.', "_");
                let expected = match meter.kind {
                    MeterKind::Timer => series(&format!("{exposed}_count")),
                    MeterKind::DistributionSummary => continue,
                    MeterKind::Counter if exposed.ends_with("_total") => series(&exposed),
                    MeterKind::Counter => series(&exposed),
                    MeterKind::Gauge => series(&exposed),
                };
                assert_eq!(meter.count, expected, "{}", meter.name);
            }
            // Extra repositories and users reach the cost counter, not the latency timer.
            let timer = series("orchestrator_agent_execution_latency_count");
            assert_eq!(timer, AGENT_TYPES.len() * m.latency_pairs);
        }
    }
}
