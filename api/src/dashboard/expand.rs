//! From a panel definition and the current variable values to the PromQL that runs:
//! variables, Grafana's interval macros, generated percentile and heatmap queries, and
//! legend templates.

use super::spec::{Panel, PanelKind, Query};
use crate::duration::format_duration_ms;
use std::collections::BTreeMap;

/// The value of a variable as selected in the URL or picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every value: matches anything.
    All,
    Values(Vec<String>),
}

/// Everything substitution needs besides the variables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intervals {
    /// The query step, `$__interval`.
    pub interval_s: f64,
    /// `$__rate_interval`.
    pub rate_interval_s: f64,
    /// The whole range, `$__range`.
    pub range_s: f64,
}

/// Prometheus duration of whole seconds (at least 1 s).
fn duration(seconds: f64) -> String {
    format_duration_ms((seconds.round().max(1.0) as u64) * 1000)
}

/// Escapes a label value for use inside a `=~"..."` regex in a PromQL string literal.
pub fn regex_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' => {
                out.push_str("\\\\");
                out.push(c);
            }
            '\\' => out.push_str("\\\\\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out
}

/// The text a variable becomes in a query: a regex alternative of its values.
pub fn format_selection(selection: &Selection) -> String {
    match selection {
        Selection::All => ".*".to_owned(),
        Selection::Values(values) => values
            .iter()
            .map(|v| regex_escape(v))
            .collect::<Vec<_>>()
            .join("|"),
    }
}

/// Replaces `$__rate_interval`, `$__interval`, `$__range`, `${name}` and `$name`.
pub fn substitute(
    expr: &str,
    variables: &BTreeMap<String, Selection>,
    intervals: Intervals,
) -> String {
    let mut out = expr
        .replace("$__rate_interval", &duration(intervals.rate_interval_s))
        .replace("$__interval", &duration(intervals.interval_s))
        .replace("$__range", &duration(intervals.range_s));
    // Longest names first so that `$repo` does not eat the start of `$repository`.
    let mut names: Vec<&String> = variables.keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        let value = format_selection(&variables[name]);
        out = out
            .replace(&format!("${{{name}}}"), &value)
            .replace(&format!("${name}"), &value);
    }
    out
}

/// The queries a panel runs, before substitution.
pub fn panel_queries(panel: &Panel) -> Vec<Query> {
    match panel.kind {
        PanelKind::Percentiles => percentile_queries(panel),
        PanelKind::Heatmap => heatmap_query(panel).into_iter().collect(),
        _ => panel.all_queries(),
    }
}

fn bucket_selector(panel: &Panel) -> Option<String> {
    let histogram = panel.histogram.as_deref()?;
    let matchers = panel.matchers.as_deref().unwrap_or("");
    Some(format!("{histogram}_bucket{{{matchers}}}"))
}

/// One `histogram_quantile` per quantile, keeping `le` (and `by`) in the aggregation.
pub fn percentile_queries(panel: &Panel) -> Vec<Query> {
    let Some(selector) = bucket_selector(panel) else {
        return Vec::new();
    };
    let window = panel.rate_window.as_deref().unwrap_or("$__rate_interval");
    let mut by = vec!["le".to_owned()];
    by.extend(panel.by.iter().cloned());
    let by_legend: String = panel.by.iter().map(|l| format!(" {{{{{l}}}}}")).collect();
    panel
        .quantiles
        .iter()
        .map(|q| Query {
            expr: format!(
                "histogram_quantile({q}, sum by ({}) (rate({selector}[{window}])))",
                by.join(", ")
            ),
            legend: Some(format!("p{}{by_legend}", trim_float(q * 100.0))),
        })
        .collect()
}

/// Bucket counts per step, for a heatmap. The window is at least `$__rate_interval` so
/// that it always holds two samples, even when the step is as short as the scrape.
pub fn heatmap_query(panel: &Panel) -> Option<Query> {
    let selector = bucket_selector(panel)?;
    let window = panel.rate_window.as_deref().unwrap_or("$__rate_interval");
    Some(Query {
        expr: format!("sum by (le) (increase({selector}[{window}]))"),
        legend: Some("{{le}}".to_owned()),
    })
}

fn trim_float(v: f64) -> String {
    let text = format!("{v:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Fills a legend template (`{{repository}} / {{user}}`) from a series' labels; a
/// missing label becomes empty. Without a template: the labels' values.
pub fn legend(template: Option<&str>, labels: &BTreeMap<String, String>) -> String {
    let Some(template) = template else {
        let values: Vec<&str> = labels
            .iter()
            .filter(|(k, _)| *k != "__name__")
            .map(|(_, v)| v.as_str())
            .collect();
        return if values.is_empty() {
            labels
                .get("__name__")
                .cloned()
                .unwrap_or_else(|| "Value".to_owned())
        } else {
            values.join(", ")
        };
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                out.push_str(labels.get(key).map(String::as_str).unwrap_or(""));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses Grafana's `label_values(metric, label)` or `label_values(label)` into
/// `(metric selector, label)`.
pub fn parse_label_values(query: &str) -> Option<(Option<String>, String)> {
    let inner = query
        .trim()
        .strip_prefix("label_values(")?
        .strip_suffix(')')?;
    let (metric, label) = match inner.rsplit_once(',') {
        Some((metric, label)) => (Some(metric.trim().to_owned()), label.trim()),
        None => (None, inner.trim()),
    };
    let valid = !label.is_empty()
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !label.starts_with(|c: char| c.is_ascii_digit());
    valid.then(|| (metric.filter(|m| !m.is_empty()), label.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::spec::Panel;

    fn intervals() -> Intervals {
        Intervals {
            interval_s: 30.0,
            rate_interval_s: 60.0,
            range_s: 86_400.0,
        }
    }

    #[test]
    fn substitutes_macros_and_variables() {
        let vars = BTreeMap::from([
            ("repo".to_owned(), Selection::Values(vec!["x".into()])),
            (
                "repository".to_owned(),
                Selection::Values(vec!["acme/api".into(), "a.b".into()]),
            ),
            ("user".to_owned(), Selection::All),
        ]);
        let out = substitute(
            r#"sum(rate(m{repository=~"$repository",user=~"${user}",r=~"$repo"}[$__rate_interval])) / $__interval / $__range"#,
            &vars,
            intervals(),
        );
        assert_eq!(
            out,
            r#"sum(rate(m{repository=~"acme/api|a\\.b",user=~".*",r=~"x"}[1m])) / 30s / 1d"#
        );
    }

    #[test]
    fn escapes_quotes_and_backslashes() {
        assert_eq!(regex_escape(r#"a"b\c"#), r#"a\"b\\\\c"#);
    }

    fn panel(toml_like: impl FnOnce(&mut Panel)) -> Panel {
        let mut p = Panel {
            id: "p".into(),
            title: "P".into(),
            kind: PanelKind::Percentiles,
            description: String::new(),
            width: 6,
            height: None,
            unit: Default::default(),
            query: None,
            legend: None,
            queries: vec![],
            thresholds: vec![],
            threshold_style: Default::default(),
            direction: Default::default(),
            stack: false,
            histogram: Some("orchestrator_agent_execution_latency".into()),
            quantiles: vec![0.5, 0.95, 0.99],
            by: vec!["agent_type".into()],
            matchers: Some(r#"repository=~"$repository""#.into()),
            rate_window: None,
            sparkline: false,
            reduce: Default::default(),
            label: None,
            limit: None,
            states: vec![],
            source: None,
        };
        toml_like(&mut p);
        p
    }

    #[test]
    fn writes_percentile_queries_keeping_le() {
        let queries = panel_queries(&panel(|_| {}));
        assert_eq!(queries.len(), 3);
        assert_eq!(
            queries[1].expr,
            r#"histogram_quantile(0.95, sum by (le, agent_type) (rate(orchestrator_agent_execution_latency_bucket{repository=~"$repository"}[$__rate_interval])))"#
        );
        assert_eq!(queries[1].legend.as_deref(), Some("p95 {{agent_type}}"));
        assert_eq!(queries[0].legend.as_deref(), Some("p50 {{agent_type}}"));
    }

    #[test]
    fn writes_heatmap_query() {
        let q = panel_queries(&panel(|p| {
            p.kind = PanelKind::Heatmap;
            p.matchers = None;
        }));
        assert_eq!(
            q[0].expr,
            "sum by (le) (increase(orchestrator_agent_execution_latency_bucket{}[$__rate_interval]))"
        );
    }

    #[test]
    fn fills_legends() {
        let labels = BTreeMap::from([
            ("repository".to_owned(), "acme/api".to_owned()),
            ("user".to_owned(), "bob".to_owned()),
        ]);
        assert_eq!(
            legend(Some("{{repository}} / {{ user }} {{missing}}"), &labels),
            "acme/api / bob "
        );
        assert_eq!(legend(None, &labels), "acme/api, bob");
        assert_eq!(legend(Some("p95 {{"), &labels), "p95 {{");
    }

    #[test]
    fn parses_label_values() {
        assert_eq!(
            parse_label_values("label_values(orchestrator_cost_attribution, repository)"),
            Some((
                Some("orchestrator_cost_attribution".into()),
                "repository".into()
            ))
        );
        assert_eq!(
            parse_label_values("label_values(service)"),
            Some((None, "service".into()))
        );
        assert_eq!(parse_label_values("label_values(m, 1bad)"), None);
        assert_eq!(parse_label_values("values(m, x)"), None);
    }
}
