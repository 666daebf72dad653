//! What the cost arithmetic needs from Prometheus: instant and range queries answered
//! as plain numbers per label set. The routes pass the proxy's own query path; tests pass
//! a table.

use std::collections::BTreeMap;
use std::future::Future;

/// A series' labels (without `__name__`).
pub type Labels = BTreeMap<String, String>;

/// A range answer: each series' labels and `(time, value)` points.
pub type Matrix = Vec<(Labels, Vec<(f64, f64)>)>;

/// Runs PromQL.
pub trait Prom: Sync {
    /// The instant vector `query` evaluates to at `at` (unix seconds).
    fn instant(
        &self,
        query: &str,
        at: f64,
    ) -> impl Future<Output = Result<Vec<(Labels, f64)>, String>> + Send;

    /// The range vector of `query` over `[start, end]` at `step` seconds.
    fn range(
        &self,
        query: &str,
        start: f64,
        end: f64,
        step: f64,
    ) -> impl Future<Output = Result<Matrix, String>> + Send;
}

/// One series of a range answer: its labels and `(time, value)` samples.
pub type RangeSeries = (Labels, Vec<(f64, f64)>);

/// A Prometheus `vector` answer's `data.result` as numbers (non-numbers are skipped).
pub fn parse_vector(data: &serde_json::Value) -> Vec<(Labels, f64)> {
    data.get("result")
        .and_then(serde_json::Value::as_array)
        .map(|series| {
            series
                .iter()
                .filter_map(|s| {
                    let value = s.get("value")?.get(1)?.as_str()?.parse::<f64>().ok()?;
                    Some((labels(s), value))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A Prometheus `matrix` answer's `data.result` as numbers.
pub fn parse_matrix(data: &serde_json::Value) -> Matrix {
    data.get("result")
        .and_then(serde_json::Value::as_array)
        .map(|series| {
            series
                .iter()
                .map(|s| {
                    let points = s
                        .get("values")
                        .and_then(serde_json::Value::as_array)
                        .map(|values| {
                            values
                                .iter()
                                .filter_map(|p| {
                                    Some((
                                        p.get(0)?.as_f64()?,
                                        p.get(1)?.as_str()?.parse::<f64>().ok()?,
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (labels(s), points)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn labels(series: &serde_json::Value) -> Labels {
    series
        .get("metric")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "__name__")
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub mod table {
    //! A [`Prom`] answering from a function of the query, for unit tests.

    use super::*;

    pub struct Table<F>(pub F);

    impl<F> Prom for Table<F>
    where
        F: Fn(&str, f64) -> Vec<(Labels, f64)> + Sync,
    {
        fn instant(
            &self,
            query: &str,
            at: f64,
        ) -> impl Future<Output = Result<Vec<(Labels, f64)>, String>> + Send {
            let answer = (self.0)(query, at);
            async move { Ok(answer) }
        }

        fn range(
            &self,
            query: &str,
            start: f64,
            end: f64,
            step: f64,
        ) -> impl Future<Output = Result<Matrix, String>> + Send {
            let mut series: BTreeMap<Labels, Vec<(f64, f64)>> = BTreeMap::new();
            let mut t = start;
            while t <= end {
                for (labels, v) in (self.0)(query, t) {
                    series.entry(labels).or_default().push((t, v));
                }
                t += step;
            }
            async move { Ok(series.into_iter().collect()) }
        }
    }

    /// Labels from pairs.
    pub fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vectors_and_matrices() {
        let vector: serde_json::Value = serde_json::from_str(
            r#"{"resultType":"vector","result":[{"metric":{"__name__":"x","a":"1"},"value":[1,"2.5"]},{"metric":{},"value":[1,"NaN"]}]}"#,
        )
        .expect("json");
        let parsed = parse_vector(&vector);
        assert_eq!(parsed[0].0.get("a").map(String::as_str), Some("1"));
        assert!(!parsed[0].0.contains_key("__name__"));
        assert_eq!(parsed[0].1, 2.5);
        assert!(parsed[1].1.is_nan());
        let matrix: serde_json::Value = serde_json::from_str(
            r#"{"resultType":"matrix","result":[{"metric":{"b":"2"},"values":[[10,"1"],[20,"3"]]}]}"#,
        )
        .expect("json");
        assert_eq!(parse_matrix(&matrix)[0].1, vec![(10.0, 1.0), (20.0, 3.0)]);
    }
}
