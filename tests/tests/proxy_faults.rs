//! The proxy against upstreams that misbehave, each a real socket server the test
//! controls: down, hanging, resetting, answering garbage or HTML, a huge body, a slow
//! trickle; and a client that goes away.

use serde_json::Value;
use std::time::{Duration, Instant};
use vantage_e2e::fault::{Behaviour, FaultServer};
use vantage_e2e::process::free_port;
use vantage_e2e::proxy::ProxyProcess;

const QUERY: &str = "/api/v1/query?query=up";

/// A proxy in front of `upstream` with a 1 s upstream timeout and a 1 MiB answer limit.
async fn proxy(upstream: &str) -> ProxyProcess {
    ProxyProcess::start(
        upstream,
        None,
        "upstream_timeout = \"1s\"\nmax_response_bytes = 1048576\n",
    )
    .await
}

/// Status, errorType and error of an answer that must be an error envelope.
async fn error_of(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON error envelope");
    assert_eq!(body["status"], "error", "{body}");
    (
        status,
        body["errorType"].as_str().unwrap_or_default().to_owned(),
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn get(url: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .expect("the proxy answers")
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_down_is_502() {
    let nothing = format!("http://127.0.0.1:{}", free_port());
    let proxy = proxy(&nothing).await;
    let (status, kind, message) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (502, "unavailable"));
    assert!(message.contains("cannot connect"), "{message}");
    assert!(
        proxy
            .metric("vantage_proxy_upstream_errors_total{target=\"upstream\",kind=\"connect\"}")
            .await
            >= 1.0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hanging_upstream_is_504_after_the_timeout() {
    let upstream = FaultServer::start(Behaviour::Hang).await;
    let proxy = proxy(&upstream.url).await;
    let started = Instant::now();
    let (status, kind, message) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (504, "timeout"));
    assert!(message.contains("1s"), "{message}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_is_502() {
    let upstream = FaultServer::start(Behaviour::Reset).await;
    let proxy = proxy(&upstream.url).await;
    let (status, kind, _) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (502, "unavailable"));
    assert_eq!(upstream.count(), 1, "no retries behind the caller's back");
}

#[tokio::test(flavor = "multi_thread")]
async fn garbage_is_502_not_http() {
    let upstream = FaultServer::start(Behaviour::Garbage).await;
    let proxy = proxy(&upstream.url).await;
    let (status, kind, message) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (502, "unavailable"));
    assert!(message.contains("not HTTP"), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
async fn html_or_foreign_json_is_502_not_a_prometheus_answer() {
    for (status, content_type, body) in [
        (
            200,
            "text/html",
            "<html><body>Welcome to nginx</body></html>",
        ),
        (
            503,
            "text/html",
            "<html>503 Service Temporarily Unavailable</html>",
        ),
        (200, "application/json", "{\"hello\":\"world\"}"),
        (
            200,
            "application/json",
            "{\"status\":\"success\",\"data\":[1,2",
        ),
        (200, "application/json", ""),
    ] {
        let upstream = FaultServer::start(Behaviour::Answer {
            delay: Duration::ZERO,
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        })
        .await;
        let proxy = proxy(&upstream.url).await;
        let (code, kind, message) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
        assert_eq!((code, kind.as_str()), (502, "unavailable"), "{body}");
        assert!(
            message.contains("not a Prometheus API answer"),
            "{body}: {message}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn upstream_errors_pass_through_unchanged() {
    let body = r#"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}"#;
    let upstream = FaultServer::start(Behaviour::Answer {
        delay: Duration::ZERO,
        status: 422,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
    .await;
    let proxy = proxy(&upstream.url).await;
    let response = get(&format!("{}{QUERY}", proxy.url)).await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(response.text().await.expect("body"), body);
}

#[tokio::test(flavor = "multi_thread")]
async fn announced_huge_body_is_a_clear_error() {
    let upstream = FaultServer::start(Behaviour::Huge {
        total: 512 * 1024 * 1024,
        content_length: true,
    })
    .await;
    let proxy = proxy(&upstream.url).await;
    let (status, kind, message) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (502, "unavailable"));
    assert!(
        message.contains("larger than the configured limit of 1048576 bytes"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chunked_huge_body_is_cut_and_memory_stays_bounded() {
    let upstream = FaultServer::start(Behaviour::Huge {
        total: 512 * 1024 * 1024,
        content_length: false,
    })
    .await;
    let proxy = proxy(&upstream.url).await;
    let response = get(&format!("{}{QUERY}", proxy.url)).await;
    // Past the streaming threshold the head is already sent; the body must then fail
    // rather than end as if it were whole.
    let outcome = response.bytes().await;
    match outcome {
        Ok(body) => panic!("a cut answer ended cleanly ({} bytes)", body.len()),
        Err(err) => assert!(err.is_body() || err.is_decode(), "{err}"),
    }
    assert!(
        proxy
            .metric("vantage_proxy_upstream_errors_total{target=\"upstream\",kind=\"too_large\"}")
            .await
            >= 1.0
    );
    let rss = proxy.rss_bytes();
    assert!(rss < 64 * 1024 * 1024, "proxy RSS {rss} bytes");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_trickle_is_504() {
    let upstream = FaultServer::start(Behaviour::Trickle {
        every: Duration::from_millis(200),
    })
    .await;
    let proxy = proxy(&upstream.url).await;
    let (status, kind, _) = error_of(get(&format!("{}{QUERY}", proxy.url)).await).await;
    assert_eq!((status, kind.as_str()), (504, "timeout"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_that_goes_away_cancels_the_upstream_request() {
    let upstream = FaultServer::start(Behaviour::Hang).await;
    let proxy = ProxyProcess::start(&upstream.url, None, "upstream_timeout = \"60s\"\n").await;
    let gave_up = reqwest::Client::new()
        .get(format!("{}{QUERY}", proxy.url))
        .timeout(Duration::from_millis(500))
        .send()
        .await;
    assert!(
        gave_up.is_err(),
        "the upstream hangs, so the client times out"
    );
    assert_eq!(upstream.count(), 1);
    let deadline = Instant::now() + Duration::from_secs(5);
    while upstream.open_connections() > 0 {
        assert!(
            Instant::now() < deadline,
            "the proxy kept the upstream request open after its client left"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        proxy
            .metric("vantage_proxy_upstream_errors_total{target=\"upstream\",kind=\"cancelled\"}")
            .await
            >= 1.0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn large_answers_stream_byte_for_byte() {
    // About 1.5 MB: past the streaming threshold, under a 4 MiB limit.
    let values: Vec<String> = (0..60_000).map(|i| format!("[{i},\"{i}.5\"]")).collect();
    let body = format!(
        "{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{{\"metric\":{{\"job\":\"x\"}},\"values\":[{}]}}]}}}}",
        values.join(",")
    );
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, &body)).await;
    let proxy = ProxyProcess::start(&upstream.url, None, "max_response_bytes = 4194304\n").await;
    let response = get(&format!(
        "{}/api/v1/query_range?query=x&start=0&end=100&step=1",
        proxy.url
    ))
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let got = response.bytes().await.expect("whole body");
    assert_eq!(got.len(), body.len());
    assert!(got == body.as_bytes(), "bytes differ");
}
