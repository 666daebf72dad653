//! The extent cache (the results-cache design of the Cortex, Thanos and Mimir query
//! frontends): the settled part of each answer (up to `now - cache_freshness`, on step
//! boundaries) is kept as an extent; a later request for an overlapping range takes
//! what the extents cover and asks the upstream only for the rest (typically the last
//! few minutes), then joins the two byte for byte.

use super::extents::{self, Extent, Piece};
use super::matrix::{self, Answer, Part};
use super::metrics::FrontendMetrics;
use super::range::{Grid, RangeQuery};
use super::service::{Failure, RangeAnswer, RangeService, Trace};
use super::store::Tiered;
use super::store::codec::ExtentList;
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// The layer; `store: None` turns it into a pass-through.
pub struct ExtentLayer<S> {
    pub inner: S,
    pub store: Option<Tiered>,
    /// Points newer than `now - freshness` are never kept.
    pub freshness_ms: i64,
    /// Extents are dropped this long after they were fetched (`cache_ttl`).
    pub ttl_ms: i64,
    /// Names the upstream in keys, so that proxies of different upstreams may share
    /// one Redis.
    pub upstream_id: String,
    pub metrics: FrontendMetrics,
}

impl<S: RangeService> ExtentLayer<S> {
    /// The key of a query's extents: what changes its answer, and its split bucket.
    pub fn key(&self, query: &RangeQuery) -> String {
        let mut hash = Sha256::new();
        for part in [
            self.upstream_id.as_str(),
            &query.query,
            &query.grid.step.to_string(),
            query.lookback_delta.as_deref().unwrap_or(""),
            &query
                .bucket
                .map_or_else(|| "all".to_owned(), |b| b.to_string()),
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl<S: RangeService> RangeService for ExtentLayer<S> {
    async fn call(&self, query: RangeQuery, trace: &Trace) -> Result<RangeAnswer, Failure> {
        let Some(store) = &self.store else {
            return self.inner.call(query, trace).await;
        };
        let grid = query.grid;
        let key = self.key(&query);
        let settled = grid.floor(trace.now_ms - self.freshness_ms);
        let wanted = grid.clip(grid.start, settled);
        let list = store
            .get(&key, trace.now_ms - self.ttl_ms, |list| {
                missing(list, wanted)
            })
            .await;
        let plan = extents::plan(&list.extents, grid);
        let fetches = plan.iter().filter_map(|piece| match piece {
            Piece::Missing(gap) => Some(self.inner.call(query.with_grid(*gap), trace)),
            Piece::Cached { .. } => None,
        });
        let fetched = futures_util::future::join_all(fetches)
            .await
            .into_iter()
            .collect::<Result<Vec<RangeAnswer>, Failure>>()?;
        self.metrics.lookup(match (fetched.len(), plan.len()) {
            (0, _) => "hit",
            (n, all) if n == all => "miss",
            _ => "partial",
        });
        let answer = self.compose(&list, &plan, &fetched, grid, trace)?;
        self.keep(store, &key, &list, &fetched, settled, trace)
            .await;
        Ok(answer)
    }
}

impl<S: RangeService> ExtentLayer<S> {
    /// The answer for `grid` from the plan's kept and fetched pieces.
    fn compose(
        &self,
        list: &ExtentList,
        plan: &[Piece],
        fetched: &[RangeAnswer],
        grid: Grid,
        trace: &Trace,
    ) -> Result<RangeAnswer, Failure> {
        // One piece that is the whole answer: its bytes as they are.
        match plan {
            [Piece::Missing(_)] => {
                if let Some(answer) = fetched.first() {
                    return Ok(answer.clone());
                }
            }
            [Piece::Cached { extent, grid: part }]
                if list
                    .extents
                    .get(*extent)
                    .is_some_and(|e| e.start == part.start && e.end == part.end) =>
            {
                let extent = &list.extents[*extent];
                self.saved(trace, extent.points as usize, extent.body.len());
                return Ok(RangeAnswer {
                    grid,
                    content_type: content_type(list),
                    body: extent.body.clone(),
                });
            }
            _ => {}
        }
        let kept: Vec<Option<Answer<'_>>> = list
            .extents
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let used = plan
                    .iter()
                    .any(|p| matches!(p, Piece::Cached { extent, .. } if *extent == i));
                used.then(|| matrix::parse(&e.body, trace.order))
                    .transpose()
            })
            .collect::<Result<_, _>>()
            .map_err(Failure::Unmergeable)?;
        let new: Vec<Answer<'_>> = fetched
            .iter()
            .map(|f| matrix::parse(&f.body, trace.order))
            .collect::<Result<_, _>>()
            .map_err(Failure::Unmergeable)?;
        let mut parts = Vec::with_capacity(plan.len());
        let mut cached_part = Vec::with_capacity(plan.len());
        let mut next_fetched = new.iter();
        for piece in plan {
            let (answer, part, from_cache) = match piece {
                Piece::Cached { extent, grid } => (kept[*extent].as_ref(), *grid, true),
                Piece::Missing(grid) => (next_fetched.next(), *grid, false),
            };
            let answer = answer.ok_or(Failure::Unmergeable(matrix::Unmergeable::NotJson))?;
            parts.push(Part {
                answer,
                from: part.start,
                to: part.end,
            });
            cached_part.push(from_cache);
        }
        let merged = matrix::merge(&parts, trace.order);
        let (points, bytes) = cached_part
            .iter()
            .zip(merged.points_per_part.iter().zip(&merged.bytes_per_part))
            .filter(|(cached, _)| **cached)
            .fold((0, 0), |(p, b), (_, (points, bytes))| {
                (p + points, b + bytes)
            });
        if cached_part.contains(&true) {
            self.saved(trace, points, bytes);
        }
        Ok(RangeAnswer {
            grid,
            content_type: fetched
                .last()
                .and_then(|f| f.content_type.clone())
                .or_else(|| content_type(list)),
            body: Bytes::from(merged.body),
        })
    }

    fn saved(&self, trace: &Trace, points: usize, bytes: usize) {
        trace.cached(points as u64);
        self.metrics.samples_saved.inc_by(points as u64);
        self.metrics.bytes_saved.inc_by(bytes as u64);
    }

    /// Adds the settled parts of what was fetched to the key's extents.
    async fn keep(
        &self,
        store: &Tiered,
        key: &str,
        list: &ExtentList,
        fetched: &[RangeAnswer],
        settled: i64,
        trace: &Trace,
    ) {
        let mut list = list.clone();
        let mut changed = false;
        for answer in fetched {
            let Some(part) = answer.grid.clip(answer.grid.start, settled) else {
                continue;
            };
            let Some((body, points)) = settled_body(answer, part, trace) else {
                continue;
            };
            if list.content_type.is_none() {
                list.content_type = answer
                    .content_type
                    .as_ref()
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
            }
            let extent = Extent {
                start: part.start,
                end: part.end,
                fetched_at: trace.now_ms,
                body,
                points,
            };
            extents::insert(&mut list.extents, extent, part.step, |parts| {
                join(parts, trace)
            });
            changed = true;
        }
        if changed {
            store.put(key, list, trace.now_ms).await;
            self.metrics
                .extent_bytes
                .set(store.memory.weighted_size() as i64);
        }
    }
}

/// The kept extents' content type as a header value.
fn content_type(list: &ExtentList) -> Option<axum::http::HeaderValue> {
    list.content_type
        .as_deref()
        .and_then(|t| axum::http::HeaderValue::from_str(t).ok())
}

/// The part of a fetched answer that is settled, and its points, if it may be kept: a
/// clean answer (no warnings, not partial) that this proxy can join byte for byte.
fn settled_body(answer: &RangeAnswer, part: Grid, trace: &Trace) -> Option<(Bytes, u64)> {
    let parsed = matrix::parse(&answer.body, trace.order).ok()?;
    if !parsed.is_clean() {
        return None;
    }
    if part == answer.grid {
        return Some((answer.body.clone(), parsed.points() as u64));
    }
    let merged = matrix::merge(
        &[Part {
            answer: &parsed,
            from: part.start,
            to: part.end,
        }],
        trace.order,
    );
    let points = merged.points_per_part.iter().sum::<usize>() as u64;
    Some((Bytes::from(merged.body), points))
}

/// Joins extents (each with its window) into one body.
fn join(parts: &[(&Extent, i64, i64)], trace: &Trace) -> Option<(Bytes, u64)> {
    let answers = parts
        .iter()
        .map(|(e, _, _)| matrix::parse(&e.body, trace.order))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    let parts: Vec<Part<'_, '_>> = answers
        .iter()
        .zip(parts)
        .map(|(answer, (_, from, to))| Part {
            answer,
            from: *from,
            to: *to,
        })
        .collect();
    let merged = matrix::merge(&parts, trace.order);
    let points = merged.points_per_part.iter().sum::<usize>() as u64;
    Some((Bytes::from(merged.body), points))
}

/// Settled points of `wanted` the list does not cover.
fn missing(list: &ExtentList, wanted: Option<Grid>) -> i64 {
    let Some(wanted) = wanted else { return 0 };
    extents::plan(&list.extents, wanted)
        .iter()
        .map(|p| match p {
            Piece::Missing(gap) => gap.points(),
            Piece::Cached { .. } => 0,
        })
        .sum()
}
