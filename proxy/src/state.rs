//! What every handler shares: the configuration, the upstream and backend, the cache,
//! authentication, the rate limiter and the proxy's own metrics.

use crate::auth::AuthMode;
use crate::cache::ResultsCache;
use crate::config::Config;
use crate::dashboards::Catalog;
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
        Ok(AppState(Arc::new(Shared {
            cache: ResultsCache::new(config.cache_max_bytes, config.cache_ttl),
            auth: Arc::new(config.auth.clone()),
            rate_limiter: RateLimiter::new(config.rate_limit_per_second, config.rate_limit_burst),
            metrics: crate::own_metrics::Metrics::new(),
            dashboards,
            live: crate::live::LiveHubs::new(config.live),
            upstream,
            backend,
            config: Arc::new(config),
        })))
    }
}
