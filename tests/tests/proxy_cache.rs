//! Coalescing and the whole-answer results cache, counted at an upstream the test
//! controls. The upstream answers one fixed body whatever the range, so the query
//! frontend (splitting, extents) is off here; `frontend_exact.rs` and `scale_out.rs`
//! test it against real upstreams.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vantage_e2e::fault::{Behaviour, FaultServer};
use vantage_e2e::proxy::ProxyProcess;

/// The frontend off: range queries take the whole-answer path.
const WHOLE_ANSWERS: &str = "split_interval = \"0\"\nextent_cache_max_bytes = 0\n";

const MATRIX: &str = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"demo"},"values":[[1,"1"],[2,"2"]]}]}}"#;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

async fn get(http: &reqwest::Client, url: &str, no_store: bool) -> (u16, String) {
    let mut request = http.get(url);
    if no_store {
        request = request.header("Cache-Control", "no-store");
    }
    let response = request.send().await.expect("answer");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_identical_requests_make_one_upstream_request() {
    let upstream =
        FaultServer::start(Behaviour::prometheus(Duration::from_millis(700), MATRIX)).await;
    let proxy = ProxyProcess::start(&upstream.url, None, "[rate_limit]\nper_second = 0\n").await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    // Instant queries at "now" are never cached: only coalescing can merge them.
    let url = format!("{}/api/v1/query?query=sum%20by%20(job)%20(up)", proxy.url);
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (http, url) = (http.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            // Half GET, half POST with the same parameters: the same question.
            if i % 2 == 0 {
                get(&http, &url, false).await
            } else {
                let (base, query) = url.split_once('?').expect("query");
                let response = http
                    .post(base)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(query.to_owned())
                    .send()
                    .await
                    .expect("answer");
                (
                    response.status().as_u16(),
                    response.text().await.expect("body"),
                )
            }
        }));
    }
    for task in tasks {
        let (status, body) = task.await.expect("task");
        assert_eq!(status, 200);
        assert_eq!(body, MATRIX);
    }
    assert_eq!(
        upstream.count(),
        1,
        "the upstream saw one request for fifty"
    );
    assert_eq!(
        proxy.metric("vantage_proxy_coalesced_requests_total").await,
        49.0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn settled_aligned_ranges_are_cached() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, MATRIX)).await;
    let proxy = ProxyProcess::start(
        &upstream.url,
        None,
        &format!("cache_freshness = \"1m\"\n{WHOLE_ANSWERS}"),
    )
    .await;
    let http = reqwest::Client::new();
    let end = (now() - 600) / 60 * 60;
    let url = format!(
        "{}/api/v1/query_range?query=up&start={}&end={end}&step=60",
        proxy.url,
        end - 3600
    );
    assert_eq!(get(&http, &url, false).await, (200, MATRIX.to_owned()));
    assert_eq!(upstream.count(), 1);
    let hit = http.get(&url).send().await.expect("answer");
    let timing = hit
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        timing.starts_with("cache;desc=\"hit\", proxy;dur="),
        "{timing}"
    );
    assert_eq!(hit.text().await.expect("body"), MATRIX);
    assert_eq!(upstream.count(), 1, "the hit did not touch the upstream");
    assert_eq!(
        proxy
            .metric("vantage_proxy_cache_requests_total{result=\"hit\"}")
            .await,
        1.0
    );
    // The same question as a form POST with the parameters reordered: same key.
    let form = reqwest::Client::new()
        .post(format!("{}/api/v1/query_range", proxy.url))
        .form(&[
            ("step", "60".to_owned()),
            ("end", end.to_string()),
            ("start", (end - 3600).to_string()),
            ("query", "up".to_owned()),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(form.text().await.expect("body"), MATRIX);
    assert_eq!(upstream.count(), 1);
    // `Cache-Control: no-store` goes to the upstream, and stores nothing.
    assert_eq!(get(&http, &url, true).await.0, 200);
    assert_eq!(upstream.count(), 2);
    // Unaligned ranges are not cached.
    let unaligned = url.replace(&format!("end={end}"), &format!("end={}", end - 7));
    get(&http, &unaligned, false).await;
    get(&http, &unaligned, false).await;
    assert_eq!(upstream.count(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_freshness_window_is_not_cached() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, MATRIX)).await;
    let proxy = ProxyProcess::start(
        &upstream.url,
        None,
        &format!("cache_freshness = \"5m\"\n{WHOLE_ANSWERS}"),
    )
    .await;
    let http = reqwest::Client::new();
    // Ends 2 minutes ago: inside the 5-minute window.
    let end = (now() - 120) / 60 * 60;
    let url = format!(
        "{}/api/v1/query_range?query=up&start={}&end={end}&step=60",
        proxy.url,
        end - 3600
    );
    get(&http, &url, false).await;
    get(&http, &url, false).await;
    assert_eq!(upstream.count(), 2, "recent answers are always fresh");
    // 10 minutes ago is outside it.
    let settled = url.replace(&format!("end={end}"), &format!("end={}", end - 480));
    get(&http, &settled, false).await;
    get(&http, &settled, false).await;
    assert_eq!(upstream.count(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn error_answers_are_not_cached() {
    let body = r#"{"status":"error","errorType":"execution","error":"boom"}"#;
    let upstream = FaultServer::start(Behaviour::Answer {
        delay: Duration::ZERO,
        status: 422,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
    .await;
    let proxy = ProxyProcess::start(&upstream.url, None, WHOLE_ANSWERS).await;
    let http = reqwest::Client::new();
    let end = (now() - 3600) / 60 * 60;
    let url = format!(
        "{}/api/v1/query_range?query=up&start={}&end={end}&step=60",
        proxy.url,
        end - 600
    );
    assert_eq!(get(&http, &url, false).await, (422, body.to_owned()));
    assert_eq!(get(&http, &url, false).await, (422, body.to_owned()));
    assert_eq!(upstream.count(), 2);
}
