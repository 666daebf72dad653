//! The live hubs: `/api/live/{source}` streams a management table to any number of
//! viewers from one backend poll per interval. See [`hub`] for how, and
//! `vantage_api::live` for the messages.

pub mod credentials;
pub mod hub;
pub mod settings;
pub mod source;
pub mod viewer;

pub use hub::{Hub, Subscription};
pub use settings::{LiveFile, LiveSettings};
pub use source::{Breakers, LiveSource, WebSocketSessions};

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Resolves once the stop signal is raised (or its sender is gone).
pub async fn stopped(signal: &mut watch::Receiver<bool>) {
    let _ = signal.wait_for(|stop| *stop).await;
}

/// Every stream the proxy serves, and their common stop signal.
pub struct LiveHubs {
    pub settings: LiveSettings,
    /// `/api/live/websocket-connections`.
    pub sessions: Arc<Hub<WebSocketSessions>>,
    /// `/api/live/circuit-breakers`.
    pub breakers: Arc<Hub<Breakers>>,
    shutdown: watch::Sender<bool>,
}

impl LiveHubs {
    /// Idle hubs; each starts polling when its first viewer joins.
    pub fn new(settings: LiveSettings) -> LiveHubs {
        let (shutdown, stop) = watch::channel(false);
        LiveHubs {
            settings,
            sessions: Hub::new(settings, stop.clone()),
            breakers: Hub::new(settings, stop),
            shutdown,
        }
    }

    /// What viewer tasks watch to close their sockets on shutdown.
    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Stops polling and closes every viewer's socket with 1001 (going away).
    pub fn shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Connected viewers of every stream.
    pub fn viewers(&self) -> usize {
        self.sessions.viewers() + self.breakers.viewers()
    }

    /// Waits until every viewer's socket is closed, at most `timeout`.
    pub async fn closed(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.viewers() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
