//! The query frontend: the range query path as a chain of small layers, each readable,
//! testable and switchable alone, taking only the handles it uses:
//!
//! ```text
//! validate (params::prometheus)
//!   -> split by interval        split.rs         split_interval, max_split_parallelism
//!   -> extent cache             extent_cache.rs  memory, then the shared Redis (store/)
//!   -> coalesce + upstream      upstream.rs      identical sub-queries share one exchange
//! ```
//!
//! What cannot be split or joined byte for byte (see `splittable.rs` and `matrix.rs`)
//! takes the plain path (`pipeline`), and the reason is counted.

pub mod extent_cache;
pub mod extents;
pub mod matrix;
pub mod metrics;
pub mod order;
pub mod range;
pub mod service;
pub mod split;
pub mod splittable;
pub mod store;
pub mod upstream;

use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::params::time::{parse_duration, parse_time};
use crate::pipeline::Fetcher;
use crate::server_timing::ServerTiming;
use crate::upstream::{Upstream, UpstreamCall};
use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use extent_cache::ExtentLayer;
use matrix::SeriesOrder;
use metrics::FrontendMetrics;
use order::OrderProbe;
use range::{Grid, RangeQuery, whole_ms};
use service::{Failure, RangeAnswer, RangeService, Trace};
use split::SplitLayer;
use std::sync::Arc;
use std::time::Duration;
use store::Tiered;
use store::shared::SharedHandle;
use upstream::UpstreamLayer;

/// What the frontend is configured with.
#[derive(Clone)]
pub struct FrontendSettings {
    /// 0 turns splitting off.
    pub split_interval: Duration,
    pub max_split_parallelism: usize,
    /// 0 turns the extent cache off.
    pub extent_max_bytes: u64,
    pub freshness: Duration,
    pub ttl: Duration,
    pub max_response_bytes: usize,
    /// The shared store, with `cache_backend = "redis"`.
    pub shared: Option<SharedHandle>,
}

/// How a range request went.
pub enum Outcome {
    /// Answered by the frontend.
    Answered(Response),
    /// Left to the plain path, for this reason (a metrics label).
    Bypass(&'static str),
}

/// The assembled chain.
pub struct Frontend {
    chain: SplitLayer<ExtentLayer<UpstreamLayer>>,
    order: OrderProbe,
    parallelism: usize,
    max_response_bytes: usize,
    metrics: FrontendMetrics,
    /// Queries whose pieces could not be joined lately: asked whole for a while.
    unmergeable: moka::sync::Cache<String, ()>,
}

impl Frontend {
    pub fn new(
        upstream: Arc<Upstream>,
        fetcher: Fetcher,
        settings: FrontendSettings,
        metrics: FrontendMetrics,
    ) -> Frontend {
        let store = (settings.extent_max_bytes > 0).then(|| Tiered {
            memory: store::memory::MemoryStore::new(settings.extent_max_bytes, settings.ttl),
            shared: settings.shared.clone(),
            ttl: settings.ttl,
        });
        let upstream_id = upstream.base.to_string();
        let bottom = UpstreamLayer {
            upstream,
            fetcher,
            metrics: metrics.clone(),
        };
        let extents = ExtentLayer {
            inner: bottom,
            store,
            freshness_ms: settings.freshness.as_millis() as i64,
            ttl_ms: settings.ttl.as_millis() as i64,
            upstream_id,
            metrics: metrics.clone(),
        };
        let chain = SplitLayer {
            inner: extents,
            interval_ms: settings.split_interval.as_millis() as i64,
            parallelism: settings.max_split_parallelism,
            metrics: metrics.clone(),
        };
        Frontend {
            chain,
            order: OrderProbe::default(),
            parallelism: settings.max_split_parallelism,
            max_response_bytes: settings.max_response_bytes,
            metrics,
            unmergeable: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(settings.ttl)
                .build(),
        }
    }

    /// Whether splitting or the extent cache is on.
    pub fn enabled(&self) -> bool {
        self.chain.interval_ms > 0 || self.chain.inner.store.is_some()
    }

    /// Answers a checked `query_range` call, or says why the plain path should.
    pub async fn answer(
        &self,
        call: &UpstreamCall,
        usage: CacheUse,
        now_ms: i64,
    ) -> Result<Outcome, ProxyError> {
        let outcome = self.try_answer(call, usage, now_ms).await;
        if let Ok(Outcome::Bypass(reason)) = &outcome {
            self.metrics.bypass(reason);
        }
        outcome
    }

    async fn try_answer(
        &self,
        call: &UpstreamCall,
        usage: CacheUse,
        now_ms: i64,
    ) -> Result<Outcome, ProxyError> {
        if !self.enabled() {
            return Ok(Outcome::Bypass("disabled"));
        }
        let query = match range_query(call) {
            Ok(query) => query,
            Err(reason) => return Ok(Outcome::Bypass(reason)),
        };
        if !(usage.read && usage.store) {
            return Ok(Outcome::Bypass("no_cache"));
        }
        let shape = match splittable::check(&query.query) {
            Ok(shape) => shape,
            Err(splittable::NotSplittable::RangeAnchored) => {
                return Ok(Outcome::Bypass("range_anchored"));
            }
            Err(splittable::NotSplittable::Unparsed) => return Ok(Outcome::Bypass("unparsed")),
        };
        if self.unmergeable.contains_key(query.query.as_ref()) {
            return Ok(Outcome::Bypass("unmergeable"));
        }
        let Some(order) = self.order.get(&self.chain.inner.inner, now_ms).await else {
            return Ok(Outcome::Bypass("order_unknown"));
        };
        if order == SeriesOrder::NameFirst && shape.ordered_by_value {
            return Ok(Outcome::Bypass("value_ordered"));
        }
        let query = RangeQuery {
            window_ms: shape.window_ms,
            ..query
        };
        let trace = Trace::new(now_ms, order, self.parallelism);
        let text = Arc::clone(&query.query);
        match self.chain.call(query, &trace).await {
            Ok(answer) => self.respond(answer, &trace).map(Outcome::Answered),
            Err(Failure::Proxy(err)) => Err(err),
            Err(Failure::Upstream {
                status,
                content_type,
                body,
            }) => {
                let cost = trace.cost();
                let mut response = response(status, content_type, body);
                response.extensions_mut().insert(ServerTiming {
                    cache: "miss",
                    upstream: cost.upstream,
                    subqueries: cost.subqueries,
                    cached_points: Some(cost.cached_points),
                });
                Ok(Outcome::Answered(response))
            }
            Err(Failure::Unmergeable(why)) => {
                tracing::info!(
                    reason = why.as_str(),
                    "query frontend: pieces cannot be joined exactly; asking for the whole range"
                );
                self.unmergeable.insert(text.to_string(), ());
                Ok(Outcome::Bypass(why.as_str()))
            }
        }
    }

    fn respond(&self, answer: RangeAnswer, trace: &Trace) -> Result<Response, ProxyError> {
        if answer.body.len() > self.max_response_bytes {
            return Err(ProxyError::BadUpstreamAnswer(format!(
                "the joined answer of {} bytes is larger than the configured limit of {} bytes (max_response_bytes)",
                answer.body.len(),
                self.max_response_bytes
            )));
        }
        let cost = trace.cost();
        self.metrics.request(cost.cache_result());
        let mut response = response(StatusCode::OK, answer.content_type, answer.body);
        response.extensions_mut().insert(ServerTiming {
            cache: cost.cache_result(),
            upstream: cost.upstream,
            subqueries: cost.subqueries,
            cached_points: Some(cost.cached_points),
        });
        Ok(response)
    }
}

fn response(
    status: StatusCode,
    content_type: Option<axum::http::HeaderValue>,
    body: bytes::Bytes,
) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
    }
    response
}

/// The range query of a checked call, if the frontend can take it; else the reason.
pub fn range_query(call: &UpstreamCall) -> Result<RangeQuery, &'static str> {
    let param = |name: &str| {
        call.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if param("stats").is_some() {
        return Err("stats");
    }
    let (Some(query), Some(start), Some(end), Some(step)) =
        (param("query"), param("start"), param("end"), param("step"))
    else {
        return Err("unparsed");
    };
    let ms = |seconds: Result<f64, ProxyError>| seconds.ok().and_then(whole_ms);
    let (Some(start), Some(end), Some(step_ms)) = (
        ms(parse_time("start", start)),
        ms(parse_time("end", end)),
        ms(parse_duration("step", step)),
    ) else {
        return Err("unaligned");
    };
    let grid = Grid::new(start, end, step_ms).ok_or("unaligned")?;
    Ok(RangeQuery {
        query: query.into(),
        grid,
        step_text: step.into(),
        lookback_delta: param("lookback_delta").map(Into::into),
        timeout: param("timeout").map(Into::into),
        bucket: None,
        window_ms: 0,
    })
}

#[cfg(test)]
mod tests;
