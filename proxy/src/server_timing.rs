//! The `Server-Timing` header of every query answer: what the upstream cost, what the
//! proxy added, and what the caches did. Handlers put a [`ServerTiming`] in the
//! response's extensions; [`stamp`] measures the whole request and writes the header.
//!
//! ```text
//! Server-Timing: cache;desc="partial", upstream;dur=12.3, proxy;dur=0.8, subqueries;desc="2", cached;desc="2880"
//! ```
//!
//! - `cache`: `hit` (no upstream request), `partial` (kept extents plus fetched pieces),
//!   `miss` (fetched, may be kept) or `bypass` (neither kept nor read from a cache);
//! - `upstream`: milliseconds from the first upstream request to the last answer
//!   (absent when the upstream was not asked);
//! - `proxy`: milliseconds spent in the proxy besides that, until the answer's head;
//! - `subqueries`: upstream requests this answer waited for (joined ones included);
//! - `cached`: points served from kept extents (range queries through the frontend).

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// What a handler reports about its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTiming {
    pub cache: &'static str,
    pub upstream: Option<Duration>,
    pub subqueries: u32,
    pub cached_points: Option<u64>,
}

impl ServerTiming {
    /// The header value, given the whole time spent until the head was ready.
    pub fn header(&self, total: Duration) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let upstream = self.upstream.unwrap_or_default().min(total);
        let mut value = format!("cache;desc=\"{}\"", self.cache);
        if let Some(upstream) = self.upstream {
            let _ = write!(value, ", upstream;dur={:.3}", ms(upstream));
        }
        let _ = write!(value, ", proxy;dur={:.3}", ms(total - upstream));
        let _ = write!(value, ", subqueries;desc=\"{}\"", self.subqueries);
        if let Some(points) = self.cached_points {
            let _ = write!(value, ", cached;desc=\"{points}\"");
        }
        value
    }
}

/// Middleware: writes `Server-Timing` on answers that carry a [`ServerTiming`].
pub async fn stamp(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    if let Some(timing) = response.extensions().get::<ServerTiming>().copied()
        && let Ok(value) = HeaderValue::from_str(&timing.header(started.elapsed()))
    {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_format() {
        let timing = ServerTiming {
            cache: "partial",
            upstream: Some(Duration::from_micros(12_300)),
            subqueries: 2,
            cached_points: Some(2880),
        };
        assert_eq!(
            timing.header(Duration::from_micros(13_100)),
            "cache;desc=\"partial\", upstream;dur=12.300, proxy;dur=0.800, subqueries;desc=\"2\", cached;desc=\"2880\""
        );
        let hit = ServerTiming {
            cache: "hit",
            upstream: None,
            subqueries: 0,
            cached_points: None,
        };
        assert_eq!(
            hit.header(Duration::from_micros(250)),
            "cache;desc=\"hit\", proxy;dur=0.250, subqueries;desc=\"0\""
        );
    }
}
