//! `GET /api/metrics/websocket/connections`: the live sessions.

use axum::Json;
use axum::extract::State;
use time::OffsetDateTime;
use vantage_api::management::{WebSocketConnection, WebSocketConnections};

use super::{millis, rfc3339};
use crate::sim::sessions::Session;
use crate::state::AppState;

fn connection(s: &Session) -> WebSocketConnection {
    WebSocketConnection {
        session_id: s.id.clone(),
        user_id: s.user.to_owned(),
        run_id: s.run_id.clone(),
        connected_at: rfc3339(s.connected_at),
        messages_sent: s.sent,
        messages_received: s.received,
        message_failures: s.failures,
        reconnection_count: s.reconnections,
        average_latency: (s.average_latency_ms() * 10.0).round() / 10.0,
        max_latency: s.max_latency_ms.round() as u64,
        delivery_rate: (s.delivery_rate() * 10_000.0).round() / 10_000.0,
    }
}

/// `GET /api/metrics/websocket/connections`.
pub async fn list(State(state): State<AppState>) -> Json<WebSocketConnections> {
    let active_connections: Vec<WebSocketConnection> = state
        .sim()
        .orchestrator()
        .sessions()
        .sessions()
        .iter()
        .map(connection)
        .collect();
    Json(WebSocketConnections {
        total_active: active_connections.len() as u64,
        active_connections,
        timestamp: millis(OffsetDateTime::now_utc()),
    })
}
