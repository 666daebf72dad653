//! The live sessions table in a real browser against the real demo, Prometheus and
//! proxy: it shows the demo's sessions and follows their changes, survives a proxy
//! restart (a clean close, reconnection, a fresh snapshot), shows the stale state while
//! the demo backend is down and recovers when it returns, pauses while the tab is
//! hidden, falls back to HTTP polling where WebSockets cannot be opened, and works as
//! an embedded panel with a signed link. Screenshots (light and dark) go to
//! `target/e2e-output/live_table/`.

use serde_json::Value;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::process::{Process, wait_http_ok, workspace_binary};
use vantage_e2e::stack::Stack;
use vantage_proxy::embed::{Claims, mint};

const SECRET: &str = "an-embed-secret-of-at-least-32-bytes!";

/// What the live panel shows: mode, snapshots applied, frame state, count, the rows in
/// the DOM (key, Sent cell, highlighted) and the error line.
const TABLE: &str = r#"
    const panel = document.querySelector('[data-live="websocket-connections"]');
    if (!panel) return null;
    const section = panel.querySelector('section.panel');
    const total = panel.querySelector('.live-table__total');
    const rows = Array.from(panel.querySelectorAll('tr.live-row')).map(tr => ({
        key: tr.dataset.key,
        sent: tr.children[4] ? tr.children[4].textContent : '',
        flash: tr.className.includes('flash'),
    }));
    const error = panel.querySelector('.panel__error');
    return {
        mode: panel.dataset.mode,
        snapshots: Number(panel.dataset.snapshots),
        state: section ? section.dataset.state : '',
        total: total ? Number(total.textContent) : -1,
        rows,
        error: error ? error.textContent : '',
        nav: !!document.querySelector('nav.topbar'),
    };
"#;

fn port_of(url: &str) -> u16 {
    url.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port")
}

/// Polls the table until `done` holds (or panics after `timeout` with the last state).
async fn wait_table(
    browser: &Browser,
    what: &str,
    timeout: Duration,
    mut done: impl FnMut(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        let state = browser.eval(TABLE, vec![]).await;
        if !state.is_null() && done(&state) {
            return state;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}; the table: {state}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn rows(state: &Value) -> BTreeMap<String, String> {
    state["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r["key"].as_str().unwrap_or_default().to_owned(),
                        r["sent"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The demo's session ids right now.
async fn demo_sessions(demo: &str) -> BTreeSet<String> {
    let answer: Value = reqwest::get(format!("{demo}/api/metrics/websocket/connections"))
        .await
        .expect("demo answers")
        .json()
        .await
        .expect("json");
    answer["activeConnections"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r["sessionId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits until the table counts exactly the demo's sessions and every row it draws is
/// one of them (the demo's churn makes this a moving target, hence the retries).
async fn wait_matches_demo(browser: &Browser, demo: &str, timeout: Duration) -> Value {
    let deadline = Instant::now() + timeout;
    loop {
        let before = demo_sessions(demo).await;
        let state = browser.eval(TABLE, vec![]).await;
        let after = demo_sessions(demo).await;
        if !state.is_null() {
            let shown = rows(&state);
            let total = state["total"].as_u64().unwrap_or(0) as usize;
            let known = |k: &String| before.contains(k) || after.contains(k);
            if !shown.is_empty()
                && (total == before.len() || total == after.len())
                && shown.keys().all(known)
            {
                return state;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the table never matched the demo's {} sessions: {state}",
            after.len()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Sends SIGTERM to a process (by its pid).
fn terminate(pid: u32) {
    let sent = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(sent.success());
}

/// Whether a process has exited (it may not be reaped yet).
fn exited(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit(')')
        .next()
        .and_then(|s| s.split_whitespace().next());
    stat.is_empty() || state == Some("Z")
}

/// Waits until nothing accepts connections on `port` any more.
async fn wait_closed(port: u16, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_ok()
    {
        assert!(
            Instant::now() < deadline,
            "port {port} still accepts connections {timeout:?} after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn start_proxy(port: u16, stack: &Stack, dir: &Path, name: &str) -> Process {
    let mut command = Command::new(workspace_binary("vantage-proxy"));
    command
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--upstream", &stack.prometheus_url])
        .args(["--backend", &stack.demo_url])
        .args(["--live-interval", "1s"])
        .env("VANTAGE_EMBED_SECRET", SECRET)
        .env_remove("VANTAGE_CONFIG");
    let process = Process::start(name, command, dir);
    wait_http_ok(
        &format!("http://127.0.0.1:{port}/healthz"),
        Duration::from_secs(30),
    )
    .await;
    process
}

async fn start_demo(port: u16, dir: &Path, sessions: Option<u32>) -> Process {
    let mut command = Command::new(workspace_binary("vantage-demo"));
    command.args(["--listen", &format!("127.0.0.1:{port}"), "--seed", "43"]);
    if let Some(sessions) = sessions {
        command.args(["--sessions", &sessions.to_string()]);
    }
    let process = Process::start("demo-again", command, dir);
    wait_http_ok(
        &format!("http://127.0.0.1:{port}/metrics"),
        Duration::from_secs(30),
    )
    .await;
    process
}

fn embed_token(panel: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    mint(
        &Claims {
            dashboard: "orchestrator-websocket".into(),
            panel: Some(panel.into()),
            vars: BTreeMap::new(),
            exp: now + 600,
            iat: now,
        },
        SECRET.as_bytes(),
    )
    .expect("mint")
}

#[tokio::test(flavor = "multi_thread")]
async fn live_table_follows_the_backend_through_restarts() {
    let out = output_dir("live_table");
    let mut stack = Stack::start(Duration::from_secs(1)).await;
    let browser = Browser::start(1500, 1000).await;
    let proxy = stack.proxy_url.clone();
    let demo = stack.demo_url.clone();

    // ---- The table appears, over a WebSocket, and shows the demo's sessions.
    browser
        .client
        .goto(&format!("{proxy}/live?theme=light&from=now-5m"))
        .await
        .expect("open /live");
    wait_table(
        &browser,
        "the first snapshot",
        Duration::from_secs(20),
        |s| s["mode"] == "websocket" && s["total"].as_i64().unwrap_or(0) > 0,
    )
    .await;
    let state = wait_matches_demo(&browser, &demo, Duration::from_secs(20)).await;
    assert_eq!(state["state"], "ready", "{state}");

    // ---- It follows the demo's changes: counters move, rows are highlighted.
    let before = rows(&state);
    let mut highlighted = false;
    wait_table(&browser, "a row to change", Duration::from_secs(20), |s| {
        highlighted |= s["rows"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["flash"] == true));
        rows(s)
            .iter()
            .any(|(key, sent)| before.get(key).is_some_and(|was| was != sent))
    })
    .await;
    wait_table(
        &browser,
        "a highlighted row",
        Duration::from_secs(10),
        |s| {
            highlighted |= s["rows"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["flash"] == true));
            highlighted
        },
    )
    .await;
    browser.screenshot(&out.join("live-light.png")).await;
    browser
        .client
        .goto(&format!("{proxy}/live?theme=dark&from=now-5m"))
        .await
        .expect("open /live dark");
    wait_matches_demo(&browser, &demo, Duration::from_secs(20)).await;
    // Let the health panels beside it draw.
    tokio::time::sleep(Duration::from_secs(2)).await;
    browser.screenshot(&out.join("live-dark.png")).await;

    // ---- A proxy restart: a clean close, reconnection, a fresh snapshot.
    let snapshots = browser.eval(TABLE, vec![]).await["snapshots"]
        .as_u64()
        .unwrap_or(0);
    let stopping = stack.proxy.pid();
    terminate(stopping);
    wait_closed(port_of(&proxy), Duration::from_secs(5)).await;
    let state = wait_table(
        &browser,
        "the reconnecting state",
        Duration::from_secs(10),
        |s| s["mode"] == "reconnecting",
    )
    .await;
    assert_eq!(
        state["state"], "stale",
        "the last rows stay, marked: {state}"
    );
    assert!(state["total"].as_i64().unwrap_or(0) > 0, "{state}");
    let new_proxy = start_proxy(port_of(&proxy), &stack, &out, "proxy-again").await;
    let mut old_proxy = std::mem::replace(&mut stack.proxy, new_proxy);
    wait_table(&browser, "a reconnection", Duration::from_secs(40), |s| {
        s["mode"] == "websocket" && s["snapshots"].as_u64().unwrap_or(0) > snapshots
    })
    .await;
    // The old proxy finishes on its own (background work may delay its exit a little).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !exited(stopping) {
        assert!(
            Instant::now() < deadline,
            "the old proxy did not exit after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    old_proxy.stop();
    let state = wait_matches_demo(&browser, &demo, Duration::from_secs(20)).await;
    assert_eq!(state["state"], "ready", "{state}");

    // ---- The backend goes away: the last rows stay, marked stale with the reason.
    let total_before = state["total"].as_i64().unwrap_or(0);
    stack.demo.stop();
    let state = wait_table(&browser, "the stale state", Duration::from_secs(15), |s| {
        s["state"] == "stale"
    })
    .await;
    let error = state["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("has not answered since") && error.contains("cannot connect"),
        "{error}"
    );
    assert_eq!(
        state["mode"], "websocket",
        "the stream itself is fine: {state}"
    );
    assert!(
        (state["total"].as_i64().unwrap_or(0) - total_before).abs() <= 2
            && !rows(&state).is_empty(),
        "the last rows are kept: {state}"
    );
    browser.screenshot(&out.join("live-stale.png")).await;
    // ... and comes back: fresh again, with the new backend's sessions.
    stack.demo = start_demo(port_of(&demo), &out, None).await;
    let state = wait_matches_demo(&browser, &demo, Duration::from_secs(30)).await;
    assert_eq!(state["state"], "ready", "{state}");
    assert_eq!(state["error"], "", "{state}");

    // ---- Hidden tab: the stream is let go; visible again with WebSockets blocked on
    // the way (a stand-in that never opens): HTTP polling takes over.
    browser
        .eval(
            r#"Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
               document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));"#,
            vec![],
        )
        .await;
    wait_table(&browser, "the paused state", Duration::from_secs(5), |s| {
        s["mode"] == "paused"
    })
    .await;
    browser
        .eval(
            r#"window.WebSocket = class {
                   constructor() { this.readyState = 0; setTimeout(() => { this.readyState = 3;
                       if (this.onclose) this.onclose({ code: 1006, reason: '' }); }, 20); }
                   send() {} close() { this.readyState = 3; }
               };
               Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
               document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));"#,
            vec![],
        )
        .await;
    let state = wait_table(&browser, "HTTP polling", Duration::from_secs(10), |s| {
        s["mode"] == "polling"
    })
    .await;
    let before = rows(&state);
    wait_table(
        &browser,
        "a change over HTTP polling",
        Duration::from_secs(20),
        |s| {
            rows(s)
                .iter()
                .any(|(key, sent)| before.get(key).is_some_and(|was| was != sent))
        },
    )
    .await;
    wait_matches_demo(&browser, &demo, Duration::from_secs(20)).await;

    // ---- The table as an embedded panel, with a signed link and no login, of a backend
    // with so many sessions that its snapshot comes in parts.
    stack.demo.stop();
    stack.demo = start_demo(port_of(&demo), &out, Some(1_200)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while demo_sessions(&demo).await.len() < 1_100 {
        assert!(
            Instant::now() < deadline,
            "the demo did not reach 1,100 sessions"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    browser
        .client
        .goto(&format!(
            "{proxy}/embed/orchestrator-websocket/live-sessions?theme=dark&token={}",
            embed_token("live-sessions")
        ))
        .await
        .expect("open the embed");
    wait_table(
        &browser,
        "the embedded table",
        Duration::from_secs(20),
        |s| s["mode"] == "websocket" && s["total"].as_i64().unwrap_or(0) > 0,
    )
    .await;
    // A part holds a few hundred sessions: over a thousand means the parts were joined.
    let state = wait_table(
        &browser,
        "the embedded table's whole snapshot",
        Duration::from_secs(20),
        |s| s["total"].as_i64().unwrap_or(0) >= 1_000,
    )
    .await;
    assert_eq!(state["nav"], false, "an embed shows the panel alone");
    browser.screenshot(&out.join("live-embed-dark.png")).await;
    browser.close().await;
}
