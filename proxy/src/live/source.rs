//! What a hub streams: which backend endpoint it polls and how the answer becomes rows.

use crate::pipeline;
use crate::state::AppState;
use crate::upstream::{UpstreamCall, UpstreamMethod};
use serde::Serialize;
use serde::de::DeserializeOwned;
use vantage_api::live::LiveRow;
use vantage_api::management::{
    CircuitBreakerEntry, CircuitBreakers, ManagementError, WebSocketConnection,
    WebSocketConnections,
};

/// One backend table the hub can stream.
pub trait LiveSource: Send + Sync + 'static {
    /// One row of the table.
    type Row: LiveRow + Serialize + DeserializeOwned + PartialEq + Clone + Send + Sync + 'static;
    /// The path segment after `/api/live/`.
    const NAME: &'static str;
    /// The backend path polled, as segments.
    const PATH: &'static [&'static str];
    /// The rows of one backend answer.
    fn rows(body: &[u8]) -> Result<Vec<Self::Row>, String>;
}

/// Seed 000's `GET /api/metrics/websocket/connections`, one row per session.
pub struct WebSocketSessions;

impl LiveSource for WebSocketSessions {
    type Row = WebSocketConnection;
    const NAME: &'static str = vantage_api::live::WEBSOCKET_CONNECTIONS;
    const PATH: &'static [&'static str] = &["api", "metrics", "websocket", "connections"];
    fn rows(body: &[u8]) -> Result<Vec<WebSocketConnection>, String> {
        serde_json::from_slice::<WebSocketConnections>(body)
            .map(|answer| answer.active_connections)
            .map_err(|e| format!("the backend's session list is not what seed 000 documents: {e}"))
    }
}

/// Seed 000's `GET /api/metrics/circuit-breakers`, one row per agent.
pub struct Breakers;

impl LiveSource for Breakers {
    type Row = CircuitBreakerEntry;
    const NAME: &'static str = vantage_api::live::CIRCUIT_BREAKERS;
    const PATH: &'static [&'static str] = &["api", "metrics", "circuit-breakers"];
    fn rows(body: &[u8]) -> Result<Vec<CircuitBreakerEntry>, String> {
        serde_json::from_slice::<CircuitBreakers>(body)
            .map(|answer| answer.circuit_breakers)
            .map_err(|e| format!("the backend's breaker list is not what seed 000 documents: {e}"))
    }
}

/// One poll of the backend through the proxy's pipeline (shared with identical HTTP
/// calls in flight, counted in the proxy's metrics); the error is for people.
pub async fn poll<S: LiveSource>(state: &AppState) -> Result<Vec<S::Row>, String> {
    let backend = state
        .backend
        .as_ref()
        .ok_or("no management backend is configured (--backend)")?;
    let call = UpstreamCall {
        segments: S::PATH.iter().map(|s| (*s).to_owned()).collect(),
        method: UpstreamMethod::Get,
        params: Vec::new(),
        cacheable: false,
        shared: true,
    };
    match pipeline::fetch_complete(state, backend, call).await {
        Ok((status, body)) if status.is_success() => S::rows(&body),
        Ok((status, body)) => Err(match serde_json::from_slice::<ManagementError>(&body) {
            Ok(answer) => format!("the backend answered HTTP {status}: {}", answer.error),
            Err(_) => format!("the backend answered HTTP {status}"),
        }),
        Err(err) => Err(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_rows_or_a_readable_error() {
        let rows = WebSocketSessions::rows(
            br#"{"activeConnections":[{"sessionId":"a","userId":"u","runId":"r",
                "connectedAt":"2024-01-15T10:30:00Z","messagesSent":1,"messagesReceived":1,
                "messageFailures":0,"reconnectionCount":0,"averageLatency":1.5,"maxLatency":2,
                "deliveryRate":1.0}],"totalActive":1,"timestamp":1}"#,
        )
        .expect("rows");
        assert_eq!(rows[0].key(), "a");
        let err = Breakers::rows(b"<html>").expect_err("not JSON");
        assert!(err.starts_with("the backend's breaker list"), "{err}");
    }
}
