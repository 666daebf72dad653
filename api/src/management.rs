//! Wire types of the orchestrator management API (`/api/metrics/*`) and of the
//! metrics health check (`/api/monitoring/health/metrics`).
//!
//! The field names follow the orchestrator's JSON exactly (camelCase); timestamps
//! are Unix milliseconds unless a field says RFC 3339. Serde only, no I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `GET /api/metrics/summary`: how many meters the orchestrator has, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricsSummary {
    /// When the summary was taken, Unix milliseconds.
    pub timestamp: i64,
    /// Number of meters: one per metric name and tag combination.
    pub total_metrics: u64,
    /// The same meters counted by kind.
    pub metrics_by_type: MetricsByType,
    /// Live WebSocket sessions at that moment.
    pub active_web_socket_connections: u64,
}

/// Meter counts by Micrometer meter kind (`"COUNTER"`, `"GAUGE"`, `"TIMER"`,
/// `"DISTRIBUTION_SUMMARY"`). A missing kind reads as zero; other kinds are ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", default)]
pub struct MetricsByType {
    /// Monotonic counters.
    pub counter: u64,
    /// Point-in-time values.
    pub gauge: u64,
    /// Latency timers (histograms).
    pub timer: u64,
    /// Distributions of non-time values (summaries).
    pub distribution_summary: u64,
}

/// `GET /api/metrics/available`: the orchestrator's metric names (dotted, as the
/// orchestrator names them, e.g. `orchestrator.cost.attribution`) by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailableMetrics {
    /// Category (`agent`, `graft`, `websocket`, `jwt`, `vault`, `cost`) to metric names.
    pub categories: BTreeMap<String, Vec<String>>,
    /// Number of meters, the same count as [`MetricsSummary::total_metrics`].
    pub total_metrics: u64,
}

/// State of one agent's circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CircuitBreakerState {
    /// Normal operation, calls pass through.
    Closed,
    /// Failing, calls are rejected.
    Open,
    /// Letting a few trial calls through to test recovery.
    HalfOpen,
}

impl CircuitBreakerState {
    /// The value of the `orchestrator_graft_circuit_breaker_state` gauge:
    /// 0 = CLOSED, 1 = OPEN, 2 = HALF_OPEN.
    pub fn gauge_value(self) -> u8 {
        match self {
            Self::Closed => 0,
            Self::Open => 1,
            Self::HalfOpen => 2,
        }
    }

    /// The state for a gauge value, `None` for anything but 0, 1 and 2.
    pub fn from_gauge_value(value: u8) -> Option<Self> {
        match value {
            0 => Some(Self::Closed),
            1 => Some(Self::Open),
            2 => Some(Self::HalfOpen),
            _ => None,
        }
    }
}

/// One agent's circuit breaker, as listed by `GET /api/metrics/circuit-breakers`
/// and answered by `GET /api/metrics/circuit-breakers/{agentName}/reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitBreakerEntry {
    /// Agent name, e.g. `architect-v1`.
    pub agent: String,
    /// Current state.
    pub state: CircuitBreakerState,
    /// The gauge value of `state` (0, 1 or 2).
    pub state_value: u8,
    /// When the breaker entered `state`, RFC 3339 UTC.
    pub since: String,
    /// Failed graft executions so far.
    pub failures: u64,
    /// Successful graft executions so far.
    pub successes: u64,
    /// Graft executions that timed out so far.
    pub timeouts: u64,
}

/// `GET /api/metrics/circuit-breakers`: every agent's breaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitBreakers {
    /// When the states were read, Unix milliseconds.
    pub timestamp: i64,
    /// One entry per agent, in a stable order.
    pub circuit_breakers: Vec<CircuitBreakerEntry>,
    /// How many breakers are OPEN.
    pub open_count: u64,
}

/// One live WebSocket session in `GET /api/metrics/websocket/connections`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSocketConnection {
    /// Session identifier.
    pub session_id: String,
    /// The user the session belongs to.
    pub user_id: String,
    /// The run the session follows (a UUID).
    pub run_id: String,
    /// When the session connected, RFC 3339 UTC.
    pub connected_at: String,
    /// Messages sent to the client.
    pub messages_sent: u64,
    /// Messages received (acknowledged) from the client.
    pub messages_received: u64,
    /// Messages that could not be delivered.
    pub message_failures: u64,
    /// How many times the client reconnected this session.
    pub reconnection_count: u64,
    /// Mean message latency, milliseconds.
    pub average_latency: f64,
    /// Highest message latency seen, milliseconds.
    pub max_latency: u64,
    /// Share of sent messages delivered, 0 to 1.
    pub delivery_rate: f64,
}

/// `GET /api/metrics/websocket/connections`: the live sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSocketConnections {
    /// The sessions, oldest first.
    pub active_connections: Vec<WebSocketConnection>,
    /// Number of sessions; equals the `orchestrator_websocket_active_connections` gauge.
    pub total_active: u64,
    /// When the list was taken, Unix milliseconds.
    pub timestamp: i64,
}

/// `GET /api/monitoring/health/metrics`: whether metrics collection works, and the
/// metric categories it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricsHealth {
    /// `"healthy"`, `"degraded"` or `"unhealthy"`.
    pub status: String,
    /// Whether metrics are being collected.
    pub metrics_enabled: bool,
    /// The metric categories served, e.g. `"workflow"`, `"github"`.
    pub categories: Vec<String>,
    /// When the check ran, RFC 3339 UTC.
    pub timestamp: String,
}

/// Error body of the management endpoints, e.g. `{"error": "unknown agent: x"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementError {
    /// What went wrong, for people.
    pub error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_the_orchestrator_field_names() {
        let summary = MetricsSummary {
            timestamp: 1_699_999_999_999,
            total_metrics: 87,
            metrics_by_type: MetricsByType {
                counter: 42,
                gauge: 15,
                timer: 20,
                distribution_summary: 10,
            },
            active_web_socket_connections: 12,
        };
        let json = serde_json::to_value(&summary).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "timestamp": 1_699_999_999_999_i64,
                "totalMetrics": 87,
                "metricsByType": {"COUNTER": 42, "GAUGE": 15, "TIMER": 20, "DISTRIBUTION_SUMMARY": 10},
                "activeWebSocketConnections": 12
            })
        );
    }

    #[test]
    fn connection_round_trips_the_documented_example() {
        let text = r#"{
          "activeConnections": [{
            "sessionId": "abc123", "userId": "user123",
            "runId": "550e8400-e29b-41d4-a716-446655440000",
            "connectedAt": "2024-01-15T10:30:00Z",
            "messagesSent": 150, "messagesReceived": 148, "messageFailures": 2,
            "reconnectionCount": 1, "averageLatency": 45.2, "maxLatency": 120,
            "deliveryRate": 0.9867
          }],
          "totalActive": 1,
          "timestamp": 1699999999999
        }"#;
        let parsed: WebSocketConnections = serde_json::from_str(text).expect("parses");
        assert_eq!(parsed.total_active, 1);
        assert_eq!(parsed.active_connections[0].max_latency, 120);
        let again: WebSocketConnections =
            serde_json::from_value(serde_json::to_value(&parsed).expect("serializes"))
                .expect("parses again");
        assert_eq!(again, parsed);
    }

    #[test]
    fn breaker_state_is_screaming_case_and_maps_to_the_gauge() {
        let json = serde_json::to_string(&CircuitBreakerState::HalfOpen).expect("serializes");
        assert_eq!(json, "\"HALF_OPEN\"");
        for state in [
            CircuitBreakerState::Closed,
            CircuitBreakerState::Open,
            CircuitBreakerState::HalfOpen,
        ] {
            assert_eq!(
                CircuitBreakerState::from_gauge_value(state.gauge_value()),
                Some(state)
            );
        }
    }

    #[test]
    fn metrics_by_type_tolerates_missing_and_extra_kinds() {
        let parsed: MetricsByType =
            serde_json::from_str(r#"{"COUNTER": 3, "LONG_TASK_TIMER": 1}"#).expect("parses");
        assert_eq!(
            parsed,
            MetricsByType {
                counter: 3,
                ..MetricsByType::default()
            }
        );
    }
}
