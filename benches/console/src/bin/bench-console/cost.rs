//! Time from navigation start to every section painted on the cost page, against the
//! demo stack of `vantage_e2e` with days of history and the demo's teams and budgets
//! (`demo/proxy.toml`), at the catalog's cardinality and at seed 000's limits (500
//! repositories and 1,000 users: `vantage-demo --repositories 500 --users 1000`).
//! The page's watcher and loads are the dashboard benchmark's; the proxy's cost
//! endpoints are also timed alone.

use crate::dashboard::{load, median_p95, print_loads, start_chrome};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use vantage_e2e::stack::{Stack, StackOptions};

/// The views loaded: the default grouping (teams), then every repository and every user.
const VIEWS: [&str; 3] = [
    "/cost?from=now-7d&to=now",
    "/cost?from=now-7d&to=now&by=repository",
    "/cost?from=now-7d&to=now&by=user",
];

/// `default` (the catalog's 25 repositories and 40 users) or `wide` (500 and 1,000).
fn demo_env(shape: &str) -> Vec<(String, String)> {
    match shape {
        "wide" => vec![
            ("VANTAGE_DEMO_REPOSITORIES".to_owned(), "500".to_owned()),
            ("VANTAGE_DEMO_USERS".to_owned(), "1000".to_owned()),
        ],
        _ => Vec::new(),
    }
}

async fn count(stack: &Stack, query: &str) -> Value {
    stack
        .prometheus_query(query)
        .await
        .first()
        .and_then(|s| s["value"][1].as_str())
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(Value::Null, |n| json!(n.round() as u64))
}

/// Each cost endpoint the page calls, `reps` times in a row: ms median and p95.
async fn endpoints(stack: &Stack, reps: u64) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let range = format!("from={}&to={now}", now - 7 * 86_400);
    let paths = [
        "/api/cost/sources".to_owned(),
        format!("/api/cost/breakdown?{range}&by=team"),
        format!("/api/cost/breakdown?{range}&by=user"),
        "/api/cost/forecast?by=team".to_owned(),
        "/api/cost/forecast?by=user".to_owned(),
        "/api/cost/budgets".to_owned(),
        format!("/api/cost/units?{range}"),
        format!("/api/cost/report?{range}&by=repository,user&format=csv"),
    ];
    let client = reqwest::Client::new();
    let mut out = Vec::new();
    for path in paths {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..reps {
            let started = Instant::now();
            let body = client
                .get(format!("{}{path}", stack.proxy_url))
                .send()
                .await
                .expect("cost endpoint")
                .bytes()
                .await
                .expect("its body");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            bytes = body.len();
        }
        let (median, p95) = median_p95(&mut times);
        let label = path.replace(&range, "from=<7 days ago>&to=<now>");
        out.push(json!({ "path": label, "median": median, "p95": p95, "bytes": bytes }));
    }
    Value::Array(out)
}

/// For each shape: the stack with `days` of history, `loads` cold and warm loads of
/// every view, and the endpoints alone.
pub async fn run(loads: u64, days: u32, shapes: &[String]) -> Value {
    let mut out = json!({});
    for shape in shapes {
        eprintln!(
            "cost ({shape}): starting demo with {days} days of history, Prometheus and proxy"
        );
        let started = Instant::now();
        let stack = Stack::start_with(
            Duration::from_secs(5),
            StackOptions {
                history_days: Some(days),
                proxy_config: Some(vantage_e2e::workspace_root().join("demo/proxy.toml")),
                demo_env: demo_env(shape),
                ..StackOptions::default()
            },
        )
        .await;
        stack.wait_for_scrapes(3).await;
        let stack_s = started.elapsed().as_secs_f64();
        let mut result = json!({
            "days": days,
            "stack_seconds": stack_s,
            "cost_series": count(&stack, "count(orchestrator_cost_attribution)").await,
            "repositories": count(&stack, "count(count by (repository) (orchestrator_cost_attribution))").await,
            "users": count(&stack, "count(count by (user) (orchestrator_cost_attribution))").await,
            "demo_series": count(&stack, "count({job=\"demo\"})").await,
        });
        let mut views = Vec::new();
        for view in VIEWS {
            let url = format!("{}{view}", stack.proxy_url);
            let mut cold = Vec::new();
            for i in 0..loads {
                eprintln!("cost ({shape}) {view}: cold load {}", i + 1);
                let chrome = start_chrome("/cost").await;
                cold.push(load(&chrome, &url).await);
                chrome.close().await;
            }
            let chrome = start_chrome("/cost").await;
            let first = load(&chrome, &url).await;
            let mut warm = Vec::new();
            for i in 0..loads {
                eprintln!("cost ({shape}) {view}: warm load {}", i + 1);
                warm.push(load(&chrome, &url).await);
            }
            chrome.close().await;
            views.push(
                json!({ "view": view, "cold": cold, "warm": warm, "first_of_warm_session": first }),
            );
        }
        result["views"] = Value::Array(views);
        result["endpoints"] = endpoints(&stack, loads.max(3)).await;
        drop(stack);
        out[shape] = result;
    }
    out
}

/// Prints one table per shape and view, and the endpoints.
pub fn print(results: &Value, loads: u64) {
    for (shape, result) in results.as_object().into_iter().flatten() {
        println!(
            "### Cost page, {shape}: {} days of history, {} cost series ({} repositories, {} users), {} head series in Prometheus\n",
            result["days"],
            result["cost_series"],
            result["repositories"],
            result["users"],
            result["head_series"]
        );
        for view in result["views"].as_array().into_iter().flatten() {
            let rows = view["warm"][0]["rows"].clone();
            println!(
                "#### `{}`: navigation start to every section painted (ms, median / p95 of {loads} loads; {rows} table rows)\n",
                view["view"].as_str().unwrap_or_default()
            );
            print_loads(view);
            let slowest: Vec<String> = view["warm"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    Some(format!(
                        "{} {:.0} ms",
                        r["apiSlowest"].as_str()?,
                        r["apiSlowestMs"].as_f64()?
                    ))
                })
                .collect();
            println!("Slowest API call per warm load: {}\n", slowest.join(", "));
        }
        println!("#### {shape}: the cost endpoints alone (ms, median / p95, sequential)\n");
        println!("| request | median | p95 | bytes |");
        println!("|---|---|---|---|");
        for e in result["endpoints"].as_array().into_iter().flatten() {
            println!(
                "| `{}` | {:.0} | {:.0} | {} |",
                e["path"].as_str().unwrap_or_default(),
                e["median"].as_f64().unwrap_or(f64::NAN),
                e["p95"].as_f64().unwrap_or(f64::NAN),
                e["bytes"]
            );
        }
        println!();
    }
}
