//! `POST /api/import/grafana` driven in-process: a good dashboard, JSON that is not
//! JSON (line and column in the message), JSON that is not a dashboard, a body over the
//! limit, and a caller without credentials.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use vantage_api::import::ImportAnswer;
use vantage_proxy::config::{Cli, Config};
use vantage_proxy::{AppState, router};

const TOKEN: &str = "import-test-token-0123456789";

fn app(extra: &str) -> axum::Router {
    let dir = std::env::temp_dir().join(format!("vantage-import-route-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("proxy-{}.toml", extra.len()));
    std::fs::write(
        &path,
        format!("upstream = \"http://127.0.0.1:9\"\nmax_request_body = 4096\n{extra}"),
    )
    .expect("config");
    let config = Config::load(Cli {
        config: Some(path),
        ..Cli::default()
    })
    .unwrap_or_else(|e| panic!("config: {e}"));
    router(AppState::new(config).expect("state"))
}

fn tokens() -> String {
    format!(
        "[auth]\nmode = \"tokens\"\n[[auth.tokens]]\nname = \"ops\"\nrole = \"viewer\"\ntoken = \"{TOKEN}\"\n"
    )
}

async fn post(app: axum::Router, body: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::post("/api/import/grafana?name=mine.json");
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let request = request
        .header("Content-Type", "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

const GOOD: &str = r#"{"title":"Node overview","uid":"node-1","schemaVersion":39,
  "panels":[
    {"type":"row","title":"CPU","collapsed":true,"gridPos":{"x":0,"y":0,"w":24,"h":1},
     "panels":[{"type":"gauge","title":"Busy","gridPos":{"x":0,"y":1,"w":6,"h":6},
                "targets":[{"expr":"avg(rate(node_cpu_seconds_total{mode!=\"idle\"}[$__rate_interval]))"}]}]},
    {"type":"worldmap-panel","title":"Where","gridPos":{"x":0,"y":2,"w":12,"h":6}}
  ]}"#;

#[tokio::test]
async fn converts_a_dashboard_and_reports() {
    let (status, body) = post(app(&tokens()), GOOD, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "success");
    let answer: ImportAnswer = serde_json::from_value(body["data"].clone()).expect("answer");
    assert_eq!(answer.file_name, "node-overview.toml");
    assert_eq!(answer.dashboard.id, "node-overview");
    assert!(
        answer.toml.contains("title = \"Node overview\""),
        "{}",
        answer.toml
    );
    assert_eq!(answer.report.carried.len(), 2, "{:?}", answer.report);
    assert_eq!(answer.report.dropped[0].panel, "Where");
    assert!(
        answer
            .summary
            .starts_with("mine.json -> node-overview.toml"),
        "{}",
        answer.summary
    );
}

#[tokio::test]
async fn bad_json_names_the_line_and_column() {
    let (status, body) = post(app(""), "{\n  \"title\": \"x\",\n  panels: []\n}", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["status"], "error");
    assert_eq!(body["errorType"], "bad_data");
    let message = body["error"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("invalid JSON at line 3, column 3"),
        "{message}"
    );
}

#[tokio::test]
async fn json_that_is_not_a_dashboard_is_refused() {
    let (status, body) = post(
        app(""),
        r#"{"name":"a data source","type":"prometheus"}"#,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["error"].as_str().unwrap_or_default();
    assert!(message.starts_with("not a Grafana dashboard"), "{message}");
}

#[tokio::test]
async fn large_bodies_and_strangers_are_refused() {
    let big = format!("{{\"title\":\"{}\"}}", "x".repeat(5000));
    let (status, body) = post(app(""), &big, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("max_request_body"),
        "{body}"
    );
    let (status, body) = post(app(&tokens()), GOOD, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errorType"], "unauthorized");
}
