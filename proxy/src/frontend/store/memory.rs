//! The in-process extent store: bounded in bytes, entries gone after `cache_ttl`.

use super::codec::ExtentList;
use moka::future::Cache;
use std::sync::Arc;
use std::time::Duration;

/// Per-key extent lists in memory.
#[derive(Clone)]
pub struct MemoryStore {
    cache: Cache<String, Arc<ExtentList>>,
    max_entry_bytes: usize,
}

impl MemoryStore {
    /// At most `max_bytes` of answers; one key may take an eighth of that.
    pub fn new(max_bytes: u64, ttl: Duration) -> MemoryStore {
        MemoryStore {
            cache: Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &String, list: &Arc<ExtentList>| {
                    let bytes = key.len() + super::super::extents::size(&list.extents) + 128;
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl)
                .build(),
            max_entry_bytes: usize::try_from(max_bytes / 8).unwrap_or(usize::MAX),
        }
    }

    /// The largest list one key may keep, in body bytes.
    pub fn max_entry_bytes(&self) -> usize {
        self.max_entry_bytes
    }

    pub async fn get(&self, key: &str) -> Option<Arc<ExtentList>> {
        self.cache.get(key).await
    }

    /// Keeps `list` under `key` (an empty list removes the key).
    pub async fn put(&self, key: &str, list: Arc<ExtentList>) {
        if list.extents.is_empty() {
            self.cache.invalidate(key).await;
        } else if super::super::extents::size(&list.extents) <= self.max_entry_bytes {
            self.cache.insert(key.to_owned(), list).await;
        }
    }

    /// Bytes held, as the cache last counted them.
    pub fn weighted_size(&self) -> u64 {
        self.cache.weighted_size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::extents::Extent;
    use bytes::Bytes;

    fn list(bytes: usize) -> Arc<ExtentList> {
        Arc::new(ExtentList {
            content_type: None,
            extents: vec![Extent {
                start: 0,
                end: 0,
                fetched_at: 0,
                body: Bytes::from(vec![b' '; bytes]),
                points: 0,
            }],
        })
    }

    #[tokio::test]
    async fn bounded_per_key() {
        let store = MemoryStore::new(8 * 1024, Duration::from_secs(60));
        store.put("a", list(100)).await;
        assert!(store.get("a").await.is_some());
        store.put("b", list(2 * 1024)).await;
        assert!(store.get("b").await.is_none(), "larger than an eighth");
        store.put("a", Arc::new(ExtentList::default())).await;
        assert!(store.get("a").await.is_none());
    }
}
