//! Distribution summaries written as OpenMetrics `summary` families.
//!
//! prometheus-client has no summary type, and the seed orchestrator's two distribution
//! summaries are queried as `avg(orchestrator_websocket_connection_quality)` and
//! `avg(orchestrator_websocket_message_delivery_rate)`: that needs samples named exactly
//! like the family, which a summary's `{quantile=..}` samples are. So these families are
//! written by hand after the registry's output and before `# EOF`:
//!
//! ```text
//! # HELP name help.
//! # TYPE name summary
//! name{quantile="0.5"} 0.98
//! name_sum 1234.5
//! name_count 1260
//! ```
//!
//! Quantiles are taken over a bounded window of the most recent observations (as a
//! client library's sliding window does); sum and count cover the whole lifetime.

use std::collections::VecDeque;
use std::fmt::Write;
use std::sync::{Arc, Mutex, PoisonError};

/// The quantiles every summary publishes.
pub const QUANTILES: [f64; 3] = [0.5, 0.95, 0.99];

/// How many recent observations the quantiles are computed from.
const WINDOW: usize = 1024;

#[derive(Debug, Default)]
struct Inner {
    recent: VecDeque<f64>,
    sum: f64,
    count: u64,
}

/// A distribution summary: lifetime sum and count, quantiles over recent values.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    inner: Arc<Mutex<Inner>>,
}

/// What a summary reports at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySnapshot {
    /// `(quantile, value)` pairs; values are NaN while nothing was observed.
    pub quantiles: Vec<(f64, f64)>,
    /// Sum of every observation.
    pub sum: f64,
    /// Number of observations.
    pub count: u64,
}

impl Summary {
    /// Records one value (non-finite values are ignored).
    pub fn observe(&self, value: f64) {
        if !value.is_finite() {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.recent.len() == WINDOW {
            inner.recent.pop_front();
        }
        inner.recent.push_back(value);
        inner.sum += value;
        inner.count += 1;
    }

    /// Sets the lifetime sum and count (restoring a snapshot); the quantiles' window
    /// fills again from new observations.
    pub fn set_totals(&self, sum: f64, count: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.sum = sum;
        inner.count = count;
    }

    /// The current quantiles, sum and count.
    pub fn snapshot(&self) -> SummarySnapshot {
        let (mut recent, sum, count) = {
            let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            (
                inner.recent.iter().copied().collect::<Vec<_>>(),
                inner.sum,
                inner.count,
            )
        };
        recent.sort_by(f64::total_cmp);
        let quantiles = QUANTILES
            .iter()
            .map(|&q| (q, nearest_rank(&recent, q)))
            .collect();
        SummarySnapshot {
            quantiles,
            sum,
            count,
        }
    }
}

/// The nearest-rank quantile of sorted values, NaN when there are none.
fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A summary with the name and help it is exposed under.
#[derive(Debug, Clone)]
pub struct SummaryFamily {
    /// Family name, also the name of the quantile samples.
    pub name: &'static str,
    /// Help text (a full stop is added, as prometheus-client does).
    pub help: &'static str,
    /// The values.
    pub summary: Summary,
}

impl SummaryFamily {
    /// Writes the family in the OpenMetrics text format.
    pub fn encode(&self, out: &mut impl Write) -> std::fmt::Result {
        let snapshot = self.summary.snapshot();
        let name = self.name;
        writeln!(out, "# HELP {name} {}.", self.help)?;
        writeln!(out, "# TYPE {name} summary")?;
        for (q, value) in &snapshot.quantiles {
            writeln!(out, "{name}{{quantile=\"{q}\"}} {}", number(*value))?;
        }
        writeln!(out, "{name}_sum {}", number(snapshot.sum))?;
        writeln!(out, "{name}_count {}", snapshot.count)
    }
}

/// A float in the OpenMetrics spelling (`NaN`, `+Inf`, `-Inf`, or a plain number).
pub fn number(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value == f64::INFINITY {
        "+Inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-Inf".to_owned()
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_summary_has_nan_quantiles_and_zero_count() {
        let family = SummaryFamily {
            name: "x_quality",
            help: "Quality",
            summary: Summary::default(),
        };
        let mut text = String::new();
        family.encode(&mut text).expect("encodes");
        assert_eq!(
            text,
            "# HELP x_quality Quality.\n# TYPE x_quality summary\n\
             x_quality{quantile=\"0.5\"} NaN\nx_quality{quantile=\"0.95\"} NaN\n\
             x_quality{quantile=\"0.99\"} NaN\nx_quality_sum 0\nx_quality_count 0\n"
        );
    }

    #[test]
    fn quantiles_come_from_recent_values_and_sum_from_all() {
        let summary = Summary::default();
        for v in 1..=100 {
            summary.observe(f64::from(v));
        }
        summary.observe(f64::NAN);
        let snap = summary.snapshot();
        assert_eq!(snap.count, 100);
        assert_eq!(snap.sum, 5050.0);
        assert_eq!(
            snap.quantiles,
            vec![(0.5, 50.0), (0.95, 95.0), (0.99, 99.0)]
        );

        // Older values leave the window; the lifetime count keeps them.
        for _ in 0..WINDOW {
            summary.observe(0.5);
        }
        let snap = summary.snapshot();
        assert_eq!(snap.count, 100 + WINDOW as u64);
        assert!(snap.quantiles.iter().all(|(_, v)| *v == 0.5));
    }

    #[test]
    fn numbers_use_openmetrics_spelling() {
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "+Inf");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(12.0), "12");
    }
}
