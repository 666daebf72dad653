//! The console in a real browser against the demo stack: every built-in dashboard opens
//! and every panel shows data (no error; a drawn canvas, rows, bars or a number), in the
//! light and the dark theme, with a full-page screenshot of each; and every other page
//! (explore, circuit breakers, alerts, catalog, status) renders its content.

use serde_json::{Value, json};
use std::time::{Duration, Instant};
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::stack::Stack;

/// What each panel on the page shows: title, state, coloured canvas pixels, table rows,
/// bars, and the stat's text.
const PANEL_REPORT: &str = r#"
    return Array.from(document.querySelectorAll('section.panel')).map(panel => {
        let coloured = 0;
        for (const canvas of panel.querySelectorAll('canvas')) {
            if (!canvas.width || !canvas.height) continue;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 0; i < data.length; i += 16) {
                const max = Math.max(data[i], data[i + 1], data[i + 2]);
                const min = Math.min(data[i], data[i + 1], data[i + 2]);
                if (max - min > 40) coloured++;
            }
        }
        const stat = panel.querySelector('.stat-value');
        return {
            title: (panel.querySelector('h2') || {}).textContent || '',
            state: panel.dataset.state || '',
            error: (panel.querySelector('.panel__error') || {}).textContent || '',
            coloured,
            rows: panel.querySelectorAll('tbody tr').length,
            bars: panel.querySelectorAll('.bar-list__row').length,
            stat: stat ? stat.textContent : null,
        };
    });
"#;

fn shows_data(panel: &Value) -> bool {
    let num = |k: &str| panel[k].as_i64().unwrap_or(0);
    let stat_ok = panel["stat"]
        .as_str()
        .is_some_and(|s| !s.is_empty() && s != "–");
    panel["state"] == "ready"
        && (num("coloured") > 0 || num("rows") > 0 || num("bars") > 0 || stat_ok)
}

/// Waits until no panel is loading (or 30 s), then returns the report.
async fn settled_panels(browser: &Browser) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = browser.eval(PANEL_REPORT, vec![]).await;
        let panels = report.as_array().cloned().unwrap_or_default();
        let pending = panels.iter().any(|p| p["state"] == "loading") || panels.is_empty();
        if (!pending && panels.iter().all(shows_data)) || Instant::now() > deadline {
            // One more frame so that canvases that just got data have drawn.
            tokio::time::sleep(Duration::from_millis(300)).await;
            return browser
                .eval(PANEL_REPORT, vec![])
                .await
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Makes the window as tall as the page and saves a screenshot.
async fn full_page_screenshot(browser: &Browser, path: &std::path::Path) {
    let height = browser
        .eval("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .unwrap_or(1000);
    let _ = browser
        .client
        .set_window_size(1400, (height as u32).clamp(600, 8000))
        .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    browser.screenshot(path).await;
    let _ = browser.client.set_window_size(1400, 1000).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_dashboard_and_page_shows_data() {
    let out = output_dir("console_pages");
    let stack = Stack::start(Duration::from_secs(1)).await;
    stack.wait_for_scrapes(20).await;
    let list: Vec<Value> = reqwest::get(format!("{}/api/dashboards", stack.proxy_url))
        .await
        .expect("dashboard list")
        .json()
        .await
        .expect("json list");
    assert!(
        list.len() >= 10,
        "the proxy serves the built-in dashboards: {list:?}"
    );

    let browser = Browser::start(1400, 1000).await;
    let mut failures = Vec::new();
    for theme in ["light", "dark"] {
        for dashboard in &list {
            let id = dashboard["id"].as_str().expect("id");
            let url = format!(
                "{}/d/{id}?from=now-5m&to=now&theme={theme}&refresh=off",
                stack.proxy_url
            );
            browser.client.goto(&url).await.expect("open dashboard");
            let panels = settled_panels(&browser).await;
            if panels.is_empty() {
                failures.push(format!("{id} ({theme}): no panels rendered"));
            }
            for panel in panels.iter().filter(|p| !shows_data(p)) {
                failures.push(format!("{id} ({theme}): panel {panel}"));
            }
            full_page_screenshot(&browser, &out.join(format!("{id}-{theme}.png"))).await;
        }
    }

    // The other pages: each must show its main content, not an error.
    let pages = [
        (
            "explore",
            "/explore?from=now-5m&expr=sum%20by%20(repository)%20(orchestrator_cost_attribution)",
            "table[aria-label=\"Table\"] tbody tr",
        ),
        (
            "circuit-breakers",
            "/circuit-breakers?from=now-5m",
            "table[aria-label=\"Circuit breakers\"] tbody tr",
        ),
        ("alerts", "/alerts", ".rule-group"),
        ("catalog", "/catalog", ".catalog-category li"),
        (
            "status",
            "/status",
            "table[aria-label=\"Health checks\"] .badge--ok",
        ),
        ("dashboards", "/", ".dashboard-card"),
    ];
    for (name, path, selector) in pages {
        browser
            .client
            .goto(&format!("{}{path}", stack.proxy_url))
            .await
            .expect("open page");
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut found = 0;
        while Instant::now() < deadline {
            found = browser
                .eval(
                    "return document.querySelectorAll(arguments[0]).length;",
                    vec![json!(selector)],
                )
                .await
                .as_i64()
                .unwrap_or(0);
            if found > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        full_page_screenshot(&browser, &out.join(format!("page-{name}.png"))).await;
        if found == 0 {
            failures.push(format!("page {name}: nothing matches {selector}"));
        }
    }
    browser.close().await;
    drop(stack);
    assert!(
        failures.is_empty(),
        "panels or pages without data:\n{}",
        failures.join("\n")
    );
}
