//! A metric family with a fast path for label sets it has seen.
//!
//! Why: every label value comes from a static catalog, yet prometheus-client's family
//! hashes the label text with SipHash on every lookup, and lookups were half the cost
//! of a simulation step. This wrapper keeps a handle per label set keyed by the
//! addresses of the static strings (a handle shares its value with the family's), so
//! a repeated lookup hashes a few integers instead of the text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use prometheus_client::encoding::{EncodeMetric, MetricEncoder};
use prometheus_client::metrics::family::{Family, MetricConstructor};
use prometheus_client::metrics::{MetricType, TypedMetric};

use super::families::Labels;

/// A labelled family whose label values are `&'static str`.
#[derive(Debug)]
pub struct CachedFamily<const N: usize, M, C = fn() -> M> {
    family: Family<Labels<N>, M, C>,
    handles: Arc<Mutex<HashMap<Key<N>, M, BuildHasherDefault<WordHasher>>>>,
}

/// The addresses and lengths of a label set's names and values.
type Key<const N: usize> = [[usize; 4]; N];

fn key<const N: usize>(labels: &Labels<N>) -> Key<N> {
    labels.map(|(name, value)| {
        [
            name.as_ptr() as usize,
            name.len(),
            value.as_ptr() as usize,
            value.len(),
        ]
    })
}

impl<const N: usize, M, C: Clone> Clone for CachedFamily<N, M, C> {
    fn clone(&self) -> Self {
        Self {
            family: self.family.clone(),
            handles: Arc::clone(&self.handles),
        }
    }
}

impl<const N: usize, M: Default> Default for CachedFamily<N, M> {
    fn default() -> Self {
        Self::from_family(Family::default())
    }
}

impl<const N: usize, M, C> CachedFamily<N, M, C> {
    fn from_family(family: Family<Labels<N>, M, C>) -> Self {
        Self {
            family,
            handles: Arc::new(Mutex::new(HashMap::default())),
        }
    }
}

impl<const N: usize, M: Clone, C: MetricConstructor<M>> CachedFamily<N, M, C> {
    /// A family whose metrics `constructor` builds.
    pub fn new_with_constructor(constructor: C) -> Self {
        Self::from_family(Family::new_with_constructor(constructor))
    }

    /// The metric of `labels` (created at zero if new); it shares its value with the
    /// exposed one.
    pub fn get_or_create(&self, labels: &Labels<N>) -> M {
        let key = key(labels);
        let mut handles = self.handles.lock().unwrap_or_else(PoisonError::into_inner);
        handles
            .entry(key)
            .or_insert_with(|| self.family.get_or_create(labels).clone())
            .clone()
    }
}

impl<const N: usize, M: TypedMetric, C> TypedMetric for CachedFamily<N, M, C> {
    const TYPE: MetricType = M::TYPE;
}

impl<const N: usize, M, C> EncodeMetric for CachedFamily<N, M, C>
where
    M: EncodeMetric + TypedMetric,
    C: MetricConstructor<M>,
{
    fn encode(&self, encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        self.family.encode(encoder)
    }

    fn metric_type(&self) -> MetricType {
        M::TYPE
    }
}

/// Mixes whole words (FxHash's multiply-rotate): the keys are addresses and lengths.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prometheus_client::metrics::counter::Counter;

    #[test]
    fn handles_share_the_exposed_value() {
        let family: CachedFamily<1, Counter> = CachedFamily::default();
        family.get_or_create(&[("a", "x")]).inc();
        family.get_or_create(&[("a", "x")]).inc_by(2);
        // A different address with the same text is the same series.
        let owned: &'static str = Box::leak(String::from("x").into_boxed_str());
        family.get_or_create(&[("a", owned)]).inc();
        let mut registry = prometheus_client::registry::Registry::default();
        registry.register("c", "C.", family.clone());
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).expect("encodes");
        assert!(text.contains("c_total{a=\"x\"} 4\n"), "{text}");
    }
}
