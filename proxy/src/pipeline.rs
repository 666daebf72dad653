//! The way every upstream answer is obtained: results cache, then an identical request
//! already in flight, then a new upstream exchange; the answer streamed back as-is,
//! with a [`ServerTiming`] saying what it cost.

use crate::cache::{CacheUse, CachedAnswer, ResultsCache};
use crate::error::ProxyError;
use crate::own_metrics::Metrics;
use crate::server_timing::ServerTiming;
use crate::state::AppState;
use crate::upstream::answer::AnswerKind;
use crate::upstream::flight::{Complete, Head, Start};
use crate::upstream::inflight::Joined;
use crate::upstream::{Fault, Upstream, UpstreamCall};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Instant;

/// What fetching uses: the whole-answer cache and the proxy's meters, nothing more.
#[derive(Clone)]
pub struct Fetcher {
    pub cache: ResultsCache,
    pub metrics: Arc<Metrics>,
}

impl Fetcher {
    /// The handles of `state`.
    pub fn of(state: &AppState) -> Fetcher {
        Fetcher {
            cache: state.cache.clone(),
            metrics: Arc::clone(&state.metrics),
        }
    }
}

/// The answer to `call` from `target`, through cache and coalescing.
pub async fn fetch(
    state: &AppState,
    target: &Arc<Upstream>,
    call: UpstreamCall,
    usage: CacheUse,
) -> Result<Response, ProxyError> {
    fetch_with(&Fetcher::of(state), target, call, usage).await
}

/// [`fetch`] with narrow handles.
pub async fn fetch_with(
    fetcher: &Fetcher,
    target: &Arc<Upstream>,
    call: UpstreamCall,
    usage: CacheUse,
) -> Result<Response, ProxyError> {
    let key = call.key();
    let use_cache = call.cacheable && fetcher.cache.enabled();
    if use_cache && usage.read {
        if let Some(hit) = fetcher.cache.get(&key).await {
            fetcher.metrics.cache_lookup(true);
            let mut response = respond(
                StatusCode::OK,
                hit.content_type.clone(),
                Body::from(hit.body.clone()),
            );
            response.extensions_mut().insert(ServerTiming {
                cache: "hit",
                upstream: None,
                subqueries: 0,
                cached_points: None,
            });
            return Ok(response);
        }
        fetcher.metrics.cache_lookup(false);
    }
    let timing = |sent: Instant| ServerTiming {
        cache: if use_cache && usage.store {
            "miss"
        } else {
            "bypass"
        },
        upstream: Some(sent.elapsed()),
        subqueries: 1,
        cached_points: None,
    };
    let sent = Instant::now();
    // A flight whose callers all left just before this one joined is over; start anew.
    for _ in 0..3 {
        let joined = if call.shared {
            target.in_flight.join_or_start(&key)
        } else {
            let (flight, reader) = crate::upstream::flight::Flight::new();
            Joined::Leader(flight, reader)
        };
        let mut reader = match joined {
            Joined::Follower(reader) => {
                fetcher.metrics.coalesced.inc();
                reader
            }
            Joined::Leader(flight, reader) => {
                let request = match target.request(&call) {
                    Ok(request) => request,
                    Err(err) => {
                        // Nobody may wait on a flight that will never start.
                        flight.fail(Fault::Abandoned);
                        target.in_flight.finish(&key, &flight);
                        return Err(err);
                    }
                };
                let fetcher = fetcher.clone();
                let target = Arc::clone(target);
                let key = key.clone();
                let store = use_cache && usage.store;
                tokio::spawn(async move {
                    fetcher
                        .metrics
                        .upstream_requests
                        .get_or_create(&crate::own_metrics::TargetLabels {
                            target: target.name.to_owned(),
                        })
                        .inc();
                    fetcher.metrics.in_flight.inc();
                    let outcome = flight.drive(request, target.limits).await;
                    fetcher.metrics.in_flight.dec();
                    match &outcome {
                        Ok(complete) if store && cacheable(complete) => {
                            fetcher
                                .cache
                                .insert(
                                    key.clone(),
                                    CachedAnswer {
                                        content_type: complete.head.content_type.clone(),
                                        body: complete.body.clone(),
                                    },
                                )
                                .await;
                        }
                        Ok(_) => {}
                        Err(fault) => {
                            if *fault != Fault::Abandoned {
                                tracing::warn!(
                                    target = target.name,
                                    kind = fault.kind(),
                                    "upstream fault"
                                );
                            }
                            fetcher.metrics.upstream_error(target.name, fault.kind());
                        }
                    }
                    target.in_flight.finish(&key, &flight);
                });
                reader
            }
        };
        match reader.start().await {
            Start::Complete(complete) => {
                let mut response = respond(
                    complete.head.status,
                    complete.head.content_type,
                    Body::from(complete.body),
                );
                response.extensions_mut().insert(timing(sent));
                return Ok(response);
            }
            Start::Streaming(Head {
                status,
                content_type,
                ..
            }) => {
                let mut response = respond(status, content_type, reader.into_body());
                response.extensions_mut().insert(timing(sent));
                return Ok(response);
            }
            Start::Failed(Fault::Abandoned) => continue,
            Start::Failed(fault) => return Err(fault.to_error(target.name, &target.limits)),
        }
    }
    Err(ProxyError::Unavailable(format!(
        "the {} request was cancelled",
        target.name
    )))
}

/// The whole checked answer, for handlers that read it (e.g. the service list).
pub async fn fetch_complete(
    state: &AppState,
    target: &Arc<Upstream>,
    call: UpstreamCall,
) -> Result<(StatusCode, Bytes), ProxyError> {
    let response = fetch(
        state,
        target,
        call,
        CacheUse {
            read: true,
            store: true,
        },
    )
    .await?;
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map_err(|e| ProxyError::Unavailable(format!("reading the {} answer: {e}", target.name)))?
        .to_bytes();
    Ok((status, body))
}

fn cacheable(complete: &Complete) -> bool {
    complete.head.status == StatusCode::OK
        && complete.kind == AnswerKind::Success
        && !complete.head.no_store
}

fn respond(status: StatusCode, content_type: Option<HeaderValue>, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    if let Some(content_type) = content_type {
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
    }
    response
}
