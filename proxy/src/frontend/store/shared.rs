//! The extent store shared by every replica: Redis. It may only ever make answers
//! faster: every call is bounded by a short timeout, failures are logged and counted and
//! open a circuit breaker (the replicas then answer from the upstream, as without a
//! shared cache), and the connection comes back by itself when Redis does.

use super::breaker::Breaker;
use super::codec::{self, ExtentList};
use crate::frontend::metrics::FrontendMetrics;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Keys are namespaced and versioned with the stored format.
const KEY_PREFIX: &str = "vantage:extents:v1:";

/// A Redis connection with its breaker.
pub struct SharedStore {
    client: redis::Client,
    /// Made on first use, inside the runtime; it reconnects by itself afterwards.
    connection: OnceLock<ConnectionManager>,
    timeout: Duration,
    breaker: Breaker,
    metrics: FrontendMetrics,
}

impl SharedStore {
    /// `url` as `redis://host:port/db`; nothing is connected yet.
    pub fn new(
        url: &str,
        timeout: Duration,
        metrics: FrontendMetrics,
    ) -> Result<SharedStore, String> {
        let client = redis::Client::open(url).map_err(|e| e.to_string())?;
        metrics.shared_up.set(1);
        Ok(SharedStore {
            client,
            connection: OnceLock::new(),
            timeout,
            breaker: Breaker::default(),
            metrics,
        })
    }

    fn connection(&self) -> Option<ConnectionManager> {
        if let Some(connection) = self.connection.get() {
            return Some(connection.clone());
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        match ConnectionManager::new_lazy_with_config(self.client.clone(), config) {
            Ok(connection) => Some(self.connection.get_or_init(|| connection).clone()),
            Err(err) => {
                tracing::warn!(%err, "shared cache: cannot set up the Redis connection");
                None
            }
        }
    }

    /// The list stored under `key`; `None` when absent, undecodable, or Redis is
    /// unavailable.
    pub async fn get(&self, key: &str) -> Option<ExtentList> {
        let value: Option<Vec<u8>> = self
            .run("get", redis::cmd("GET").arg(format!("{KEY_PREFIX}{key}")))
            .await?;
        let list = value.as_deref().and_then(codec::decode);
        self.metrics
            .shared(if list.is_some() { "hit" } else { "miss" });
        list
    }

    /// Stores `list` under `key` for `ttl`; failures are counted, never reported.
    pub async fn put(&self, key: &str, list: &ExtentList, ttl: Duration) {
        let millis = ttl.as_millis().clamp(1, u64::MAX as u128) as u64;
        let mut command = redis::cmd("SET");
        command
            .arg(format!("{KEY_PREFIX}{key}"))
            .arg(codec::encode(list))
            .arg("PX")
            .arg(millis);
        if self.run::<()>("set", &command).await.is_some() {
            self.metrics.shared("stored");
        }
    }

    async fn run<T: redis::FromRedisValue>(&self, op: &str, command: &redis::Cmd) -> Option<T> {
        if !self.breaker.allow(Instant::now()) {
            self.metrics.shared("skipped");
            return None;
        }
        let mut connection = self.connection()?;
        let outcome =
            tokio::time::timeout(self.timeout, command.query_async::<T>(&mut connection)).await;
        match outcome {
            Ok(Ok(value)) => {
                if !self.breaker.closed() {
                    tracing::info!("shared cache: Redis answers again");
                }
                self.breaker.success();
                self.metrics.shared_up.set(1);
                Some(value)
            }
            Ok(Err(err)) => {
                self.failed(op, "error", &err.to_string());
                None
            }
            Err(_) => {
                self.failed(op, "timeout", "no answer in time (redis_timeout)");
                None
            }
        }
    }

    fn failed(&self, op: &str, kind: &'static str, detail: &str) {
        self.metrics.shared(kind);
        if self.breaker.failure(Instant::now()) {
            self.metrics.shared_up.set(0);
            tracing::warn!(
                op,
                detail,
                "shared cache: Redis is failing; answering from the upstream until it is back"
            );
        } else {
            tracing::debug!(op, detail, "shared cache: Redis request failed");
        }
    }
}

/// Shared by the extent layer and the background writes it spawns.
pub type SharedHandle = Arc<SharedStore>;
