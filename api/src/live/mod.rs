//! The live stream of a management table (`/api/live/{source}`): one WebSocket per
//! viewer, fed by the proxy's hub, which polls the backend once per interval for every
//! viewer together.
//!
//! A viewer first gets a [`LiveMessage::Snapshot`] (every row; a large one in parts, the
//! rest in [`LiveMessage::Rows`] messages), then
//! [`LiveMessage::Diff`]s (rows added, changed, removed), each with the next sequence
//! number. A viewer that sees a gap asks for a fresh snapshot with
//! [`LiveRequest::Resync`]; so does the hub itself for a viewer that fell behind.
//! Rows are the backend's own JSON objects, identified by a key ([`LiveRow::key`]).
//! The same types serve the proxy, the console and the load client, and the diff is
//! computed here, without I/O.

mod decode;

use crate::management::{CircuitBreakerEntry, WebSocketConnection};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The WebSocket subprotocol every live client offers; the proxy selects it.
pub const PROTOCOL: &str = "vantage.live.v1";
/// A subprotocol `vantage.embed.<token>` carries a signed embed token (browsers cannot
/// set headers on a WebSocket, and a header stays out of access logs, unlike a query).
pub const EMBED_PROTOCOL_PREFIX: &str = "vantage.embed.";
/// A subprotocol `vantage.bearer.<base64url(token)>` carries a bearer token; base64url
/// because a subprotocol may only hold token characters.
pub const BEARER_PROTOCOL_PREFIX: &str = "vantage.bearer.";

/// The sources the hub streams, by their path segment: `/api/live/<source>`.
pub const WEBSOCKET_CONNECTIONS: &str = "websocket-connections";
/// `/api/live/circuit-breakers`: every agent's breaker.
pub const CIRCUIT_BREAKERS: &str = "circuit-breakers";
/// Every source, for validation.
pub const SOURCES: [&str; 2] = [WEBSOCKET_CONNECTIONS, CIRCUIT_BREAKERS];

/// A row of a live table: it has a key that stays the same while the row lives.
pub trait LiveRow {
    /// The row's identity (a session id, an agent name).
    fn key(&self) -> &str;
}

impl LiveRow for WebSocketConnection {
    fn key(&self) -> &str {
        &self.session_id
    }
}

impl LiveRow for CircuitBreakerEntry {
    fn key(&self) -> &str {
        &self.agent
    }
}

/// Whether the rows are fresh.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveStatus {
    /// When the backend stopped answering (the first failed poll), Unix ms; `None` while
    /// polls succeed. The rows are then the last good ones.
    #[serde(default)]
    pub stale_since: Option<i64>,
    /// Why the latest poll failed, for people.
    #[serde(default)]
    pub error: Option<String>,
}

impl LiveStatus {
    /// Polls succeed.
    pub fn is_fresh(&self) -> bool {
        self.stale_since.is_none()
    }
}

/// What the hub sends a viewer. Serialized with a `type` tag and camelCase fields, e.g.
/// `{"type":"diff","seq":8,"polledAt":1700000000000,"added":[],"changed":[...],"removed":["abc"]}`.
/// Decoding is written out ([`decode`]): serde's derived decoder for a tagged enum
/// copies the whole message into an intermediate tree first, which doubles the main
/// thread's cost of a large update in the browser.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum LiveMessage<R> {
    /// Every row; replaces whatever the viewer had. `seq` is the sequence number of the
    /// state it shows: the next diff has `seq + 1`.
    Snapshot {
        seq: u64,
        /// When the hub got the backend's answer these rows come from, Unix ms.
        polled_at: Option<i64>,
        /// How often the hub polls, ms (also the HTTP fallback's polling interval).
        interval_ms: u64,
        /// At most this long passes between two messages, ms; longer means the
        /// connection is dead.
        heartbeat_ms: u64,
        status: LiveStatus,
        rows: Vec<R>,
        /// More rows of this snapshot follow in [`LiveMessage::Rows`] messages: a large
        /// snapshot is sent in parts, so that no socket buffer holds all of it at once.
        #[serde(skip_serializing_if = "is_false")]
        more: bool,
    },
    /// The next part of the snapshot `seq`; the snapshot is whole when `more` is false.
    Rows { seq: u64, rows: Vec<R>, more: bool },
    /// What changed since `seq - 1`.
    Diff {
        seq: u64,
        /// When the hub got the backend's answer, Unix ms.
        polled_at: i64,
        added: Vec<R>,
        changed: Vec<R>,
        /// Keys of the rows that went away.
        removed: Vec<String>,
    },
    /// The backend's health changed; the rows stay as they are.
    Status { seq: u64, status: LiveStatus },
    /// Nothing changed: sent after a poll that found no change, and after a silence of
    /// `heartbeatMs` (a failing backend); `seq` lets a viewer notice a lost diff.
    Heartbeat {
        seq: u64,
        /// The hub's clock, Unix ms.
        at: i64,
        /// The latest successful poll, Unix ms.
        polled_at: Option<i64>,
    },
}

impl<R> LiveMessage<R> {
    /// The message's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            LiveMessage::Snapshot { seq, .. }
            | LiveMessage::Rows { seq, .. }
            | LiveMessage::Diff { seq, .. }
            | LiveMessage::Status { seq, .. }
            | LiveMessage::Heartbeat { seq, .. } => *seq,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What a viewer may send the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum LiveRequest {
    /// Send me a fresh snapshot (I saw a gap in the sequence numbers).
    Resync,
}

/// The difference between two lists of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes<R> {
    /// Rows whose key is new, in the new list's order.
    pub added: Vec<R>,
    /// Rows whose key was there before with other values, in the new list's order.
    pub changed: Vec<R>,
    /// Keys that are gone, in the old list's order.
    pub removed: Vec<String>,
}

impl<R> Changes<R> {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    /// How many rows the change touches.
    pub fn len(&self) -> usize {
        self.added.len() + self.changed.len() + self.removed.len()
    }
}

/// What changed from `old` to `new`, by key. Linear in the number of rows.
pub fn diff<R: LiveRow + PartialEq + Clone>(old: &[R], new: &[R]) -> Changes<R> {
    let before: HashMap<&str, &R> = old.iter().map(|r| (r.key(), r)).collect();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for row in new {
        match before.get(row.key()) {
            None => added.push(row.clone()),
            Some(previous) if *previous != row => changed.push(row.clone()),
            Some(_) => {}
        }
    }
    let now: HashSet<&str> = new.iter().map(LiveRow::key).collect();
    let removed = old
        .iter()
        .map(LiveRow::key)
        .filter(|k| !now.contains(k))
        .map(str::to_owned)
        .collect();
    Changes {
        added,
        changed,
        removed,
    }
}

/// `rows` without later rows whose key was already seen: a backend that lists a
/// session twice must not make the diff ambiguous.
pub fn dedupe<R: LiveRow>(rows: Vec<R>) -> Vec<R> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if seen.insert(row.key().to_owned()) {
            out.push(row);
        }
    }
    out
}

/// Applies a diff to a list: removed rows go, changed rows are replaced where they are,
/// added rows are appended.
pub fn apply<R: LiveRow + Clone>(
    rows: &mut Vec<R>,
    added: &[R],
    changed: &[R],
    removed: &[String],
) {
    if !removed.is_empty() {
        let gone: HashSet<&str> = removed.iter().map(String::as_str).collect();
        rows.retain(|r| !gone.contains(r.key()));
    }
    if !changed.is_empty() {
        let updates: HashMap<&str, &R> = changed.iter().map(|r| (r.key(), r)).collect();
        for row in rows.iter_mut() {
            if let Some(update) = updates.get(row.key()) {
                *row = (*update).clone();
            }
        }
    }
    rows.extend(added.iter().cloned());
}

/// What a viewer does with the next message, from its sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// In order: apply it.
    Apply,
    /// Already seen (or from before the snapshot): drop it.
    Ignore,
    /// A message was lost: ask for a snapshot.
    Resync,
}

/// A viewer's sequence bookkeeping, shared by the console and the load client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeqTracker {
    last: Option<u64>,
}

impl SeqTracker {
    /// The sequence number of the state the viewer shows, once it has one.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// A snapshot at `seq` was applied.
    pub fn snapshot(&mut self, seq: u64) {
        self.last = Some(seq);
    }

    /// Forget the state (a new connection starts with a snapshot).
    pub fn reset(&mut self) {
        self.last = None;
    }

    /// A diff with `seq` arrived.
    pub fn diff(&mut self, seq: u64) -> Next {
        match self.last {
            None => Next::Resync,
            Some(last) if seq == last + 1 => {
                self.last = Some(seq);
                Next::Apply
            }
            Some(last) if seq <= last => Next::Ignore,
            Some(_) => Next::Resync,
        }
    }

    /// A heartbeat or status with `seq` arrived: a higher number than the last applied
    /// diff means one was lost.
    pub fn check(&self, seq: u64) -> Next {
        match self.last {
            Some(last) if seq > last => Next::Resync,
            _ => Next::Ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Row {
        id: String,
        n: u64,
    }

    impl LiveRow for Row {
        fn key(&self) -> &str {
            &self.id
        }
    }

    fn rows(pairs: &[(&str, u64)]) -> Vec<Row> {
        pairs
            .iter()
            .map(|(id, n)| Row {
                id: (*id).to_owned(),
                n: *n,
            })
            .collect()
    }

    fn by_key(rows: &[Row]) -> BTreeMap<String, u64> {
        rows.iter().map(|r| (r.id.clone(), r.n)).collect()
    }

    #[test]
    fn diff_names_added_changed_and_removed_rows() {
        let old = rows(&[("a", 1), ("b", 2), ("c", 3)]);
        let new = rows(&[("b", 2), ("c", 4), ("d", 5), ("e", 6)]);
        let changes = diff(&old, &new);
        assert_eq!(changes.added, rows(&[("d", 5), ("e", 6)]));
        assert_eq!(changes.changed, rows(&[("c", 4)]));
        assert_eq!(changes.removed, vec!["a".to_owned()]);
        assert_eq!(changes.len(), 4);
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn applying_a_diff_gives_the_new_rows() {
        let cases = [
            (vec![], rows(&[("a", 1)])),
            (rows(&[("a", 1)]), vec![]),
            (
                rows(&[("a", 1), ("b", 2), ("c", 3)]),
                rows(&[("c", 30), ("x", 9), ("a", 1)]),
            ),
        ];
        for (old, new) in cases {
            let changes = diff(&old, &new);
            let mut applied = old.clone();
            apply(
                &mut applied,
                &changes.added,
                &changes.changed,
                &changes.removed,
            );
            assert_eq!(by_key(&applied), by_key(&new), "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_first_row() {
        let deduped = dedupe(rows(&[("a", 1), ("b", 2), ("a", 3)]));
        assert_eq!(deduped, rows(&[("a", 1), ("b", 2)]));
    }

    #[test]
    fn messages_have_a_type_tag_and_camel_case_fields() {
        let diff: LiveMessage<Row> = LiveMessage::Diff {
            seq: 8,
            polled_at: 1_700_000_000_000,
            added: vec![],
            changed: rows(&[("c", 4)]),
            removed: vec!["a".into()],
        };
        let json = serde_json::to_value(&diff).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({"type": "diff", "seq": 8, "polledAt": 1_700_000_000_000_i64,
                "added": [], "changed": [{"id": "c", "n": 4}], "removed": ["a"]})
        );
        let status: LiveMessage<Row> = LiveMessage::Status {
            seq: 3,
            status: LiveStatus {
                stale_since: Some(5),
                error: Some("backend is unavailable".into()),
            },
        };
        let text = serde_json::to_string(&status).expect("serializes");
        assert_eq!(
            text,
            r#"{"type":"status","seq":3,"status":{"staleSince":5,"error":"backend is unavailable"}}"#
        );
        let back: LiveMessage<Row> = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, status);
        assert_eq!(back.seq(), 3);
        assert_eq!(
            serde_json::to_string(&LiveRequest::Resync).expect("serializes"),
            r#"{"type":"resync"}"#
        );
    }

    #[test]
    fn the_seed_rows_are_keyed_by_session_and_agent() {
        let text = r#"{"type":"snapshot","seq":1,"polledAt":null,"intervalMs":2000,"heartbeatMs":15000,
            "status":{},"rows":[{"sessionId":"abc123","userId":"user123",
            "runId":"550e8400-e29b-41d4-a716-446655440000","connectedAt":"2024-01-15T10:30:00Z",
            "messagesSent":150,"messagesReceived":148,"messageFailures":2,"reconnectionCount":1,
            "averageLatency":45.2,"maxLatency":120,"deliveryRate":0.9867}]}"#;
        let message: LiveMessage<WebSocketConnection> = serde_json::from_str(text).expect("parses");
        let LiveMessage::Snapshot { rows, status, .. } = message else {
            panic!("a snapshot");
        };
        assert_eq!(rows[0].key(), "abc123");
        assert!(status.is_fresh());
    }

    #[test]
    fn sequence_numbers_detect_gaps_and_duplicates() {
        let mut seq = SeqTracker::default();
        assert_eq!(seq.diff(1), Next::Resync, "a diff before any snapshot");
        seq.snapshot(10);
        assert_eq!(seq.diff(10), Next::Ignore);
        assert_eq!(seq.diff(11), Next::Apply);
        assert_eq!(seq.diff(13), Next::Resync, "12 was lost");
        assert_eq!(seq.last(), Some(11));
        assert_eq!(seq.check(11), Next::Ignore);
        assert_eq!(seq.check(12), Next::Resync, "a heartbeat after a lost diff");
        seq.reset();
        assert_eq!(seq.check(99), Next::Ignore);
    }
}
