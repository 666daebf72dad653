//! The query frontend in front of a real Prometheus and a real VictoriaMetrics, both
//! scraping the demo every second: split and extent-joined answers equal, byte for byte,
//! what the upstream answers for the whole range at once, over many queries, steps and
//! ranges (compared at a fixed, settled end, so no scrape lands between the two); a
//! refresh of a range ending now fetches only the fresh tail, and really fetches it.
//! One stack for the whole file.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vantage_e2e::process::wait_for;
use vantage_e2e::proxy::ProxyProcess;
use vantage_e2e::recorder::Recorder;
use vantage_e2e::stack::Stack;

/// Pieces of 2 minutes, so that minutes of test data split (queries looking back at
/// most 30 s: the rates and subqueries below; bare selectors look back 5 minutes and stay
/// whole, their extents are still cut and joined); 10 s fresh.
const FRONTEND: &str = "cache_freshness = \"10s\"\nsplit_interval = \"2m\"\nmax_split_parallelism = 3\n[rate_limit]\nper_second = 0\n";

/// Queries with the shapes that matter: many series, series appearing and
/// disappearing, NaN and infinities, subqueries, offsets, fixed `@`, `timestamp()`,
/// value-ordered outer functions, and what must not be split (`@ start()`).
const QUERIES: &[&str] = &[
    "up",
    "orchestrator_cost_attribution",
    "sum by (repository) (rate(orchestrator_cost_attribution[10s]))",
    "rate(orchestrator_cost_attribution[5s])",
    "histogram_quantile(0.9, sum by (le) (rate(orchestrator_agent_execution_latency_bucket[10s])))",
    "1 / (up - 1)",
    "-1 / (up - 1)",
    "(up - 1) / (up - 1)",
    "up offset 20s",
    "max_over_time(rate(orchestrator_cost_attribution[5s])[20s:3s])",
    "max_over_time(rate(orchestrator_cost_attribution[5s])[20s:3s] offset 7s)",
    "timestamp(up)",
    "changes(orchestrator_cost_attribution[15s])",
    "topk(3, rate(orchestrator_cost_attribution[10s]))",
    "sort_desc(sum by (user) (orchestrator_cost_attribution))",
    "absent(no_such_metric)",
    "vector(1)",
    "time()",
    "label_replace(up, \"Zone\", \"a\", \"\", \"\") or label_replace(vector(2), \"c\", \"a\", \"\", \"\")",
    "up @ start()",
    "rate(orchestrator_cost_attribution[5s] @ end())",
];

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

async fn range(
    http: &reqwest::Client,
    base: &str,
    query: &str,
    start: i64,
    end: i64,
    step: i64,
) -> (u16, String) {
    let response = http
        .get(format!("{base}/api/v1/query_range"))
        .query(&[
            ("query", query.to_owned()),
            ("start", start.to_string()),
            ("end", end.to_string()),
            ("step", step.to_string()),
        ])
        .send()
        .await
        .expect("an answer");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// Where two texts first differ, with some context, for the failure message.
fn difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(120);
    let clip = |s: &str| {
        s.get(from..(at + 120).min(s.len()))
            .unwrap_or("")
            .to_owned()
    };
    format!(
        "lengths {} and {}, first difference at byte {at}:\n  direct: ...{}\n  proxy:  ...{}",
        a.len(),
        b.len(),
        clip(a),
        clip(b)
    )
}

/// The same answer except, at most, for the last digits of values: VictoriaMetrics
/// sums series in parallel, so its own answers to one request repeated differ there
/// (seen: `0.00033595902191138995` then `0.0003359590219113899`). Series, their order,
/// metric text, timestamps and every other byte must still be equal. With `unordered`,
/// series may come in any order: VictoriaMetrics orders `topk` and `sort` range answers
/// differently from one request to the next (the proxy passes those on unsplit).
fn same_but_rounding(a: &str, b: &str, unordered: bool) -> Result<(), String> {
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(a).map_err(|e| e.to_string())?,
        serde_json::from_str(b).map_err(|e| e.to_string())?,
    );
    let (mut a_bare, mut b_bare) = (a.clone(), b.clone());
    a_bare["data"]["result"] = serde_json::Value::Null;
    b_bare["data"]["result"] = serde_json::Value::Null;
    if a_bare != b_bare {
        return Err("envelopes differ".into());
    }
    let empty = Vec::new();
    let (mut ra, mut rb) = (
        a["data"]["result"].as_array().unwrap_or(&empty).clone(),
        b["data"]["result"].as_array().unwrap_or(&empty).clone(),
    );
    if unordered {
        ra.sort_by_key(|s| s["metric"].to_string());
        rb.sort_by_key(|s| s["metric"].to_string());
    }
    if ra.len() != rb.len() {
        return Err(format!("{} series against {}", ra.len(), rb.len()));
    }
    for (sa, sb) in ra.iter().zip(&rb) {
        if sa["metric"] != sb["metric"] {
            return Err(format!("series {} against {}", sa["metric"], sb["metric"]));
        }
        let (pa, pb) = (
            sa["values"].as_array().unwrap_or(&empty),
            sb["values"].as_array().unwrap_or(&empty),
        );
        if pa.len() != pb.len() {
            return Err(format!(
                "{}: {} points against {}",
                sa["metric"],
                pa.len(),
                pb.len()
            ));
        }
        for (x, y) in pa.iter().zip(pb) {
            let value = |p: &serde_json::Value| p[1].as_str().and_then(|v| v.parse::<f64>().ok());
            let close = match (value(x), value(y)) {
                (Some(u), Some(v)) => u == v || (u - v).abs() <= 1e-12 * u.abs().max(v.abs()),
                _ => x[1] == y[1],
            };
            if x[0] != y[0] || !close {
                return Err(format!("{}: point {x} against {y}", sa["metric"]));
            }
        }
    }
    Ok(())
}

struct Upstream<'a> {
    name: &'a str,
    direct: &'a str,
    proxy: &'a ProxyProcess,
    /// Values may differ in their last digits (see [`same_but_rounding`]).
    rounding: bool,
}

#[tokio::test(flavor = "multi_thread")]
async fn joined_answers_equal_whole_answers_on_prometheus_and_victoriametrics() {
    let stack = Stack::start_with_victoria(Duration::from_secs(1)).await;
    let victoria = stack.victoria_url.clone().expect("VictoriaMetrics");
    let prom_recorder = Recorder::start(&stack.prometheus_url).await;
    let vm_recorder = Recorder::start(&victoria).await;
    let prom_proxy = ProxyProcess::start(&prom_recorder.url, None, FRONTEND).await;
    let vm_proxy = ProxyProcess::start(&vm_recorder.url, None, FRONTEND).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    // Enough samples that the ranges below hold data, and start before it (series
    // appear inside the range).
    stack.wait_for_scrapes(30).await;
    wait_for(
        "VictoriaMetrics to have the demo's samples",
        Duration::from_secs(60),
        || {
            let http = http.clone();
            let url = format!("{victoria}/api/v1/query");
            async move {
                let text = http
                    .get(url)
                    .query(&[("query", "count_over_time(up[2m]) >= 28")])
                    .send()
                    .await
                    .ok()?
                    .text()
                    .await
                    .ok()?;
                text.contains("\"value\"").then_some(())
            }
        },
    )
    .await;

    for upstream in [
        Upstream {
            name: "Prometheus",
            direct: &stack.prometheus_url,
            proxy: &prom_proxy,
            rounding: false,
        },
        Upstream {
            name: "VictoriaMetrics",
            direct: &victoria,
            proxy: &vm_proxy,
            rounding: true,
        },
    ] {
        let (compared, exact) = joined_equal_whole(&http, &upstream).await;
        eprintln!("{}: {exact} of {compared} byte for byte", upstream.name);
        assert!(compared >= 400, "{}: {compared} comparisons", upstream.name);
        if !upstream.rounding {
            assert_eq!(exact, compared);
        } else {
            assert!(
                exact * 2 >= compared,
                "{}: {exact} of {compared} exact",
                upstream.name
            );
        }
        let joined = upstream
            .proxy
            .metric("vantage_proxy_range_requests_total{cache=\"partial\"}")
            .await
            + upstream
                .proxy
                .metric("vantage_proxy_range_requests_total{cache=\"hit\"}")
                .await;
        assert!(
            joined > 100.0,
            "{}: {joined} answers used kept extents",
            upstream.name
        );
        let pieces = upstream
            .proxy
            .metric("vantage_proxy_split_pieces_total")
            .await;
        assert!(pieces > 100.0, "{}: {pieces} split pieces", upstream.name);
        let anchored = upstream
            .proxy
            .metric("vantage_proxy_range_bypassed_total{reason=\"range_anchored\"}")
            .await;
        assert!(
            anchored > 0.0,
            "{}: @ start() went the plain way",
            upstream.name
        );
    }
    let value_ordered = vm_proxy
        .metric("vantage_proxy_range_bypassed_total{reason=\"value_ordered\"}")
        .await;
    assert!(
        value_ordered > 0.0,
        "VictoriaMetrics' sort and topk answers are not joined"
    );

    fresh_tail_is_fetched(&http, &stack.prometheus_url, &prom_proxy, &prom_recorder).await;
    fresh_tail_is_fetched(&http, &victoria, &vm_proxy, &vm_recorder).await;
}

/// Every query over several grids: cold (split pieces), inside a kept extent (a hit),
/// and reaching past both ends of it (kept middle, fetched edges), each compared with
/// the upstream's answer for the whole range. Returns the number of comparisons and of
/// byte-for-byte equal ones.
async fn joined_equal_whole(http: &reqwest::Client, upstream: &Upstream<'_>) -> (usize, usize) {
    let (mut compared, mut exact) = (0, 0);
    // Settled: 30 s before now, well past the 10 s freshness window (a view may reach
    // one step beyond it).
    let settled = now_s() - 30;
    for (span, step) in [(150, 1), (200, 2), (180, 5), (240, 15), (130, 3)] {
        let end = settled / step * step;
        let start = end - span;
        let views = [
            (start, end),
            (start + 4 * step, end - 2 * step),
            (start - 10 * step, end),
            (start - 3 * step, end - step),
            (start + 2 * step, end + step),
        ];
        for query in QUERIES {
            for (from, to) in views {
                // VictoriaMetrics orders these by value over the whole range and breaks
                // ties (series at 0) differently from one evaluation to the next; the
                // proxy passes them through whole (counted as `value_ordered` below), so
                // there is no join to compare.
                // Its rate() over split pieces differs from the whole range's in the
                // last bits, and histogram_quantile turns such a difference at a rank
                // that falls exactly on a bucket's count into a jump between bucket
                // bounds (5000 against 30000 seen): checked on Prometheus, byte for byte.
                let quantile_on_vm = upstream.rounding && query.starts_with("histogram_quantile");
                if quantile_on_vm
                    || (upstream.rounding
                        && (query.starts_with("topk") || query.starts_with("sort")))
                {
                    let passed = range(http, &upstream.proxy.url, query, from, to, step).await;
                    assert_eq!(passed.0, 200, "{}: {query}: {}", upstream.name, passed.1);
                    continue;
                }
                let whole = range(http, upstream.direct, query, from, to, step).await;
                let joined = range(http, &upstream.proxy.url, query, from, to, step).await;
                assert_eq!(whole.0, 200, "{}: {query}: {}", upstream.name, whole.1);
                assert_eq!(
                    whole.0, joined.0,
                    "{}: {query}: {}",
                    upstream.name, joined.1
                );
                compared += 1;
                if whole.1 == joined.1 {
                    exact += 1;
                    continue;
                }
                let unordered = query.starts_with("topk") || query.starts_with("sort");
                let why = if upstream.rounding {
                    match same_but_rounding(&whole.1, &joined.1, unordered) {
                        Ok(()) => continue,
                        Err(why) => why,
                    }
                } else {
                    String::new()
                };
                panic!(
                    "{} {query} [{from}, {to}] step {step}: {why}\n{}",
                    upstream.name,
                    difference(&whole.1, &joined.1)
                );
            }
        }
    }
    (compared, exact)
}

/// A panel over the last two minutes, refreshed: the refresh asks the upstream only for
/// the points after the settled boundary, and its newest points are the upstream's.
async fn fresh_tail_is_fetched(
    http: &reqwest::Client,
    direct: &str,
    proxy: &ProxyProcess,
    recorder: &Recorder,
) {
    let query = "sum(orchestrator_cost_attribution)";
    let step = 2;
    let end = (now_s() / step + 1) * step;
    let start = end - 120;
    let (status, _) = range(http, &proxy.url, query, start, end, step).await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    recorder.clear();
    let asked_at = now_s();
    let (_, refreshed) = range(http, &proxy.url, query, start, end, step).await;
    let asked: Vec<_> = recorder
        .ranges()
        .into_iter()
        .filter(|r| r.query == query)
        .collect();
    assert!(!asked.is_empty(), "the tail was fetched");
    for piece in &asked {
        assert!(
            piece.start as i64 >= asked_at - 10 - 2 * step && piece.end as i64 == end,
            "only the fresh tail reaches the upstream: {asked:?} (asked at {asked_at})"
        );
    }
    // The newest points are there: the last timestamp of the answer equals the direct
    // answer's (the value may move on between the two requests).
    let last_time = |text: &str| {
        let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        v["data"]["result"][0]["values"]
            .as_array()
            .and_then(|points| points.last())
            .and_then(|p| p[0].as_f64())
    };
    let (_, direct_now) = range(http, direct, query, start, end, step).await;
    let (ours, theirs) = (last_time(&refreshed), last_time(&direct_now));
    assert!(ours.is_some(), "{refreshed}");
    assert!(
        theirs
            .zip(ours)
            .is_some_and(|(t, o)| (t - o).abs() <= step as f64),
        "newest point {ours:?} vs the upstream's {theirs:?}"
    );
}
