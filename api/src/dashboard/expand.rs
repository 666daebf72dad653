//! From a panel definition and the current variable values to the PromQL that runs:
//! variables, Grafana's interval macros, generated percentile and heatmap queries, and
//! legend templates.

use super::spec::{Panel, PanelKind, Query, Variable, VariableKind};
use super::template::{Piece, pieces};
use super::variables::{VariableQuery, parse_variable_query};
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

/// The text a variable becomes in a query: a regex alternative of its values, in
/// parentheses when there are several so that text around it (`host-$name`) applies
/// to each.
pub fn format_selection(selection: &Selection) -> String {
    match selection {
        Selection::All => ".*".to_owned(),
        Selection::Values(values) => {
            let escaped: Vec<String> = values.iter().map(|v| regex_escape(v)).collect();
            if escaped.len() > 1 {
                format!("({})", escaped.join("|"))
            } else {
                escaped.join("|")
            }
        }
    }
}

/// Replaces Grafana's macros (`$__rate_interval`, `$__interval`, `$__interval_ms`,
/// `$__range`, `$__range_s`, `$__range_ms`, `$__rate_interval_ms`) and the variables,
/// in every form [`super::template::pieces`] knows, with their formats (see
/// [`format_as`]). Unknown names are left as written.
pub fn substitute(
    expr: &str,
    variables: &BTreeMap<String, Selection>,
    intervals: Intervals,
) -> String {
    substitute_with_all_values(expr, variables, intervals, &BTreeMap::new())
}

/// [`substitute`], where "All" of the variables in `all_values` becomes their own
/// text (a variable's `all_value`) instead of `.*`.
pub fn substitute_with_all_values(
    expr: &str,
    variables: &BTreeMap<String, Selection>,
    intervals: Intervals,
    all_values: &BTreeMap<String, String>,
) -> String {
    let mut out = String::with_capacity(expr.len());
    for piece in pieces(expr) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Ref { name, format, raw } => {
                if let Some(value) = macro_value(name, intervals) {
                    out.push_str(&value);
                } else if let Some(selection) = variables.get(name) {
                    let all = all_values.get(name).map(String::as_str);
                    out.push_str(&format_as(name, selection, format, all));
                } else {
                    out.push_str(raw);
                }
            }
        }
    }
    out
}

fn macro_value(name: &str, intervals: Intervals) -> Option<String> {
    let ms = |seconds: f64| format!("{}", (seconds * 1000.0).round().max(1.0) as u64);
    Some(match name {
        "__rate_interval" => duration(intervals.rate_interval_s),
        "__rate_interval_ms" => ms(intervals.rate_interval_s),
        "__interval" => duration(intervals.interval_s),
        "__interval_ms" => ms(intervals.interval_s),
        "__range" => duration(intervals.range_s),
        "__range_s" => format!("{}", intervals.range_s.round().max(0.0) as u64),
        "__range_ms" => format!("{}", (intervals.range_s * 1000.0).round().max(0.0) as u64),
        _ => return None,
    })
}

/// A selection written in one of Grafana's formats: none or `regex` (a regex
/// alternative of the escaped values, in parentheses when several: the default for
/// PromQL), `pipe` (`a|b`), `csv` / `raw` / `text` (`a,b`), `glob` (`{a,b}`), `json`,
/// `singlequote`, `doublequote`, `percentencode` and `queryparam`
/// (`var-name=a&var-name=b`). "All" is `all_value`, else `.*`. Unknown formats: `raw`.
pub fn format_as(
    name: &str,
    selection: &Selection,
    format: Option<&str>,
    all_value: Option<&str>,
) -> String {
    let values = match selection {
        Selection::All => {
            let all = all_value.unwrap_or(".*");
            return match format {
                Some("queryparam") => format!("var-{name}=$__all"),
                Some("percentencode") => percent_encode(all),
                None | Some("regex") if all_value.is_none() => ".*".to_owned(),
                _ => all.to_owned(),
            };
        }
        Selection::Values(values) => values,
    };
    let quoted = |quote: char| {
        values
            .iter()
            .map(|v| format!("{quote}{}{quote}", v.replace(quote, &format!("\\{quote}"))))
            .collect::<Vec<_>>()
            .join(",")
    };
    match format {
        None => format_selection(selection),
        Some("regex") => format_selection(selection),
        Some("pipe") => values.join("|"),
        Some("glob") if values.len() > 1 => format!("{{{}}}", values.join(",")),
        Some("json") => serde_json::to_string(values).unwrap_or_default(),
        Some("singlequote") => quoted('\''),
        Some("doublequote") => quoted('"'),
        Some("percentencode") => percent_encode(&values.join(",")),
        Some("queryparam") => values
            .iter()
            .map(|v| format!("var-{name}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&"),
        _ => values.join(","),
    }
}

/// Percent-encodes all but the URL-safe characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text shown to people (a title) with its variables as their values: several joined
/// with `, `, "All" as `All`; macros and unknown names stay as written.
pub fn display_text(text: &str, variables: &BTreeMap<String, Selection>) -> String {
    if !text.contains(['$', '[']) {
        return text.to_owned();
    }
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.to_owned(),
            Piece::Ref { name, raw, .. } => match variables.get(name) {
                Some(Selection::All) => "All".to_owned(),
                Some(Selection::Values(values)) => values.join(", "),
                None => raw.to_owned(),
            },
        })
        .collect()
}

/// A value for every variable with which the queries parse as they will run, for
/// checking dashboards: its default, else its first option, else "All"; an interval
/// variable with only `auto` gets `1m`, a textbox without a default the empty text.
pub fn sample_selections(variables: &[Variable]) -> BTreeMap<String, Selection> {
    variables
        .iter()
        .map(|v| {
            let interval = v.kind == VariableKind::Interval;
            let auto_default = interval && v.default.iter().any(|d| d == "auto");
            let selection = if !v.default.is_empty() && !auto_default {
                Selection::Values(v.default.clone())
            } else if let Some(option) = v.options.first() {
                Selection::Values(vec![option.value.clone()])
            } else if interval {
                Selection::Values(vec!["1m".to_owned()])
            } else if matches!(v.kind, VariableKind::Textbox | VariableKind::Constant) {
                Selection::Values(vec![String::new()])
            } else {
                Selection::All
            };
            (v.name.clone(), selection)
        })
        .collect()
}

/// The queries a panel runs, before substitution.
pub fn panel_queries(panel: &Panel) -> Vec<Query> {
    match panel.kind {
        PanelKind::Percentiles => percentile_queries(panel),
        PanelKind::Heatmap if panel.histogram.is_some() => {
            heatmap_query(panel).into_iter().collect()
        }
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
            ..Query::default()
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
        ..Query::default()
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
/// `(metric selector, label)`; the other query forms are in
/// [`super::variables::parse_variable_query`].
pub fn parse_label_values(query: &str) -> Option<(Option<String>, String)> {
    match parse_variable_query(query)? {
        VariableQuery::LabelValues { selector, label } => Some((selector, label)),
        _ => None,
    }
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
            r#"sum(rate(m{repository=~"(acme/api|a\\.b)",user=~".*",r=~"x"}[1m])) / 30s / 1d"#
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
            histogram: Some("orchestrator_agent_execution_latency".into()),
            quantiles: vec![0.5, 0.95, 0.99],
            by: vec!["agent_type".into()],
            matchers: Some(r#"repository=~"$repository""#.into()),
            ..Panel::default()
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
    fn a_heatmap_may_give_its_own_bucket_query() {
        let q = panel_queries(&panel(|p| {
            p.kind = PanelKind::Heatmap;
            p.histogram = None;
            p.query = Some("sum by (le) (rate(x_bucket[5m]))".into());
            p.legend = Some("{{le}}".into());
        }));
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].expr, "sum by (le) (rate(x_bucket[5m]))");
    }

    #[test]
    fn substitutes_every_macro_and_form() {
        let vars = BTreeMap::from([
            (
                "a".to_owned(),
                Selection::Values(vec!["x.y".into(), "z".into()]),
            ),
            ("one".to_owned(), Selection::Values(vec!["5m".into()])),
            ("all".to_owned(), Selection::All),
        ]);
        let cases = [
            ("$__interval_ms $__interval", "30000 30s"),
            ("$__range_s $__range_ms $__range", "86400 86400000 1d"),
            ("${__rate_interval} $__rate_interval_ms", "1m 60000"),
            ("$a", r"(x\\.y|z)"),
            ("${a:regex}", r"(x\\.y|z)"),
            ("${a:pipe} ${a:csv} ${a:raw}", "x.y|z x.y,z x.y,z"),
            ("${a:glob} ${a:json}", r#"{x.y,z} ["x.y","z"]"#),
            (
                "${a:singlequote} ${a:doublequote}",
                r#"'x.y','z' "x.y","z""#,
            ),
            ("${a:queryparam}", "var-a=x.y&var-a=z"),
            ("${a:percentencode}", "x.y%2Cz"),
            ("[[one]] [[a:pipe]] x[${one:raw}]", "5m x.y|z x[5m]"),
            (
                "${all} ${all:pipe} ${all:queryparam}",
                ".* .* var-all=$__all",
            ),
            (
                "$unknown ${unknown:csv} $1 $aa",
                "$unknown ${unknown:csv} $1 $aa",
            ),
        ];
        for (expr, expected) in cases {
            assert_eq!(substitute(expr, &vars, intervals()), expected, "{expr}");
        }
        let all_values = BTreeMap::from([("all".to_owned(), ".+".to_owned())]);
        assert_eq!(
            substitute_with_all_values("$all ${all:csv}", &vars, intervals(), &all_values),
            ".+ .+"
        );
    }

    #[test]
    fn titles_show_values() {
        let vars = BTreeMap::from([
            (
                "a".to_owned(),
                Selection::Values(vec!["x".into(), "y".into()]),
            ),
            ("all".to_owned(), Selection::All),
        ]);
        assert_eq!(
            display_text("CPU $a / ${all} $__interval $nope", &vars),
            "CPU x, y / All $__interval $nope"
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
