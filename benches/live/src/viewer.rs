//! One viewer: a WebSocket to the proxy's live stream that decodes every message as the
//! console does, checks the sequence numbers, and notes for every changed or new row
//! how long ago the backend made the change (the row's `messagesSent`, see `backend`).

use crate::backend::Clock;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use vantage_api::live::{LiveMessage, LiveRequest, PROTOCOL};
use vantage_api::management::WebSocketConnection;

/// What one viewer saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Change-to-arrival times, microseconds, of rows that arrived while measuring.
    pub latencies_us: Vec<u64>,
    /// When each diff arrived while measuring, bench microseconds.
    pub diff_arrivals_us: Vec<u64>,
    pub messages: u64,
    pub snapshots: u64,
    pub diffs: u64,
    /// Diffs whose sequence number did not follow the previous one.
    pub gaps: u64,
    /// The connection ended before the bench did.
    pub dropped: bool,
    pub error: Option<String>,
}

/// Connects; returns once the first snapshot arrived, with the task that goes on
/// reading until `stop` is raised. Only rows that arrive while `measuring` count.
pub async fn join(
    url: String,
    clock: Clock,
    measuring: Arc<AtomicBool>,
    mut stop: watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<Seen>, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request
        .headers_mut()
        .insert("sec-websocket-protocol", HeaderValue::from_static(PROTOCOL));
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut seen = Seen::default();
    // The snapshot first, so that the bench starts measuring with every viewer in.
    let mut seq = loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => {
                seen.messages += 1;
                // A large snapshot comes in parts; it is whole at the last one.
                if let Ok(
                    LiveMessage::<WebSocketConnection>::Snapshot {
                        seq, more: false, ..
                    }
                    | LiveMessage::Rows {
                        seq, more: false, ..
                    },
                ) = serde_json::from_str(&text)
                {
                    seen.snapshots += 1;
                    break Some(seq);
                }
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(format!("before the snapshot: {e}")),
            None => return Err("closed before the snapshot".to_owned()),
        }
    };
    Ok(tokio::spawn(async move {
        loop {
            let message = tokio::select! {
                _ = stop.wait_for(|s| *s) => break,
                message = socket.next() => message,
            };
            let text = match message {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    seen.dropped = true;
                    seen.error = Some(e.to_string());
                    break;
                }
                None => {
                    seen.dropped = true;
                    break;
                }
            };
            let arrived = clock.now_us();
            seen.messages += 1;
            let message: LiveMessage<WebSocketConnection> = match serde_json::from_str(&text) {
                Ok(message) => message,
                Err(e) => {
                    seen.error = Some(format!("undecodable message: {e}"));
                    continue;
                }
            };
            match message {
                LiveMessage::Snapshot {
                    seq: s,
                    more: false,
                    ..
                }
                | LiveMessage::Rows {
                    seq: s,
                    more: false,
                    ..
                } => {
                    seen.snapshots += 1;
                    seq = Some(s);
                }
                LiveMessage::Snapshot { .. } | LiveMessage::Rows { .. } => {}
                LiveMessage::Diff {
                    seq: s,
                    added,
                    changed,
                    ..
                } => {
                    seen.diffs += 1;
                    if seq.is_some_and(|last| last + 1 != s) {
                        seen.gaps += 1;
                        let resync =
                            serde_json::to_string(&LiveRequest::Resync).unwrap_or_default();
                        let _ = socket.send(Message::Text(resync.into())).await;
                    }
                    seq = Some(s);
                    if measuring.load(Ordering::Relaxed) {
                        seen.diff_arrivals_us.push(arrived);
                        seen.latencies_us.extend(
                            added
                                .iter()
                                .chain(&changed)
                                .filter(|row| row.messages_sent > 0)
                                .map(|row| arrived.saturating_sub(row.messages_sent)),
                        );
                    }
                }
                LiveMessage::Status { .. } | LiveMessage::Heartbeat { .. } => {}
            }
        }
        let _ = socket.close(None).await;
        seen
    }))
}
