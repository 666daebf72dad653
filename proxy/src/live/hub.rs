//! One hub per stream: it polls the backend once per interval for every viewer
//! together, and only while someone watches; it keeps the latest rows, turns each poll
//! into a diff with the next sequence number, and fans the serialized message out over
//! a bounded broadcast channel. A viewer that falls behind by more than the channel
//! holds is resynced with a snapshot instead of being buffered for. A large snapshot
//! goes out in parts of about [`PART_BYTES`]: a socket's write buffer keeps the
//! capacity of the largest message it sent, so a whole snapshot would stay allocated
//! once per viewer.

use super::settings::LiveSettings;
use super::source::{LiveSource, poll};
use super::stopped;
use crate::error::ProxyError;
use crate::state::AppState;
use axum::extract::ws::Utf8Bytes;
use serde::Serialize;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, MissedTickBehavior};
use vantage_api::live::{LiveMessage, LiveStatus, dedupe, diff};

/// The size a snapshot part aims at, bytes.
pub const PART_BYTES: usize = 64 * 1024;
/// Rows serialized to estimate a row's size.
const SAMPLE_ROWS: usize = 32;

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The hub of one source.
pub struct Hub<S: LiveSource> {
    settings: LiveSettings,
    inner: Mutex<Inner<S::Row>>,
    tx: broadcast::Sender<Utf8Bytes>,
    /// Bumped after every change of what a snapshot would show; HTTP pollers wait on it.
    version: watch::Sender<u64>,
    shutdown: watch::Receiver<bool>,
    /// When this hub was made, Unix ms: with `version`, an ETag that a restarted proxy
    /// never repeats.
    epoch: i64,
    polls: AtomicU64,
    resyncs: AtomicU64,
    _source: PhantomData<fn() -> S>,
}

struct Inner<R> {
    /// Connected WebSocket viewers.
    viewers: usize,
    /// HTTP pollers keep the hub polling until this instant.
    lease_until: Option<Instant>,
    /// A poll task is alive.
    running: bool,
    /// The latest rows; `None` until the first poll since the hub woke up.
    rows: Option<Vec<R>>,
    seq: u64,
    status: LiveStatus,
    polled_at: Option<i64>,
    /// The serialized snapshot of the current state, in parts, made at most once per
    /// state.
    snapshot: Option<Vec<Utf8Bytes>>,
    /// When the last message went out, for heartbeats.
    last_sent: Instant,
}

impl<R> Inner<R> {
    fn wanted(&self, now: Instant) -> bool {
        self.viewers > 0 || self.lease_until.is_some_and(|until| until > now)
    }
}

impl<S: LiveSource> Hub<S> {
    /// An idle hub; it starts polling when the first viewer joins.
    pub fn new(settings: LiveSettings, shutdown: watch::Receiver<bool>) -> Arc<Hub<S>> {
        let (tx, _) = broadcast::channel(settings.buffer.max(1));
        Arc::new(Hub {
            settings,
            inner: Mutex::new(Inner {
                viewers: 0,
                lease_until: None,
                running: false,
                rows: None,
                seq: 0,
                status: LiveStatus::default(),
                polled_at: None,
                snapshot: None,
                last_sent: Instant::now(),
            }),
            tx,
            version: watch::channel(0).0,
            shutdown,
            epoch: now_ms(),
            polls: AtomicU64::new(0),
            resyncs: AtomicU64::new(0),
            _source: PhantomData,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner<S::Row>> {
        // Plain data behind the lock: a panic elsewhere leaves nothing half-written
        // that matters more than keeping the stream alive.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Backend polls made so far.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// Viewers resynced with a snapshot because they fell behind or asked.
    pub fn resyncs(&self) -> u64 {
        self.resyncs.load(Ordering::Relaxed)
    }

    /// Connected WebSocket viewers.
    pub fn viewers(&self) -> usize {
        self.lock().viewers
    }

    /// Whether a poll task is alive.
    pub fn is_polling(&self) -> bool {
        self.lock().running
    }

    /// A new viewer: its first message (a snapshot when there are rows, the status when
    /// the backend is failing), then everything the hub broadcasts after it. Starts
    /// polling if the hub was idle. A 503 when the stream has all the viewers it takes.
    pub fn join(self: &Arc<Self>, state: &AppState) -> Result<Subscription<S>, ProxyError> {
        let mut inner = self.lock();
        if inner.viewers >= self.settings.max_viewers {
            return Err(ProxyError::Unavailable(format!(
                "the live stream {} has its maximum of {} viewers (live.max_viewers)",
                S::NAME,
                self.settings.max_viewers
            )));
        }
        inner.viewers += 1;
        // Subscribing under the lock that publishing holds: the first message and the
        // broadcasts that follow it fit together exactly.
        let rx = self.tx.subscribe();
        let pending = self.first_messages(&mut inner);
        self.ensure_running(&mut inner, state);
        Ok(Subscription {
            hub: Arc::clone(self),
            rx,
            pending,
        })
    }

    /// An HTTP poller: keeps the hub polling for a few intervals.
    pub fn lease(self: &Arc<Self>, state: &AppState) {
        let mut inner = self.lock();
        inner.lease_until = Some(Instant::now() + self.settings.interval * 3);
        self.ensure_running(&mut inner, state);
    }

    /// Waits (up to `timeout`) until there is something to show: rows or a failure.
    pub async fn ready(&self, timeout: Duration) -> bool {
        let mut version = self.version.subscribe();
        let deadline = Instant::now() + timeout;
        loop {
            {
                let inner = self.lock();
                if inner.rows.is_some() || !inner.status.is_fresh() {
                    return true;
                }
            }
            match tokio::time::timeout_at(deadline, version.changed()).await {
                Ok(Ok(())) => {}
                _ => return false,
            }
        }
    }

    /// The current state as one message (a whole snapshot, or the failure status) and
    /// its ETag, if there is something to show: what an HTTP poller gets.
    pub fn current(&self) -> Option<(String, Utf8Bytes)> {
        let inner = self.lock();
        let etag = format!("\"{:x}-{}\"", self.epoch, *self.version.borrow());
        let text = match &inner.rows {
            Some(rows) => encode(&self.snapshot_message(&inner, rows, false)),
            None => self.status_message(&inner),
        };
        text.map(|text| (etag, text))
    }

    /// What a viewer starts from: the snapshot's parts or, without rows, the failure
    /// status (nothing before the first poll).
    fn first_messages(&self, inner: &mut Inner<S::Row>) -> VecDeque<Utf8Bytes> {
        match &inner.rows {
            Some(_) => self.snapshot(inner).into(),
            None => self.status_message(inner).into_iter().collect(),
        }
    }

    fn status_message(&self, inner: &Inner<S::Row>) -> Option<Utf8Bytes> {
        if inner.status.is_fresh() {
            return None;
        }
        encode(&LiveMessage::<S::Row>::Status {
            seq: inner.seq,
            status: inner.status.clone(),
        })
    }

    fn snapshot_message<'a>(
        &self,
        inner: &Inner<S::Row>,
        rows: &'a [S::Row],
        more: bool,
    ) -> LiveMessage<&'a S::Row> {
        LiveMessage::Snapshot {
            seq: inner.seq,
            polled_at: inner.polled_at,
            interval_ms: duration_ms(self.settings.interval),
            heartbeat_ms: duration_ms(self.settings.heartbeat),
            status: inner.status.clone(),
            rows: rows.iter().collect(),
            more,
        }
    }

    /// The current state in parts of about [`PART_BYTES`], serialized once per state
    /// (empty without rows, or if a part could not be serialized).
    fn snapshot(&self, inner: &mut Inner<S::Row>) -> Vec<Utf8Bytes> {
        if let Some(parts) = &inner.snapshot {
            return parts.clone();
        }
        let Some(rows) = inner.rows.as_ref() else {
            return Vec::new();
        };
        let sample = &rows[..rows.len().min(SAMPLE_ROWS)];
        let sample_bytes = serde_json::to_vec(sample).map_or(0, |v| v.len());
        let per_part = (PART_BYTES * sample.len())
            .checked_div(sample_bytes)
            .unwrap_or(usize::MAX)
            .max(1);
        let chunks: Vec<&[S::Row]> = if rows.is_empty() {
            vec![&[]]
        } else {
            rows.chunks(per_part).collect()
        };
        let last = chunks.len() - 1;
        let parts: Option<Vec<Utf8Bytes>> = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let more = i < last;
                if i == 0 {
                    encode(&self.snapshot_message(inner, chunk, more))
                } else {
                    encode(&LiveMessage::Rows {
                        seq: inner.seq,
                        rows: chunk.iter().collect::<Vec<_>>(),
                        more,
                    })
                }
            })
            .collect();
        let parts = parts.unwrap_or_default();
        inner.snapshot = Some(parts.clone());
        parts
    }

    fn ensure_running(self: &Arc<Self>, inner: &mut Inner<S::Row>, state: &AppState) {
        if !inner.running && !*self.shutdown.borrow() {
            inner.running = true;
            tokio::spawn(Arc::clone(self).run(state.clone()));
        }
    }

    /// The poll loop: one poll per interval while someone watches, heartbeats in the
    /// silences; it ends (and forgets the rows) when the last viewer has left.
    async fn run(self: Arc<Self>, state: AppState) {
        let mut shutdown = self.shutdown.clone();
        let mut ticker = tokio::time::interval(self.settings.interval);
        // A slow backend delays the next poll rather than causing a burst of them.
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let beat_at = self.lock().last_sent + self.settings.heartbeat;
            tokio::select! {
                _ = ticker.tick() => {}
                () = tokio::time::sleep_until(beat_at) => {
                    self.heartbeat();
                    continue;
                }
                () = stopped(&mut shutdown) => {
                    self.lock().running = false;
                    return;
                }
            }
            if !self.keep_running() {
                return;
            }
            self.polls.fetch_add(1, Ordering::Relaxed);
            let outcome = tokio::select! {
                outcome = poll::<S>(&state) => outcome,
                () = stopped(&mut shutdown) => {
                    self.lock().running = false;
                    return;
                }
            };
            self.publish(outcome);
        }
    }

    /// Whether to poll again; if not, the hub goes idle and forgets its rows (a viewer
    /// joining later gets fresh ones, not whatever was true minutes ago).
    fn keep_running(&self) -> bool {
        let mut inner = self.lock();
        if inner.wanted(Instant::now()) {
            return true;
        }
        inner.running = false;
        inner.lease_until = None;
        inner.rows = None;
        inner.polled_at = None;
        inner.status = LiveStatus::default();
        inner.snapshot = None;
        false
    }

    /// Turns one poll's outcome into messages for every viewer.
    fn publish(&self, outcome: Result<Vec<S::Row>, String>) {
        let now = now_ms();
        let mut inner = self.lock();
        let mut changed = false;
        match outcome {
            Ok(rows) => {
                let rows = dedupe(rows);
                if !inner.status.is_fresh() {
                    inner.status = LiveStatus::default();
                    let message = LiveMessage::<S::Row>::Status {
                        seq: inner.seq,
                        status: LiveStatus::default(),
                    };
                    self.send(&mut inner, encode(&message));
                    changed = true;
                }
                // `polledAt` moves on every poll, and the snapshot carries it.
                inner.polled_at = Some(now);
                inner.snapshot = None;
                match inner.rows.take() {
                    None => {
                        inner.seq += 1;
                        inner.rows = Some(rows);
                        for part in self.snapshot(&mut inner) {
                            self.send(&mut inner, Some(part));
                        }
                        changed = true;
                    }
                    Some(old) => {
                        let changes = diff(&old, &rows);
                        inner.rows = Some(rows);
                        if changes.is_empty() {
                            // Nothing new, but viewers learn that the rows are fresh.
                            let message = LiveMessage::<S::Row>::Heartbeat {
                                seq: inner.seq,
                                at: now,
                                polled_at: Some(now),
                            };
                            self.send(&mut inner, encode(&message));
                        } else {
                            inner.seq += 1;
                            let message = LiveMessage::Diff {
                                seq: inner.seq,
                                polled_at: now,
                                added: changes.added,
                                changed: changes.changed,
                                removed: changes.removed,
                            };
                            self.send(&mut inner, encode(&message));
                            changed = true;
                        }
                    }
                }
            }
            Err(error) => {
                let status = LiveStatus {
                    stale_since: Some(inner.status.stale_since.unwrap_or(now)),
                    error: Some(error),
                };
                if status != inner.status {
                    tracing::warn!(
                        source = S::NAME,
                        error = status.error.as_deref().unwrap_or_default(),
                        "live poll failed; viewers keep the last rows"
                    );
                    inner.status = status.clone();
                    inner.snapshot = None;
                    let message = LiveMessage::<S::Row>::Status {
                        seq: inner.seq,
                        status,
                    };
                    self.send(&mut inner, encode(&message));
                    changed = true;
                }
            }
        }
        drop(inner);
        if changed {
            self.version.send_modify(|v| *v += 1);
        }
    }

    fn heartbeat(&self) {
        let mut inner = self.lock();
        let message = LiveMessage::<S::Row>::Heartbeat {
            seq: inner.seq,
            at: now_ms(),
            polled_at: inner.polled_at,
        };
        self.send(&mut inner, encode(&message));
    }

    fn send(&self, inner: &mut Inner<S::Row>, text: Option<Utf8Bytes>) {
        inner.last_sent = Instant::now();
        if let Some(text) = text {
            // No receivers is fine: HTTP pollers read the state, not the channel.
            let _ = self.tx.send(text);
        }
    }
}

/// A message as JSON text, shared by every viewer it goes to.
fn encode<T: Serialize>(message: &T) -> Option<Utf8Bytes> {
    match serde_json::to_string(message) {
        Ok(text) => Some(Utf8Bytes::from(text)),
        Err(err) => {
            tracing::error!(%err, "a live message could not be serialized");
            None
        }
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// One viewer's place in a hub: the messages for it, in order, and a resync with a
/// snapshot when it fell behind. Leaving (dropping it) may let the hub go idle.
pub struct Subscription<S: LiveSource> {
    hub: Arc<Hub<S>>,
    rx: broadcast::Receiver<Utf8Bytes>,
    pending: VecDeque<Utf8Bytes>,
}

impl<S: LiveSource> Subscription<S> {
    /// The next message for this viewer. A viewer that fell more than the channel's
    /// capacity behind gets a fresh snapshot instead of what it missed. Cancel-safe.
    pub async fn next(&mut self) -> Option<Utf8Bytes> {
        loop {
            if let Some(text) = self.pending.pop_front() {
                return Some(text);
            }
            match self.rx.recv().await {
                Ok(text) => return Some(text),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(source = S::NAME, missed, "slow live viewer resynced");
                    self.resync();
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }

    /// Drops whatever is queued for this viewer; the next message is a snapshot of the
    /// current state (or, before the first poll, the next broadcast).
    pub fn resync(&mut self) {
        self.hub.resyncs.fetch_add(1, Ordering::Relaxed);
        let mut inner = self.hub.lock();
        self.rx = self.hub.tx.subscribe();
        self.pending = self.hub.first_messages(&mut inner);
    }
}

impl<S: LiveSource> Drop for Subscription<S> {
    fn drop(&mut self) {
        let mut inner = self.hub.lock();
        inner.viewers = inner.viewers.saturating_sub(1);
    }
}
