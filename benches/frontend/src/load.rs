//! Viewers showing a dashboard: each view sends the console's requests for it (at most
//! six at once, a browser's connections per host), and each viewer refreshes on its own
//! clock, the viewers' clocks spread over the refresh interval.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use vantage_api::dashboard::Dashboard;
use vantage_e2e::dashboard_load::{self, ConsoleRequest, Kind};

/// A browser's connections per host.
const CONNECTIONS_PER_VIEWER: usize = 6;

/// What was measured.
#[derive(Debug, Default)]
pub struct Results {
    /// Every request's time to the whole answer, ms.
    pub requests_ms: Vec<f64>,
    /// Range queries only.
    pub ranges_ms: Vec<f64>,
    /// Whole views (every panel answered), ms.
    pub views_ms: Vec<f64>,
    /// Upstream time reported in `Server-Timing`, range queries, ms.
    pub upstream_ms: Vec<f64>,
    /// Range answers by `Server-Timing` cache result (`none` without the header).
    pub caches: BTreeMap<String, usize>,
    pub errors: Vec<String>,
    pub bytes: u64,
}

impl Results {
    fn add(&mut self, other: Results) {
        self.requests_ms.extend(other.requests_ms);
        self.ranges_ms.extend(other.ranges_ms);
        self.views_ms.extend(other.views_ms);
        self.upstream_ms.extend(other.upstream_ms);
        for (k, v) in other.caches {
            *self.caches.entry(k).or_default() += v;
        }
        self.errors.extend(other.errors);
        self.bytes += other.bytes;
    }
}

/// One dashboard on one target.
#[derive(Clone)]
pub struct Viewing {
    pub http: reqwest::Client,
    pub target: String,
    pub dashboard: Arc<Dashboard>,
    pub range: Duration,
    pub grid_width: u32,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// One value of a `Server-Timing` metric, e.g. `cache` -> `desc`.
fn timing<'a>(header: &'a str, metric: &str, param: &str) -> Option<&'a str> {
    header.split(',').find_map(|entry| {
        let mut parts = entry.trim().split(';');
        (parts.next()? == metric).then_some(())?;
        parts.find_map(|p| {
            p.trim()
                .strip_prefix(param)?
                .strip_prefix('=')
                .map(|v| v.trim_matches('"'))
        })
    })
}

impl Viewing {
    /// One view ending now.
    pub async fn view(&self) -> Results {
        let end = now_ms();
        let start = end - self.range.as_millis() as i64;
        let requests = dashboard_load::requests(&self.dashboard, start, end, self.grid_width);
        let results = Arc::new(Mutex::new(Results::default()));
        let started = Instant::now();
        let sends = requests.into_iter().map(|request| {
            let results = Arc::clone(&results);
            async move {
                let outcome = self.send(&request).await;
                if let Ok(mut r) = results.lock() {
                    r.add(outcome);
                }
            }
        });
        futures_util::StreamExt::collect::<Vec<()>>(futures_util::StreamExt::buffer_unordered(
            futures_util::stream::iter(sends),
            CONNECTIONS_PER_VIEWER,
        ))
        .await;
        let mut results = std::mem::take(&mut *results.lock().unwrap_or_else(|p| p.into_inner()));
        results
            .views_ms
            .push(started.elapsed().as_secs_f64() * 1000.0);
        results
    }

    async fn send(&self, request: &ConsoleRequest) -> Results {
        let mut results = Results::default();
        let sent = Instant::now();
        let answer = self
            .http
            .get(format!("{}{}", self.target, request.path))
            .send()
            .await;
        let answer = match answer {
            Ok(a) => a,
            Err(e) => {
                results.errors.push(format!("{}: {e}", request.panel));
                return results;
            }
        };
        let status = answer.status().as_u16();
        let header = answer
            .headers()
            .get("server-timing")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = answer.bytes().await;
        let ms = sent.elapsed().as_secs_f64() * 1000.0;
        match body {
            Ok(body) if status == 200 => results.bytes += body.len() as u64,
            Ok(_) => results
                .errors
                .push(format!("{}: HTTP {status}", request.panel)),
            Err(e) => results.errors.push(format!("{}: {e}", request.panel)),
        }
        results.requests_ms.push(ms);
        if request.kind == Kind::Range {
            results.ranges_ms.push(ms);
            let cache = timing(&header, "cache", "desc").unwrap_or("none");
            *results.caches.entry(cache.to_owned()).or_default() += 1;
            if let Some(up) = timing(&header, "upstream", "dur").and_then(|v| v.parse().ok()) {
                results.upstream_ms.push(up);
            }
        }
        results
    }
}

/// `viewers` viewers refreshing every `refresh` for `duration`.
pub async fn run(
    viewing: &Viewing,
    viewers: usize,
    refresh: Duration,
    duration: Duration,
) -> Results {
    let started = Instant::now();
    let tasks = (0..viewers).map(|v| {
        let viewing = viewing.clone();
        tokio::spawn(async move {
            let mut results = Results::default();
            let mut next = started + refresh.mul_f64(v as f64 / viewers.max(1) as f64);
            while next < started + duration {
                tokio::time::sleep_until(next.into()).await;
                results.add(viewing.view().await);
                next += refresh;
            }
            results
        })
    });
    let mut all = Results::default();
    for task in futures_util::future::join_all(tasks).await {
        match task {
            Ok(results) => all.add(results),
            Err(e) => all.errors.push(format!("viewer: {e}")),
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_timing_values() {
        let header =
            "cache;desc=\"partial\", upstream;dur=12.300, proxy;dur=0.800, subqueries;desc=\"2\"";
        assert_eq!(timing(header, "cache", "desc"), Some("partial"));
        assert_eq!(timing(header, "upstream", "dur"), Some("12.300"));
        assert_eq!(timing(header, "subqueries", "desc"), Some("2"));
        assert_eq!(timing(header, "missing", "dur"), None);
    }
}
