//! Time from navigation start to every panel painted, on the seed 000 cost dashboard
//! served by the proxy of `vantage_e2e::stack::Stack` (demo, Prometheus, proxy).
//!
//! A script installed with DevTools' `Page.addScriptToEvaluateOnNewDocument` runs in the
//! console's document before the console's own code and checks every animation frame:
//! the dashboard is painted when every `section.panel` has `data-state="ready"` and
//! every canvas in a panel has coloured pixels (the same test as
//! `tests/tests/console_pages.rs`). The time is `performance.now()` in that frame, which
//! counts from the navigation's start. The cost page's benchmark (`cost.rs`) uses the
//! same watcher and loads.

use crate::chrome::Chrome;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use vantage_e2e::stack::Stack;

const PATH: &str = "/d/cost-attribution";
/// One hour: the stack is only minutes old, and at the dashboard's default of 24 hours the
/// step is so long that the "Total cost" stat has no point yet on a fresh stack.
const QUERY: &str = "?from=now-1h&to=now";

/// Watches pages whose path starts with `__PATH_PREFIX__`.
const WATCHER: &str = r#"
(() => {
  if (!location.pathname.startsWith('__PATH_PREFIX__')) return;
  const out = window.__vantageBench = { done: false };
  // Main-thread tasks over 50 ms, to tell work from waiting.
  const longTasks = [];
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e => longTasks.push([e.startTime, e.duration])))
      .observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const paintedCanvases = new WeakSet();
  function painted(canvas) {
    if (paintedCanvases.has(canvas)) return true;
    if (!canvas.width || !canvas.height) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 8) {
      const max = Math.max(data[i], data[i + 1], data[i + 2]);
      const min = Math.min(data[i], data[i + 1], data[i + 2]);
      if (max - min > 40) { paintedCanvases.add(canvas); return true; }
    }
    return false;
  }
  function frame() {
    const now = performance.now();
    const panels = Array.from(document.querySelectorAll('section.panel'));
    const ready = panels.filter(p => p.dataset.state === 'ready');
    if (ready.length && out.firstReady === undefined) out.firstReady = now;
    // Pixels are read only once every panel says ready: reading them costs time.
    const all = panels.length > 0 && ready.length === panels.length
      && panels.every(p => Array.from(p.querySelectorAll('canvas')).every(painted));
    if (all) {
      const nav = performance.getEntriesByType('navigation')[0] || {};
      const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm')) || {};
      const api = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/'));
      const lastEnd = Math.max(0, ...api.map(e => e.responseEnd));
      const slowest = api.reduce((a, e) => (!a || e.duration > a.duration ? e : a), null);
      Object.assign(out, {
        done: true,
        painted: now,
        panels: panels.length,
        canvases: document.querySelectorAll('section.panel canvas').length,
        domContentLoaded: nav.domContentLoadedEventEnd,
        wasmStart: wasm.startTime,
        wasmEnd: wasm.responseEnd,
        wasmTransfer: wasm.transferSize,
        apiRequests: api.length,
        apiLastEnd: lastEnd,
        // The first request for a panel's data (a query or the proxy's panel endpoint).
        panelFirstStart: Math.min(...api.filter(e => /\/api\/v1\/query|\/panels\//.test(e.name)).map(e => e.startTime)),
        definitionEnd: (api.find(e => /\/api\/dashboards\/[^/?]+$/.test(new URL(e.name).pathname)) || {}).responseEnd,
        apiSlowest: slowest ? new URL(slowest.name).pathname : null,
        apiSlowestMs: slowest ? slowest.duration : null,
        rows: document.querySelectorAll('section.panel tbody tr').length,
        longTasks: longTasks.map(([s, d]) => Math.round(s) + '+' + Math.round(d)).join(' '),
        // Of the time between the last answer and the paint, how much long tasks took.
        busyAfterLast: longTasks.reduce((sum, [s, d]) => sum + Math.max(0, Math.min(s + d, now) - Math.max(s, lastEnd)), 0),
        announced: (api.find(e => e.name.includes('/first-queries')) || {}).startTime,
        announcedEnd: (api.find(e => e.name.includes('/first-queries')) || {}).responseEnd,
        consoleStarted: (performance.getEntriesByName('vantage:start')[0] || {}).startTime,
        dashboardBuilt: (performance.getEntriesByName('vantage:dashboard')[0] || {}).startTime,
      });
      return;
    }
    if (now > 30000) {
      out.done = true;
      out.timeout = panels.map(p => (p.querySelector('h2') || {}).textContent + ': ' + p.dataset.state);
      return;
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
"#;

/// One load of a page in `chrome`; returns what the watcher recorded.
pub async fn load(chrome: &Chrome, url: &str) -> Value {
    chrome
        .client
        .goto("about:blank")
        .await
        .expect("about:blank");
    let started = Instant::now();
    chrome.client.goto(url).await.expect("open the page");
    let navigated = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let state = chrome
            .eval("return window.__vantageBench || null;", vec![])
            .await;
        if state["done"] == true || Instant::now() > deadline {
            eprintln!(
                "  navigation returned after {navigated:.1?}, done after {:.1?}: {state}",
                started.elapsed()
            );
            return state;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A browser that records the paint of every page under `path_prefix` it loads.
pub async fn start_chrome(path_prefix: &str) -> Chrome {
    let chrome = Chrome::start(1400, 1000, 1.0).await;
    let source = WATCHER.replace("__PATH_PREFIX__", path_prefix);
    chrome
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await;
    chrome
}

/// `loads` cold loads (each in a new browser with an empty profile: no HTTP cache, no
/// compiled-code cache) and `loads` warm ones (one browser, after a first load).
pub async fn run(loads: u64) -> Value {
    eprintln!("dashboard: starting demo, Prometheus and proxy");
    let stack = Stack::start(Duration::from_secs(1)).await;
    stack.wait_for_scrapes(45).await;
    let url = format!("{}{PATH}{QUERY}", stack.proxy_url);
    let mut cold = Vec::new();
    for i in 0..loads {
        eprintln!("dashboard: cold load {}", i + 1);
        let chrome = start_chrome("/d/").await;
        cold.push(load(&chrome, &url).await);
        chrome.close().await;
    }
    let mut warm = Vec::new();
    let chrome = start_chrome("/d/").await;
    let first = load(&chrome, &url).await;
    for i in 0..loads {
        eprintln!("dashboard: warm load {}", i + 1);
        warm.push(load(&chrome, &url).await);
    }
    chrome.close().await;
    drop(stack);
    json!({ "url_path": format!("{PATH}{QUERY}"), "cold": cold, "warm": warm, "first_of_warm_session": first })
}

pub fn median_p95(values: &mut [f64]) -> (f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    let at =
        |q: f64| values[((q * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1];
    (at(0.5), at(0.95))
}

/// Prints the table.
pub fn print(results: &Value, loads: u64) {
    println!(
        "### Dashboard `{PATH}{QUERY}` against the demo stack: navigation start to every panel painted (ms, median / p95 of {loads} loads)\n"
    );
    print_loads(results);
}

/// The cold and warm rows of one page's loads (`results` holds `cold` and `warm`).
pub fn print_loads(results: &Value) {
    println!(
        "| cache | all panels painted | first panel ready | DOMContentLoaded | wasm response end | definition response end | first panel query sent | console started | dashboard built | last /api response end | painted after the last answer | of it in long tasks | panels (canvases) | wasm bytes over the wire | loads that timed out |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for kind in ["cold", "warm"] {
        let runs = results[kind].as_array().cloned().unwrap_or_default();
        let ok: Vec<&Value> = runs.iter().filter(|r| r.get("painted").is_some()).collect();
        let column = |key: &str| -> String {
            let mut values: Vec<f64> = ok.iter().filter_map(|r| r[key].as_f64()).collect();
            let (m, p) = median_p95(&mut values);
            format!("{m:.0} / {p:.0}")
        };
        let after_last = {
            let mut values: Vec<f64> = ok
                .iter()
                .filter_map(|r| Some(r["painted"].as_f64()? - r["apiLastEnd"].as_f64()?))
                .collect();
            let (m, p) = median_p95(&mut values);
            format!("{m:.0} / {p:.0}")
        };
        let first = ok.first();
        println!(
            "| {kind} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} | {} |",
            column("painted"),
            column("firstReady"),
            column("domContentLoaded"),
            column("wasmEnd"),
            column("definitionEnd"),
            column("panelFirstStart"),
            column("consoleStarted"),
            column("dashboardBuilt"),
            column("apiLastEnd"),
            after_last,
            column("busyAfterLast"),
            first.map_or(Value::Null, |r| r["panels"].clone()),
            first.map_or(Value::Null, |r| r["canvases"].clone()),
            first.map_or(Value::Null, |r| r["wasmTransfer"].clone()),
            runs.len() - ok.len(),
        );
    }
    for kind in ["cold", "warm"] {
        for r in results[kind].as_array().into_iter().flatten() {
            if let Some(t) = r.get("timeout") {
                println!("\n{kind} load timed out; panel states: {t}");
            }
        }
    }
    println!();
}
