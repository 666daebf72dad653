//! How the upstream orders the series of a range answer, found out once with a tiny
//! query whose two series sort differently in Prometheus' order (by label pairs:
//! `{__name__="b"}` first) and in VictoriaMetrics' (by name first: `{c="a"}`, which has
//! none, first). Merged answers must be in the order the upstream would give the whole
//! answer in; an upstream that answers in neither order is never merged.

use super::matrix::{self, SeriesOrder};
use super::range::{Grid, RangeQuery};
use super::service::{RangeService, Trace};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Two series, one with only a name, one with only a label.
pub const PROBE_QUERY: &str = r#"label_replace(vector(1), "__name__", "b", "", "") or label_replace(vector(2), "c", "a", "", "")"#;

/// An unknown order is asked again after this.
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// The upstream's order, once known.
#[derive(Default)]
pub struct OrderProbe {
    /// Set once found: read without a lock on every request.
    found: OnceLock<SeriesOrder>,
    /// The last attempt, while the order is not known.
    known: Mutex<Option<(Option<SeriesOrder>, Instant)>>,
}

impl OrderProbe {
    /// A probe that already knows (for tests).
    pub fn known(order: SeriesOrder) -> OrderProbe {
        OrderProbe {
            found: OnceLock::from(order),
            known: Mutex::new(None),
        }
    }

    /// The order, asking `upstream` the first time (and again a while after it could
    /// not be told).
    pub async fn get(&self, upstream: &impl RangeService, now_ms: i64) -> Option<SeriesOrder> {
        if let Some(order) = self.found.get() {
            return Some(*order);
        }
        let mut known = self.known.lock().await;
        if let Some((order, at)) = *known
            && (order.is_some() || at.elapsed() < RETRY_AFTER)
        {
            return order;
        }
        let t = now_ms.div_euclid(1000) * 1000 - 60_000;
        let query = RangeQuery {
            query: PROBE_QUERY.into(),
            grid: Grid {
                start: t,
                end: t,
                step: 1000,
            },
            step_text: "1".into(),
            lookback_delta: None,
            timeout: None,
            bucket: None,
            window_ms: 0,
        };
        let trace = Trace::new(now_ms, SeriesOrder::Labels, 1);
        let order = match upstream.call(query, &trace).await {
            Ok(answer) => classify(&answer.body),
            Err(err) => {
                tracing::warn!(
                    ?err,
                    "query frontend: cannot tell the upstream's series order"
                );
                None
            }
        };
        if order.is_none() {
            tracing::warn!(
                "query frontend: the upstream's series order is unknown; range queries are not split or cached"
            );
        }
        *known = Some((order, Instant::now()));
        if let Some(order) = order {
            let _ = self.found.set(order);
        }
        order
    }
}

/// Which order the probe's answer is in.
pub fn classify(body: &[u8]) -> Option<SeriesOrder> {
    let answer = matrix::parse_unordered(body).ok()?;
    let labels: Vec<Vec<(&str, &str)>> = answer.series.iter().map(|s| s.labels()).collect();
    match labels.as_slice() {
        [first, second] if first == &[("__name__", "b")] && second == &[("c", "a")] => {
            Some(SeriesOrder::Labels)
        }
        [first, second] if first == &[("c", "a")] && second == &[("__name__", "b")] => {
            Some(SeriesOrder::NameFirst)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_answers_seen_from_real_upstreams() {
        // Prometheus 2.42 and VictoriaMetrics 1.79, verbatim.
        let prometheus = br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"b"},"values":[[1796061712,"1"]]},{"metric":{"c":"a"},"values":[[1796061712,"2"]]}]}}"#;
        let victoria = br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"c":"a"},"values":[[1796061712,"2"]]},{"metric":{"__name__":"b"},"values":[[1796061712,"1"]]}]}}"#;
        assert_eq!(classify(prometheus), Some(SeriesOrder::Labels));
        assert_eq!(classify(victoria), Some(SeriesOrder::NameFirst));
        assert_eq!(classify(b"{}"), None);
        let one = br#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"c":"a"},"values":[[1,"2"]]}]}}"#;
        assert_eq!(classify(one), None);
    }
}
