//! Where extents are kept: in memory (always, as the first level) and, with
//! `cache_backend = "redis"`, in a Redis shared by every replica.

pub mod breaker;
pub mod codec;
pub mod memory;
pub mod shared;

use super::extents;
use codec::ExtentList;
use memory::MemoryStore;
use shared::SharedHandle;
use std::sync::Arc;
use std::time::Duration;

/// Memory first, then the shared store.
#[derive(Clone)]
pub struct Tiered {
    pub memory: MemoryStore,
    pub shared: Option<SharedHandle>,
    /// How long an extent may be kept after it was fetched.
    pub ttl: Duration,
}

/// Largest list one key keeps in the shared store, in body bytes (before compression);
/// larger ones stay in the first level only, if they fit there.
pub const MAX_SHARED_ENTRY_BYTES: usize = 16 * 1024 * 1024;

impl Tiered {
    /// The extents under `key` fetched at or after `oldest` (ms): the first level's,
    /// unless `missing` (settled points the list lacks for the request at hand) says
    /// they leave something out and the shared store has a list that lacks less.
    pub async fn get(
        &self,
        key: &str,
        oldest: i64,
        missing: impl Fn(&ExtentList) -> i64,
    ) -> Arc<ExtentList> {
        let fresh = |list: &ExtentList| {
            let mut list = list.clone();
            extents::expire(&mut list.extents, oldest);
            list
        };
        let local = match self.memory.get(key).await {
            Some(list) if list.extents.iter().all(|e| e.fetched_at >= oldest) => list,
            Some(list) => Arc::new(fresh(&list)),
            None => Arc::new(ExtentList::default()),
        };
        let lacking = missing(&local);
        let Some(shared) = &self.shared else {
            return local;
        };
        if lacking == 0 {
            return local;
        }
        match shared.get(key).await.map(|list| fresh(&list)) {
            Some(remote) if missing(&remote) < lacking => {
                let remote = Arc::new(remote);
                self.memory.put(key, Arc::clone(&remote)).await;
                remote
            }
            _ => local,
        }
    }

    /// Keeps `list` in memory now and in the shared store in the background (an answer
    /// never waits for Redis to store).
    pub async fn put(&self, key: &str, list: ExtentList, now: i64) {
        let list = Arc::new(list);
        self.memory.put(key, Arc::clone(&list)).await;
        let Some(shared) = &self.shared else { return };
        let Some(oldest) = list.extents.iter().map(|e| e.fetched_at).min() else {
            return;
        };
        let ttl_ms = self.ttl.as_millis() as i64 - (now - oldest);
        if ttl_ms <= 0 || extents::size(&list.extents) > MAX_SHARED_ENTRY_BYTES {
            return;
        }
        let (shared, key) = (Arc::clone(shared), key.to_owned());
        tokio::spawn(async move {
            shared
                .put(&key, &list, Duration::from_millis(ttl_ms as u64))
                .await;
        });
    }
}
