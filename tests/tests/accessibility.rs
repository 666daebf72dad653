//! axe-core (WCAG 2.1 A/AA and best practices, its default rules) on every page of the
//! console and on embedded panels of every kind, in the light and the dark theme,
//! against the real demo stack: no violation of any impact. Each page is audited once
//! its panels have settled, with a screenshot beside the report.

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use vantage_e2e::axe::{Violation, audit};
use vantage_e2e::browser::Browser;
use vantage_e2e::output_dir;
use vantage_e2e::shared::SharedStack;
use vantage_e2e::stack::{Stack, StackOptions};

static STACK: SharedStack = SharedStack::new();

async fn stack() -> Arc<Stack> {
    STACK
        .get(|| async {
            let stack = Stack::start_with(
                Duration::from_secs(2),
                StackOptions {
                    proxy_config: Some(vantage_e2e::workspace_root().join("demo/proxy.toml")),
                    ..StackOptions::default()
                },
            )
            .await;
            stack.wait_for_scrapes(3).await;
            stack
        })
        .await
}

/// True once nothing on the page is loading: no busy panel, no spinner, and the app has
/// put its main landmark in.
const SETTLED: &str = r#"
    const busy = document.querySelector('[aria-busy="true"], .panel__spinner, .loading');
    return !!document.querySelector('main, [role="main"]') && !busy;
"#;

async fn settle(browser: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if browser.eval(SETTLED, vec![]).await == Value::Bool(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Canvases and late layers draw on the next frames.
    tokio::time::sleep(Duration::from_millis(400)).await;
}

/// Every page of the console, by path: the fixed pages, every served dashboard, and an
/// embed of the first panel of each kind.
async fn pages(stack: &Stack) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/",
        "/cost",
        "/explore?expr=sum%20by%20(model)%20(rate(autobot_llm_requests_total%5B5m%5D))",
        "/circuit-breakers",
        "/live",
        "/alerts",
        "/catalog",
        "/status",
        "/import",
        "/no-such-page",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let list: Value = reqwest::get(format!("{}/api/dashboards", stack.proxy_url))
        .await
        .expect("dashboard list")
        .json()
        .await
        .expect("dashboard list JSON");
    let mut kinds_seen = std::collections::BTreeSet::new();
    for entry in list.as_array().cloned().unwrap_or_default() {
        let id = entry["id"].as_str().unwrap_or_default().to_owned();
        paths.push(format!("/d/{id}"));
        let dashboard: Value = reqwest::get(format!("{}/api/dashboards/{id}", stack.proxy_url))
            .await
            .expect("dashboard")
            .json()
            .await
            .expect("dashboard JSON");
        for panel in dashboard["panels"].as_array().cloned().unwrap_or_default() {
            let kind = panel["type"].as_str().unwrap_or("timeseries").to_owned();
            if kind != "row" && kinds_seen.insert(kind) {
                paths.push(format!(
                    "/embed/{id}/{}",
                    panel["id"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_nothing_on_any_page_in_either_theme() {
    let stack = stack().await;
    let dir = output_dir("accessibility");
    let browser = Browser::start(1400, 1000).await;
    let mut report: BTreeMap<String, Vec<Violation>> = BTreeMap::new();
    let mut table = String::new();
    for path in pages(&stack).await {
        for theme in ["light", "dark"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = format!("{}{path}{sep}theme={theme}", stack.proxy_url);
            browser.client.goto(&url).await.expect("open page");
            settle(&browser).await;
            let found = audit(&browser).await;
            let name = path
                .trim_start_matches('/')
                .split('?')
                .next()
                .unwrap_or_default()
                .replace('/', "_");
            let name = if name.is_empty() {
                "list".to_owned()
            } else {
                name
            };
            browser
                .screenshot(&dir.join(format!("{name}-{theme}.png")))
                .await;
            let count = |impact: &str| found.iter().filter(|v| v.impact == impact).count();
            table.push_str(&format!(
                "{path} [{theme}]: {} critical, {} serious, {} moderate, {} minor\n",
                count("critical"),
                count("serious"),
                count("moderate"),
                count("minor")
            ));
            if !found.is_empty() {
                report.insert(format!("{path} [{theme}]"), found);
            }
        }
    }
    browser.close().await;
    std::fs::write(dir.join("counts.txt"), &table).expect("write counts");
    eprintln!("{table}");
    let text: String = report
        .iter()
        .map(|(page, found)| {
            let lines: String = found.iter().map(|v| format!("  {v}")).collect();
            format!("{page}\n{lines}")
        })
        .collect();
    assert!(report.is_empty(), "axe-core violations:\n{text}");
}
