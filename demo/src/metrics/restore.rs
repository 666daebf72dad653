//! Setting every metric to the values of an earlier exposition, so a simulation resumed
//! from a snapshot continues its counters where the snapshot left them.
//!
//! The exposition is this demo's own (see [`super::Metrics::encode`]): families start
//! with `# TYPE`, label values come from static catalogs (interned here once), and
//! every family was registered through [`super::registrar::Registrar`], which keeps a
//! handle to restore it.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::MetricConstructor;
use prometheus_client::metrics::gauge::Gauge;

use super::cached_family::CachedFamily;
use super::families::Labels;
use super::histogram::Histogram;
use super::info::ServiceInfo;
use super::summary_encoding::Summary;
use super::untyped::UntypedCounter;

/// One sample line: its full name, labels in order, and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The samples of an exposition grouped by family (the name of its `# TYPE` line).
pub fn parse_families(exposition: &str) -> Result<BTreeMap<String, Vec<Sample>>, String> {
    let mut families: BTreeMap<String, Vec<Sample>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (n, line) in exposition.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = rest.split(' ').next().unwrap_or_default().to_owned();
            families.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let sample = parse_sample(line).ok_or_else(|| format!("line {}: {line:?}", n + 1))?;
        let family = current
            .as_ref()
            .ok_or_else(|| format!("line {}: a sample before any # TYPE", n + 1))?;
        families.entry(family.clone()).or_default().push(sample);
    }
    Ok(families)
}

fn parse_sample(line: &str) -> Option<Sample> {
    let name_end = line.find(['{', ' '])?;
    let name = line[..name_end].to_owned();
    let mut labels = Vec::new();
    let mut rest = &line[name_end..];
    if let Some(inner) = rest.strip_prefix('{') {
        let mut chars = inner.char_indices().peekable();
        let mut key = String::new();
        let close;
        loop {
            let (i, c) = chars.next()?;
            match c {
                '}' => {
                    close = i;
                    break;
                }
                ',' => {}
                '=' => {
                    let (_, quote) = chars.next()?;
                    if quote != '"' {
                        return None;
                    }
                    let mut value = String::new();
                    loop {
                        let (_, c) = chars.next()?;
                        match c {
                            '"' => break,
                            '\\' => match chars.next()?.1 {
                                'n' => value.push('\n'),
                                other => value.push(other),
                            },
                            other => value.push(other),
                        }
                    }
                    labels.push((std::mem::take(&mut key), value));
                }
                other => key.push(other),
            }
        }
        rest = &inner[close + 1..];
    }
    let value = parse_value(rest.split_ascii_whitespace().next()?)?;
    Some(Sample {
        name,
        labels,
        value,
    })
}

fn parse_value(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "+Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

/// A `&'static str` with this text: catalog label values are static, and a restored
/// series must have one too. Each distinct text is kept once for the process's life.
pub fn intern(text: &str) -> &'static str {
    static INTERNED: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = INTERNED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = set.get(text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.to_owned().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// A metric that can take the values an exposition shows for it.
pub trait Restore: Send + Sync + std::fmt::Debug {
    /// Sets the values from `samples` (one series', or one family's for a family).
    fn restore(&self, samples: &[Sample]);
}

fn first_value(samples: &[Sample]) -> Option<f64> {
    samples.first().map(|s| s.value)
}

impl Restore for Counter<u64> {
    fn restore(&self, samples: &[Sample]) {
        if let Some(v) = first_value(samples) {
            self.inner().store(v.max(0.0) as u64, Ordering::Relaxed);
        }
    }
}

impl Restore for Counter<f64, AtomicU64> {
    fn restore(&self, samples: &[Sample]) {
        if let Some(v) = first_value(samples) {
            self.inner().store(v.to_bits(), Ordering::Relaxed);
        }
    }
}

impl Restore for Gauge<i64> {
    fn restore(&self, samples: &[Sample]) {
        if let Some(v) = first_value(samples) {
            self.set(v as i64);
        }
    }
}

impl Restore for Gauge<f64, AtomicU64> {
    fn restore(&self, samples: &[Sample]) {
        if let Some(v) = first_value(samples) {
            self.set(v);
        }
    }
}

impl Restore for UntypedCounter {
    fn restore(&self, samples: &[Sample]) {
        if let Some(v) = first_value(samples) {
            self.set(v);
        }
    }
}

impl Restore for Histogram {
    fn restore(&self, samples: &[Sample]) {
        let mut sum = 0.0;
        let mut count = 0;
        let mut cumulative = Vec::new();
        for sample in samples {
            if sample.name.ends_with("_sum") {
                sum = sample.value;
            } else if sample.name.ends_with("_count") {
                count = sample.value as u64;
            } else if let Some(le) = sample.label("le").and_then(parse_value) {
                cumulative.push((le, sample.value as u64));
            }
        }
        self.set(sum, count, &cumulative);
    }
}

impl Restore for Summary {
    fn restore(&self, samples: &[Sample]) {
        let find = |suffix: &str| {
            samples
                .iter()
                .find(|s| s.name.ends_with(suffix))
                .map(|s| s.value)
        };
        self.set_totals(
            find("_sum").unwrap_or(0.0),
            find("_count").unwrap_or(0.0) as u64,
        );
    }
}

impl Restore for ServiceInfo {
    fn restore(&self, _samples: &[Sample]) {}
}

impl<const N: usize, M, C> Restore for CachedFamily<N, M, C>
where
    M: Restore + Clone + Send + Sync,
    C: MetricConstructor<M> + Send + Sync + std::fmt::Debug,
{
    fn restore(&self, samples: &[Sample]) {
        // One series per label set; a histogram's buckets differ only in `le`.
        let mut series: BTreeMap<Vec<(String, String)>, Vec<Sample>> = BTreeMap::new();
        for sample in samples {
            let labels: Vec<(String, String)> = sample
                .labels
                .iter()
                .filter(|(k, _)| k != "le")
                .cloned()
                .collect();
            series.entry(labels).or_default().push(sample.clone());
        }
        for (labels, samples) in series {
            let Ok(set) = <[(String, String); N]>::try_from(labels) else {
                continue;
            };
            let set: Labels<N> = set.map(|(k, v)| (intern(&k), intern(&v)));
            self.get_or_create(&set).restore(&samples);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_samples_by_family() {
        let text = "# HELP a A.\n# TYPE a counter\na_total{x=\"1\",y=\"q\\\"z\"} 3\n\
                    # TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1.5\nh_count 2\n# EOF\n";
        let families = parse_families(text).expect("parses");
        assert_eq!(
            families["a"][0].labels[1],
            ("y".to_owned(), "q\"z".to_owned())
        );
        assert_eq!(families["a"][0].value, 3.0);
        assert_eq!(families["h"].len(), 3);
        assert!(std::ptr::eq(intern("abc"), intern(&String::from("abc"))));
    }
}
