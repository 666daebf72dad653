//! Query results decoded once, straight into columns: each series keeps its timestamps
//! and values in two `Vec<f64>`, never a `Vec` of `[t, "v"]` pairs, so charts can slice
//! and decimate without another pass over strings.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The `data` of `/api/v1/query_range` and `/api/v1/query`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
pub enum QueryData {
    Matrix(Vec<Series>),
    Vector(Vec<InstantSample>),
    Scalar(Point),
    String(StringPoint),
}

impl QueryData {
    /// Every result as series; an instant vector becomes one point per series.
    pub fn into_series(self) -> Vec<Series> {
        match self {
            QueryData::Matrix(series) => series,
            QueryData::Vector(samples) => samples
                .into_iter()
                .map(|s| Series {
                    labels: s.metric,
                    times: vec![s.value.time],
                    values: vec![s.value.value],
                })
                .collect(),
            QueryData::Scalar(point) => vec![Series {
                labels: BTreeMap::new(),
                times: vec![point.time],
                values: vec![point.value],
            }],
            QueryData::String(_) => Vec::new(),
        }
    }
}

/// One series of a range query, in columns. `times` are unix seconds.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Series {
    pub labels: BTreeMap<String, String>,
    pub times: Vec<f64>,
    pub values: Vec<f64>,
}

impl Series {
    /// The metric name and labels the way Prometheus prints them: `name{a="b"}`.
    pub fn display_name(&self) -> String {
        let name = self.labels.get("__name__").cloned().unwrap_or_default();
        let rest: Vec<String> = self
            .labels
            .iter()
            .filter(|(k, _)| k.as_str() != "__name__")
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        if rest.is_empty() && !name.is_empty() {
            name
        } else {
            format!("{name}{{{}}}", rest.join(", "))
        }
    }

    /// A short name for legends: the display name for a named series, otherwise the
    /// label values (`acme/api, alice`), or `Value` for a series with no labels at all.
    pub fn legend_name(&self) -> String {
        if self.labels.contains_key("__name__") {
            return self.display_name();
        }
        if self.labels.is_empty() {
            return "Value".to_owned();
        }
        self.labels.values().cloned().collect::<Vec<_>>().join(", ")
    }

    /// The last value, if any.
    pub fn last(&self) -> Option<f64> {
        self.values.last().copied()
    }
}

impl<'de> Deserialize<'de> for Series {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            metric: BTreeMap<String, String>,
            #[serde(default)]
            values: Columns,
        }
        let raw = Raw::deserialize(deserializer)?;
        Ok(Series {
            labels: raw.metric,
            times: raw.values.times,
            values: raw.values.values,
        })
    }
}

/// One sample of an instant vector.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct InstantSample {
    #[serde(default)]
    pub metric: BTreeMap<String, String>,
    pub value: Point,
}

/// `[unix_seconds, "value"]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub time: f64,
    pub value: f64,
}

/// `[unix_seconds, "text"]` of a string result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StringPoint(pub f64, pub String);

/// Parses a sample value as Prometheus writes it (`"1.5"`, `"NaN"`, `"+Inf"`).
pub fn parse_sample_value(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (time, text): (f64, &str) = Deserialize::deserialize(deserializer)?;
        let value = parse_sample_value(text)
            .ok_or_else(|| de::Error::custom(format!("sample value {text:?} is not a number")))?;
        Ok(Point { time, value })
    }
}

/// The `values` array of a matrix series, decoded into two columns in one pass.
#[derive(Debug, Default)]
struct Columns {
    times: Vec<f64>,
    values: Vec<f64>,
}

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColumnsVisitor;
        impl<'de> Visitor<'de> for ColumnsVisitor {
            type Value = Columns;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of [time, \"value\"] pairs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Columns, A::Error> {
                let capacity = seq.size_hint().unwrap_or(0);
                let mut columns = Columns {
                    times: Vec::with_capacity(capacity),
                    values: Vec::with_capacity(capacity),
                };
                while let Some(point) = seq.next_element::<Point>()? {
                    columns.times.push(point.time);
                    columns.values.push(point.value);
                }
                Ok(columns)
            }
        }
        deserializer.deserialize_seq(ColumnsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Envelope;

    #[test]
    fn decodes_a_matrix_into_columns() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"demo"},"values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000031,"+Inf"]]}
        ]}}"#;
        let env: Envelope<QueryData> = serde_json::from_str(body).expect("decodes");
        let series = env.into_result().expect("success").into_series();
        assert_eq!(series.len(), 1);
        assert_eq!(
            series[0].times,
            vec![1_700_000_000.0, 1_700_000_015.5, 1_700_000_031.0]
        );
        assert_eq!(series[0].values[0], 1.0);
        assert!(series[0].values[1].is_nan());
        assert_eq!(series[0].values[2], f64::INFINITY);
        assert_eq!(series[0].display_name(), r#"up{job="demo"}"#);
        assert_eq!(series[0].legend_name(), r#"up{job="demo"}"#);
        let unnamed = Series {
            labels: [("repository".to_owned(), "a/b".to_owned())].into(),
            ..Series::default()
        };
        assert_eq!(unnamed.legend_name(), "a/b");
        assert_eq!(Series::default().legend_name(), "Value");
    }

    #[test]
    fn decodes_vector_and_scalar() {
        let vector: QueryData = serde_json::from_str(
            r#"{"resultType":"vector","result":[{"metric":{"repository":"a/b"},"value":[1700000000,"2.5"]}]}"#,
        )
        .expect("vector");
        assert_eq!(vector.into_series()[0].values, vec![2.5]);
        let scalar: QueryData =
            serde_json::from_str(r#"{"resultType":"scalar","result":[1700000000,"7"]}"#)
                .expect("scalar");
        assert_eq!(scalar.into_series()[0].values, vec![7.0]);
    }

    #[test]
    fn refuses_a_non_numeric_sample() {
        let bad = serde_json::from_str::<QueryData>(
            r#"{"resultType":"matrix","result":[{"metric":{},"values":[[1,"abc"]]}]}"#,
        );
        assert!(bad.is_err());
    }
}
