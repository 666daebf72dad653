//! One viewer's WebSocket: the hub's messages go out as they come (a snapshot first), a
//! `{"type":"resync"}` from the viewer brings a fresh snapshot, and the proxy's
//! shutdown closes the socket cleanly with 1001 (going away).

use super::hub::Subscription;
use super::source::LiveSource;
use super::stopped;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, close_code};
use std::time::Duration;
use tokio::sync::watch;
use vantage_api::live::LiveRequest;

/// Serves one viewer until it leaves, its socket stalls, or the proxy stops.
pub async fn serve<S: LiveSource>(
    mut socket: WebSocket,
    mut subscription: Subscription<S>,
    send_timeout: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            biased;
            () = stopped(&mut shutdown) => {
                let frame = CloseFrame {
                    code: close_code::AWAY,
                    reason: Utf8Bytes::from_static("the proxy is shutting down"),
                };
                let _ = tokio::time::timeout(Duration::from_secs(1), socket.send(Message::Close(Some(frame)))).await;
                return;
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Ok(LiveRequest::Resync) = serde_json::from_str::<LiveRequest>(&text) {
                        subscription.resync();
                    }
                }
                // Pings are answered by the socket itself; nothing else is expected.
                Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
            },
            next = subscription.next() => match next {
                Some(text) => {
                    // A socket that cannot take one message in this long belongs to a
                    // viewer that is gone or hopelessly slow: let it reconnect.
                    match tokio::time::timeout(send_timeout, socket.send(Message::Text(text))).await {
                        Ok(Ok(())) => {}
                        _ => return,
                    }
                }
                None => return,
            },
        }
    }
}
