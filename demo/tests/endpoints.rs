//! Starts the demo router on a real socket (127.0.0.1, port from binding port 0) and
//! checks every endpoint: the exposition parses and names every seed metric, and the
//! management JSON has the orchestrator's shapes.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;
use time::OffsetDateTime;
use time::macros::datetime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use vantage_api::management::{
    AvailableMetrics, CircuitBreakers, MetricsHealth, MetricsSummary, WebSocketConnections,
};
use vantage_demo::sim::SimConfig;
use vantage_demo::{AppState, router};

use support::openmetrics;

const START: OffsetDateTime = datetime!(2024-01-17 13:00 UTC);

/// Every sample name the five seeds' queries and tables use.
const SEED_SAMPLES: &[&str] = &[
    // 000
    "orchestrator_agent_execution_latency_bucket",
    "orchestrator_agent_execution_latency_sum",
    "orchestrator_agent_execution_latency_count",
    "orchestrator_graft_circuit_breaker_state",
    "orchestrator_graft_circuit_open_total",
    "orchestrator_graft_success_total",
    "orchestrator_graft_failure_total",
    "orchestrator_graft_timeout_total",
    "orchestrator_graft_executions_total",
    "orchestrator_websocket_active_connections",
    "orchestrator_websocket_message_queue_depth",
    "orchestrator_websocket_dropped_messages",
    "orchestrator_websocket_connection_quality",
    "orchestrator_websocket_message_delivery_rate",
    "orchestrator_websocket_connections_total",
    "orchestrator_websocket_disconnections_total",
    "orchestrator_websocket_reconnections_total",
    "orchestrator_websocket_messages_in_total",
    "orchestrator_websocket_messages_out_total",
    "orchestrator_websocket_message_failures_total",
    "orchestrator_websocket_fallback_http_total",
    "orchestrator_websocket_message_latency_bucket",
    "orchestrator_jwt_token_refresh_total",
    "orchestrator_jwt_token_refresh_failure_total",
    "orchestrator_vault_secret_rotation_total",
    "orchestrator_vault_secret_rotation_failure_total",
    "orchestrator_cost_attribution",
    // 001
    "autobot_workflow_executions_total",
    "autobot_workflow_duration_seconds_bucket",
    "autobot_workflow_steps_executed_total",
    "autobot_active_workflows",
    "autobot_workflow_approvals_total",
    "autobot_github_operations_total",
    "autobot_github_api_duration_seconds_bucket",
    "autobot_github_rate_limit_remaining",
    "autobot_github_commits_total",
    "autobot_github_pull_requests_total",
    "autobot_github_issues_total",
    "autobot_tasks_executed_total",
    "autobot_task_duration_seconds_bucket",
    "autobot_active_tasks",
    "autobot_task_queue_size",
    "autobot_task_retries_total",
    "autobot_timeout_total",
    "autobot_operation_duration_seconds_bucket",
    "autobot_timeout_rate",
    "autobot_redis_pool_connections",
    "autobot_redis_pool_saturation_ratio",
    "autobot_circuit_breaker_events_total",
    "autobot_circuit_breaker_state",
    "autobot_circuit_breaker_failure_count",
    "autobot_redis_requests_total",
    "autobot_redis_success_rate",
    "autobot_knowledge_documents_total",
    "autobot_knowledge_vectors_total",
    "autobot_knowledge_search_requests_total",
    "autobot_knowledge_search_latency_seconds_bucket",
    "autobot_knowledge_search_results_count_bucket",
    "autobot_knowledge_cache_hits_total",
    "autobot_knowledge_cache_misses_total",
    "autobot_knowledge_embedding_latency_seconds_bucket",
    "autobot_llm_requests_total",
    "autobot_llm_tokens_total",
    "autobot_llm_cost_dollars_total",
    "autobot_llm_request_latency_seconds_bucket",
    "autobot_llm_errors_total",
    "autobot_llm_rate_limit_remaining",
    "autobot_llm_provider_availability",
    "autobot_websocket_connections_active",
    "autobot_websocket_connections_total",
    "autobot_websocket_messages_sent_total",
    "autobot_websocket_messages_received_total",
    "autobot_websocket_message_latency_seconds_bucket",
    "autobot_websocket_errors_total",
    "autobot_websocket_rooms_active",
    "autobot_redis_operations_total",
    "autobot_redis_operation_latency_seconds_bucket",
    "autobot_redis_connections_active",
    "autobot_redis_pool_size",
    "autobot_redis_pool_available",
    "autobot_redis_memory_used_bytes",
    "autobot_redis_keys_total",
    "autobot_redis_pubsub_messages_total",
    // 002
    "aurea_http_requests_total",
    "aurea_request_latency_seconds_bucket",
    "aurea_request_latency_seconds_sum",
    "aurea_request_latency_seconds_count",
    "aurea_tasks_total",
    "aurea_active_tasks",
    "aurea_llm_tokens_total",
    "aurea_llm_cost_usd_total",
    // 003
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "workflow_executions_total",
    "workflow_execution_duration_seconds_bucket",
    "workflow_queue_size",
    "engine_calls_total",
    "node_cpu_seconds_total",
    "node_memory_MemTotal_bytes",
    "node_memory_MemAvailable_bytes",
    "node_filesystem_size_bytes",
    "node_filesystem_avail_bytes",
    "business_user_logins_total",
    "business_workflows_created_total",
    "business_active_users",
    "business_mrr_usd",
    "business_customer_satisfaction_score",
    // 004
    "asdlc_service_info",
    "asdlc_http_requests_total",
    "asdlc_http_request_duration_seconds_bucket",
    "asdlc_events_processed_total",
    "asdlc_active_tasks",
    "asdlc_active_workers",
    "asdlc_redis_connection_up",
    "asdlc_redis_operation_duration_seconds_bucket",
    "asdlc_process_memory_bytes",
];

/// A state that has run `ticks` seconds of simulation.
fn simulated(ticks: u32, sessions: Option<usize>) -> AppState {
    let config = SimConfig {
        seed: 7,
        tick: Duration::from_secs(1),
        sessions,
        cardinality: Default::default(),
    };
    let state = AppState::new(config, START);
    for i in 1..=ticks {
        state.tick(START + time::Duration::seconds(i64::from(i)));
    }
    state
}

/// Serves the router on 127.0.0.1 with a port the OS picks.
async fn serve(state: AppState) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("has an address");
    tokio::spawn(async move {
        axum::serve(listener, router(state)).await.expect("serves");
    });
    addr
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

/// A minimal HTTP/1.1 client: one request per connection.
async fn get(addr: SocketAddr, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("reads");
    let raw = String::from_utf8(raw).expect("utf-8 reply");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let content_type = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_owned())
        })
        .unwrap_or_default();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "replies carry a content length"
    );
    Reply {
        status,
        content_type,
        body: body.to_owned(),
    }
}

async fn get_json(addr: SocketAddr, path: &str) -> Value {
    let reply = get(addr, path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    assert!(reply.content_type.starts_with("application/json"), "{path}");
    serde_json::from_str(&reply.body).expect("JSON body")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn sample_value(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no sample {prefix}"))
}

#[tokio::test]
async fn exposition_parses_and_names_every_seed_metric() {
    let addr = serve(simulated(120, None)).await;
    let mut bodies = Vec::new();
    for path in [
        "/metrics",
        "/actuator/prometheus",
        "/api/monitoring/metrics",
    ] {
        let reply = get(addr, path).await;
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.content_type,
            "application/openmetrics-text; version=1.0.0; charset=utf-8"
        );
        bodies.push(reply.body);
    }
    assert!(
        bodies.iter().all(|b| *b == bodies[0]),
        "the same body everywhere"
    );

    let families = openmetrics::parse(&bodies[0]).expect("valid OpenMetrics");
    let names = openmetrics::sample_names(&families);
    for name in SEED_SAMPLES {
        assert!(names.contains(*name), "missing {name}");
    }
    let kind = |name: &str| {
        families
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.kind.as_str())
            .unwrap_or_else(|| panic!("no family {name}"))
    };
    assert_eq!(kind("orchestrator_cost_attribution"), "unknown");
    assert_eq!(kind("orchestrator_websocket_connection_quality"), "summary");
    assert_eq!(
        kind("orchestrator_websocket_message_delivery_rate"),
        "summary"
    );
    assert_eq!(kind("orchestrator_agent_execution_latency"), "histogram");
    assert_eq!(kind("asdlc_service"), "info");

    // The seed's exact bucket layouts.
    let les = |family: &str, labels: (&str, &str)| -> Vec<String> {
        let f = families.iter().find(|f| f.name == family).expect("family");
        f.samples
            .iter()
            .filter(|s| {
                s.name.ends_with("_bucket")
                    && s.labels.get(labels.0).map(String::as_str) == Some(labels.1)
            })
            .map(|s| s.labels["le"].clone())
            .collect()
    };
    assert_eq!(
        les("aurea_request_latency_seconds", ("endpoint", "/tasks")),
        [
            "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5",
            "5.0", "7.5", "10.0", "+Inf"
        ]
    );
    assert_eq!(
        les(
            "asdlc_redis_operation_duration_seconds",
            ("operation", "xadd")
        )
        .len(),
        2 * 9,
        "two services, eight bounds and +Inf"
    );

    // Bounded, realistic label values.
    let values = |family: &str, label: &str| -> std::collections::BTreeSet<String> {
        let f = families.iter().find(|f| f.name == family).expect("family");
        f.samples
            .iter()
            .filter_map(|s| s.labels.get(label).cloned())
            .collect()
    };
    assert_eq!(
        values("orchestrator_agent_execution_latency", "agent_type").len(),
        6
    );
    assert!(values("orchestrator_cost_attribution", "repository").contains("myorg/myrepo"));
    assert!(values("orchestrator_cost_attribution", "user").contains("user123"));
    assert_eq!(
        values("aurea_tasks", "model"),
        ["claude-2", "gpt-3.5-turbo", "gpt-4", "llama-2"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        values("asdlc_active_tasks", "service"),
        ["orchestrator", "workers"].map(String::from).into()
    );
    let series: usize = families.iter().map(|f| f.samples.len()).sum();
    assert!((3_000..15_000).contains(&series), "{series} series");
}

#[tokio::test]
async fn summary_and_available_have_the_orchestrator_shapes() {
    let addr = serve(simulated(60, None)).await;
    let summary = get_json(addr, "/api/metrics/summary").await;
    assert_eq!(
        keys(&summary),
        [
            "activeWebSocketConnections",
            "metricsByType",
            "timestamp",
            "totalMetrics"
        ]
    );
    assert_eq!(
        keys(&summary["metricsByType"]),
        ["COUNTER", "DISTRIBUTION_SUMMARY", "GAUGE", "TIMER"]
    );
    let typed: MetricsSummary = serde_json::from_value(summary).expect("typed summary");
    let by = typed.metrics_by_type;
    assert_eq!(
        typed.total_metrics,
        by.counter + by.gauge + by.timer + by.distribution_summary
    );
    assert_eq!(by.distribution_summary, 2);
    assert!(typed.timestamp > 1_600_000_000_000);

    let available = get_json(addr, "/api/metrics/available").await;
    assert_eq!(keys(&available), ["categories", "totalMetrics"]);
    let typed: AvailableMetrics = serde_json::from_value(available).expect("typed list");
    assert_eq!(
        typed
            .categories
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["agent", "cost", "graft", "jwt", "vault", "websocket"]
    );
    assert_eq!(typed.categories["cost"], ["orchestrator.cost.attribution"]);
    assert!(typed.categories["agent"].contains(&"orchestrator.agent.execution.latency".to_owned()));
    assert_eq!(typed.total_metrics, by.counter + by.gauge + by.timer + 2);
}

#[tokio::test]
async fn breakers_list_and_reset() {
    let addr = serve(simulated(90, None)).await;
    let list = get_json(addr, "/api/metrics/circuit-breakers").await;
    assert_eq!(keys(&list), ["circuitBreakers", "openCount", "timestamp"]);
    let entry = &list["circuitBreakers"][0];
    assert_eq!(
        keys(entry),
        [
            "agent",
            "failures",
            "since",
            "state",
            "stateValue",
            "successes",
            "timeouts"
        ]
    );
    let typed: CircuitBreakers = serde_json::from_value(list).expect("typed breakers");
    assert_eq!(typed.circuit_breakers.len(), 6);
    let open: Vec<_> = typed
        .circuit_breakers
        .iter()
        .filter(|b| b.state_value == 1)
        .collect();
    assert_eq!(typed.open_count, open.len() as u64);
    let tripped = open
        .first()
        .expect("seed 7 trips a breaker in the first minute");
    assert!(tripped.since.ends_with('Z'));

    let gauge = format!(
        "orchestrator_graft_circuit_breaker_state{{agent=\"{}\"}} ",
        tripped.agent
    );
    assert_eq!(sample_value(&get(addr, "/metrics").await.body, &gauge), 1.0);
    let reset = get_json(
        addr,
        &format!("/api/metrics/circuit-breakers/{}/reset", tripped.agent),
    )
    .await;
    assert_eq!(reset["state"], "CLOSED");
    assert_eq!(reset["stateValue"], 0);
    assert_eq!(reset["agent"], tripped.agent.as_str());
    assert_eq!(sample_value(&get(addr, "/metrics").await.body, &gauge), 0.0);

    let missing = get(addr, "/api/metrics/circuit-breakers/nobody-v9/reset").await;
    assert_eq!(missing.status, 404);
    let body: Value = serde_json::from_str(&missing.body).expect("JSON error");
    assert_eq!(
        body,
        serde_json::json!({"error": "unknown agent: nobody-v9"})
    );
}

#[tokio::test]
async fn connections_match_the_gauge_and_have_the_documented_fields() {
    let addr = serve(simulated(120, None)).await;
    let list = get_json(addr, "/api/metrics/websocket/connections").await;
    assert_eq!(
        keys(&list),
        ["activeConnections", "timestamp", "totalActive"]
    );
    let first = &list["activeConnections"][0];
    assert_eq!(
        keys(first),
        [
            "averageLatency",
            "connectedAt",
            "deliveryRate",
            "maxLatency",
            "messageFailures",
            "messagesReceived",
            "messagesSent",
            "reconnectionCount",
            "runId",
            "sessionId",
            "userId"
        ]
    );
    assert!(first["maxLatency"].is_u64());
    let typed: WebSocketConnections = serde_json::from_value(list).expect("typed connections");
    assert_eq!(typed.total_active as usize, typed.active_connections.len());
    assert!((5..=60).contains(&typed.active_connections.len()));
    for c in &typed.active_connections {
        let parts: Vec<usize> = c.run_id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert!(c.connected_at.ends_with('Z') && c.connected_at.len() == 20);
        assert!((0.0..=1.0).contains(&c.delivery_rate));
        assert!(c.messages_sent >= c.messages_received + c.message_failures);
    }
    let text = get(addr, "/metrics").await.body;
    assert_eq!(
        sample_value(&text, "orchestrator_websocket_active_connections "),
        typed.total_active as f64
    );
}

#[tokio::test]
async fn five_thousand_sessions_are_listed_quickly() {
    let addr = serve(simulated(40, Some(5000))).await;
    let started = Instant::now();
    let reply = get(addr, "/api/metrics/websocket/connections").await;
    let took = started.elapsed();
    assert_eq!(reply.status, 200);
    let typed: WebSocketConnections = serde_json::from_str(&reply.body).expect("typed connections");
    assert!((4500..=5500).contains(&typed.active_connections.len()));
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn health_lists_the_eight_categories() {
    let addr = serve(simulated(1, None)).await;
    let health = get_json(addr, "/api/monitoring/health/metrics").await;
    assert_eq!(
        keys(&health),
        ["categories", "metricsEnabled", "status", "timestamp"]
    );
    let typed: MetricsHealth = serde_json::from_value(health).expect("typed health");
    assert_eq!(typed.status, "healthy");
    assert!(typed.metrics_enabled);
    assert_eq!(typed.categories.len(), 8);
    assert!(
        time::OffsetDateTime::parse(
            &typed.timestamp,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok()
    );
}
