//! Every built-in dashboard in `dashboards/` is valid, and every query of every panel
//! returns data from a real Prometheus scraping the demo: the queries are expanded the
//! way the console expands them for the last five minutes (variables set to "All"),
//! and sent straight to Prometheus. Every variable resolves to at least one value.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use vantage_api::dashboard::expand::{
    Intervals, Selection, panel_queries, parse_label_values, substitute,
};
use vantage_api::dashboard::validate::validate;
use vantage_api::dashboard::{Dashboard, PanelKind};
use vantage_api::step::{RangePlan, plan_range, rate_interval};
use vantage_e2e::stack::Stack;
use vantage_e2e::workspace_root;

/// The range the queries are planned for, as a console opened on `now-5m` would.
const RANGE_S: i64 = 300;
/// Pixels per grid column of a panel, for the step arithmetic.
const PX_PER_COLUMN: u32 = 100;
/// Requests to Prometheus in flight at once.
const IN_FLIGHT: usize = 8;
/// Scrapes to wait for: `rate()` and `increase()` need two samples in their window; one
/// more keeps a late scrape from failing the test.
const SCRAPES: u32 = 3;

/// Every `dashboards/*.toml`, parsed, with its id set from the file name.
fn load_dashboards() -> Vec<Dashboard> {
    let dir = workspace_root().join("dashboards");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read dashboards/")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no dashboards in {}", dir.display());
    let mut errors = Vec::new();
    let mut dashboards = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("read dashboard file");
        match toml::from_str::<Dashboard>(&text) {
            Ok(mut dashboard) => {
                dashboard.id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default()
                    .to_owned();
                dashboards.push(dashboard);
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        errors.is_empty(),
        "dashboards that do not parse:\n{}",
        errors.join("\n")
    );
    dashboards
}

/// One query to run.
struct Check {
    place: String,
    expr: String,
    range: Option<RangePlan>,
}

/// What came back for a query that answered with data.
struct Answer {
    series: usize,
    /// At least one value is a number (not NaN or infinite).
    finite: bool,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// The queries of every panel, planned and substituted as the console would.
fn checks(dashboards: &[Dashboard], end_ms: i64) -> Vec<Check> {
    let start_ms = end_ms - RANGE_S * 1000;
    let mut out = Vec::new();
    for dashboard in dashboards {
        let variables: BTreeMap<String, Selection> = dashboard
            .variables
            .iter()
            .map(|v| (v.name.clone(), Selection::All))
            .collect();
        for panel in &dashboard.panels {
            // Rows have no queries; live tables stream from the proxy's hub instead.
            if matches!(panel.kind, PanelKind::Row | PanelKind::LiveTable) {
                continue;
            }
            let plan = plan_range(
                start_ms,
                end_ms,
                u32::from(panel.width) * PX_PER_COLUMN,
                dashboard.scrape_interval,
            );
            let intervals = Intervals {
                interval_s: plan.step,
                rate_interval_s: rate_interval(plan.step, dashboard.scrape_interval),
                range_s: RANGE_S as f64,
            };
            let queries = panel_queries(panel);
            assert!(
                !queries.is_empty(),
                "{}/{} has no queries",
                dashboard.id,
                panel.id
            );
            for (i, query) in queries.iter().enumerate() {
                out.push(Check {
                    place: format!("{}/{} query {}", dashboard.id, panel.id, i + 1),
                    expr: substitute(&query.expr, &variables, intervals),
                    range: panel.is_range().then_some(plan),
                });
            }
        }
    }
    out
}

/// Runs one query against Prometheus; `Err` says why it has no data.
async fn run(client: &reqwest::Client, prometheus: &str, check: &Check) -> Result<Answer, String> {
    let request = match check.range {
        Some(plan) => client
            .get(format!("{prometheus}/api/v1/query_range"))
            .query(&[
                ("query", check.expr.clone()),
                ("start", plan.start.to_string()),
                ("end", plan.end.to_string()),
                ("step", plan.step.to_string()),
            ]),
        None => client
            .get(format!("{prometheus}/api/v1/query"))
            .query(&[("query", check.expr.as_str())]),
    };
    let response = request.send().await.map_err(|e| format!("request: {e}"))?;
    let body: Value = response.json().await.map_err(|e| format!("body: {e}"))?;
    if body.get("status").and_then(Value::as_str) != Some("success") {
        return Err(format!(
            "{}: {}",
            body.get("errorType").and_then(Value::as_str).unwrap_or("?"),
            body.get("error").and_then(Value::as_str).unwrap_or("?")
        ));
    }
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let result = data.get("result").cloned().unwrap_or(Value::Null);
    let parse = |v: &Value| {
        v.get(1)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<f64>().ok())
            .is_some_and(f64::is_finite)
    };
    match data.get("resultType").and_then(Value::as_str) {
        Some("scalar") => Ok(Answer {
            series: 1,
            finite: parse(&result),
        }),
        Some("matrix") | Some("vector") => {
            let series = result.as_array().cloned().unwrap_or_default();
            let finite = series.iter().any(|s| {
                s.get("value").is_some_and(parse)
                    || s.get("values")
                        .and_then(Value::as_array)
                        .is_some_and(|points| points.iter().any(parse))
            });
            let has_points = series.iter().any(|s| {
                s.get("value").is_some()
                    || s.get("values")
                        .and_then(Value::as_array)
                        .is_some_and(|points| !points.is_empty())
            });
            if has_points {
                Ok(Answer {
                    series: series.len(),
                    finite,
                })
            } else {
                Err("empty result".to_owned())
            }
        }
        other => Err(format!("unexpected result type {other:?}")),
    }
}

/// The values of one variable, or `None` when its endpoint is not served (yet).
async fn variable_values(
    client: &reqwest::Client,
    stack: &Stack,
    query: Option<&str>,
    endpoint: Option<&str>,
) -> Result<Option<Vec<String>>, String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(query) = query {
        let (metric, label) =
            parse_label_values(query).ok_or_else(|| format!("cannot parse {query:?}"))?;
        let mut request = client.get(format!(
            "{}/api/v1/label/{label}/values",
            stack.prometheus_url
        ));
        if let Some(metric) = metric {
            request = request.query(&[("match[]", metric)]);
        }
        let body: Value = request
            .send()
            .await
            .map_err(|e| format!("request: {e}"))?
            .json()
            .await
            .map_err(|e| format!("body: {e}"))?;
        return Ok(Some(strings(body.get("data").unwrap_or(&Value::Null))));
    }
    let endpoint = endpoint.ok_or("neither query nor endpoint")?;
    let response = client
        .get(format!("{}{endpoint}", stack.proxy_url))
        .send()
        .await
        .map_err(|e| format!("request: {e}"))?;
    if matches!(response.status().as_u16(), 404 | 405 | 501) {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(format!("{endpoint} answered {}", response.status()));
    }
    let body: Value = response.json().await.map_err(|e| format!("body: {e}"))?;
    Ok(Some(strings(&body)))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_panel_query_returns_data() {
    let started = Instant::now();
    let dashboards = load_dashboards();
    let problems: Vec<String> = dashboards
        .iter()
        .flat_map(|d| {
            validate(d)
                .into_iter()
                .map(move |p| format!("{}: {p}", d.id))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "dashboards with problems:\n{}",
        problems.join("\n")
    );

    let mut stack = Stack::start(Duration::from_secs(1)).await;
    stack.wait_for_scrapes(SCRAPES).await;
    stack.demo.assert_running();
    stack.proxy.assert_running();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client");

    // Variables: each resolves to at least one value.
    let mut failures = Vec::new();
    let mut variables_checked = 0;
    for dashboard in &dashboards {
        for variable in &dashboard.variables {
            let place = format!("{}/${}", dashboard.id, variable.name);
            match variable_values(
                &client,
                &stack,
                variable.query.as_deref(),
                variable.endpoint.as_deref(),
            )
            .await
            {
                Ok(Some(values)) if !values.is_empty() => variables_checked += 1,
                Ok(Some(_)) => failures.push(format!("{place}: no values")),
                Ok(None) => eprintln!(
                    "note: {place}: the proxy does not serve {} yet; skipped",
                    variable.endpoint.as_deref().unwrap_or_default()
                ),
                Err(e) => failures.push(format!("{place}: {e}")),
            }
        }
    }

    // Panels: every query answers with at least one series, a bounded number at a time.
    let checks = checks(&dashboards, now_ms());
    let panels: usize = dashboards
        .iter()
        .map(|d| d.panels.iter().filter(|p| p.kind != PanelKind::Row).count())
        .sum();
    let limit = Arc::new(Semaphore::new(IN_FLIGHT));
    let prometheus = Arc::new(stack.prometheus_url.clone());
    let mut tasks = JoinSet::new();
    for check in checks {
        let client = client.clone();
        let limit = Arc::clone(&limit);
        let prometheus = Arc::clone(&prometheus);
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore open");
            let answer = run(&client, &prometheus, &check).await;
            (check, answer)
        });
    }
    let mut queries = 0;
    let mut only_nan = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (check, answer) = joined.expect("query task");
        queries += 1;
        match answer {
            Ok(Answer { finite: true, .. }) => {}
            Ok(Answer {
                series,
                finite: false,
            }) => only_nan.push(format!("{} ({series} series)", check.place)),
            Err(reason) => failures.push(format!(
                "{}: {reason}\n    {}",
                check.place,
                check.expr.replace('\n', " ")
            )),
        }
    }
    only_nan.sort();
    for place in &only_nan {
        eprintln!("note: {place}: only NaN so far (no events in the window yet)");
    }
    failures.sort();
    eprintln!(
        "{} dashboards, {panels} panels, {queries} queries, {variables_checked} variables checked in {:.1?}",
        dashboards.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {queries} queries or variables have no data:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
