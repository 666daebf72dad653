//! Who may do what: bearer tokens and roles, identity headers from trusted addresses,
//! the Origin check on the breaker reset, header hygiene towards the upstream, the rate
//! limit, the body limit and slow clients. Upstream and backend are socket servers the
//! test controls, so the test sees exactly what reached them.

use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vantage_e2e::fault::{Behaviour, FaultServer};
use vantage_e2e::process::{free_port, workspace_binary};
use vantage_e2e::proxy::ProxyProcess;

const VECTOR: &str = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
const ADMIN: &str = "admin-token-0123456789";
const VIEWER: &str = "viewer-token-0123456789";
const VIEWER2: &str = "other-viewer-0123456789";

const TOKENS: &str = r#"
[auth]
mode = "tokens"
[[auth.tokens]]
name = "ops"
role = "admin"
token = "admin-token-0123456789"
[[auth.tokens]]
name = "wall"
role = "viewer"
token = "viewer-token-0123456789"
[[auth.tokens]]
name = "kiosk"
role = "viewer"
token = "other-viewer-0123456789"
scope = "team-a"
"#;

fn backend_answer() -> Behaviour {
    Behaviour::Answer {
        delay: Duration::ZERO,
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"agent":"architect-v1","state":"CLOSED","stateValue":0}"#.to_vec(),
    }
}

async fn error_type(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON envelope");
    (
        status,
        body["errorType"].as_str().unwrap_or_default().to_owned(),
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_roles_and_origin() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, VECTOR)).await;
    let backend = FaultServer::start(backend_answer()).await;
    let proxy = ProxyProcess::start(&upstream.url, Some(&backend.url), TOKENS).await;
    let http = client();
    let query = format!("{}/api/v1/query?query=up", proxy.url);

    let missing = http.get(&query).send().await.expect("answer");
    assert!(missing.headers().contains_key("www-authenticate"));
    assert_eq!(error_type(missing).await, (401, "unauthorized".into()));
    let wrong = http
        .get(&query)
        .bearer_auth("not-a-token-at-all")
        .send()
        .await
        .expect("answer");
    assert_eq!(error_type(wrong).await, (401, "unauthorized".into()));
    assert_eq!(
        upstream.count(),
        0,
        "nothing unauthenticated reaches the upstream"
    );

    let viewer = http
        .get(&query)
        .bearer_auth(VIEWER)
        .send()
        .await
        .expect("answer");
    assert_eq!(viewer.status().as_u16(), 200);
    assert_eq!(viewer.text().await.expect("body"), VECTOR);

    // The static console and the proxy's health stay open.
    let health = http
        .get(format!("{}/healthz", proxy.url))
        .send()
        .await
        .expect("answer");
    assert_eq!(health.status().as_u16(), 200);

    let reset = format!(
        "{}/api/metrics/circuit-breakers/architect-v1/reset",
        proxy.url
    );
    let host = proxy.url.trim_start_matches("http://").to_owned();
    let as_viewer = http
        .post(&reset)
        .bearer_auth(VIEWER)
        .send()
        .await
        .expect("answer");
    assert_eq!(error_type(as_viewer).await, (403, "forbidden".into()));
    let evil = http
        .post(&reset)
        .bearer_auth(ADMIN)
        .header("Origin", "http://evil.example")
        .send()
        .await
        .expect("answer");
    assert_eq!(error_type(evil).await, (403, "forbidden".into()));
    assert_eq!(backend.count(), 0, "refused resets never reach the backend");

    let ok = http
        .post(&reset)
        .bearer_auth(ADMIN)
        .header("Origin", format!("http://{host}"))
        .send()
        .await
        .expect("answer");
    assert_eq!(ok.status().as_u16(), 200);
    let seen = backend.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(
        seen[0].target,
        "/api/metrics/circuit-breakers/architect-v1/reset"
    );

    // Names are checked after full percent-decoding and never reach the backend.
    for bad in [
        "a%2Fb",
        "a%252Fb",
        "%2e%2e",
        "%252e%252e",
        "a%20b",
        "a%3Fx%3D1",
        "%C3%BC",
        &"a".repeat(129),
    ] {
        let response = http
            .post(format!(
                "{}/api/metrics/circuit-breakers/{bad}/reset",
                proxy.url
            ))
            .bearer_auth(ADMIN)
            .send()
            .await
            .expect("answer");
        let status = response.status().as_u16();
        // `%2F` may also be refused by routing (it is one segment to axum): 400 or 404.
        assert!(status == 400 || status == 404, "{bad}: {status}");
    }
    let get_reset = http
        .get(&reset)
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        get_reset.status().as_u16(),
        405,
        "the proxy's reset is a POST"
    );
    assert_eq!(backend.count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn identity_headers_only_from_trusted_sources() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, VECTOR)).await;
    let backend = FaultServer::start(backend_answer()).await;
    let trusted = ProxyProcess::start(
        &upstream.url,
        Some(&backend.url),
        "[auth]\nmode = \"headers\"\nuser_header = \"X-Auth-User\"\nrole_header = \"X-Auth-Role\"\ntrusted_sources = [\"127.0.0.1/32\"]\n",
    )
    .await;
    let http = client();
    let query = format!("{}/api/v1/query?query=up", trusted.url);
    let anonymous = http.get(&query).send().await.expect("answer");
    assert_eq!(error_type(anonymous).await, (401, "unauthorized".into()));
    let alice = http
        .get(&query)
        .header("X-Auth-User", "alice")
        .send()
        .await
        .expect("answer");
    assert_eq!(alice.status().as_u16(), 200);
    let reset = format!("{}/api/metrics/circuit-breakers/pm-v1/reset", trusted.url);
    let viewer = http
        .post(&reset)
        .header("X-Auth-User", "alice")
        .send()
        .await
        .expect("answer");
    assert_eq!(error_type(viewer).await, (403, "forbidden".into()));
    let admin = http
        .post(&reset)
        .header("X-Auth-User", "bob")
        .header("X-Auth-Role", "admin")
        .send()
        .await
        .expect("answer");
    assert_eq!(admin.status().as_u16(), 200);

    let untrusted = ProxyProcess::start(
        &upstream.url,
        None,
        "[auth]\nmode = \"headers\"\ntrusted_sources = [\"10.0.0.0/8\"]\n",
    )
    .await;
    let forged = http
        .get(format!("{}/api/v1/query?query=up", untrusted.url))
        .header("X-Forwarded-User", "mallory")
        .send()
        .await
        .expect("answer");
    assert_eq!(error_type(forged).await, (401, "unauthorized".into()));
}

#[tokio::test(flavor = "multi_thread")]
async fn caller_headers_never_reach_the_upstream() {
    let upstream = FaultServer::start(Behaviour::Answer {
        delay: Duration::ZERO,
        status: 200,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Set-Cookie".into(), "session=upstream; Path=/".into()),
            ("Access-Control-Allow-Origin".into(), "*".into()),
        ],
        body: VECTOR.as_bytes().to_vec(),
    })
    .await;
    let proxy = ProxyProcess::start(
        &upstream.url,
        None,
        "[upstream_auth]\nusername = \"prom\"\npassword = \"secret\"\n",
    )
    .await;
    let response = client()
        .post(format!("{}/api/v1/query", proxy.url))
        .header("Cookie", "grafana_session=abc")
        .header("Authorization", "Bearer caller-secret")
        .header("X-Forwarded-For", "203.0.113.9")
        .header("X-Scope-OrgID", "tenant-b")
        .form(&[("query", "up")])
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        !response.headers().contains_key("set-cookie"),
        "upstream cookies are dropped"
    );
    assert!(
        !response
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let seen = upstream.requests();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.header("cookie"), None);
    assert_eq!(request.header("x-forwarded-for"), None);
    assert_eq!(request.header("x-scope-orgid"), None);
    // "prom:secret" in base64: the configured credentials, not the caller's.
    assert_eq!(
        request.header("authorization"),
        Some("Basic cHJvbTpzZWNyZXQ=")
    );
    assert_eq!(String::from_utf8_lossy(&request.body), "query=up");
    assert_eq!(request.target, "/api/v1/query");
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limit_is_per_principal() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, VECTOR)).await;
    let proxy = ProxyProcess::start(
        &upstream.url,
        None,
        &format!("[rate_limit]\nper_second = 0.5\nburst = 3\n{TOKENS}"),
    )
    .await;
    let http = client();
    let query = format!("{}/api/v1/query?query=up", proxy.url);
    for _ in 0..3 {
        let ok = http
            .get(&query)
            .bearer_auth(VIEWER)
            .send()
            .await
            .expect("answer");
        assert_eq!(ok.status().as_u16(), 200);
    }
    let limited = http
        .get(&query)
        .bearer_auth(VIEWER)
        .send()
        .await
        .expect("answer");
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(error_type(limited).await, (429, "too_many_requests".into()));
    let other = http
        .get(&query)
        .bearer_auth(VIEWER2)
        .send()
        .await
        .expect("answer");
    assert_eq!(
        other.status().as_u16(),
        200,
        "another principal has its own budget"
    );
    assert!(
        proxy
            .metric("vantage_proxy_rate_limited_requests_total")
            .await
            >= 1.0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn request_body_limit_is_413() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, VECTOR)).await;
    let proxy = ProxyProcess::start(&upstream.url, None, "max_request_body = 1024\n").await;
    let big = format!("query={}", "a".repeat(2048));
    for chunked in [false, true] {
        let request = client()
            .post(format!("{}/api/v1/query", proxy.url))
            .header("Content-Type", "application/x-www-form-urlencoded");
        let request = if chunked {
            let stream = futures_stream(big.clone());
            request.body(reqwest::Body::wrap_stream(stream))
        } else {
            request.body(big.clone())
        };
        let response = request.send().await.expect("answer");
        assert_eq!(
            error_type(response).await,
            (413, "bad_data".into()),
            "chunked {chunked}"
        );
    }
    assert_eq!(upstream.count(), 0);
}

/// A body without a length, so the limit is found while reading.
fn futures_stream(
    text: String,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + Sync + 'static {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = text
        .into_bytes()
        .chunks(256)
        .map(|c| Ok(c.to_vec()))
        .collect();
    futures_util::stream::iter(chunks)
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_clients_are_cut_off() {
    let upstream = FaultServer::start(Behaviour::prometheus(Duration::ZERO, VECTOR)).await;
    let proxy = ProxyProcess::start(&upstream.url, None, "client_header_timeout = \"1s\"\n").await;
    let address = proxy.url.trim_start_matches("http://").to_owned();
    // A head that never completes.
    let mut slow = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    slow.write_all(b"GET /api/v1/query?query=up HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let started = Instant::now();
    let mut buffer = [0u8; 256];
    let closed = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut buffer)).await;
    assert!(closed.is_ok(), "the proxy kept a stalled request open");
    assert!(started.elapsed() < Duration::from_secs(4));
    // An idle keep-alive connection is closed the same way.
    let mut idle = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let started = Instant::now();
    let n = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut buffer)).await;
    assert!(matches!(n, Ok(Ok(0)) | Ok(Err(_))), "{n:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread")]
async fn auth_none_is_refused_off_loopback() {
    let output = std::process::Command::new(workspace_binary("vantage-proxy"))
        .args(["--listen", &format!("0.0.0.0:{}", free_port())])
        .args(["--upstream", "http://127.0.0.1:9"])
        .env_remove("VANTAGE_CONFIG")
        .env_remove("VANTAGE_AUTH_MODE")
        .output()
        .expect("run the proxy");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("auth.mode"), "{stderr}");
}
