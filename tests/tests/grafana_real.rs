//! Real public Grafana dashboards (kept outside the repository) through the whole
//! path: the proxy serves a directory of them (`VANTAGE_GRAFANA_DIR`) against a real
//! Prometheus scraping a node exporter and itself, lists every one, and each opens in
//! headless Chromium without an error: no panel error (a query the upstream refuses),
//! no variable that cannot load. Most of their metrics do not exist here, so panels
//! may well be empty; errors are what this looks for. Not part of the suite (the files
//! are not in the repository):
//!
//! `VANTAGE_GRAFANA_DIR=/tmp/grafana-real cargo test -p vantage-e2e --test grafana_real -- --ignored`

use serde_json::Value;
use std::time::{Duration, Instant};
use vantage_e2e::browser::Browser;
use vantage_e2e::node_stack::NodeStack;
use vantage_e2e::output_dir;

/// Errors a page shows: panel errors and the warning banner's lines.
const ERRORS: &str = r#"
    const panels = Array.from(document.querySelectorAll('section.panel'));
    return {
        panels: panels.length,
        loading: panels.filter(p => p.dataset.state === 'loading').length,
        errors: panels.map(p => [(p.querySelector('h2') || {}).textContent || '', (p.querySelector('.panel__error') || {}).textContent || ''])
                      .filter(([_, e]) => e),
        banner: Array.from(document.querySelectorAll('.banner p')).map(p => p.textContent),
        failed: !!document.querySelector('.page--message [role=alert]'),
    };
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs VANTAGE_GRAFANA_DIR, a directory of real Grafana dashboards"]
async fn real_grafana_dashboards_load_and_open() {
    let Some(dir) = std::env::var_os("VANTAGE_GRAFANA_DIR") else {
        panic!("set VANTAGE_GRAFANA_DIR to a directory of Grafana dashboard JSON files");
    };
    let dir = std::path::PathBuf::from(dir);
    let files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    let out = output_dir("grafana_real");
    let stack = NodeStack::start(Duration::from_secs(1), &dir).await;
    stack.wait_for_scrapes(5).await;
    let list: Vec<Value> = reqwest::get(format!("{}/api/dashboards", stack.proxy.url))
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON list");
    let served: Vec<&Value> = list
        .iter()
        .filter(|d| d["origin"]["kind"] == "grafana")
        .collect();
    let mut failures = Vec::new();
    for file in &files {
        if !served.iter().any(|d| d["origin"]["file"] == file.as_str()) {
            failures.push(format!("{file}: not served"));
        }
    }
    let browser = Browser::start(1400, 1000).await;
    for dashboard in &served {
        let id = dashboard["id"].as_str().unwrap_or_default();
        let url = format!("{}/d/{id}?from=now-15m&to=now&refresh=off", stack.proxy.url);
        browser.client.goto(&url).await.expect("open");
        // Open every folded row, then let the panels settle.
        let deadline = Instant::now() + Duration::from_secs(25);
        let mut report = Value::Null;
        let mut opened = false;
        while Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(400)).await;
            if !opened {
                let folded = browser
                    .eval("const f = document.querySelectorAll('.grid-row__toggle[aria-expanded=\"false\"]'); f.forEach(b => b.click()); return f.length;", vec![])
                    .await;
                opened = folded.as_u64().is_some_and(|n| n > 0)
                    || report["panels"].as_u64().unwrap_or(0) > 0;
            }
            report = browser.eval(ERRORS, vec![]).await;
            let settled =
                report["panels"].as_u64().unwrap_or(0) > 0 && report["loading"].as_u64() == Some(0);
            if settled || report["failed"] == true {
                break;
            }
        }
        let name = dashboard["origin"]["file"]
            .as_str()
            .unwrap_or(id)
            .to_owned();
        browser.screenshot(&out.join(format!("{id}.png"))).await;
        eprintln!("{name}: {report}");
        if report["failed"] == true
            || report["errors"].as_array().is_some_and(|e| !e.is_empty())
            || report["banner"].as_array().is_some_and(|b| !b.is_empty())
        {
            failures.push(format!("{name}: {report}"));
        }
    }
    browser.close().await;
    drop(stack);
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
