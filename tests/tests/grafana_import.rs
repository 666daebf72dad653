//! Grafana dashboards brought into Vantage, end to end: a real node exporter and a
//! Prometheus scraping it and itself; two dashboards written in Grafana's format (a
//! node-exporter one in the grid model, a Prometheus one in the legacy rows model)
//! served straight from `dashboards_dir` next to a broken file; the import endpoint
//! on good JSON, bad JSON and JSON that is not a dashboard; then both dashboards and
//! the Import page in headless Chromium, light and dark: every panel whose queries
//! have data in Prometheus shows it (pixels, rows, bars or a value), folded rows query
//! nothing until opened, a repeated panel appears once per CPU.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use vantage_api::dashboard::expand::{Intervals, Selection, panel_queries, substitute};
use vantage_api::dashboard::{Dashboard, PanelKind};
use vantage_e2e::browser::Browser;
use vantage_e2e::node_stack::NodeStack;
use vantage_e2e::{output_dir, workspace_root};

const FIXTURES: &str = "tests/fixtures/grafana";
const NODE_ID: &str = "node-exporter-overview";
const PROMETHEUS_ID: &str = "prometheus-self-monitoring";

/// What each panel shows: title, state, coloured canvas pixels, rows, bars, the
/// stat's or gauge's text, and whether it is Markdown.
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
        const value = panel.querySelector('.stat-value, .gauge__text');
        return {
            title: (panel.querySelector('h2') || {}).textContent || '',
            state: panel.dataset.state || '',
            error: (panel.querySelector('.panel__error') || {}).textContent || '',
            coloured,
            rows: panel.querySelectorAll('tbody tr').length,
            bars: panel.querySelectorAll('.bar-list__row').length,
            value: value ? value.textContent : null,
            text: panel.querySelectorAll('.markdown').length,
        };
    });
"#;

fn shows_data(panel: &Value) -> bool {
    let num = |k: &str| panel[k].as_i64().unwrap_or(0);
    let value_ok = panel["value"]
        .as_str()
        .is_some_and(|s| !s.is_empty() && s != "–");
    panel["state"] == "ready"
        && (num("coloured") > 0
            || num("rows") > 0
            || num("bars") > 0
            || value_ok
            || num("text") > 0)
}

async fn panels(browser: &Browser) -> Vec<Value> {
    browser
        .eval(PANEL_REPORT, vec![])
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until no panel is loading and every expected one shows data (or 30 s).
async fn settled(browser: &Browser, expected: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = panels(browser).await;
        let pending = found.len() < expected || found.iter().any(|p| p["state"] == "loading");
        if (!pending && found.iter().all(shows_data)) || Instant::now() > deadline {
            tokio::time::sleep(Duration::from_millis(400)).await;
            return panels(browser).await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn full_page_screenshot(browser: &Browser, path: &std::path::Path) {
    let height = browser
        .eval("return document.documentElement.scrollHeight;", vec![])
        .await
        .as_u64()
        .unwrap_or(1000);
    let _ = browser
        .client
        .set_window_size(1400, (height as u32).clamp(600, 6000))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    browser.screenshot(path).await;
    let _ = browser.client.set_window_size(1400, 1000).await;
}

/// The panel titles (as written, `$var` and all) whose queries have data in
/// Prometheus with `chosen`, and how many panels the page should show.
async fn expectations(
    stack: &NodeStack,
    dashboard: &Dashboard,
    chosen: &BTreeMap<String, Selection>,
) -> Vec<(String, bool)> {
    let intervals = Intervals {
        interval_s: 15.0,
        rate_interval_s: 60.0,
        range_s: 300.0,
    };
    let mut out = Vec::new();
    for panel in &dashboard.panels {
        if matches!(
            panel.kind,
            PanelKind::Row | PanelKind::Text | PanelKind::Placeholder
        ) {
            continue;
        }
        let mut has_data = false;
        for query in panel_queries(panel) {
            let expr = substitute(&query.expr, chosen, intervals);
            has_data |= !stack.query(&expr).await.is_empty();
        }
        out.push((panel.title.clone(), has_data));
    }
    out
}

/// Whether a shown title is the panel titled `template` (`CPU $cpu` shows as `CPU 0`).
fn title_matches(template: &str, shown: &str) -> bool {
    match template.find('$') {
        Some(at) => shown.starts_with(&template[..at]),
        None => template == shown,
    }
}

/// Waits (up to 20 s) until `selector` matches something on the page.
async fn wait_for_selector(browser: &Browser, selector: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let found = browser
            .eval(
                "return document.querySelectorAll(arguments[0]).length;",
                vec![json!(selector)],
            )
            .await
            .as_u64()
            .unwrap_or(0);
        if found > 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

async fn post_import(proxy: &str, body: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{proxy}/api/import/grafana?name=fixture.json"))
        .header("Content-Type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("POST /api/import/grafana");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON answer"))
}

#[tokio::test(flavor = "multi_thread")]
async fn grafana_dashboards_convert_serve_and_draw() {
    let out = output_dir("grafana_import");
    let dir = tempfile::tempdir().expect("dashboards dir");
    let fixtures = workspace_root().join(FIXTURES);
    for name in ["node-exporter.json", "prometheus-self.json"] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).expect("copy fixture");
    }
    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"title\": \"Broken\",\n  \"panels\": [\n",
    )
    .expect("broken file");
    let stack = NodeStack::start(Duration::from_secs(1), dir.path()).await;
    stack.wait_for_scrapes(8).await;
    let proxy = stack.proxy.url.clone();

    // Served from dashboards_dir, saying where they came from; the broken file is
    // named in the log and left out.
    let list: Vec<Value> = reqwest::get(format!("{proxy}/api/dashboards"))
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON list");
    for (id, file) in [
        (NODE_ID, "node-exporter.json"),
        (PROMETHEUS_ID, "prometheus-self.json"),
    ] {
        let entry = list.iter().find(|d| d["id"] == id);
        assert_eq!(
            entry.map(|d| d["origin"].clone()),
            Some(json!({"kind": "grafana", "file": file})),
            "{list:?}"
        );
    }
    assert!(list.iter().any(|d| d["origin"]["kind"] == "built_in"));
    assert!(!list.iter().any(|d| d["title"] == "Broken"));
    let log = stack.proxy.process.log_tail();
    assert!(
        log.contains("broken.json") && log.contains("invalid JSON at line 4"),
        "{log}"
    );

    // The import endpoint on the real proxy.
    let good = std::fs::read_to_string(fixtures.join("node-exporter.json")).expect("fixture");
    let (status, body) = post_import(&proxy, &good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["file_name"], "node-exporter-overview.toml");
    let (status, body) = post_import(&proxy, "{\"title\": \"x\",\n  \"panels\": [}").await;
    assert_eq!(
        (status, body["errorType"].clone()),
        (400, json!("bad_data"))
    );
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("invalid JSON at line 2, column")),
        "{body}"
    );
    let (status, body) = post_import(&proxy, "[1, 2, 3]").await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("not a Grafana dashboard"))
    );

    let browser = Browser::start(1400, 1000).await;
    let mut failures = Vec::new();
    let cpus = stack
        .query(&format!(
            "count(count by (cpu) (node_cpu_seconds_total{{instance=\"{}\"}}))",
            stack.node_instance
        ))
        .await
        .first()
        .and_then(|s| s["value"][1].as_str().and_then(|v| v.parse::<usize>().ok()))
        .unwrap_or(0);
    for (id, vars) in [
        (
            NODE_ID,
            vec![
                ("job", "node".to_owned()),
                ("instance", stack.node_instance.clone()),
            ],
        ),
        (PROMETHEUS_ID, vec![]),
    ] {
        let dashboard: Dashboard = reqwest::get(format!("{proxy}/api/dashboards/{id}"))
            .await
            .expect("dashboard")
            .json()
            .await
            .expect("dashboard JSON");
        let mut chosen: BTreeMap<String, Selection> = dashboard
            .variables
            .iter()
            .map(|v| (v.name.clone(), Selection::All))
            .collect();
        for (name, value) in &vars {
            chosen.insert((*name).to_owned(), Selection::Values(vec![value.clone()]));
        }
        let expected = expectations(&stack, &dashboard, &chosen).await;
        let query: String = vars.iter().map(|(k, v)| format!("&var-{k}={v}")).collect();
        for theme in ["light", "dark"] {
            let url = format!("{proxy}/d/{id}?from=now-5m&to=now&refresh=off&theme={theme}{query}");
            browser.client.goto(&url).await.expect("open dashboard");
            // Folded rows: their panels do not exist (so query nothing) until opened.
            let folded_first = settled(&browser, 1).await;
            let folded = browser
                .eval("return document.querySelectorAll('.grid-row__toggle[aria-expanded=\"false\"]').length;", vec![])
                .await
                .as_u64()
                .unwrap_or(0);
            if folded == 0 {
                failures.push(format!("{id} ({theme}): no folded row"));
            }
            let hidden_titles = ["Network Traffic", "HTTP requests by handler"];
            if folded_first
                .iter()
                .any(|p| hidden_titles.contains(&p["title"].as_str().unwrap_or("")))
            {
                failures.push(format!("{id} ({theme}): a folded row's panel was shown"));
            }
            browser
                .eval("document.querySelectorAll('.grid-row__toggle[aria-expanded=\"false\"]').forEach(b => b.click()); return 0;", vec![])
                .await;
            let shown = settled(&browser, expected.len()).await;
            // A shown title is its own panel's when some panel has exactly that title.
            let owner = |shown: &str| {
                expected
                    .iter()
                    .find(|(t, _)| t == shown)
                    .or_else(|| expected.iter().find(|(t, _)| title_matches(t, shown)))
                    .map(|(t, has)| (t.clone(), *has))
            };
            for panel in &shown {
                let title = panel["title"].as_str().unwrap_or_default();
                let wants = owner(title).is_none_or(|(_, has)| has);
                if wants && !shows_data(panel) {
                    failures.push(format!("{id} ({theme}): panel without data: {panel}"));
                }
            }
            for (title, has) in &expected {
                let count = shown
                    .iter()
                    .filter(|p| {
                        owner(p["title"].as_str().unwrap_or("")).is_some_and(|(t, _)| t == *title)
                    })
                    .count();
                let want = if title.contains("$cpu") { cpus } else { 1 };
                if count != want {
                    failures.push(format!(
                        "{id} ({theme}): {title:?} shown {count} times, not {want}"
                    ));
                }
                if !has {
                    eprintln!("{id}: {title:?} has no data in Prometheus here");
                }
            }
            full_page_screenshot(&browser, &out.join(format!("{id}-{theme}.png"))).await;
        }
    }

    // The Import page: paste, convert, see it live with the report; bad JSON keeps
    // the text and says where.
    for theme in ["light", "dark"] {
        browser
            .client
            .goto(&format!(
                "{proxy}/import?from=now-5m&to=now&theme={theme}&var-instance={}",
                stack.node_instance
            ))
            .await
            .expect("open import page");
        wait_for_selector(&browser, "textarea[aria-label=\"Grafana dashboard JSON\"]").await;
        let typed = browser
            .eval(
                r#"const t = document.querySelector('textarea[aria-label="Grafana dashboard JSON"]');
                   if (!t) return false;
                   t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true}));
                   [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Convert').click();
                   return true;"#,
                vec![json!(good)],
            )
            .await;
        assert_eq!(typed, json!(true), "the import page has its text box");
        wait_for_selector(&browser, "[aria-label=\"Import report\"]").await;
        let shown = settled(&browser, 10).await;
        let report = browser
            .eval("const r = document.querySelector('[aria-label=\"Import report\"]'); return r ? r.textContent : '';", vec![])
            .await;
        if !report.as_str().is_some_and(|r| {
            r.contains("carried over") && r.contains("Download node-exporter-overview.toml")
        }) {
            failures.push(format!("import page ({theme}): no report: {report}"));
        }
        let without = shown.iter().filter(|p| !shows_data(p)).count();
        if shown.len() < 10 || without > 0 {
            failures.push(format!(
                "import page ({theme}): {} panels, {without} without data",
                shown.len()
            ));
        }
        full_page_screenshot(&browser, &out.join(format!("import-{theme}.png"))).await;
    }
    let bad = "{\"title\": \"Oops\",\n \"panels\": [,]}";
    let answer = browser
        .eval(
            r#"const t = document.querySelector('textarea[aria-label="Grafana dashboard JSON"]');
               t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true}));
               [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Convert').click();
               return true;"#,
            vec![json!(bad)],
        )
        .await;
    assert_eq!(answer, json!(true));
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut alert = String::new();
    while Instant::now() < deadline && !alert.contains("line") {
        alert = browser
            .eval("const a = document.querySelector('.import__input [role=alert]'); return a ? a.textContent : '';", vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let kept = browser
        .eval("return document.querySelector('textarea[aria-label=\"Grafana dashboard JSON\"]').value;", vec![])
        .await;
    if !alert.contains("invalid JSON at line 2, column") || kept != json!(bad) {
        failures.push(format!("import page: bad JSON said {alert:?}, kept {kept}"));
    }
    full_page_screenshot(&browser, &out.join("import-error.png")).await;
    browser.close().await;
    drop(stack);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
