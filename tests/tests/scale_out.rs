//! Two proxy replicas sharing one real Redis, behind a real HAProxy, in front of a real
//! Prometheus scraping the demo (through a forwarder that records what reaches it):
//!
//! - the cost dashboard opened through replica A and then through replica B costs the
//!   upstream only the fresh tail the second time;
//! - Redis stopped mid-test: every request is still answered (from the upstream), the
//!   replicas count the failures and open their breakers; Redis started again: the
//!   shared cache is used again, by itself;
//! - replica A killed under a bounded load through HAProxy: every request is answered.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vantage_e2e::balancer::Balancer;
use vantage_e2e::dashboard_load::{self, ConsoleRequest, Kind};
use vantage_e2e::process::wait_for;
use vantage_e2e::proxy::ProxyProcess;
use vantage_e2e::recorder::Recorder;
use vantage_e2e::redis::RedisServer;
use vantage_e2e::stack::Stack;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The console's requests for the cost dashboard over the last `range_ms`.
fn view(range_ms: i64) -> Vec<ConsoleRequest> {
    let dashboard = dashboard_load::load(
        &vantage_e2e::workspace_root().join("dashboards/cost-attribution.toml"),
    );
    let end = now_ms();
    dashboard_load::requests(&dashboard, end - range_ms, end, 1400)
}

/// Sends every request of a view to `base`; all must be answered 200.
async fn open(http: &reqwest::Client, base: &str, view: &[ConsoleRequest]) {
    let answers = futures_util::future::join_all(view.iter().map(|r| {
        let url = format!("{base}{}", r.path);
        async move {
            let response = http.get(&url).send().await;
            (r, response.map(|a| a.status().as_u16()))
        }
    }))
    .await;
    for (request, status) in answers {
        assert!(
            matches!(status, Ok(200)),
            "{} via {base}: {status:?}",
            request.panel
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn replicas_share_extents_through_redis_and_survive_its_outage_and_a_crash() {
    let stack = Stack::start(Duration::from_secs(1)).await;
    let recorder = Recorder::start(&stack.prometheus_url).await;
    let mut redis = RedisServer::start().await;
    let config = format!(
        "cache_backend = \"redis\"\nredis_url = \"{}\"\ncache_freshness = \"10s\"\n[rate_limit]\nper_second = 0\n",
        redis.url
    );
    let a = ProxyProcess::start(&recorder.url, Some(&stack.demo_url), &config).await;
    let b = ProxyProcess::start(&recorder.url, Some(&stack.demo_url), &config).await;
    let balancer = Balancer::start(&[&a.url, &b.url]).await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    stack.wait_for_scrapes(5).await;

    // Through A, then through B: B asks the upstream only for the fresh tails.
    let hour = view(3_600_000);
    assert!(hour.iter().filter(|r| r.kind == Kind::Range).count() >= 4);
    open(&http, &a.url, &hour).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    recorder.clear();
    open(&http, &b.url, &hour).await;
    only_tails(&recorder, "B after A");
    assert!(
        b.metric("vantage_proxy_shared_cache_requests_total{result=\"hit\"}")
            .await
            >= 4.0,
        "B read A's extents from Redis"
    );
    let through = http
        .get(format!("{}{}", balancer.url, hour[hour.len() - 1].path))
        .send()
        .await
        .expect("answer");
    let timing = through
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        timing.contains("cache;desc="),
        "Server-Timing passes HAProxy: {timing:?}"
    );

    // Redis stops: every answer still comes, from the upstream.
    redis.stop();
    for round in 0..4 {
        open(&http, &balancer.url, &view(3_600_000 + round * 60_000)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        shared_failures(&a).await + shared_failures(&b).await > 0.0,
        "the failures are counted"
    );
    assert!(
        a.metric("vantage_proxy_shared_cache_up").await == 0.0
            || b.metric("vantage_proxy_shared_cache_up").await == 0.0,
        "a breaker opened"
    );

    // Redis is back (empty): both replicas use it again by themselves.
    redis.restart().await;
    let started = Instant::now();
    for replica in [&a, &b] {
        wait_for(
            "the replica to use Redis again",
            Duration::from_secs(20),
            || async {
                // A new question each time, so that the replica asks Redis.
                let step = 1 + started.elapsed().as_millis() % 997;
                let end = now_ms() / 1000 / step as i64 * step as i64;
                let url = format!(
                    "{}/api/v1/query_range?query=up&start={}&end={end}&step={step}",
                    replica.url,
                    end - 600 * step as i64
                );
                let _ = http.get(url).send().await;
                (replica.metric("vantage_proxy_shared_cache_up").await == 1.0).then_some(())
            },
        )
        .await;
    }
    let two_hours = view(7_200_000);
    open(&http, &a.url, &two_hours).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    recorder.clear();
    open(&http, &b.url, &two_hours).await;
    only_tails(&recorder, "B after A, Redis restarted");

    // A crashes under load; HAProxy sends every request to B.
    let answered = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let (http, base, answered) =
                (http.clone(), balancer.url.clone(), Arc::clone(&answered));
            tokio::spawn(async move {
                let mut failures = Vec::new();
                for round in 0..10 {
                    let requests = view(3_600_000 + (worker * 10 + round) * 1000);
                    for r in requests.iter().filter(|r| r.kind != Kind::LabelValues) {
                        match http.get(format!("{base}{}", r.path)).send().await {
                            Ok(a) if a.status().as_u16() == 200 => {
                                answered.fetch_add(1, Ordering::SeqCst);
                            }
                            other => failures.push(format!("{}: {other:?}", r.panel)),
                        }
                    }
                }
                failures
            })
        })
        .collect();
    wait_for("the load to be under way", Duration::from_secs(20), || {
        let answered = Arc::clone(&answered);
        async move { (answered.load(Ordering::SeqCst) >= 40).then_some(()) }
    })
    .await;
    let mut a = a;
    a.process.stop();
    let at_kill = answered.load(Ordering::SeqCst);
    let mut failures = Vec::new();
    for worker in workers {
        failures.extend(worker.await.expect("worker"));
    }
    let total = answered.load(Ordering::SeqCst);
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    assert!(
        total > at_kill + 40,
        "{total} answered, {at_kill} before the kill"
    );
    drop(balancer);
}

/// Every range that reached the upstream since the recorder was cleared is a tail
/// (a minute at most) of a view that is an hour or longer.
fn only_tails(recorder: &Recorder, when: &str) {
    let asked = recorder.ranges();
    assert!(!asked.is_empty(), "{when}: the fresh tails were fetched");
    for range in &asked {
        assert!(
            range.end - range.start <= 60.0,
            "{when}: only tails reach the upstream, not {range:?}"
        );
    }
}

/// Shared cache calls that failed or timed out on one replica.
async fn shared_failures(replica: &ProxyProcess) -> f64 {
    let mut sum = 0.0;
    for kind in ["error", "timeout"] {
        sum += replica
            .metric(&format!(
                "vantage_proxy_shared_cache_requests_total{{result=\"{kind}\"}}"
            ))
            .await;
    }
    sum
}
