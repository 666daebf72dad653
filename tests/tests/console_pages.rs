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

/// The page's preloaded queries, and the PromQL the console fetched with another URL
/// after it had been preloaded (a first-view plan that differs from the console's).
/// The same URL fetched again is no mismatch: two panels may ask the same question,
/// and one preload answers one of them.
const PRELOAD_REPORT: &str = r#"
const entries = performance.getEntriesByType('resource');
const query = e => {
  const url = new URL(e.name);
  return url.pathname.startsWith('/api/v1/query') ? url.pathname + ' ' + url.searchParams.get('query') : null;
};
const preloaded = entries.filter(e => e.initiatorType === 'link' && query(e));
const announced = new Set(preloaded.map(query));
const urls = new Set(preloaded.map(e => e.name));
const askedAgain = entries
  .filter(e => e.initiatorType === 'fetch' && announced.has(query(e)) && !urls.has(e.name))
  .map(e => e.name);
return { preloaded: preloaded.length, asked_again: askedAgain };
"#;

/// `/api/dashboards/{id}/first-queries`: the planned URLs, and a clear 400 or 404 for
/// what it cannot plan from.
async fn first_queries_endpoint(proxy: &str) {
    let get = |query: &str| {
        let url = format!("{proxy}/api/dashboards/{query}");
        async move {
            let response = reqwest::get(url).await.expect("first-queries answer");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("json"))
        }
    };
    let (status, urls) =
        get("cost-attribution/first-queries?from=now-1h&viewport=1400&now=1700000000000").await;
    assert_eq!(status, 200, "{urls}");
    let urls = urls.as_array().cloned().unwrap_or_default();
    assert!(urls.len() >= 5, "{urls:?}");
    assert!(
        urls.iter()
            .all(|u| u.as_str().is_some_and(|u| u.starts_with("/api/v1/query"))),
        "{urls:?}"
    );
    for (query, status, words) in [
        (
            "cost-attribution/first-queries?viewport=wide&now=1700000000000",
            400,
            "viewport",
        ),
        (
            "cost-attribution/first-queries?viewport=1400",
            400,
            "missing parameter \"now\"",
        ),
        (
            "cost-attribution/first-queries?viewport=1400&now=-5",
            400,
            "unix milliseconds",
        ),
        (
            "no-such-board/first-queries?viewport=1400&now=1700000000000",
            404,
            "no dashboard",
        ),
    ] {
        let (got, body) = get(query).await;
        assert_eq!(got, status, "{query}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(words)),
            "{query}: {body}"
        );
    }
}

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

    first_queries_endpoint(&stack.proxy_url).await;

    let browser = Browser::start(1400, 1000).await;
    let mut failures = Vec::new();
    let mut preloaded = 0;
    for theme in ["light", "dark"] {
        for dashboard in &list {
            let id = dashboard["id"].as_str().expect("id");
            let url = format!(
                "{}/d/{id}?from=now-5m&to=now&theme={theme}&refresh=off",
                stack.proxy_url
            );
            browser.client.goto(&url).await.expect("open dashboard");
            let panels = settled_panels(&browser).await;
            let preloads = browser.eval(PRELOAD_REPORT, vec![]).await;
            preloaded += preloads["preloaded"].as_u64().unwrap_or(0);
            if preloads["asked_again"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
            {
                failures.push(format!(
                    "{id} ({theme}): the console asked again for announced queries: {preloads}"
                ));
            }
            if panels.is_empty() {
                failures.push(format!("{id} ({theme}): no panels rendered"));
            }
            for panel in panels.iter().filter(|p| !shows_data(p)) {
                failures.push(format!("{id} ({theme}): panel {panel}"));
            }
            full_page_screenshot(&browser, &out.join(format!("{id}-{theme}.png"))).await;
        }
    }

    // Every dashboard above announces its first queries (`first-queries`), and the
    // console takes each preloaded answer: had it planned a different URL, it would
    // have sent the same PromQL again.
    assert!(preloaded > 0, "no dashboard preloaded its first queries");

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
