//! The knowledge base: documents, vectors, searches, caches and embeddings.

use rand::rngs::StdRng;

use crate::catalog::autobot::{
    CACHE_TYPES, COLLECTIONS, DOCUMENTS, EMBEDDING_MODELS, SEARCH_TYPES,
};
use crate::metrics::autobot::AutobotMetrics;
use crate::sim::Tick;
use crate::sim::dist::{Weighted, between, binomial, chance, lognormal, long_tail, poisson};

/// Searches per second at the daily peak.
const PEAK_SEARCHES_PER_SEC: f64 = 2.0;
/// Median search latency per search type, seconds.
const SEARCH_MEDIAN: [f64; 3] = [0.08, 0.015, 0.12];
/// Vector chunks per document.
const CHUNKS_PER_DOCUMENT: f64 = 12.0;
/// Cache hit ratio per cache type.
const HIT_RATIO: [f64; 3] = [0.82, 0.64, 0.74];

#[derive(Debug, Clone)]
pub struct Knowledge {
    documents: Vec<f64>,
    searches: Weighted,
    collections: Weighted,
}

impl Knowledge {
    pub fn new(rng: &mut StdRng) -> Self {
        Self {
            documents: DOCUMENTS
                .iter()
                .map(|d| (d.2 * between(rng, 0.9, 1.1)).round())
                .collect(),
            searches: Weighted::new([0.55, 0.2, 0.25]),
            collections: Weighted::new([0.35, 0.35, 0.2, 0.1]),
        }
    }

    pub fn step(&mut self, tick: &Tick, rng: &mut StdRng, m: &AutobotMetrics) {
        // Ingestion adds a document now and then; a cleanup removes a few.
        for (i, (collection, doc_type, _)) in DOCUMENTS.iter().enumerate() {
            if chance(rng, 0.02 * tick.load * tick.dt) {
                self.documents[i] += poisson(rng, 3.0) as f64;
            }
            if chance(rng, 0.0005 * tick.dt) {
                self.documents[i] = (self.documents[i] - poisson(rng, 10.0) as f64).max(0.0);
            }
            m.kb_documents
                .get_or_create(&[("collection", collection), ("document_type", doc_type)])
                .set(self.documents[i]);
        }
        for collection in COLLECTIONS {
            let docs: f64 = DOCUMENTS
                .iter()
                .zip(&self.documents)
                .filter(|(d, _)| d.0 == collection)
                .map(|(_, n)| n)
                .sum();
            m.kb_vectors
                .get_or_create(&[("collection", collection)])
                .set((docs * CHUNKS_PER_DOCUMENT).round());
        }

        let slow = tick.effects.slow_responses.sqrt();
        for _ in 0..poisson(rng, PEAK_SEARCHES_PER_SEC * tick.load * tick.dt) {
            let s = self.searches.pick(rng);
            let search = SEARCH_TYPES[s];
            let collection = COLLECTIONS[self.collections.pick(rng)];
            m.kb_search_requests
                .get_or_create(&[("search_type", search), ("collection", collection)])
                .inc();
            m.kb_search_latency
                .get_or_create(&[("search_type", search), ("collection", collection)])
                .observe(long_tail(rng, SEARCH_MEDIAN[s] * slow, 0.5, 0.01));
            m.kb_search_results
                .get_or_create(&[("search_type", search)])
                .observe(lognormal(rng, 8.0, 0.7).round().min(100.0));
        }
        for (c, cache) in CACHE_TYPES.iter().enumerate() {
            let lookups = poisson(rng, 3.0 * tick.load * tick.dt);
            let hits = binomial(rng, lookups, HIT_RATIO[c]);
            m.kb_cache_hits
                .get_or_create(&[("cache_type", cache)])
                .inc_by(hits);
            m.kb_cache_misses
                .get_or_create(&[("cache_type", cache)])
                .inc_by(lookups - hits);
        }
        for (model, median) in EMBEDDING_MODELS {
            let hist = m.kb_embedding_latency.get_or_create(&[("model", model)]);
            for _ in 0..poisson(rng, 1.2 * tick.load * tick.dt) {
                hist.observe(long_tail(rng, median, 0.4, 0.01));
            }
        }
    }
}
