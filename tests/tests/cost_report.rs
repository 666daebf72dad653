//! Cost reports and budget alerts against the demo with 15 days of history: the CSV of
//! `/api/cost/report` adds up to what Prometheus itself gives for `sum by (...)
//! (increase(...[range]))` over the same range, with and without drill-down filters;
//! the budget rules of `vantage-proxy budget-rules` pass `promtool check rules`, and
//! loaded into the real Prometheus, a deliberately small budget fires.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use vantage_e2e::process::wait_for;
use vantage_e2e::shared::SharedStack;
use vantage_e2e::stack::{Stack, StackOptions, budget_rules};

static STACK: SharedStack = SharedStack::new();

/// Drill-down filters, `(dimension, value)` in order.
type Filters<'a> = &'a [(&'a str, &'a str)];

/// Teams of the demo's repositories and users, a budget no month stays under, and one
/// no month reaches.
const CONFIG: &str = r#"
[cost]
[[cost.teams]]
name = "payments"
repositories = ["acme/payments-api", "acme/checkout-web", "acme/billing-engine"]

[[cost.teams]]
name = "platform"
repositories = ["myorg/myrepo", "myorg/orchestrator"]
users = ["ci-bot"]

[[cost.budgets]]
name = "tiny"
monthly_usd = 0.01

[[cost.budgets]]
name = "roomy"
team = "payments"
monthly_usd = 1000000000
"#;

fn teams() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        (
            "payments",
            vec![
                "acme/payments-api",
                "acme/checkout-web",
                "acme/billing-engine",
            ],
            vec![],
        ),
        (
            "platform",
            vec!["myorg/myrepo", "myorg/orchestrator"],
            vec!["ci-bot"],
        ),
    ]
}

async fn stack() -> Arc<Stack> {
    STACK
        .get(|| async {
            let dir = vantage_e2e::output_dir("cost_report");
            let config = dir.join("proxy.toml");
            std::fs::write(&config, CONFIG).expect("write the proxy config");
            let stack = Stack::start_with(
                Duration::from_secs(2),
                StackOptions {
                    history_days: Some(15),
                    proxy_config: Some(config),
                    budget_rules_interval: Some("5s".to_owned()),
                    ..StackOptions::default()
                },
            )
            .await;
            stack.wait_for_scrapes(3).await;
            stack
        })
        .await
}

/// Sources as the proxy's defaults have them: id, metric, labels.
const SOURCES: [(&str, &str, &[&str]); 3] = [
    (
        "orchestrator",
        "orchestrator_cost_attribution",
        &["repository", "user"],
    ),
    (
        "autobot",
        "autobot_llm_cost_dollars_total",
        &["provider", "model", "cost_type"],
    ),
    ("aurea", "aurea_llm_cost_usd_total", &["model"]),
];

/// An instant query at `time` against Prometheus itself.
async fn prometheus(stack: &Stack, query: &str, time: i64) -> Vec<Value> {
    let answer: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/query", stack.prometheus_url))
        .query(&[("query", query), ("time", &time.to_string())])
        .send()
        .await
        .expect("query Prometheus")
        .json()
        .await
        .expect("Prometheus answers JSON");
    assert_eq!(answer["status"], "success", "{query}: {answer}");
    answer["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// What the report should say, from Prometheus alone: per source one `sum by (<the
/// source's labels among by and the filters>) (increase(...))`, each series put in
/// its group (labels the source lacks are "(unallocated)", teams by repository or user,
/// first team first), keeping only the series the filters allow.
async fn expected(
    stack: &Stack,
    by: &[&str],
    filters: &[(&str, &str)],
    from: i64,
    to: i64,
) -> BTreeMap<Vec<String>, f64> {
    let mut out = BTreeMap::new();
    for (id, metric, labels) in SOURCES {
        let mut keep: Vec<&str> = labels.to_vec();
        keep.retain(|l| {
            by.iter()
                .chain(filters.iter().map(|(d, _)| d))
                .any(|d| d == l)
                || (by.contains(&"team") || filters.iter().any(|(d, _)| *d == "team"))
                    && (*l == "repository" || *l == "user")
        });
        let query = if keep.is_empty() {
            format!("sum(increase({metric}[{}s]))", to - from)
        } else {
            format!(
                "sum by ({}) (increase({metric}[{}s]))",
                keep.join(", "),
                to - from
            )
        };
        for series in prometheus(stack, &query, to).await {
            let label = |name: &str| -> String {
                series["metric"][name]
                    .as_str()
                    .filter(|v| !v.is_empty())
                    .unwrap_or("(unallocated)")
                    .to_owned()
            };
            let value_of = |dimension: &str| -> String {
                match dimension {
                    "source" => id.to_owned(),
                    "team" => {
                        let (repository, user) = (label("repository"), label("user"));
                        teams()
                            .into_iter()
                            .find(|(_, repos, users)| {
                                repos.contains(&repository.as_str())
                                    || users.contains(&user.as_str())
                            })
                            .map_or("(unallocated)".to_owned(), |(name, _, _)| name.to_owned())
                    }
                    other => label(other),
                }
            };
            if filters.iter().any(|(d, v)| value_of(d) != *v) {
                continue;
            }
            let usd: f64 = series["value"][1]
                .as_str()
                .and_then(|v| v.parse().ok())
                .expect("a number");
            let key: Vec<String> = by.iter().map(|d| value_of(d)).collect();
            *out.entry(key).or_insert(0.0) += usd;
        }
    }
    out
}

/// The CSV report for a view: header and rows, amounts as numbers.
async fn csv(
    stack: &Stack,
    by: &[&str],
    filters: &[(&str, &str)],
    from: i64,
    to: i64,
) -> (Vec<String>, BTreeMap<Vec<String>, f64>) {
    let mut query: Vec<(String, String)> = vec![
        ("from".into(), from.to_string()),
        ("to".into(), to.to_string()),
        ("by".into(), by.join(",")),
    ];
    query.extend(
        filters
            .iter()
            .map(|(d, v)| ((*d).to_owned(), (*v).to_owned())),
    );
    query.push(("format".into(), "csv".into()));
    let response = reqwest::Client::new()
        .get(format!("{}/api/cost/report", stack.proxy_url))
        .query(&query)
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv")),
        "{:?}",
        response.headers()
    );
    let text = response.text().await.expect("CSV text");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("a header row")
        .split(',')
        .map(str::to_owned)
        .collect();
    let mut rows = BTreeMap::new();
    for line in lines {
        // Quoted fields are not needed for the demo's values.
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), header.len(), "{line}");
        let usd: f64 = fields[fields.len() - 1].parse().expect("an amount");
        let key = fields[..fields.len() - 1]
            .iter()
            .map(|f| (*f).to_owned())
            .collect();
        assert!(rows.insert(key, usd).is_none(), "one row per group: {line}");
    }
    (header, rows)
}

fn assert_same(view: &str, got: &BTreeMap<Vec<String>, f64>, want: &BTreeMap<Vec<String>, f64>) {
    assert!(!want.is_empty(), "{view}: Prometheus has spend");
    let keys = |m: &BTreeMap<Vec<String>, f64>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(got), keys(want), "{view}: the same groups");
    for (key, usd) in want {
        let csv = got[key];
        // The CSV writes six decimals.
        assert!(
            (csv - usd).abs() <= 1e-6 + usd.abs() * 1e-12,
            "{view} {key:?}: CSV {csv} against Prometheus {usd}"
        );
    }
}

/// An end two minutes ago (scraped for sure) and a start three days before.
fn range() -> (i64, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let to = now - 120;
    (to - 3 * 86_400, to)
}

#[tokio::test(flavor = "multi_thread")]
async fn csv_sums_equal_prometheus_for_the_same_range() {
    let stack = stack().await;
    let (from, to) = range();
    let views: [(&[&str], Filters); 6] = [
        (&["repository"], &[]),
        (&["model"], &[]),
        (&["provider", "model"], &[]),
        (&["team"], &[]),
        (&["user"], &[("team", "payments")]),
        (&["model"], &[("source", "autobot"), ("provider", "openai")]),
    ];
    for (by, filters) in views {
        let view = format!("by={by:?} filters={filters:?}");
        let (header, rows) = csv(&stack, by, filters, from, to).await;
        let mut want_header: Vec<String> = by.iter().map(|d| (*d).to_owned()).collect();
        want_header.push("usd".to_owned());
        assert_eq!(header, want_header, "{view}");
        assert_same(&view, &rows, &expected(&stack, by, filters, from, to).await);
    }

    // JSON: the shape of the issue, totals that add up, and the page's numbers.
    let report: Value = reqwest::get(format!(
        "{}/api/cost/report?from={from}&to={to}&by=team,repository",
        stack.proxy_url
    ))
    .await
    .expect("report")
    .json()
    .await
    .expect("JSON");
    let keys: Vec<&str> = report
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["by", "from", "rows", "to", "total_usd"], "{report}");
    assert_eq!(report["from"].as_f64(), Some(from as f64));
    let rows = report["rows"].as_array().expect("rows");
    assert!(
        rows.iter()
            .all(|r| r["team"].is_string() && r["repository"].is_string() && r["usd"].is_number())
    );
    let sum: f64 = rows.iter().filter_map(|r| r["usd"].as_f64()).sum();
    let total = report["total_usd"].as_f64().expect("total");
    assert!(
        (sum - total).abs() < 1e-6,
        "rows add up: {sum} against {total}"
    );
    let everything: f64 = expected(&stack, &[], &[], from, to).await.values().sum();
    assert!(
        (total - everything).abs() < 1e-6,
        "{total} against Prometheus {everything}"
    );
    let page: Value = reqwest::get(format!(
        "{}/api/cost/breakdown?from={from}&to={to}&by=team",
        stack.proxy_url
    ))
    .await
    .expect("breakdown")
    .json()
    .await
    .expect("JSON");
    assert!(
        (page["total_usd"].as_f64().unwrap_or_default() - total).abs() < 1e-6,
        "the page shows the report's total: {page}"
    );
}

fn promtool_check(path: &Path) {
    let output = Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(path)
        .output()
        .expect("run promtool");
    assert!(
        output.status.success(),
        "promtool check rules {}: {}{}",
        path.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn budget_rules_pass_promtool_and_a_small_budget_fires() {
    let stack = stack().await;
    let out = vantage_e2e::output_dir("cost_report");
    // The demo's own budgets and this test's.
    let demo = tempfile::tempdir().expect("temp dir");
    let demo_config = vantage_e2e::workspace_root().join("demo/proxy.toml");
    promtool_check(&budget_rules(demo.path(), Some(&demo_config), "1m"));
    promtool_check(&budget_rules(&out, Some(&out.join("proxy.toml")), "5s"));

    // Within the first hour of a month nothing is spent yet; the forecast is over.
    let first_hour = prometheus(
        &stack,
        "day_of_month() == 1 and hour() == 0",
        range().1 + 120,
    )
    .await
    .len()
        == 1;
    let alert = if first_hour {
        "CostBudgetForecastOver"
    } else {
        "CostBudgetExceeded"
    };
    let client = reqwest::Client::new();
    let firing = wait_for(
        "the tiny budget's alert to fire",
        Duration::from_secs(90),
        || {
            let request = client
                .get(format!("{}/api/v1/alerts", stack.proxy_url))
                .send();
            async move {
                let answer: Value = request.await.ok()?.json().await.ok()?;
                answer["data"]["alerts"]
                    .as_array()?
                    .iter()
                    .find(|a| {
                        a["labels"]["alertname"] == alert
                            && a["labels"]["budget"] == "tiny"
                            && a["state"] == "firing"
                    })
                    .cloned()
            }
        },
    )
    .await;
    assert!(
        firing["annotations"]["summary"]
            .as_str()
            .is_some_and(|s| s.contains("Budget tiny")),
        "{firing}"
    );
    // The roomy budget stays quiet.
    let answer: Value = client
        .get(format!("{}/api/v1/alerts", stack.proxy_url))
        .send()
        .await
        .expect("alerts")
        .json()
        .await
        .expect("JSON");
    let roomy = answer["data"]["alerts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["labels"]["budget"] == "roomy")
        .count();
    assert_eq!(roomy, 0, "{answer}");
}
