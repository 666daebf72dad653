//! A token bucket per principal (anonymous callers: per address). Idle buckets are
//! forgotten, so the table stays bounded however many names come and go.

use crate::auth::Principal;
use crate::error::ProxyError;
use moka::sync::Cache;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The configured limit; `per_second` of 0 turns it off.
#[derive(Clone)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Option<Cache<String, Arc<Mutex<Bucket>>>>,
}

impl RateLimiter {
    pub fn new(per_second: f64, burst: f64) -> RateLimiter {
        let buckets = (per_second > 0.0).then(|| {
            Cache::builder()
                .max_capacity(100_000)
                .time_to_idle(Duration::from_secs(600))
                .build()
        });
        RateLimiter {
            per_second,
            burst: burst.max(1.0),
            buckets,
        }
    }

    /// Takes one token for this caller, or answers 429 with when to retry.
    pub fn check(&self, principal: &Principal, peer: Option<SocketAddr>) -> Result<(), ProxyError> {
        let Some(buckets) = &self.buckets else {
            return Ok(());
        };
        let key = if principal.name == Principal::anonymous().name {
            format!(
                "anonymous@{}",
                peer.map(|p| p.ip().to_string()).unwrap_or_default()
            )
        } else {
            principal.name.clone()
        };
        let now = Instant::now();
        let burst = self.burst;
        let bucket = buckets.get_with(key, || {
            Arc::new(Mutex::new(Bucket {
                tokens: burst,
                at: now,
            }))
        });
        let mut bucket = bucket.lock().unwrap_or_else(|p| p.into_inner());
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - bucket.tokens) / self.per_second).ceil().max(1.0) as u64;
            Err(ProxyError::TooManyRequests {
                message: format!(
                    "rate limit of {} requests per second exceeded for {:?}",
                    self.per_second, principal.name
                ),
                retry_after_s: wait,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn who(name: &str) -> Principal {
        Principal {
            name: name.into(),
            role: Role::Viewer,
            scope: None,
            embed: None,
        }
    }

    #[test]
    fn burst_then_refuse_per_principal() {
        let limiter = RateLimiter::new(1.0, 3.0);
        for _ in 0..3 {
            assert!(limiter.check(&who("a"), None).is_ok());
        }
        assert!(matches!(
            limiter.check(&who("a"), None),
            Err(ProxyError::TooManyRequests { .. })
        ));
        assert!(
            limiter.check(&who("b"), None).is_ok(),
            "b has its own bucket"
        );
    }

    #[test]
    fn off_when_zero() {
        let limiter = RateLimiter::new(0.0, 0.0);
        for _ in 0..1000 {
            assert!(limiter.check(&who("a"), None).is_ok());
        }
    }
}
