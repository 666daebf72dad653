//! The live hub against a local backend that counts its requests: one poll per interval
//! for any number of viewers and none without viewers, snapshots then diffs with
//! consecutive sequence numbers, a slow viewer resynced, backend failures reported and
//! recovered from; and over a real socket: the subprotocol, credentials carried as
//! subprotocols, the origin check, the HTTP fallback with ETags, and a clean close on
//! shutdown.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use vantage_api::live::{LiveMessage, LiveStatus};
use vantage_api::management::{WebSocketConnection, WebSocketConnections};
use vantage_proxy::config::{Cli, Config};
use vantage_proxy::live::hub::PART_BYTES;
use vantage_proxy::live::{Subscription, WebSocketSessions};
use vantage_proxy::{AppState, router};

type Msg = LiveMessage<WebSocketConnection>;

/// What the fake backend answers, and every request it got.
#[derive(Default)]
struct Fake {
    sessions: Vec<WebSocketConnection>,
    failing: bool,
    requests: Vec<Instant>,
}

type Shared = Arc<Mutex<Fake>>;

fn session(id: &str, sent: u64) -> WebSocketConnection {
    WebSocketConnection {
        session_id: id.to_owned(),
        user_id: "user123".to_owned(),
        run_id: "550e8400-e29b-41d4-a716-446655440000".to_owned(),
        connected_at: "2024-01-15T10:30:00Z".to_owned(),
        messages_sent: sent,
        messages_received: sent,
        message_failures: 0,
        reconnection_count: 0,
        average_latency: 45.2,
        max_latency: 120,
        delivery_rate: 1.0,
    }
}

async fn connections(State(fake): State<Shared>) -> Response {
    let mut fake = fake.lock().expect("lock");
    fake.requests.push(Instant::now());
    if fake.failing {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"error": "maintenance"})),
        )
            .into_response();
    }
    Json(WebSocketConnections {
        total_active: fake.sessions.len() as u64,
        active_connections: fake.sessions.clone(),
        timestamp: 1,
    })
    .into_response()
}

/// A counting backend on a free loopback port.
async fn backend(sessions: Vec<WebSocketConnection>) -> (String, Shared) {
    let fake: Shared = Arc::new(Mutex::new(Fake {
        sessions,
        ..Fake::default()
    }));
    let app = axum::Router::new()
        .route(
            "/api/metrics/websocket/connections",
            axum::routing::get(connections),
        )
        .with_state(Arc::clone(&fake));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, fake)
}

fn polls(fake: &Shared) -> usize {
    fake.lock().expect("lock").requests.len()
}

/// The proxy's state with the live interval and buffer the test wants.
fn state(backend: &str, interval_ms: u64, buffer: usize, extra_toml: &str) -> AppState {
    let dir = std::env::temp_dir().join(format!(
        "vantage-live-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("proxy.toml");
    std::fs::write(
        &path,
        format!("upstream = \"http://127.0.0.1:9\"\nbackend = \"{backend}\"\n{extra_toml}"),
    )
    .expect("write config");
    let mut config = Config::load(Cli {
        config: Some(path),
        ..Cli::default()
    })
    .unwrap_or_else(|e| panic!("config: {e}"));
    config.live.interval = Duration::from_millis(interval_ms);
    config.live.heartbeat = Duration::from_millis(interval_ms * 5);
    config.live.buffer = buffer;
    AppState::new(config).expect("state")
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

async fn next(sub: &mut Subscription<WebSocketSessions>) -> Msg {
    let text = tokio::time::timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("a message within 5 s")
        .expect("the hub is open");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The next message that is not a heartbeat.
async fn next_news(sub: &mut Subscription<WebSocketSessions>) -> Msg {
    loop {
        match next(sub).await {
            LiveMessage::Heartbeat { .. } => continue,
            other => return other,
        }
    }
}

fn keys(rows: &[WebSocketConnection]) -> Vec<&str> {
    rows.iter().map(|r| r.session_id.as_str()).collect()
}

#[tokio::test]
async fn no_polling_without_viewers_and_one_poll_per_interval_with_many() {
    let (url, fake) = backend(vec![session("a", 1)]).await;
    let state = state(&url, 100, 16, "");
    let hub = Arc::clone(&state.live.sessions);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(polls(&fake), 0, "nobody watches: no polls");
    assert!(!hub.is_polling());

    // 200 viewers for about a second: about ten polls, not two thousand.
    let joined = Instant::now();
    let mut viewers: Vec<_> = (0..200).map(|_| hub.join(&state).expect("join")).collect();
    let started = Instant::now();
    for (i, viewer) in viewers.iter_mut().enumerate() {
        match next(viewer).await {
            LiveMessage::Snapshot { rows, .. } => assert_eq!(keys(&rows), ["a"], "viewer {i}"),
            other => panic!("viewer {i} started with {other:?}"),
        }
    }
    // Keep the backend changing so that every poll makes a diff.
    let mut sent = 1;
    while started.elapsed() < Duration::from_millis(1_000) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        sent += 1;
        fake.lock().expect("lock").sessions[0].messages_sent = sent;
    }
    let made = polls(&fake);
    let intervals = joined.elapsed().as_millis() as usize / 100;
    assert!(
        made >= 5 && made <= intervals + 1,
        "{made} polls in {intervals} intervals of 100 ms for 200 viewers"
    );
    // Polls are about an interval apart, never a burst (the margin is for a busy
    // machine, where one request may take longer to reach the backend than the next).
    let times = fake.lock().expect("lock").requests.clone();
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(50), "polls {gap:?} apart");
    }
    // Every viewer saw the same diffs, in order, up to the heartbeat of the first poll
    // that found nothing new. (Reading until a short timeout instead would end early
    // whenever the test thread is descheduled on a busy machine.)
    tokio::time::sleep(Duration::from_millis(250)).await;
    for (i, viewer) in viewers.iter_mut().enumerate() {
        let mut last = None;
        loop {
            let text = tokio::time::timeout(Duration::from_secs(5), viewer.next())
                .await
                .unwrap_or_else(|_| panic!("viewer {i} waits for a heartbeat after {last:?}"))
                .expect("open");
            match serde_json::from_str::<Msg>(&text).expect("json") {
                LiveMessage::Diff { seq, .. } => {
                    if let Some(last) = last {
                        assert_eq!(seq, last + 1, "viewer {i}");
                    }
                    last = Some(seq);
                }
                LiveMessage::Heartbeat { seq, .. } if last == Some(seq) => break,
                _ => {}
            }
        }
        assert!(last.is_some(), "viewer {i} saw diffs");
    }
    assert_eq!(hub.resyncs(), 0, "nobody fell behind");

    // The last viewer leaves: polling stops within an interval.
    drop(viewers);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let after = polls(&fake);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(polls(&fake), after, "no viewers: no polls");
    assert!(!hub.is_polling());
    assert_eq!(hub.viewers(), 0);
}

#[tokio::test]
async fn snapshot_then_diffs_with_consecutive_sequence_numbers() {
    let (url, fake) = backend(vec![session("a", 1), session("b", 1)]).await;
    let state = state(&url, 100, 16, "");
    let mut viewer = state.live.sessions.join(&state).expect("join");
    let LiveMessage::Snapshot {
        seq,
        rows,
        interval_ms,
        status,
        ..
    } = next_news(&mut viewer).await
    else {
        panic!("a snapshot first");
    };
    assert_eq!(keys(&rows), ["a", "b"]);
    assert_eq!(interval_ms, 100);
    assert!(status.is_fresh());

    {
        let mut fake = fake.lock().expect("lock");
        fake.sessions = vec![session("b", 2), session("c", 1)];
    }
    match next_news(&mut viewer).await {
        LiveMessage::Diff {
            seq: next,
            added,
            changed,
            removed,
            ..
        } => {
            assert_eq!(next, seq + 1);
            assert_eq!(keys(&added), ["c"]);
            assert_eq!(keys(&changed), ["b"]);
            assert_eq!(changed[0].messages_sent, 2);
            assert_eq!(removed, ["a"]);
        }
        other => panic!("a diff, not {other:?}"),
    }
    // Nothing changes: only heartbeats, with the same sequence number.
    let quiet = Instant::now();
    while quiet.elapsed() < Duration::from_millis(700) {
        match next(&mut viewer).await {
            LiveMessage::Heartbeat { seq: beat, .. } => assert_eq!(beat, seq + 1),
            other => panic!("nothing changed, yet {other:?}"),
        }
    }
    // A viewer joining now starts from the current rows at the current number.
    let mut late = state.live.sessions.join(&state).expect("join");
    match next(&mut late).await {
        LiveMessage::Snapshot { seq: now, rows, .. } => {
            assert_eq!(now, seq + 1);
            assert_eq!(keys(&rows), ["b", "c"]);
        }
        other => panic!("a snapshot, not {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_viewer_is_resynced_with_a_snapshot() {
    let (url, fake) = backend(vec![session("a", 0)]).await;
    // Room for four messages per viewer.
    let state = state(&url, 50, 4, "");
    let hub = Arc::clone(&state.live.sessions);
    let mut slow = hub.join(&state).expect("join");
    let mut fast = hub.join(&state).expect("join");
    assert!(matches!(
        next(&mut slow).await,
        LiveMessage::Snapshot { .. }
    ));
    assert!(matches!(
        next(&mut fast).await,
        LiveMessage::Snapshot { .. }
    ));
    // Twelve changes, one per poll; the fast viewer keeps up, the slow one reads nothing.
    for sent in 1..=12 {
        fake.lock().expect("lock").sessions[0].messages_sent = sent;
        let seen = loop {
            if let LiveMessage::Diff { changed, .. } = next(&mut fast).await {
                break changed[0].messages_sent;
            }
        };
        assert_eq!(seen, sent);
    }
    assert_eq!(hub.resyncs(), 0);
    // The slow viewer gets the current state, not twelve stale diffs.
    let resumed = next(&mut slow).await;
    let LiveMessage::Snapshot { seq, rows, .. } = resumed else {
        panic!("a snapshot after falling behind, not {resumed:?}");
    };
    assert_eq!(rows[0].messages_sent, 12);
    assert_eq!(hub.resyncs(), 1);
    // And continues with the next diff.
    fake.lock().expect("lock").sessions[0].messages_sent = 13;
    match next_news(&mut slow).await {
        LiveMessage::Diff { seq: next, .. } => assert_eq!(next, seq + 1),
        other => panic!("a diff, not {other:?}"),
    }
}

#[tokio::test]
async fn backend_failures_are_reported_and_the_hub_recovers() {
    let (url, fake) = backend(vec![session("a", 1)]).await;
    let state = state(&url, 100, 16, "");
    let hub = Arc::clone(&state.live.sessions);
    let mut viewer = hub.join(&state).expect("join");
    let LiveMessage::Snapshot { seq, .. } = next_news(&mut viewer).await else {
        panic!("a snapshot first");
    };
    fake.lock().expect("lock").failing = true;
    let stale_since = match next_news(&mut viewer).await {
        LiveMessage::Status {
            status:
                LiveStatus {
                    stale_since: Some(since),
                    error: Some(error),
                },
            seq: same,
        } => {
            assert_eq!(same, seq);
            assert!(
                error.contains("503") && error.contains("maintenance"),
                "{error}"
            );
            since
        }
        other => panic!("a stale status, not {other:?}"),
    };
    // Later failures say nothing new; a newcomer gets the last rows, marked stale.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut newcomer = hub.join(&state).expect("join");
    match next(&mut newcomer).await {
        LiveMessage::Snapshot { rows, status, .. } => {
            assert_eq!(keys(&rows), ["a"]);
            assert_eq!(status.stale_since, Some(stale_since));
        }
        other => panic!("the last rows, not {other:?}"),
    }
    // The backend returns, changed: fresh again, then the diff.
    {
        let mut fake = fake.lock().expect("lock");
        fake.failing = false;
        fake.sessions.push(session("b", 1));
    }
    match next_news(&mut viewer).await {
        LiveMessage::Status { status, .. } => assert!(status.is_fresh(), "{status:?}"),
        other => panic!("a fresh status, not {other:?}"),
    }
    match next_news(&mut viewer).await {
        LiveMessage::Diff {
            seq: next, added, ..
        } => {
            assert_eq!(next, seq + 1);
            assert_eq!(keys(&added), ["b"]);
        }
        other => panic!("a diff, not {other:?}"),
    }
}

/// The proxy on a real socket; the returned sender stops it as SIGTERM would.
async fn serve(
    state: AppState,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let hubs = state.clone();
    let task = tokio::spawn(async move {
        let shutdown = async move {
            let _ = stopped.await;
            hubs.live.shutdown();
        };
        let _ = vantage_proxy::server::serve_with(
            listener,
            router(state.clone()),
            Duration::from_secs(10),
            shutdown,
        )
        .await;
        state.live.closed(Duration::from_secs(3)).await;
    });
    (format!("127.0.0.1:{}", addr.port()), stop, task)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(
    addr: &str,
    protocols: &str,
    origin: Option<&str>,
) -> Result<(Socket, Option<String>), tungstenite::Error> {
    let mut request = format!("ws://{addr}/api/live/websocket-connections")
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_str(protocols).expect("header"),
    );
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("origin", HeaderValue::from_str(origin).expect("header"));
    }
    let (socket, response) = tokio_tungstenite::connect_async(request).await?;
    let chosen = response
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok((socket, chosen))
}

async fn read(socket: &mut Socket) -> Msg {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a frame within 5 s")
            .expect("open")
            .expect("frame");
        if let Message::Text(text) = frame {
            let message: Msg = serde_json::from_str(&text).expect("json");
            if !matches!(message, LiveMessage::Heartbeat { .. }) {
                return message;
            }
        }
    }
}

fn status_of(err: tungstenite::Error) -> u16 {
    match err {
        tungstenite::Error::Http(response) => response.status().as_u16(),
        other => panic!("an HTTP refusal, not {other}"),
    }
}

#[tokio::test]
async fn websocket_viewers_resync_on_request_and_close_cleanly_on_shutdown() {
    let (url, fake) = backend(vec![session("a", 1)]).await;
    let state = state(&url, 100, 16, "");
    let hubs = state.clone();
    let (addr, stop, task) = serve(state).await;
    let (mut socket, chosen) = connect(&addr, "vantage.live.v1", Some(&format!("http://{addr}")))
        .await
        .expect("connects");
    assert_eq!(chosen.as_deref(), Some("vantage.live.v1"));
    let LiveMessage::Snapshot { seq, .. } = read(&mut socket).await else {
        panic!("a snapshot first");
    };
    fake.lock().expect("lock").sessions[0].messages_sent = 2;
    assert!(matches!(read(&mut socket).await, LiveMessage::Diff { seq: s, .. } if s == seq + 1));
    // A viewer that saw a gap asks for a snapshot.
    socket
        .send(Message::text(r#"{"type":"resync"}"#))
        .await
        .expect("send");
    match read(&mut socket).await {
        LiveMessage::Snapshot { seq: now, rows, .. } => {
            assert_eq!(now, seq + 1);
            assert_eq!(rows[0].messages_sent, 2);
        }
        other => panic!("a snapshot, not {other:?}"),
    }
    assert_eq!(hubs.live.viewers(), 1);

    // Shutdown: a close frame saying the proxy goes away, then the server ends.
    let _ = stop.send(());
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => break frame,
            Ok(Some(Ok(_))) => continue,
            other => panic!("a close frame, not {other:?}"),
        }
    };
    let close = close.expect("a close frame with a code");
    assert_eq!(close.code, CloseCode::Away);
    assert!(close.reason.contains("shutting down"), "{}", close.reason);
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the server stops")
        .expect("task");
    assert_eq!(hubs.live.viewers(), 0);
}

#[tokio::test]
async fn credentials_travel_as_subprotocols_and_other_sites_are_refused() {
    const SECRET: &str = "an-embed-secret-of-at-least-32-bytes!";
    let (url, _fake) = backend(vec![session("a", 1)]).await;
    let state = state(
        &url,
        100,
        16,
        &format!(
            "[embed]\nsecret = \"{SECRET}\"\n[auth]\nmode = \"tokens\"\n[[auth.tokens]]\nname = \"wall\"\nrole = \"viewer\"\ntoken = \"a wall screen's token\"\n"
        ),
    );
    let (addr, _stop, _task) = serve(state).await;
    let own = format!("http://{addr}");

    let refused = connect(&addr, "vantage.live.v1", Some(&own))
        .await
        .expect_err("no credentials");
    assert_eq!(status_of(refused), 401);

    let bearer = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("a wall screen's token");
    let protocols = format!("vantage.live.v1, vantage.bearer.{bearer}");
    let (mut socket, chosen) = connect(&addr, &protocols, Some(&own))
        .await
        .expect("a bearer token as a subprotocol");
    assert_eq!(
        chosen.as_deref(),
        Some("vantage.live.v1"),
        "never echoes the token"
    );
    assert!(matches!(
        read(&mut socket).await,
        LiveMessage::Snapshot { .. }
    ));

    let refused = connect(&addr, &protocols, Some("https://evil.example"))
        .await
        .expect_err("another site");
    assert_eq!(status_of(refused), 403);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let embed = |panel: &str| {
        vantage_proxy::embed::mint(
            &vantage_proxy::embed::Claims {
                dashboard: "orchestrator-websocket".into(),
                panel: Some(panel.into()),
                vars: Default::default(),
                exp: now + 600,
                iat: now,
            },
            SECRET.as_bytes(),
        )
        .expect("mint")
    };
    let (mut socket, _) = connect(
        &addr,
        &format!("vantage.live.v1, vantage.embed.{}", embed("live-sessions")),
        Some(&own),
    )
    .await
    .expect("the live table's embed link reaches its stream");
    assert!(matches!(
        read(&mut socket).await,
        LiveMessage::Snapshot { .. }
    ));
    let refused = connect(
        &addr,
        &format!(
            "vantage.live.v1, vantage.embed.{}",
            embed("active-connections")
        ),
        Some(&own),
    )
    .await
    .expect_err("another panel's embed link");
    assert_eq!(status_of(refused), 403);
}

#[tokio::test]
async fn plain_http_gets_the_snapshot_with_an_etag_and_shares_the_poll() {
    let (url, fake) = backend(vec![session("a", 1)]).await;
    let state = state(&url, 100, 16, "");
    let (addr, _stop, _task) = serve(state).await;
    let client = reqwest::Client::new();
    let live = format!("http://{addr}/api/live/websocket-connections");
    let first = client.get(&live).send().await.expect("GET");
    assert_eq!(first.status(), 200);
    let etag = first
        .headers()
        .get("etag")
        .expect("an ETag")
        .to_str()
        .expect("text")
        .to_owned();
    let body: Msg = first.json().await.expect("json");
    assert!(matches!(body, LiveMessage::Snapshot { ref rows, .. } if keys(rows) == ["a"]));
    let again = client
        .get(&live)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(again.status(), 304, "unchanged");
    fake.lock().expect("lock").sessions[0].messages_sent = 5;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let changed = client
        .get(&live)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET");
    assert_eq!(changed.status(), 200);
    // Ten pollers at once share the hub's polls.
    let before = polls(&fake);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let client = client.clone();
        let live = live.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..5 {
                let _ = client.get(&live).send().await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("poller");
    }
    let made = polls(&fake) - before;
    let intervals = (started.elapsed().as_millis() / 100) as usize + 2;
    assert!(
        made <= intervals,
        "{made} polls for 50 GETs in {intervals} intervals"
    );
    let unknown = client
        .get(format!("http://{addr}/api/live/sessions"))
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_large_snapshot_comes_in_parts_that_fit_a_socket_buffer() {
    let sessions: Vec<_> = (0..2_000)
        .map(|i| session(&format!("s{i:05}"), 1))
        .collect();
    let (url, _fake) = backend(sessions).await;
    let state = state(&url, 100, 16, "");
    let mut viewer = state.live.sessions.join(&state).expect("join");
    let mut rows = Vec::new();
    let mut parts = 0;
    let seq = loop {
        let text = tokio::time::timeout(Duration::from_secs(5), viewer.next())
            .await
            .expect("a part in time")
            .expect("open");
        assert!(
            text.len() <= PART_BYTES + 4 * 1024,
            "part {parts} is {} bytes",
            text.len()
        );
        parts += 1;
        match serde_json::from_str::<Msg>(&text).expect("json") {
            LiveMessage::Snapshot {
                seq, rows: r, more, ..
            } => {
                assert_eq!(parts, 1, "the snapshot's first part comes first");
                rows.extend(r);
                if !more {
                    break seq;
                }
            }
            LiveMessage::Rows { seq, rows: r, more } => {
                assert!(parts > 1);
                rows.extend(r);
                if !more {
                    break seq;
                }
            }
            other => panic!("{other:?} inside a snapshot"),
        }
    };
    assert!(parts > 4, "{parts} parts for 2,000 rows");
    assert_eq!(rows.len(), 2_000);
    let distinct: std::collections::BTreeSet<&str> = keys(&rows).into_iter().collect();
    assert_eq!(distinct.len(), 2_000);
    // A viewer joining now gets the same parts, and diffs follow the snapshot's seq.
    let mut late = state.live.sessions.join(&state).expect("join");
    let LiveMessage::Snapshot {
        seq: late_seq,
        more: true,
        ..
    } = next(&mut late).await
    else {
        panic!("a snapshot in parts");
    };
    assert!(late_seq >= seq);
    // Over HTTP the snapshot is one message.
    let (_, whole) = state.live.sessions.current().expect("a snapshot");
    let LiveMessage::Snapshot {
        rows, more: false, ..
    } = serde_json::from_str::<Msg>(&whole).expect("json")
    else {
        panic!("one whole snapshot");
    };
    assert_eq!(rows.len(), 2_000);
}
