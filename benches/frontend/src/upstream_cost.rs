//! What the queries cost the upstream, from Prometheus itself: the query log's
//! `totalQueryableSamples` (samples loaded per query; Prometheus 2.42 has no
//! `prometheus_engine_query_samples_total` yet) and the engine's inner evaluation time
//! (`prometheus_engine_query_duration_seconds_sum{slice="inner_eval"}`).

use std::path::PathBuf;

/// A reading of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Reading {
    /// Bytes of the query log so far (what follows is new).
    log_bytes: u64,
    /// Seconds of inner evaluation so far.
    pub eval_seconds: f64,
    /// Queries evaluated so far.
    pub queries: f64,
}

/// The upstream's work between two readings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Work {
    /// Queries asked over HTTP (from the query log).
    pub queries: u64,
    /// Samples they loaded.
    pub samples: u64,
    /// Inner evaluation time of every query (the engine's counter), seconds.
    pub eval_seconds: f64,
    /// Of the logged queries: range queries' count, samples and evaluation seconds.
    pub range: Part,
    /// Of the logged queries: instant queries' count, samples and evaluation seconds.
    pub instant: Part,
}

/// One kind of query's share.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Part {
    pub queries: u64,
    pub samples: u64,
    pub eval_seconds: f64,
}

/// Where to read: Prometheus' URL and, if it logs queries, its query log file.
pub struct Meter {
    pub prometheus: String,
    pub query_log: Option<PathBuf>,
    pub http: reqwest::Client,
}

impl Meter {
    pub async fn read(&self) -> Reading {
        let log_bytes = self
            .query_log
            .as_ref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len());
        let text = match self
            .http
            .get(format!("{}/metrics", self.prometheus))
            .send()
            .await
        {
            Ok(answer) => answer.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let sample = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        Reading {
            log_bytes,
            eval_seconds: sample(
                "prometheus_engine_query_duration_seconds_sum{slice=\"inner_eval\"}",
            ),
            queries: sample("prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"}"),
        }
    }

    /// The work between `before` and `after`: queries that came over HTTP (rule
    /// evaluations are left out) and the samples they loaded.
    pub fn work(&self, before: Reading, after: Reading) -> Work {
        let mut work = Work {
            eval_seconds: after.eval_seconds - before.eval_seconds,
            ..Work::default()
        };
        let Some(path) = &self.query_log else {
            return work;
        };
        let Ok(bytes) = std::fs::read(path) else {
            return work;
        };
        let from = (before.log_bytes as usize).min(bytes.len());
        let to = (after.log_bytes as usize).min(bytes.len());
        for line in bytes[from..to].split(|b| *b == b'\n') {
            let Ok(entry) = serde_json::from_slice::<serde_json::Value>(line) else {
                continue;
            };
            if entry.get("httpRequest").is_none() {
                continue;
            }
            let samples = entry["stats"]["samples"]["totalQueryableSamples"]
                .as_u64()
                .unwrap_or(0);
            let seconds = entry["stats"]["timings"]["evalTotalTime"]
                .as_f64()
                .unwrap_or(0.0);
            work.queries += 1;
            work.samples += samples;
            let part = if entry["httpRequest"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("query_range"))
            {
                &mut work.range
            } else {
                &mut work.instant
            };
            part.queries += 1;
            part.samples += samples;
            part.eval_seconds += seconds;
        }
        work
    }
}
