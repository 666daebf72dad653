//! A backend with seed 000's `GET /api/metrics/websocket/connections`, whose changes
//! carry the time they were made: a changed or new session's `messagesSent` is the
//! bench clock in microseconds at the change. A viewer that receives the row knows how
//! long the change took to reach it, whatever the proxy did in between. Every poll is
//! logged, so the bench can count them.

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use vantage_api::management::{WebSocketConnection, WebSocketConnections};

/// The bench's clock: microseconds since `epoch`, in every process-local measurement.
#[derive(Clone, Copy)]
pub struct Clock {
    epoch: Instant,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            epoch: Instant::now(),
        }
    }

    /// Microseconds since the bench began.
    pub fn now_us(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
}

struct Sessions {
    rows: Vec<WebSocketConnection>,
    next_id: u64,
    /// A small deterministic generator: every run makes the same changes.
    random: u64,
}

impl Sessions {
    fn random(&mut self) -> f64 {
        self.random = self
            .random
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.random >> 11) as f64 / (1u64 << 53) as f64
    }

    fn session(&mut self, sent: u64) -> WebSocketConnection {
        self.next_id += 1;
        let id = self.next_id;
        WebSocketConnection {
            session_id: format!("{:016x}", id.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            user_id: format!("user{}", id % 97),
            run_id: format!("550e8400-e29b-41d4-a716-{id:012}"),
            connected_at: "2026-11-23T00:00:00Z".to_owned(),
            messages_sent: sent,
            messages_received: sent,
            message_failures: 0,
            reconnection_count: 0,
            average_latency: 20.0 + self.random() * 40.0,
            max_latency: 90,
            delivery_rate: 1.0,
        }
    }
}

/// The backend's state, shared with the bench.
#[derive(Clone)]
pub struct Backend {
    clock: Clock,
    sessions: Arc<Mutex<Sessions>>,
    polls: Arc<Mutex<Vec<u64>>>,
}

impl Backend {
    /// `sessions` rows, none changed yet (`messagesSent` 0).
    pub fn new(clock: Clock, sessions: usize) -> Backend {
        let mut state = Sessions {
            rows: Vec::with_capacity(sessions),
            next_id: 0,
            random: 42,
        };
        for _ in 0..sessions {
            let row = state.session(0);
            state.rows.push(row);
        }
        Backend {
            clock,
            sessions: Arc::new(Mutex::new(state)),
            polls: Arc::new(Mutex::new(Vec::new())),
        }
    }

    fn sessions(&self) -> MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// When each poll arrived, bench microseconds.
    pub fn polls(&self) -> Vec<u64> {
        self.polls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// One change: `changed` sessions exchange messages, one leaves and one joins.
    pub fn change(&self, changed: usize) {
        let now = self.clock.now_us();
        let mut state = self.sessions();
        for _ in 0..changed {
            let i = (state.random() * state.rows.len() as f64) as usize % state.rows.len();
            let row = &mut state.rows[i];
            row.messages_sent = now;
            row.messages_received = now;
        }
        let gone = (state.random() * state.rows.len() as f64) as usize % state.rows.len();
        state.rows.swap_remove(gone);
        let joined = state.session(now);
        state.rows.push(joined);
    }

    /// Changes every `every` until the task is dropped.
    pub async fn churn(self, every: Duration, changed: usize) {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            self.change(changed);
        }
    }

    /// Serves the endpoint on `listener`.
    pub async fn serve(self, listener: tokio::net::TcpListener) {
        let app = Router::new()
            .route("/api/metrics/websocket/connections", get(connections))
            .with_state(self);
        let _ = axum::serve(listener, app).await;
    }
}

async fn connections(State(backend): State<Backend>) -> axum::Json<WebSocketConnections> {
    backend
        .polls
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(backend.clock.now_us());
    let rows = backend.sessions().rows.clone();
    axum::Json(WebSocketConnections {
        total_active: rows.len() as u64,
        active_connections: rows,
        timestamp: 0,
    })
}
