//! What one live update costs the browser's main thread with 1,000 and 5,000 rows: from
//! the WebSocket message's text (a JS string, as `MessageEvent.data` holds it) through
//! decoding, the keyed store, the reactive updates and the DOM, to style and layout
//! forced by reading `offsetHeight`. Paint is not included (it follows in the frame).
//! Not part of the test suite: `scripts/bench-live.sh` runs it in release mode and
//! `BENCHMARKS.md` records the numbers. Goal: at most 8 ms per update.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use vantage_api::live::LiveMessage;
use vantage_api::management::WebSocketConnection as R;
use vantage_components::live_rows::LiveRows;
use vantage_components::live_table::{CountBy, LiveColumn, LiveTable};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A small deterministic generator, so every run applies the same updates.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn session(id: u64, sent: u64) -> R {
    R {
        session_id: format!(
            "{:012x}",
            id.wrapping_mul(0x9e37_79b9_7f4a_7c15) & 0xffff_ffff_ffff
        ),
        user_id: format!("user{}", id % 37),
        run_id: format!("550e8400-e29b-41d4-a716-{id:012}"),
        connected_at: "2026-11-23T01:15:35Z".into(),
        messages_sent: sent,
        messages_received: sent.saturating_sub(1),
        message_failures: sent / 200,
        reconnection_count: id % 3,
        average_latency: 20.0 + (id % 50) as f64 * 1.3,
        max_latency: 90 + id % 70,
        delivery_rate: 0.99 + (id % 10) as f64 / 1_000.0,
    }
}

/// The eleven columns of the console's sessions table, formatted the same way.
fn columns() -> Vec<LiveColumn<R>> {
    fn col(
        header: &'static str,
        numeric: bool,
        text: fn(&R, f64) -> String,
        compare: fn(&R, &R) -> std::cmp::Ordering,
    ) -> LiveColumn<R> {
        LiveColumn {
            header,
            width: "7em",
            numeric,
            text,
            compare,
            title: None,
            uses_now: false,
        }
    }
    vec![
        col(
            "Session",
            false,
            |r, _| r.session_id.clone(),
            |a, b| a.session_id.cmp(&b.session_id),
        ),
        col(
            "User",
            false,
            |r, _| r.user_id.clone(),
            |a, b| a.user_id.cmp(&b.user_id),
        ),
        col(
            "Run",
            false,
            |r, _| r.run_id.clone(),
            |a, b| a.run_id.cmp(&b.run_id),
        ),
        LiveColumn {
            uses_now: true,
            ..col(
                "Age",
                true,
                |r, now| format!("{}s", (now / 1000.0) as u64 % 600 + r.max_latency),
                |a, b| b.connected_at.cmp(&a.connected_at),
            )
        },
        col(
            "Sent",
            true,
            |r, _| r.messages_sent.to_string(),
            |a, b| a.messages_sent.cmp(&b.messages_sent),
        ),
        col(
            "Received",
            true,
            |r, _| r.messages_received.to_string(),
            |a, b| a.messages_received.cmp(&b.messages_received),
        ),
        col(
            "Failures",
            true,
            |r, _| r.message_failures.to_string(),
            |a, b| a.message_failures.cmp(&b.message_failures),
        ),
        col(
            "Reconnects",
            true,
            |r, _| r.reconnection_count.to_string(),
            |a, b| a.reconnection_count.cmp(&b.reconnection_count),
        ),
        col(
            "Avg latency",
            true,
            |r, _| format!("{:.1} ms", r.average_latency),
            |a, b| a.average_latency.total_cmp(&b.average_latency),
        ),
        col(
            "Max latency",
            true,
            |r, _| format!("{} ms", r.max_latency),
            |a, b| a.max_latency.cmp(&b.max_latency),
        ),
        col(
            "Delivery",
            true,
            |r, _| format!("{:.2} %", r.delivery_rate * 100.0),
            |a, b| a.delivery_rate.total_cmp(&b.delivery_rate),
        ),
    ]
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets every queued microtask (the reactive updates) run: the next task, by way of a
/// message to ourselves (unlike `setTimeout(0)`, never delayed by timer clamping).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let channel = web_sys::MessageChannel::new().expect("channel");
        channel.port1().set_onmessage(Some(resolve.unchecked_ref()));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits `ms` milliseconds.
async fn yield_to_browser(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One kind of update: the share of rows changed, and sessions that come and go.
struct Scenario {
    name: &'static str,
    changed_share: f64,
    churn_share: f64,
}

#[wasm_bindgen_test]
async fn cost_of_one_live_update() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let style = document.create_element("style").expect("style");
    style.set_text_content(Some(include_str!("../src/live_table.css")));
    let body = document.body().expect("body");
    body.append_child(&style).expect("css");
    let scenarios = [
        // A quiet moment: a handful of sessions report.
        Scenario {
            name: "1% changed",
            changed_share: 0.01,
            churn_share: 0.002,
        },
        // The demo's own rate: each session sends 0.6 messages/s, so in a 2 s poll
        // about 70% of the rows change, and about 1% come or go.
        Scenario {
            name: "70% changed (demo rate)",
            changed_share: 0.70,
            churn_share: 0.008,
        },
    ];
    let mut report = Vec::new();
    for n in [1_000u64, 5_000] {
        let root: web_sys::HtmlElement = document
            .create_element("div")
            .expect("div")
            .unchecked_into();
        root.style().set_property("width", "1200px").expect("style");
        body.append_child(&root).expect("append");
        let owner = Owner::new();
        let rows = owner.with(LiveRows::<R>::new);
        let mut live: Vec<R> = (0..n).map(|i| session(i, 1)).collect();
        let started = now_ms();
        rows.replace_all(live.clone(), 0.0);
        let handle = leptos::mount::mount_to(root.clone(), move || {
            view! {
                <LiveTable
                    rows=rows
                    columns=columns()
                    label="Sessions"
                    matches=|r: &R, needle: &str| r.session_id.contains(needle)
                    noun=("session", "sessions")
                    count_by=CountBy { label: "user", of: |r: &R| r.user_id.as_str() }
                    sort=(3, true)
                    height=420
                />
            }
        });
        next_task().await;
        let _ = root.offset_height();
        report.push(format!(
            "{n} rows: first snapshot drawn in {:.1} ms",
            now_ms() - started
        ));
        let mut random = Lcg(n);
        let mut next_id = n;
        let mut seq = 1;
        for scenario in &scenarios {
            let mut times = Vec::new();
            let mut parts = [0.0; 4];
            let mut bytes = 0;
            for _ in 0..25 {
                // The message, built outside the measurement.
                let mut changed = Vec::new();
                for row in live.iter_mut() {
                    if random.next() < scenario.changed_share {
                        row.messages_sent += 1 + (random.next() * 3.0) as u64;
                        row.messages_received = row.messages_sent - 1;
                        changed.push(row.clone());
                    }
                }
                let churn = ((n as f64 * scenario.churn_share).round() as usize).max(1);
                let mut removed = Vec::new();
                for _ in 0..churn {
                    let i = (random.next() * live.len() as f64) as usize % live.len();
                    let gone = live.swap_remove(i);
                    changed.retain(|c| c.session_id != gone.session_id);
                    removed.push(gone.session_id);
                }
                let added: Vec<R> = (0..churn)
                    .map(|_| {
                        next_id += 1;
                        session(next_id, 1)
                    })
                    .collect();
                live.extend(added.iter().cloned());
                seq += 1;
                let message = LiveMessage::Diff {
                    seq,
                    polled_at: 0,
                    added,
                    changed,
                    removed,
                };
                let text = serde_json::to_string(&message).expect("json");
                bytes = text.len();
                let data = wasm_bindgen::JsValue::from_str(&text);
                drop(text);

                let t0 = now_ms();
                let text = data.as_string().expect("text");
                let message: LiveMessage<R> = serde_json::from_str(&text).expect("decodes");
                let t1 = now_ms();
                if let LiveMessage::Diff {
                    added,
                    changed,
                    removed,
                    ..
                } = message
                {
                    rows.apply(added, changed, &removed, js_sys::Date::now());
                }
                let t2 = now_ms();
                next_task().await;
                let t3 = now_ms();
                let _ = root.offset_height();
                let t4 = now_ms();
                times.push(t4 - t0);
                parts[0] += t1 - t0;
                parts[1] += t2 - t1;
                parts[2] += t3 - t2;
                parts[3] += t4 - t3;
                // Let the highlight animations and timers run between updates.
                yield_to_browser(30).await;
            }
            let k = times.len() as f64;
            report.push(format!(
                "{n} rows, {}: mean decode {:.2} ms, apply {:.2} ms, reactive updates {:.2} ms, style and layout {:.2} ms",
                scenario.name,
                parts[0] / k,
                parts[1] / k,
                parts[2] / k,
                parts[3] / k
            ));
            times.sort_by(f64::total_cmp);
            report.push(format!(
                "{n} rows, {}: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (message {} KB)",
                scenario.name,
                percentile(&times, 0.5),
                percentile(&times, 0.95),
                times[times.len() - 1],
                bytes / 1024
            ));
        }
        drop(handle);
        owner.cleanup();
        body.remove_child(&root).expect("remove");
    }
    // The baseline: an empty yield, part of every measurement above.
    let mut idle = Vec::new();
    for _ in 0..20 {
        let t0 = now_ms();
        next_task().await;
        idle.push(now_ms() - t0);
    }
    idle.sort_by(f64::total_cmp);
    report.push(format!(
        "an empty yield alone: median {:.2} ms",
        percentile(&idle, 0.5)
    ));
    for line in &report {
        console_log!("live-table-cost: {line}");
    }
}
