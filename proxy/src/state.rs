//! What every handler shares: the configuration, the upstream and backend, the caches
//! and the query frontend, authentication, the rate limiter and the proxy's own metrics.

use crate::auth::AuthMode;
use crate::cache::ResultsCache;
use crate::config::{CacheBackend, Config};
use crate::dashboards::Catalog;
use crate::frontend::store::shared::SharedStore;
use crate::frontend::{Frontend, FrontendSettings};
use crate::own_metrics::Metrics;
use crate::rate_limit::RateLimiter;
use crate::upstream::Upstream;
use crate::upstream::answer::Expect;
use std::sync::Arc;

/// Shared by every request: one `Arc`, so handing it to a handler costs one
/// reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct Shared {
    pub config: Arc<Config>,
    pub upstream: Arc<Upstream>,
    pub backend: Option<Arc<Upstream>>,
    pub cache: ResultsCache,
    /// The range query path: split, extent cache (shared with `cache_backend = "redis"`).
    pub frontend: Arc<Frontend>,
    pub auth: Arc<AuthMode>,
    pub rate_limiter: RateLimiter,
    pub metrics: Arc<Metrics>,
    pub dashboards: Arc<Catalog>,
    /// The live streams (`/api/live/{source}`).
    pub live: crate::live::LiveHubs,
}

impl AppState {
    /// Builds the shared state; fails with a message naming the problem (an invalid
    /// dashboard file, say) so that a bad configuration stops the proxy at start.
    pub fn new(config: Config) -> Result<AppState, String> {
        let dashboards = Arc::new(Catalog::load(config.dashboards_dir.as_deref())?);
        let http = reqwest::Client::builder()
            // The proxy talks to exactly the hosts it is configured with; never follow a
            // redirect somewhere else.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("vantage-proxy/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(
                config
                    .upstream_timeout
                    .min(std::time::Duration::from_secs(10)),
            )
            .pool_idle_timeout(std::time::Duration::from_secs(60))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        let upstream = Arc::new(Upstream::new(
            "upstream",
            config.upstream.clone(),
            config.upstream_credentials.clone(),
            http.clone(),
            config.max_response_bytes,
            config.upstream_timeout,
            Expect::Prometheus,
        ));
        let backend = config.backend.clone().map(|base| {
            Arc::new(Upstream::new(
                "backend",
                base,
                config.backend_credentials.clone(),
                http.clone(),
                config.max_response_bytes,
                config.upstream_timeout,
                Expect::Json,
            ))
        });
        let metrics = crate::own_metrics::Metrics::new();
        let cache = ResultsCache::new(config.cache_max_bytes, config.cache_ttl);
        let frontend = Arc::new(Frontend::new(
            Arc::clone(&upstream),
            crate::pipeline::Fetcher {
                cache: cache.clone(),
                metrics: Arc::clone(&metrics),
            },
            frontend_settings(&config, &metrics)?,
            metrics.frontend.clone(),
        ));
        Ok(AppState(Arc::new(Shared {
            cache,
            frontend,
            auth: Arc::new(config.auth.clone()),
            rate_limiter: RateLimiter::new(config.rate_limit_per_second, config.rate_limit_burst),
            metrics,
            dashboards,
            live: crate::live::LiveHubs::new(config.live),
            upstream,
            backend,
            config: Arc::new(config),
        })))
    }
}

/// The frontend's settings from the configuration, with its shared store when asked.
fn frontend_settings(
    config: &Config,
    metrics: &crate::own_metrics::Metrics,
) -> Result<FrontendSettings, String> {
    let frontend = &config.frontend;
    let shared = match &frontend.cache_backend {
        CacheBackend::Memory => None,
        CacheBackend::Redis { url, timeout } => Some(Arc::new(
            SharedStore::new(url, *timeout, metrics.frontend.clone())
                .map_err(|e| format!("redis_url: {e}"))?,
        )),
    };
    Ok(FrontendSettings {
        split_interval: frontend.split_interval,
        max_split_parallelism: frontend.max_split_parallelism,
        extent_max_bytes: frontend.extent_cache_max_bytes,
        freshness: config.cache_freshness,
        ttl: config.cache_ttl,
        max_response_bytes: config.max_response_bytes,
        shared,
    })
}
