//! The router driven in-process with `oneshot`: routing, envelopes, authentication and
//! validation, none of which needs an upstream (it points at a closed port).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use vantage_proxy::config::{Cli, Config};
use vantage_proxy::{AppState, router};

fn app(auth_mode: Option<&str>) -> axum::Router {
    let config = Config::load(Cli {
        upstream: Some("http://127.0.0.1:9".to_owned()),
        backend: Some("http://127.0.0.1:9".to_owned()),
        auth_mode: auth_mode.map(str::to_owned),
        ..Cli::default()
    });
    let config = match config {
        Ok(config) => config,
        Err(err) => panic!("config: {err}"),
    };
    router(AppState::new(config).expect("state"))
}

async fn call(app: axum::Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn envelope(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn unknown_api_paths_are_404_envelopes() {
    let (status, body) = call(app(None), get("/api/v2/whatever")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(envelope(&body)["errorType"], "not_found");
}

#[tokio::test]
async fn wrong_methods_are_405_envelopes() {
    let request = Request::delete("/api/v1/query")
        .body(Body::empty())
        .expect("request");
    let (status, body) = call(app(None), request).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(envelope(&body)["status"], "error");
}

#[tokio::test]
async fn bad_promql_is_400_with_the_parser_message() {
    let (status, body) = call(app(None), get("/api/v1/query?query=sum(rate(x%5B5m%5D)")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = envelope(&body);
    assert_eq!(body["errorType"], "bad_data");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("invalid parameter \"query\": ")),
        "{body}"
    );
}

#[tokio::test]
async fn valid_requests_reach_for_the_upstream() {
    // The upstream is a closed port: a valid query gets as far as trying it.
    let (status, body) = call(app(None), get("/api/v1/query?query=up")).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(envelope(&body)["errorType"], "unavailable");
}

#[tokio::test]
async fn the_seed_service_list_falls_back() {
    let (status, body) = call(app(None), get("/api/metrics/services")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, r#"["orchestrator","workers"]"#);
    let (status, body) = call(app(None), get("/api/metrics/health")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(envelope(&body)["status"], "unhealthy");
}

#[tokio::test]
async fn health_and_metrics_are_open() {
    let (status, body) = call(app(None), get("/healthz")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
    let (status, body) = call(app(None), get("/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.ends_with("# EOF\n"), "{body}");
}

#[tokio::test]
async fn the_console_is_served_for_app_routes() {
    let (status, body) = call(app(None), get("/d/cost-attribution")).await;
    // 200 with the app when dist/ was built, 503 saying so when it was not.
    assert!(
        status == StatusCode::OK && body.contains("<html")
            || status == StatusCode::SERVICE_UNAVAILABLE,
        "{status}"
    );
    let (status, _) = call(app(None), get("/missing-file.js")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn tokens_mode_without_tokens_is_a_config_error() {
    let err = Config::load(Cli {
        upstream: Some("http://127.0.0.1:9".to_owned()),
        auth_mode: Some("tokens".to_owned()),
        ..Cli::default()
    })
    .expect_err("no tokens");
    assert!(err.starts_with("auth.tokens"), "{err}");
}

#[tokio::test]
async fn a_post_needs_a_form_body() {
    let request = Request::post("/api/v1/query_range")
        .header("Content-Type", "text/plain")
        .body(Body::from("query=up"))
        .expect("request");
    let (status, body) = call(app(None), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Content-Type"), "{body}");
}

#[tokio::test]
async fn bad_cost_parameters_are_400_envelopes_naming_the_parameter() {
    for (uri, parameter) in [
        ("/api/cost/breakdown?from=yesterday", "from"),
        ("/api/cost/breakdown?by=planet", "by"),
        ("/api/cost/breakdown?from=200&to=100", "from"),
        ("/api/cost/breakdown?team=a&team=b", "team"),
        ("/api/cost/report?by=repository,planet", "by"),
        ("/api/cost/report?format=xlsx", "format"),
        ("/api/cost/report?repository=a&repository=b", "repository"),
        ("/api/cost/forecast?time=soon", "time"),
        ("/api/cost/units?to=later", "to"),
    ] {
        let (status, body) = call(app(None), get(uri)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        let body = envelope(&body);
        assert_eq!(body["status"], "error", "{uri}");
        assert_eq!(body["errorType"], "bad_data", "{uri}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains(&format!("\"{parameter}\""))),
            "{uri}: {body}"
        );
    }
}

#[tokio::test]
async fn the_cost_page_is_served() {
    let (status, body) = call(app(None), get("/cost?from=now-7d&to=now&by=repository")).await;
    // As for every app route: the app when dist/ was built, 503 saying so when not.
    assert!(
        status == StatusCode::OK && body.contains("<html")
            || status == StatusCode::SERVICE_UNAVAILABLE,
        "{status}"
    );
}

#[tokio::test]
async fn parse_query_answers_without_the_upstream() {
    // The upstream is a closed port: an answer proves it was never asked.
    let (status, body) = call(
        app(None),
        get("/api/v1/parse_query?query=sum%20by%20(job)%20(rate(up%5B5m%5D))"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tree = envelope(&body);
    assert_eq!(tree["status"], "success");
    assert_eq!(tree["data"]["type"], "aggregation");
    assert_eq!(tree["data"]["expr"]["func"]["name"], "rate");
    let request = Request::post("/api/v1/parse_query")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from("query=rate(up%5B5m%5D"))
        .expect("request");
    let (status, body) = call(app(None), request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = envelope(&body);
    assert_eq!(error["errorType"], "bad_data");
    assert_eq!(
        error["error"],
        "1:5: parse error: unclosed left parenthesis"
    );
    assert_eq!(error["position"], serde_json::json!({"start": 4, "end": 5}));
}

#[tokio::test]
async fn parse_query_needs_a_principal() {
    let dir = std::env::temp_dir().join(format!("vantage-router-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("proxy.toml");
    std::fs::write(
        &path,
        "upstream = \"http://127.0.0.1:9\"\n[auth]\nmode = \"tokens\"\n[[auth.tokens]]\nname = \"ops\"\nrole = \"viewer\"\ntoken = \"a-token-of-sixteen-or-more\"\n",
    )
    .expect("write config");
    let config = Config::load(Cli {
        config: Some(path),
        ..Cli::default()
    })
    .unwrap_or_else(|e| panic!("config: {e}"));
    let app = router(AppState::new(config).expect("state"));
    let (status, _) = call(app.clone(), get("/api/v1/parse_query?query=up")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let request = Request::get("/api/v1/parse_query?query=up")
        .header("Authorization", "Bearer a-token-of-sixteen-or-more")
        .body(Body::empty())
        .expect("request");
    let (status, body) = call(app, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let _ = std::fs::remove_dir_all(dir);
}
