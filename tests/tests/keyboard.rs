//! The console driven by the keyboard alone in headless Chromium against the demo stack:
//! open a dashboard from the list, change its time range, open the share dialog (focus
//! inside and kept there, Escape closes it and the focus returns), read a chart point by
//! point with the arrow keys (what the live region announces), zoom with `-`, show the
//! chart as a table, and reset a circuit breaker through its confirmation. Only key
//! presses act on the page; scripts only read it.

use fantoccini::key::Key;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use vantage_e2e::browser::Browser;
use vantage_e2e::shared::SharedStack;
use vantage_e2e::stack::Stack;

static STACK: SharedStack = SharedStack::new();
/// One browser at a time: the tests share two cores with the stack.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn stack() -> Arc<Stack> {
    STACK
        .get(|| async {
            let stack = Stack::start(Duration::from_secs(2)).await;
            stack.wait_for_scrapes(3).await;
            stack
        })
        .await
}

/// Presses `keys` on the focused element (or the page when nothing is focused).
async fn press(browser: &Browser, keys: &[Key]) {
    let text: String = keys.iter().map(|k| char::from(*k)).collect();
    let target = browser
        .client
        .active_element()
        .await
        .expect("an active element");
    target.send_keys(&text).await.expect("keys sent");
}

/// Types `text` into the focused element.
async fn press_text(browser: &Browser, text: &str) {
    let target = browser
        .client
        .active_element()
        .await
        .expect("an active element");
    target.send_keys(text).await.expect("keys sent");
}

/// What has the focus: tag, text, aria-label, classes, and whether it is inside `inside`
/// (a CSS selector).
async fn focused(browser: &Browser, inside: &str) -> Value {
    browser
        .eval(
            "const e = document.activeElement;
             return { tag: e.tagName.toLowerCase(), text: (e.textContent || '').trim(),
                      label: e.getAttribute('aria-label') || '', class: e.className || '',
                      href: e.getAttribute('href') || '',
                      inside: !!(arguments[0] && e.closest(arguments[0])) };",
            vec![Value::from(inside)],
        )
        .await
}

/// Presses Tab until the focused element satisfies `check` (at most `max` presses).
async fn tab_to(browser: &Browser, what: &str, max: usize, check: impl Fn(&Value) -> bool) {
    for _ in 0..max {
        press(browser, &[Key::Tab]).await;
        if check(&focused(browser, "").await) {
            return;
        }
    }
    panic!("{what} never got the focus in {max} Tab presses");
}

async fn until(browser: &Browser, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = browser.eval(script, vec![]).await;
        if !value.is_null() && value != Value::Bool(false) {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens `path` and waits for its main landmark.
async fn open(browser: &Browser, stack: &Stack, path: &str) {
    browser
        .client
        .goto(&format!("{}{path}", stack.proxy_url))
        .await
        .expect("open page");
    until(
        browser,
        "the page",
        "return !!document.querySelector('main h1');",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_opens_and_its_range_changes_from_the_keyboard() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let browser = Browser::start(1400, 1000).await;
    open(&browser, &stack, "/").await;
    tab_to(&browser, "the cost attribution link", 80, |f| {
        f["href"] == "/d/cost-attribution"
    })
    .await;
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the dashboard",
        "return location.pathname === '/d/cost-attribution' && document.querySelector('main h1')?.textContent === 'Cost attribution';",
    )
    .await;

    // The range picker: Enter opens it, Escape closes it and the focus stays on it.
    tab_to(&browser, "the time range button", 30, |f| {
        f["class"]
            .as_str()
            .is_some_and(|c| c.contains("time-range-picker__toggle"))
    })
    .await;
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the range popover",
        "return !!document.querySelector('.time-range-picker__popover');",
    )
    .await;
    press(&browser, &[Key::Tab]).await;
    assert_eq!(
        focused(&browser, ".time-range-picker__popover").await["inside"],
        true,
        "Tab goes into the popover"
    );
    press(&browser, &[Key::Escape]).await;
    until(
        &browser,
        "the popover to close",
        "return !document.querySelector('.time-range-picker__popover');",
    )
    .await;
    let back = focused(&browser, "").await;
    assert!(
        back["class"]
            .as_str()
            .is_some_and(|c| c.contains("time-range-picker__toggle")),
        "the focus returns to the button: {back}"
    );
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the range popover",
        "return !!document.querySelector('.time-range-picker__popover');",
    )
    .await;
    tab_to(&browser, "Last 15 minutes", 30, |f| {
        f["text"] == "Last 15 minutes"
    })
    .await;
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the new range in the URL",
        "return location.search.includes('from=now-15m') && !document.querySelector('.time-range-picker__popover');",
    )
    .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_share_dialog_keeps_the_focus_and_gives_it_back() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let browser = Browser::start(1400, 1000).await;
    open(
        &browser,
        &stack,
        "/d/cost-attribution?from=now-15m&to=now&refresh=off",
    )
    .await;
    tab_to(&browser, "the Share button", 40, |f| {
        f["tag"] == "button" && f["text"] == "Share"
    })
    .await;
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the share dialog",
        "return !!document.querySelector('.share-dialog');",
    )
    .await;
    let first = focused(&browser, ".share-dialog").await;
    assert_eq!(
        first["inside"], true,
        "the focus moves into the dialog: {first}"
    );
    // Round and round: forwards past the last control and backwards past the first,
    // the focus never leaves.
    for i in 0..40 {
        press(&browser, &[Key::Tab]).await;
        let now = focused(&browser, ".share-dialog").await;
        assert_eq!(now["inside"], true, "Tab {i} left the dialog: {now}");
    }
    for i in 0..15 {
        press(&browser, &[Key::Shift, Key::Tab, Key::Null]).await;
        let now = focused(&browser, ".share-dialog").await;
        assert_eq!(now["inside"], true, "Shift-Tab {i} left the dialog: {now}");
    }
    press(&browser, &[Key::Escape]).await;
    until(
        &browser,
        "the dialog to close",
        "return !document.querySelector('.share-dialog');",
    )
    .await;
    let back = focused(&browser, "").await;
    assert_eq!(
        back["text"], "Share",
        "the focus returns to the Share button: {back}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chart_is_read_point_by_point_and_zoomed_with_keys() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let browser = Browser::start(1400, 1000).await;
    open(
        &browser,
        &stack,
        "/d/cost-attribution?from=now-10m&to=now&refresh=off",
    )
    .await;
    until(
        &browser,
        "a drawn chart",
        "return document.querySelector('.ts-chart')?.closest('section.panel')?.dataset.state === 'ready';",
    )
    .await;
    tab_to(&browser, "the chart", 80, |f| f["tag"] == "canvas").await;
    let described = browser
        .eval(
            "const c = document.activeElement;
             return { name: c.getAttribute('aria-label'),
                      summary: document.getElementById(c.getAttribute('aria-describedby')).textContent };",
            vec![],
        )
        .await;
    assert!(
        described["summary"]
            .as_str()
            .is_some_and(|s| s.contains("series") && s.contains("max") && s.contains("last")),
        "the chart has a summary: {described}"
    );
    let announced = "return document.activeElement.closest('.ts-chart').querySelector('[aria-live]').textContent;";
    press(&browser, &[Key::End]).await;
    let last = browser.eval(announced, vec![]).await;
    let last = last.as_str().unwrap_or_default().to_owned();
    assert!(
        last.contains(':') && last.contains(", "),
        "the last point is announced with its time and values: {last:?}"
    );
    press(&browser, &[Key::Left]).await;
    let before = browser.eval(announced, vec![]).await;
    assert_ne!(
        before.as_str(),
        Some(last.as_str()),
        "Left moves to the point before"
    );
    assert!(
        browser
            .eval("return !!document.activeElement.closest('.ts-chart').querySelector('.ts-chart__crosshair');", vec![])
            .await
            == Value::Bool(true),
        "the crosshair shows where"
    );
    press(&browser, &[Key::Right]).await;
    assert_eq!(
        browser.eval(announced, vec![]).await.as_str(),
        Some(last.as_str()),
        "Right comes back"
    );
    // `-` zooms out as a drag zooms in: the range becomes absolute and wider.
    press_text(&browser, "-").await;
    let range = until(
        &browser,
        "a wider absolute range",
        "const p = new URLSearchParams(location.search);
         const from = Number(p.get('from')), to = Number(p.get('to'));
         return (from > 0 && to > 0) ? (to - from) / 1000 : null;",
    )
    .await;
    assert!(
        range.as_f64().is_some_and(|s| s > 1000.0),
        "ten minutes became about twenty: {range}"
    );
    // The same data as a table.
    tab_to(&browser, "Show as table", 80, |f| {
        f["text"] == "Show as table"
    })
    .await;
    press(&browser, &[Key::Enter]).await;
    let rows = until(
        &browser,
        "the table",
        "const t = document.querySelector('.chart-table tbody'); return t && t.rows.length > 0 ? t.rows.length : null;",
    )
    .await;
    assert!(rows.as_u64().is_some_and(|n| n > 1), "{rows}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breaker_is_reset_through_its_confirmation() {
    let stack = stack().await;
    let _one = BROWSER.lock().await;
    let browser = Browser::start(1400, 1000).await;
    open(&browser, &stack, "/circuit-breakers").await;
    until(
        &browser,
        "the breakers",
        "return document.querySelectorAll('button[aria-label^=\"Reset \"]').length > 0;",
    )
    .await;
    tab_to(&browser, "a Reset button", 60, |f| {
        f["label"].as_str().is_some_and(|l| l.starts_with("Reset "))
    })
    .await;
    let reset = focused(&browser, "").await["label"].clone();
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the confirmation",
        "return !!document.querySelector('[role=dialog]');",
    )
    .await;
    assert_eq!(
        focused(&browser, "[role=dialog]").await["text"],
        "Cancel",
        "the safe choice has the focus"
    );
    press(&browser, &[Key::Escape]).await;
    until(
        &browser,
        "the confirmation to close",
        "return !document.querySelector('[role=dialog]');",
    )
    .await;
    assert_eq!(
        focused(&browser, "").await["label"],
        reset,
        "the focus is back on Reset"
    );
    press(&browser, &[Key::Enter]).await;
    until(
        &browser,
        "the confirmation",
        "return !!document.querySelector('[role=dialog]');",
    )
    .await;
    press(&browser, &[Key::Tab]).await;
    assert_eq!(
        focused(&browser, "[role=dialog]").await["text"],
        "Reset breaker"
    );
    press(&browser, &[Key::Enter]).await;
    let outcome = until(
        &browser,
        "the outcome",
        "const s = document.querySelector('.banner[role=status]'); return s ? s.textContent : null;",
    )
    .await;
    assert!(
        outcome.as_str().is_some_and(|t| !t.contains("failed")),
        "the reset went through: {outcome}"
    );
    browser.close().await;
}
