//! Which data source a panel or query reads. Vantage has one upstream, Prometheus
//! compatible: Prometheus sources (named, `${DS_...}` inputs, `$datasource` variables)
//! resolve to it; queries of any other source cannot be carried over.

use crate::json::{array, text};
use serde_json::Value;
use std::collections::BTreeMap;

/// What kind of source a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Prometheus,
    /// Another plugin (`loki`, `elasticsearch`, `testdata`...).
    Other(String),
    /// `-- Mixed --`: each query names its own.
    Mixed,
    /// Grafana's server-side expressions (`__expr__`).
    Expression,
    /// `-- Grafana --`: Grafana's own annotations and test data.
    Grafana,
}

/// The inputs (`__inputs`) and datasource variables of one dashboard.
#[derive(Debug, Default)]
pub struct Datasources {
    /// Input or variable name to plugin type.
    named: BTreeMap<String, String>,
}

impl Datasources {
    pub fn new(root: &Value, dashboard: &Value) -> Datasources {
        let mut named = BTreeMap::new();
        for input in array(root, "__inputs")
            .iter()
            .chain(array(dashboard, "__inputs"))
        {
            if let (Some(name), Some(plugin)) = (text(input, "name"), text(input, "pluginId")) {
                named.insert(name, plugin);
            }
        }
        let templating = dashboard.get("templating").unwrap_or(&Value::Null);
        for variable in array(templating, "list") {
            if text(variable, "type").as_deref() == Some("datasource")
                && let Some(name) = text(variable, "name")
            {
                let plugin = match variable.get("query") {
                    Some(Value::String(q)) => q.clone(),
                    _ => "prometheus".to_owned(),
                };
                named.insert(name, plugin);
            }
        }
        Datasources { named }
    }

    /// The source a `datasource` field names; `None` when it names none (inherit).
    pub fn resolve(&self, reference: Option<&Value>) -> Option<Source> {
        match reference? {
            Value::String(name) => Some(self.by_name(name)),
            Value::Object(object) => {
                let uid = object.get("uid").and_then(Value::as_str).unwrap_or("");
                match object.get("type").and_then(Value::as_str) {
                    Some("datasource") | None if !uid.is_empty() => Some(self.by_name(uid)),
                    Some(kind) if !kind.is_empty() => {
                        if kind.starts_with('$') {
                            Some(self.by_name(kind))
                        } else {
                            Some(classify(kind))
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn by_name(&self, name: &str) -> Source {
        let bare = name
            .trim()
            .trim_start_matches("${")
            .trim_start_matches("[[")
            .trim_start_matches('$')
            .trim_end_matches('}')
            .trim_end_matches("]]");
        if let Some(plugin) = self.named.get(bare) {
            return classify(plugin);
        }
        match name.trim() {
            "-- Mixed --" => Source::Mixed,
            "-- Grafana --" | "grafana" => Source::Grafana,
            "-- Dashboard --" => Source::Other("dashboard".to_owned()),
            "__expr__" => Source::Expression,
            // A variable or input this file does not define: the one upstream.
            other if other.starts_with('$') || other.starts_with("[[") => Source::Prometheus,
            other => classify_name(other),
        }
    }
}

/// A plugin type as a source kind.
fn classify(plugin: &str) -> Source {
    let p = plugin.to_ascii_lowercase();
    if p == "__expr__" {
        return Source::Expression;
    }
    if p == "grafana" || p == "-- grafana --" {
        return Source::Grafana;
    }
    if p.contains("mixed") {
        return Source::Mixed;
    }
    let logs = p.contains("logs") || p.contains("loki");
    if !logs
        && (p.contains("prometheus")
            || p.contains("victoriametrics")
            || p.contains("thanos")
            || p.contains("cortex")
            || p.contains("mimir"))
    {
        return Source::Prometheus;
    }
    Source::Other(plugin.to_owned())
}

/// A source known only by its display name: other kinds are recognised by the words
/// people name them with; anything else is taken for the Prometheus upstream.
fn classify_name(name: &str) -> Source {
    let lower = name.to_ascii_lowercase();
    const OTHERS: [&str; 14] = [
        "loki",
        "elastic",
        "influx",
        "graphite",
        "mysql",
        "postgres",
        "mssql",
        "tempo",
        "jaeger",
        "zipkin",
        "cloudwatch",
        "testdata",
        "opentsdb",
        "clickhouse",
    ];
    match OTHERS.iter().find(|o| lower.contains(*o)) {
        Some(other) => Source::Other((*other).to_owned()),
        None => Source::Prometheus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_inputs_variables_and_names() {
        let root = json!({"__inputs":[{"name":"DS_LOKI","type":"datasource","pluginId":"loki"},
                                      {"name":"DS_PROM","type":"datasource","pluginId":"prometheus"}]});
        let dash = json!({"templating":{"list":[{"type":"datasource","name":"datasource","query":"prometheus"}]}});
        let ds = Datasources::new(&root, &dash);
        assert_eq!(
            ds.resolve(Some(&json!("${DS_LOKI}"))),
            Some(Source::Other("loki".into()))
        );
        assert_eq!(
            ds.resolve(Some(&json!("${DS_PROM}"))),
            Some(Source::Prometheus)
        );
        assert_eq!(
            ds.resolve(Some(&json!("$datasource"))),
            Some(Source::Prometheus)
        );
        assert_eq!(
            ds.resolve(Some(&json!({"type":"prometheus","uid":"abc"}))),
            Some(Source::Prometheus)
        );
        assert_eq!(
            ds.resolve(Some(&json!({"uid":"${DS_LOKI}"}))),
            Some(Source::Other("loki".into()))
        );
        assert_eq!(
            ds.resolve(Some(&json!({"type":"datasource","uid":"grafana"}))),
            Some(Source::Grafana)
        );
        assert_eq!(ds.resolve(Some(&json!("-- Mixed --"))), Some(Source::Mixed));
        assert_eq!(
            ds.resolve(Some(&json!("Elasticsearch logs"))),
            Some(Source::Other("elastic".into()))
        );
        assert_eq!(ds.resolve(Some(&json!("Thanos"))), Some(Source::Prometheus));
        assert_eq!(ds.resolve(None), None);
        assert_eq!(ds.resolve(Some(&Value::Null)), None);
    }
}
