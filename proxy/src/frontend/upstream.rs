//! The last layers of the range path: identical sub-queries in flight share one
//! exchange (the proxy's coalescing, `upstream::inflight`), then the upstream. Each
//! sub-query waits for a turn among the request's `max_split_parallelism`.

use super::metrics::FrontendMetrics;
use super::range::RangeQuery;
use super::service::{Failure, RangeAnswer, RangeService, Trace};
use crate::cache::CacheUse;
use crate::error::ProxyError;
use crate::pipeline::{self, Fetcher};
use crate::upstream::Upstream;
use axum::http::{StatusCode, header};
use std::sync::Arc;
use std::time::Instant;

/// Sends a range query upstream, coalesced with identical ones.
pub struct UpstreamLayer {
    pub upstream: Arc<Upstream>,
    pub fetcher: Fetcher,
    pub metrics: FrontendMetrics,
}

impl RangeService for UpstreamLayer {
    async fn call(&self, query: RangeQuery, trace: &Trace) -> Result<RangeAnswer, Failure> {
        let _turn = trace.permit().await;
        let sent = Instant::now();
        self.metrics.subqueries.inc();
        let response = pipeline::fetch_with(
            &self.fetcher,
            &self.upstream,
            query.upstream_call(),
            CacheUse {
                read: false,
                store: false,
            },
        )
        .await
        .map_err(Failure::Proxy)?;
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .map_err(|e| {
                Failure::Proxy(ProxyError::Unavailable(format!(
                    "reading the upstream answer: {e}"
                )))
            })?
            .to_bytes();
        trace.upstream(sent, Instant::now());
        if status != StatusCode::OK {
            return Err(Failure::Upstream {
                status,
                content_type,
                body,
            });
        }
        Ok(RangeAnswer {
            grid: query.grid,
            content_type,
            body,
        })
    }
}
