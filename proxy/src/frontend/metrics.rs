//! The frontend's meters, registered in the proxy's `/metrics` (prefix
//! `vantage_proxy_`).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheLabels {
    pub cache: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    pub result: String,
}

/// Cheap to clone: every meter is shared.
#[derive(Clone, Debug, Default)]
pub struct FrontendMetrics {
    /// Range queries answered by the frontend, by cache result.
    pub requests: Family<CacheLabels, Counter>,
    /// Range queries the frontend left to the plain path, by reason.
    pub bypassed: Family<ReasonLabels, Counter>,
    /// Extent lookups (one per split piece), by result.
    pub extent_lookups: Family<ResultLabels, Counter>,
    pub bytes_saved: Counter,
    pub samples_saved: Counter,
    pub subqueries: Counter,
    pub split_pieces: Counter,
    pub extent_bytes: Gauge,
    /// Shared store calls by result.
    pub shared_requests: Family<ResultLabels, Counter>,
    pub shared_up: Gauge,
}

impl FrontendMetrics {
    /// Registers every meter in `registry`.
    pub fn register(registry: &mut Registry) -> FrontendMetrics {
        let m = FrontendMetrics::default();
        registry.register(
            "range_requests",
            "Range queries answered by the query frontend, by cache result (hit, partial, miss)",
            m.requests.clone(),
        );
        registry.register(
            "range_bypassed",
            "Range queries the query frontend did not split or cache, by reason",
            m.bypassed.clone(),
        );
        registry.register(
            "extent_lookups",
            "Extent cache lookups (one per split piece), by result (hit, partial, miss)",
            m.extent_lookups.clone(),
        );
        registry.register(
            "extent_bytes_saved",
            "Answer bytes served from kept extents instead of the upstream",
            m.bytes_saved.clone(),
        );
        registry.register(
            "extent_samples_saved",
            "Points served from kept extents instead of the upstream",
            m.samples_saved.clone(),
        );
        registry.register(
            "upstream_subqueries",
            "Range sub-queries the query frontend sent upstream (split pieces and missing extents)",
            m.subqueries.clone(),
        );
        registry.register(
            "split_pieces",
            "Pieces range queries were split into by split_interval",
            m.split_pieces.clone(),
        );
        registry.register(
            "extent_cache_bytes",
            "Bytes of extents held in memory",
            m.extent_bytes.clone(),
        );
        registry.register(
            "shared_cache_requests",
            "Shared cache (Redis) calls by result: hit, miss, stored, error, timeout, skipped (circuit open)",
            m.shared_requests.clone(),
        );
        registry.register(
            "shared_cache_up",
            "1 while the shared cache is used, 0 while its circuit is open",
            m.shared_up.clone(),
        );
        m
    }

    pub fn request(&self, cache: &str) {
        self.requests
            .get_or_create(&CacheLabels {
                cache: cache.to_owned(),
            })
            .inc();
    }

    pub fn bypass(&self, reason: &str) {
        self.bypassed
            .get_or_create(&ReasonLabels {
                reason: reason.to_owned(),
            })
            .inc();
    }

    pub fn lookup(&self, result: &str) {
        self.extent_lookups
            .get_or_create(&ResultLabels {
                result: result.to_owned(),
            })
            .inc();
    }

    pub fn shared(&self, result: &str) {
        self.shared_requests
            .get_or_create(&ResultLabels {
                result: result.to_owned(),
            })
            .inc();
    }
}
