//! The proxy in front of a real Prometheus and a real VictoriaMetrics, both scraping the
//! demo: every passthrough route answers byte for byte what the upstream answers
//! directly; a table of bad inputs is refused with Prometheus's status and errorType
//! and never reaches the upstream; the seed APIs and the management API work. One
//! stack for the whole file (starting servers is the slow part).

use reqwest::Method;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vantage_e2e::process::wait_for;
use vantage_e2e::proxy::ProxyProcess;
use vantage_e2e::stack::Stack;

/// One request: method, path with query, optional form body.
#[derive(Clone, Copy)]
struct Ask<'a> {
    method: &'a str,
    path: &'a str,
    form: Option<&'a str>,
}

fn ask<'a>(method: &'a str, path: &'a str, form: Option<&'a str>) -> Ask<'a> {
    Ask { method, path, form }
}

async fn send(http: &reqwest::Client, base: &str, ask: Ask<'_>) -> (u16, String, String) {
    let method = Method::from_bytes(ask.method.as_bytes()).expect("method");
    let mut request = http.request(method, format!("{base}{}", ask.path));
    if let Some(form) = ask.form {
        request = request
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, content_type, response.text().await.expect("body"))
}

/// The proxy's answer equals the upstream's direct answer (asked just before or just
/// after, for answers that change every evaluation).
async fn assert_same(http: &reqwest::Client, direct: &str, proxy: &str, ask: Ask<'_>) {
    let mut last = None;
    for _ in 0..10 {
        let before = send(http, direct, ask).await;
        let through = send(http, proxy, ask).await;
        let after = send(http, direct, ask).await;
        if through == before || through == after {
            assert!(through.0 < 500, "{} {}: {through:?}", ask.method, ask.path);
            return;
        }
        last = Some((before, through));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{} {} via {proxy} differs from {direct}: {last:?}",
        ask.method, ask.path
    );
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Requests to Prometheus's HTTP API so far, from its own counters (its `/metrics`
/// handler excluded: reading the counters is not a query).
async fn prometheus_api_requests(http: &reqwest::Client, prometheus: &str) -> f64 {
    let text = http
        .get(format!("{prometheus}/metrics"))
        .send()
        .await
        .expect("Prometheus /metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .filter(|l| l.starts_with("prometheus_http_requests_total{"))
        .filter(|l| !l.contains("handler=\"/metrics\""))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn proxy_in_front_of_prometheus_and_victoriametrics() {
    let stack = Stack::start_with_victoria(Duration::from_secs(1)).await;
    let victoria = stack.victoria_url.clone().expect("VictoriaMetrics");
    let vm_proxy = ProxyProcess::start(&victoria, Some(&stack.demo_url), "").await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    stack.wait_for_scrapes(5).await;
    wait_for(
        "VictoriaMetrics to scrape the demo",
        Duration::from_secs(60),
        || {
            let http = http.clone();
            let url = format!("{victoria}/api/v1/query");
            async move {
                let answer: Value = http
                    .get(url)
                    .query(&[("query", "count_over_time(up{job=\"demo\"}[5m]) >= 5")])
                    .send()
                    .await
                    .ok()?
                    .json()
                    .await
                    .ok()?;
                let found = answer["data"]["result"]
                    .as_array()
                    .is_some_and(|r| !r.is_empty());
                found.then_some(())
            }
        },
    )
    .await;

    passthrough_is_byte_for_byte(&http, &stack.prometheus_url, &stack.proxy_url).await;
    passthrough_is_byte_for_byte(&http, &victoria, &vm_proxy.url).await;
    bad_input_is_refused_before_the_upstream(&http, &stack.prometheus_url, &stack.proxy_url).await;
    seed_proxy_api(&http, &stack.prometheus_url, &stack.proxy_url).await;
    seed_proxy_api(&http, &victoria, &vm_proxy.url).await;
    management_api(&http, &stack.demo_url, &stack.proxy_url).await;
    own_metrics_use_route_templates(&http, &stack.proxy_url).await;
    drop(vm_proxy);
    drop(stack);
}

async fn passthrough_is_byte_for_byte(http: &reqwest::Client, direct: &str, proxy: &str) {
    let t = now_s() - 2;
    let range = format!(
        "query=sum%20by%20(repository)%20(rate(orchestrator_cost_attribution%5B1m%5D))&start={}&end={t}&step=5",
        t - 30
    );
    let instant = format!("query=up&time={t}");
    let series = format!(
        "match%5B%5D=orchestrator_graft_circuit_breaker_state&start={}&end={t}",
        t - 30
    );
    let (range_get, instant_get, series_get) = (
        format!("/api/v1/query_range?{range}"),
        format!("/api/v1/query?{instant}"),
        format!("/api/v1/series?{series}"),
    );
    let asks = [
        ask("GET", &range_get, None),
        ask("POST", "/api/v1/query_range", Some(&range)),
        ask("GET", &instant_get, None),
        ask("POST", "/api/v1/query", Some(&instant)),
        ask(
            "GET",
            "/api/v1/query?query=count(orchestrator_graft_circuit_breaker_state%20%3D%3D%201)&time=1700000000",
            None,
        ),
        ask("GET", "/api/v1/labels", None),
        ask("POST", "/api/v1/labels", Some("match%5B%5D=up")),
        ask("GET", "/api/v1/label/job/values", None),
        ask(
            "GET",
            "/api/v1/label/agent/values?match%5B%5D=orchestrator_graft_circuit_breaker_state",
            None,
        ),
        ask("GET", &series_get, None),
        ask("POST", "/api/v1/series", Some(&series)),
        ask(
            "GET",
            "/api/v1/metadata?metric=orchestrator_graft_circuit_breaker_state",
            None,
        ),
        // (With `limit`, Prometheus picks metrics in map order: not comparable.)
        ask("GET", "/api/v1/metadata", None),
        ask("GET", "/api/v1/rules", None),
        ask("GET", "/api/v1/rules?type=alert", None),
        ask("GET", "/api/v1/alerts", None),
        ask("GET", "/api/v1/status/buildinfo", None),
    ];
    for a in asks {
        assert_same(http, direct, proxy, a).await;
    }
}

/// (method, path, form body, status, errorType, does Prometheus 2.42 itself refuse it
/// the same way)
type BadCase = (
    &'static str,
    String,
    Option<&'static str>,
    u16,
    &'static str,
    bool,
);

fn bad_cases() -> Vec<BadCase> {
    let qr = |q: &str| format!("/api/v1/query_range?{q}");
    let ok_range = "start=1700000000&end=1700000600&step=15";
    let deep = format!("query={}1{}", "(".repeat(200), ")".repeat(200));
    vec![
        ("GET", qr(ok_range), None, 400, "bad_data", true),
        (
            "GET",
            qr("query=up&start=abc&end=1700000600&step=15"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=later&step=15"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000600&end=1700000000&step=15"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=1700000600&step=0"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=1700000600&step=-15"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=1700000600&step=fast"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=1700000600&step=1e400"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1700000000&end=1700020000&step=1"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=1600000000&end=1700000000&step=86400"),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            qr(&format!("query=sum(&{ok_range}")),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr(&format!("query=rate(up)&{ok_range}")),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr(&format!("query=&{ok_range}")),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr(&format!("query=up&{ok_range}&timeout=soon")),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            qr("query=up&start=NaN&end=1700000600&step=15"),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            qr("query=up&start=2024-13-45T00:00:00Z&end=1700000600&step=15"),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "POST",
            qr("query=up"),
            Some("query=down&start=1700000000&end=1700000600&step=15"),
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            qr(&format!("query=up&query=down&{ok_range}")),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            qr(&format!("query=up%ff&{ok_range}")),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            qr(&format!("query=up&{ok_range}&{ok_range}")),
            None,
            400,
            "bad_data",
            false,
        ),
        ("GET", "/api/v1/query".into(), None, 400, "bad_data", true),
        (
            "GET",
            "/api/v1/query?query=up&time=noon".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/query?query=up%5B5m".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/query?query=no_such_function(up)".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/query?query=1%20%2B".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/query?query=sum%20by%20(job%20(up)".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            format!("/api/v1/query?{deep}"),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "POST",
            "/api/v1/query".into(),
            Some("query=up&time=1&time=2"),
            400,
            "bad_data",
            false,
        ),
        ("GET", "/api/v1/series".into(), None, 400, "bad_data", true),
        (
            "GET",
            "/api/v1/series?match%5B%5D=%7Bjob%3D~%22.*%22%7D".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/series?match%5B%5D=%7B%7D".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/series?match%5B%5D=up%7B".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/series?match%5B%5D=rate(up%5B5m%5D)".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/series?match%5B%5D=up&start=abc".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/series?match%5B%5D=up&limit=-1".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/labels?match%5B%5D=%7Bjob%3D%22%22%7D".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/labels?start=xyz".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/labels?limit=-5".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/labels?start=1700000600&end=1700000000".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/label/a-b/values".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/label/job/values?match%5B%5D=%7Bx%3D~%22.*%22%7D".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/label/job/values?limit=-1".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/metadata?limit=abc".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/metadata?limit=-2".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/rules?type=banana".into(),
            None,
            400,
            "bad_data",
            true,
        ),
        (
            "GET",
            "/api/v1/rules?exclude_alerts=maybe".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/metrics/query_range?query=sum(&start=1700000000&end=1700000600".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/metrics/query_range?query=up&start=1700000600&end=1700000000".into(),
            None,
            400,
            "bad_data",
            false,
        ),
        (
            "GET",
            "/api/v1/no_such_endpoint".into(),
            None,
            404,
            "not_found",
            false,
        ),
        (
            "DELETE",
            "/api/v1/query?query=up".into(),
            None,
            405,
            "bad_data",
            false,
        ),
        (
            "PUT",
            "/api/v1/status/buildinfo".into(),
            Some("x=1"),
            405,
            "bad_data",
            false,
        ),
    ]
}

async fn bad_input_is_refused_before_the_upstream(
    http: &reqwest::Client,
    prometheus: &str,
    proxy: &str,
) {
    let cases = bad_cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    // A JSON body on a POST is refused too; it has its own content type.
    let json_body = http
        .post(format!("{proxy}/api/v1/query"))
        .header("Content-Type", "application/json")
        .body("{\"query\":\"up\"}")
        .send()
        .await
        .expect("answer");
    assert_eq!(json_body.status().as_u16(), 400);

    let before = prometheus_api_requests(http, prometheus).await;
    for (method, path, form, status, error_type, _) in &cases {
        let (got, _, body) = send(http, proxy, ask(method, path, *form)).await;
        let body: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {body}"));
        assert_eq!(
            (got, body["status"].as_str(), body["errorType"].as_str()),
            (*status, Some("error"), Some(*error_type)),
            "{method} {path}: {body}"
        );
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{method} {path}: a message"
        );
    }
    let after = prometheus_api_requests(http, prometheus).await;
    assert_eq!(before, after, "the upstream saw none of the bad requests");

    // Where Prometheus itself refuses the same input, it answers the same way.
    for (method, path, form, status, error_type, agrees) in &cases {
        if !agrees {
            continue;
        }
        let (got, _, body) = send(http, prometheus, ask(method, path, *form)).await;
        let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        assert_eq!(
            (got, body["errorType"].as_str()),
            (*status, Some(*error_type)),
            "Prometheus on {method} {path}: {body}"
        );
    }
}

async fn seed_proxy_api(http: &reqwest::Client, direct: &str, proxy: &str) {
    let services: Vec<String> = http
        .get(format!("{proxy}/api/metrics/services"))
        .send()
        .await
        .expect("services")
        .json()
        .await
        .expect("a JSON list");
    let answer: Value = http
        .get(format!("{direct}/api/v1/query"))
        .query(&[("query", "group by (service) (asdlc_service_info)")])
        .send()
        .await
        .expect("direct")
        .json()
        .await
        .expect("json");
    let mut expected: Vec<String> = answer["data"]["result"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|s| s["metric"]["service"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    expected.sort();
    expected.dedup();
    assert!(!expected.is_empty(), "the demo exposes asdlc_service_info");
    assert_eq!(services, expected);

    let health: Value = http
        .get(format!("{proxy}/api/metrics/health"))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(health["status"], "healthy");

    let t = now_s() - 60;
    let t = t - t % 15;
    let seed = format!("query=up&start={}&end={t}", t - 300);
    assert_same(
        http,
        direct,
        proxy,
        ask("GET", &format!("/api/v1/query_range?{seed}&step=15s"), None),
    )
    .await;
    let (status, _, through) = send(
        http,
        proxy,
        ask("GET", &format!("/api/metrics/query_range?{seed}"), None),
    )
    .await;
    let (_, _, directly) = send(
        http,
        direct,
        ask("GET", &format!("/api/v1/query_range?{seed}&step=15s"), None),
    )
    .await;
    assert_eq!(
        (status, through),
        (200, directly),
        "the seed's default step is 15s"
    );
}

async fn management_api(http: &reqwest::Client, demo: &str, proxy: &str) {
    let json = |url: String| async move {
        let response = http.get(url).send().await.expect("answer");
        assert_eq!(response.status().as_u16(), 200);
        response.json::<Value>().await.expect("json")
    };
    for path in [
        "/api/metrics/summary",
        "/api/metrics/available",
        "/api/metrics/circuit-breakers",
        "/api/metrics/websocket/connections",
        "/api/monitoring/health/metrics",
    ] {
        let through = json(format!("{proxy}{path}")).await;
        let direct = json(format!("{demo}{path}")).await;
        let keys = |v: &Value| {
            v.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert_eq!(keys(&through), keys(&direct), "{path}");
    }
    let breakers = json(format!("{proxy}/api/metrics/circuit-breakers")).await;
    let agent = breakers["circuitBreakers"][0]["agent"]
        .as_str()
        .expect("an agent")
        .to_owned();
    let reset = http
        .post(format!(
            "{proxy}/api/metrics/circuit-breakers/{agent}/reset"
        ))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status().as_u16(), 200);
    let reset: Value = reset.json().await.expect("json");
    assert_eq!(reset["agent"], agent.as_str());
    assert_eq!(reset["state"], "CLOSED");
    let unknown = http
        .post(format!(
            "{proxy}/api/metrics/circuit-breakers/no-such-agent/reset"
        ))
        .send()
        .await
        .expect("reset");
    assert_eq!(
        unknown.status().as_u16(),
        404,
        "the backend's answer passes through"
    );
    let body: Value = unknown.json().await.expect("json");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("no-such-agent"))
    );
}

async fn own_metrics_use_route_templates(http: &reqwest::Client, proxy: &str) {
    let text = http
        .get(format!("{proxy}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("route=\"/api/v1/label/{name}/values\""),
        "{text}"
    );
    assert!(text.contains("route=\"/api/v1/query_range\""));
    assert!(text.contains("vantage_proxy_http_request_duration_seconds_bucket"));
    for leaked in ["a-b", "no_such_endpoint", "no-such-agent", "banana"] {
        assert!(!text.contains(leaked), "{leaked} leaked into /metrics");
    }
}
