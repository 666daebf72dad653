//! The query frontend through the whole router, driven with `oneshot`, against an
//! in-process upstream that answers any grid as Prometheus would and records what it
//! was asked: kept extents answer the settled part, only the rest is fetched, the
//! joined answer equals the whole one, `Server-Timing` says what happened, and a
//! shared cache that cannot be reached costs nothing but its counter.

use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tower::ServiceExt;
use vantage_proxy::config::{Cli, Config};
use vantage_proxy::frontend::order::PROBE_QUERY;
use vantage_proxy::{AppState, router};

type Asked = Arc<Mutex<Vec<(i64, i64)>>>;

/// Two series; `b` exists only in odd minutes, so it appears and disappears.
fn whole(start: i64, end: i64, step: i64) -> String {
    let points = |keep: &dyn Fn(i64) -> bool, value: &dyn Fn(i64) -> String| -> Vec<String> {
        (0..=(end - start) / step)
            .map(|i| start + i * step)
            .filter(|t| keep(*t))
            .map(|t| format!("[{t},\"{}\"]", value(t)))
            .collect()
    };
    let a = points(&|_| true, &|t| format!("{}", t % 7));
    let b = points(&|t| (t / 60) % 2 == 1, &|_| "NaN".to_owned());
    let mut series = vec![format!(
        r#"{{"metric":{{"__name__":"up","job":"a"}},"values":[{}]}}"#,
        a.join(",")
    )];
    if !b.is_empty() {
        series.push(format!(
            r#"{{"metric":{{"__name__":"up","job":"b"}},"values":[{}]}}"#,
            b.join(",")
        ));
    }
    format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[{}]}}}}"#,
        series.join(",")
    )
}

async fn query_range(
    State(asked): State<Asked>,
    Form(form): Form<HashMap<String, String>>,
) -> ([(&'static str, &'static str); 1], String) {
    let json = [("content-type", "application/json")];
    let number = |k: &str| form.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let (start, end, step) = (number("start"), number("end"), number("step").max(1));
    if form.get("query").map(String::as_str) == Some(PROBE_QUERY) {
        let body = format!(
            r#"{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{"__name__":"b"}},"values":[[{start},"1"]]}},{{"metric":{{"c":"a"}},"values":[[{start},"2"]]}}]}}}}"#
        );
        return (json, body);
    }
    if let Ok(mut asked) = asked.lock() {
        asked.push((start, end));
    }
    (json, whole(start, end, step))
}

async fn upstream() -> (String, Asked) {
    let asked: Asked = Arc::default();
    let app = axum::Router::new()
        .route("/api/v1/query_range", axum::routing::post(query_range))
        .with_state(Arc::clone(&asked));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, asked)
}

fn app(upstream: &str, redis: Option<&str>) -> axum::Router {
    let config = Config::load(Cli {
        upstream: Some(upstream.to_owned()),
        cache_freshness: Some("1m".to_owned()),
        split_interval: Some("1h".to_owned()),
        cache_backend: redis.map(|_| "redis".to_owned()),
        redis_url: redis.map(str::to_owned),
        ..Cli::default()
    });
    match config {
        Ok(config) => router(AppState::new(config).expect("state")),
        Err(err) => panic!("config: {err}"),
    }
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let timing = response
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, timing, String::from_utf8_lossy(&body).into_owned())
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn asked(asked: &Asked) -> Vec<(i64, i64)> {
    asked.lock().map(|a| a.clone()).unwrap_or_default()
}

#[tokio::test]
async fn refreshes_fetch_only_what_is_not_kept() {
    let (url, seen) = upstream().await;
    let app = app(&url, None);
    let step = 15;
    let end = (now_s() / step + 1) * step;
    let start = end - 3 * 3600;
    let uri = format!("/api/v1/query_range?query=up&start={start}&end={end}&step={step}");
    let (status, timing, first) = get(&app, &uri).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first, whole(start, end, step));
    assert!(
        timing.starts_with("cache;desc=\"miss\", upstream;dur="),
        "{timing}"
    );
    assert!(
        asked(&seen).len() >= 3,
        "split by the hour: {:?}",
        asked(&seen)
    );

    seen.lock().expect("lock").clear();
    let (_, timing, second) = get(&app, &uri).await;
    assert_eq!(second, first);
    assert!(timing.starts_with("cache;desc=\"partial\""), "{timing}");
    assert!(timing.contains("subqueries;desc=\"1\""), "{timing}");
    let settled = (now_s() - 60) / step * step;
    let tail = asked(&seen);
    assert_eq!(tail.len(), 1, "{tail:?}");
    assert!(tail[0].0 >= settled - step && tail[0].1 == end, "{tail:?}");

    // Settled and inside what is kept: no upstream request at all.
    seen.lock().expect("lock").clear();
    let inner = format!(
        "/api/v1/query_range?query=up&start={}&end={}&step={step}",
        start + 600,
        settled - 600
    );
    let (_, timing, body) = get(&app, &inner).await;
    assert_eq!(body, whole(start + 600, settled - 600, step));
    assert!(
        timing.starts_with("cache;desc=\"hit\", proxy;dur="),
        "{timing}"
    );
    assert!(asked(&seen).is_empty());

    // Anchored to the range: passed on whole.
    let anchored =
        format!("/api/v1/query_range?query=up%20%40%20start()&start={start}&end={end}&step={step}");
    let (_, timing, _) = get(&app, &anchored).await;
    assert!(timing.starts_with("cache;desc=\"bypass\""), "{timing}");
}

#[tokio::test]
async fn an_unreachable_shared_cache_costs_only_its_counter() {
    let (url, _) = upstream().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let app = app(&url, Some(&format!("redis://127.0.0.1:{closed}/0")));
    let step = 30;
    let end = now_s() / step * step;
    for i in 0..6 {
        let start = end - 3600 - i * step;
        let uri = format!("/api/v1/query_range?query=up&start={start}&end={end}&step={step}");
        let (status, _, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, whole(start, end, step));
    }
    let (_, _, metrics) = get(&app, "/metrics").await;
    assert!(
        metrics.contains("vantage_proxy_shared_cache_requests_total{result=\"error\"}")
            || metrics.contains("vantage_proxy_shared_cache_requests_total{result=\"timeout\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("vantage_proxy_shared_cache_up 0"),
        "{metrics}"
    );
}
