//! What the frontend's layers have in common: one `call` from a range query to its
//! answer, and a per-request trace that bounds the request's upstream concurrency and
//! records what the answer cost (for `Server-Timing`).

use super::matrix::{SeriesOrder, Unmergeable};
use super::range::{Grid, RangeQuery};
use crate::error::ProxyError;
use axum::http::{HeaderValue, StatusCode};
use bytes::Bytes;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

/// A successful answer for exactly `grid`, in the upstream's bytes.
#[derive(Debug, Clone)]
pub struct RangeAnswer {
    pub grid: Grid,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

/// Why a layer has no answer.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The proxy's own error (the upstream cannot be reached, a timeout...).
    Proxy(ProxyError),
    /// The upstream answered, but not with a success: passed on to the caller as is.
    Upstream {
        status: StatusCode,
        content_type: Option<HeaderValue>,
        body: Bytes,
    },
    /// Pieces that cannot be joined byte for byte: the whole range is asked instead.
    Unmergeable(Unmergeable),
}

/// One layer of the range path: validate, then split, extent cache, coalesce, upstream.
pub trait RangeService: Send + Sync {
    fn call<'a>(
        &'a self,
        query: RangeQuery,
        trace: &'a Trace,
    ) -> impl Future<Output = Result<RangeAnswer, Failure>> + Send + 'a;
}

/// One request's clock, bounds and costs, shared by every layer it passes.
pub struct Trace {
    /// "Now" for this request, ms since the epoch: every layer settles the same past.
    pub now_ms: i64,
    /// How the upstream orders series (see [`SeriesOrder`]).
    pub order: SeriesOrder,
    permits: Semaphore,
    costs: Mutex<Costs>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Costs {
    first_sent: Option<Instant>,
    last_answered: Option<Instant>,
    subqueries: u32,
    cached_parts: u32,
    cached_points: u64,
}

/// What a request cost, for `Server-Timing` and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// From the first upstream request sent to the last answer received (sub-queries
    /// overlap, so this is the wall time spent on the upstream, not a sum).
    pub upstream: Option<Duration>,
    pub subqueries: u32,
    /// Pieces of the answer that came from kept extents (possibly without points).
    pub cached_parts: u32,
    /// Points that came from kept extents.
    pub cached_points: u64,
}

impl Cost {
    /// `hit` (nothing asked upstream), `partial` (some points kept, the rest fetched) or
    /// `miss`.
    pub fn cache_result(&self) -> &'static str {
        match (self.subqueries, self.cached_parts) {
            (0, _) => "hit",
            (_, 0) => "miss",
            _ => "partial",
        }
    }
}

impl Trace {
    /// A trace allowing `parallelism` upstream sub-queries at once.
    pub fn new(now_ms: i64, order: SeriesOrder, parallelism: usize) -> Trace {
        Trace {
            now_ms,
            order,
            permits: Semaphore::new(parallelism.max(1)),
            costs: Mutex::new(Costs::default()),
        }
    }

    fn costs<T>(&self, f: impl FnOnce(&mut Costs) -> T) -> T {
        f(&mut self.costs.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Waits for a turn to send a sub-query upstream.
    pub async fn permit(&self) -> Option<SemaphorePermit<'_>> {
        self.permits.acquire().await.ok()
    }

    /// Records one upstream exchange.
    pub fn upstream(&self, sent: Instant, answered: Instant) {
        self.costs(|c| {
            c.first_sent = Some(c.first_sent.map_or(sent, |f| f.min(sent)));
            c.last_answered = Some(c.last_answered.map_or(answered, |l| l.max(answered)));
            c.subqueries += 1;
        });
    }

    /// Records a piece served from kept extents, with its points.
    pub fn cached(&self, points: u64) {
        self.costs(|c| {
            c.cached_parts += 1;
            c.cached_points += points;
        });
    }

    pub fn cost(&self) -> Cost {
        self.costs(|c| Cost {
            upstream: c.first_sent.zip(c.last_answered).map(|(f, l)| l - f),
            subqueries: c.subqueries,
            cached_parts: c.cached_parts,
            cached_points: c.cached_points,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_add_up() {
        let trace = Trace::new(0, SeriesOrder::Labels, 2);
        assert_eq!(trace.cost().cache_result(), "hit");
        trace.cached(0);
        assert_eq!(trace.cost().cache_result(), "hit");
        let t0 = Instant::now();
        trace.upstream(t0, t0 + Duration::from_millis(5));
        trace.upstream(t0 + Duration::from_millis(1), t0 + Duration::from_millis(8));
        let cost = trace.cost();
        assert_eq!(cost.cache_result(), "partial");
        assert_eq!(cost.upstream, Some(Duration::from_millis(8)));
        assert_eq!(cost.subqueries, 2);
        let fresh = Trace::new(0, SeriesOrder::Labels, 1);
        fresh.upstream(t0, t0);
        assert_eq!(fresh.cost().cache_result(), "miss");
    }
}
