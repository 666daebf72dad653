//! The results cache: complete, successful answers about the settled past, keyed on the
//! request (a step-aligned range, see `params::prometheus`), bounded in bytes and age.

use axum::http::{HeaderMap, HeaderValue, header};
use bytes::Bytes;
use moka::future::Cache;
use std::sync::Arc;
use std::time::Duration;

/// A stored answer: the upstream's exact bytes and content type.
#[derive(Debug, Clone)]
pub struct CachedAnswer {
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

/// Bounded by total body bytes; entries expire after `ttl`.
#[derive(Clone)]
pub struct ResultsCache {
    inner: Option<Cache<String, Arc<CachedAnswer>>>,
    max_entry_bytes: usize,
}

impl ResultsCache {
    /// `max_bytes` of 0 disables the cache.
    pub fn new(max_bytes: u64, ttl: Duration) -> ResultsCache {
        let inner = (max_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &String, value: &Arc<CachedAnswer>| {
                    u32::try_from(key.len() + value.body.len() + 64).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build()
        });
        ResultsCache {
            inner,
            // One answer may take at most an eighth of the cache.
            max_entry_bytes: usize::try_from(max_bytes / 8).unwrap_or(usize::MAX),
        }
    }

    /// Whether the cache is on.
    pub fn enabled(&self) -> bool {
        self.inner.is_some()
    }

    pub async fn get(&self, key: &str) -> Option<Arc<CachedAnswer>> {
        self.inner.as_ref()?.get(key).await
    }

    pub async fn insert(&self, key: String, answer: CachedAnswer) {
        if let Some(cache) = &self.inner
            && answer.body.len() <= self.max_entry_bytes
        {
            cache.insert(key, Arc::new(answer)).await;
        }
    }
}

/// What the caller allows: `Cache-Control: no-store` neither reads nor stores,
/// `no-cache` fetches a fresh answer (which may be stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheUse {
    pub read: bool,
    pub store: bool,
}

impl CacheUse {
    /// From the request's `Cache-Control` (and HTTP/1.0 `Pragma: no-cache`).
    pub fn from_headers(headers: &HeaderMap) -> CacheUse {
        let mut usage = CacheUse {
            read: true,
            store: true,
        };
        let directives = headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .chain(headers.get_all(header::PRAGMA).iter())
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|d| d.trim().to_ascii_lowercase());
        for directive in directives {
            match directive.as_str() {
                "no-store" => {
                    usage.read = false;
                    usage.store = false;
                }
                "no-cache" => usage.read = false,
                _ => {}
            }
        }
        usage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_control_is_honoured() {
        let mut h = HeaderMap::new();
        assert_eq!(
            CacheUse::from_headers(&h),
            CacheUse {
                read: true,
                store: true
            }
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("max-age=0, No-Store"),
        );
        assert_eq!(
            CacheUse::from_headers(&h),
            CacheUse {
                read: false,
                store: false
            }
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        assert_eq!(
            CacheUse::from_headers(&h),
            CacheUse {
                read: false,
                store: true
            }
        );
    }

    #[tokio::test]
    async fn stores_and_bounds() {
        let cache = ResultsCache::new(8 * 1024, Duration::from_secs(60));
        let small = CachedAnswer {
            content_type: None,
            body: Bytes::from_static(b"{}"),
        };
        cache.insert("a".into(), small).await;
        assert!(cache.get("a").await.is_some());
        let big = CachedAnswer {
            content_type: None,
            body: Bytes::from(vec![b' '; 2048]),
        };
        cache.insert("b".into(), big).await;
        assert!(cache.get("b").await.is_none(), "larger than an eighth");
        assert!(!ResultsCache::new(0, Duration::from_secs(1)).enabled());
    }
}
