//! Grafana's template variables as Vantage variables: query (every Prometheus query
//! form), custom, interval, constant and textbox; datasource variables disappear (there
//! is one upstream), ad hoc filters are dropped.

use crate::datasource::{Datasources, Source};
use crate::ids::identifier;
use crate::json::{array, flag, number, text};
use crate::macros::{Uses, VariableUse, rewrite_query};
use crate::promql_check::Checker;
use crate::report::Report;
use serde_json::Value;
use vantage_api::dashboard::variables::{VariableQuery, parse_custom, parse_variable_query};
use vantage_api::dashboard::{Variable, VariableHide, VariableKind, VariableOption, VariableSort};

/// The converted variables, and how queries must refer to them.
#[derive(Debug, Default)]
pub struct Converted {
    pub variables: Vec<Variable>,
    pub uses: Uses,
}

fn list(dashboard: &Value) -> &[Value] {
    dashboard
        .get("templating")
        .map_or(&[], |t| array(t, "list"))
}

/// Converts every variable, reporting each.
pub fn convert(dashboard: &Value, sources: &Datasources, report: &mut Report) -> Converted {
    let mut out = Converted::default();
    let mut taken = std::collections::HashSet::new();
    // Names and forms first: a variable's query may use any other variable.
    for v in list(dashboard) {
        let kind = text(v, "type").unwrap_or_default();
        let Some(name) = text(v, "name") else {
            continue;
        };
        if matches!(kind.as_str(), "datasource" | "adhoc" | "groupby") {
            continue;
        }
        let mut new = identifier(&name);
        while !taken.insert(new.clone()) {
            new.push('_');
        }
        let escaped = kind == "query" || flag(v, "multi") || flag(v, "includeAll");
        out.uses.insert(name, VariableUse { name: new, escaped });
    }
    for v in list(dashboard) {
        let kind = text(v, "type").unwrap_or_default();
        let name = text(v, "name").unwrap_or_default();
        let subject = format!("variable ${name}");
        match kind.as_str() {
            "datasource" => report.carried(
                &subject,
                "data source variable: every query goes to the proxy's one upstream; removed",
            ),
            "adhoc" | "groupby" => report.dropped(
                &subject,
                format!("{kind} variables have no equivalent; its filters are not applied"),
            ),
            _ => {
                let Some(target) = out.uses.get(&name).map(|u| u.name.clone()) else {
                    continue;
                };
                if target != name {
                    report.approximate(
                        &subject,
                        format!("renamed ${target}: Vantage names are letters, digits and _"),
                    );
                }
                match variable(v, &kind, &target, sources, &out.uses, report, &subject) {
                    Some(variable) => out.variables.push(variable),
                    None => {
                        out.uses.remove(&name);
                    }
                }
            }
        }
    }
    check_queries(&mut out, report);
    out
}

/// Selected values at export: `(all, values)`.
fn current(v: &Value) -> (bool, Vec<String>) {
    let Some(current) = v.get("current") else {
        return (false, Vec::new());
    };
    let values: Vec<String> = match current.get("value") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let all = values.iter().any(|v| v == "$__all");
    (
        all,
        values
            .into_iter()
            .filter(|v| v != "$__all" && !v.is_empty())
            .collect(),
    )
}

fn hide(v: &Value) -> VariableHide {
    match number(v, "hide").map(|h| h as i64) {
        Some(1) => VariableHide::Label,
        Some(2) => VariableHide::Variable,
        _ => VariableHide::None,
    }
}

fn sort(v: &Value) -> Option<VariableSort> {
    Some(match number(v, "sort")? as i64 {
        1 => VariableSort::AlphabeticalAsc,
        2 => VariableSort::AlphabeticalDesc,
        3 => VariableSort::NumericalAsc,
        4 => VariableSort::NumericalDesc,
        5 => VariableSort::AlphabeticalCaseInsensitiveAsc,
        6 => VariableSort::AlphabeticalCaseInsensitiveDesc,
        7 => VariableSort::NaturalAsc,
        8 => VariableSort::NaturalDesc,
        _ => return None,
    })
}

/// The options Grafana saved with the variable.
fn saved_options(v: &Value) -> Vec<VariableOption> {
    array(v, "options")
        .iter()
        .filter_map(|o| {
            let value = text(o, "value")?;
            if value == "$__all" {
                return None;
            }
            let shown = text(o, "text").unwrap_or_default();
            Some(VariableOption {
                text: if shown == value { String::new() } else { shown },
                value,
            })
        })
        .collect()
}

/// The query of a query variable: a string, or `{query: ...}`, or the structured form
/// of Grafana 10's editor (`qryType` with `label`/`metric`).
fn query_text(v: &Value) -> Option<String> {
    match v.get("query")? {
        Value::String(s) => Some(s.clone()),
        Value::Object(_) => {
            let q = v.get("query")?;
            if let Some(s) = text(q, "query") {
                return Some(s);
            }
            let metric = text(q, "metric").unwrap_or_default();
            let label = text(q, "label").unwrap_or_default();
            match number(q, "qryType").map(|t| t as i64) {
                Some(0) => Some(format!("label_names({metric})")),
                Some(1) if metric.is_empty() => Some(format!("label_values({label})")),
                Some(1) => Some(format!("label_values({metric}, {label})")),
                Some(2) => Some(format!("metrics({metric})")),
                _ => None,
            }
        }
        _ => None,
    }
    .map(|s| s.trim().to_owned())
    .filter(|s| !s.is_empty())
    .or_else(|| text(v, "definition"))
}

#[allow(clippy::too_many_arguments)]
fn variable(
    v: &Value,
    kind: &str,
    name: &str,
    sources: &Datasources,
    uses: &Uses,
    report: &mut Report,
    subject: &str,
) -> Option<Variable> {
    let (all, values) = current(v);
    let mut out = Variable {
        name: name.to_owned(),
        label: text(v, "label").unwrap_or_default(),
        multi: flag(v, "multi"),
        include_all: flag(v, "includeAll"),
        all_value: text(v, "allValue"),
        hide: hide(v),
        ..Variable::default()
    };
    if out.label == name {
        out.label.clear();
    }
    let single = |values: &[String]| values.first().cloned().into_iter().collect::<Vec<_>>();
    match kind {
        "query" => {
            let source = sources
                .resolve(v.get("datasource"))
                .unwrap_or(Source::Prometheus);
            let query = query_text(v);
            if source != Source::Prometheus || query.is_none() {
                let why = match (&source, &query) {
                    (Source::Prometheus, _) => "has no query".to_owned(),
                    (Source::Other(kind), _) => format!("reads {kind}, not Prometheus"),
                    (other, _) => format!("reads {other:?}, not Prometheus"),
                };
                return fallback(v, out, values, report, subject, &why);
            }
            let query = rewrite_query(&query.unwrap_or_default(), uses);
            let parsed = parse_variable_query(&query);
            out.query = Some(match parsed {
                Some(_) => query.clone(),
                None => {
                    report.approximate(
                        subject,
                        "a plain PromQL query lists its series' values; it became query_result(...), pick values with the regex",
                    );
                    format!("query_result({query})")
                }
            });
            out.regex = text(v, "regex");
            out.sort = sort(v);
            // Names of labels and metrics are the same everywhere, so the value selected
            // at export is a fine default; label values are not (hosts differ).
            let names = matches!(
                parsed,
                Some(VariableQuery::LabelNames { .. } | VariableQuery::Metrics { .. })
            );
            if !all && names {
                out.default = if out.multi { values } else { single(&values) };
            }
            report.carried(
                subject,
                format!("query variable: {}", out.query.as_deref().unwrap_or("")),
            );
        }
        "custom" => {
            out.kind = VariableKind::Custom;
            let list = text(v, "query").unwrap_or_default();
            out.options = parse_custom(&list);
            if out.options.is_empty() {
                out.options = saved_options(v);
            }
            if out.options.is_empty() {
                report.dropped(subject, "custom variable without values");
                return None;
            }
            if !all {
                out.default = if out.multi { values } else { single(&values) };
            }
            report.carried(subject, "custom variable");
        }
        "interval" => {
            out.kind = VariableKind::Interval;
            out.multi = false;
            out.include_all = false;
            out.all_value = None;
            let list = text(v, "query").unwrap_or_default();
            let (good, bad): (Vec<String>, Vec<String>) = list
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty() && s != "auto")
                .partition(|s| vantage_api::duration::parse_prometheus_duration(s).is_ok());
            out.options = good.into_iter().map(VariableOption::plain).collect();
            out.auto = flag(v, "auto");
            if out.auto {
                out.auto_count = number(v, "auto_count").map(|n| n.clamp(1.0, 10_000.0) as u32);
                out.auto_min = text(v, "auto_min")
                    .filter(|m| vantage_api::duration::parse_prometheus_duration(m).is_ok());
            }
            let chosen = values.first().cloned().unwrap_or_default();
            if chosen.starts_with("$__auto_interval") || chosen == "auto" {
                if out.auto {
                    out.default = vec!["auto".to_owned()];
                }
            } else if out.options.iter().any(|o| o.value == chosen) {
                out.default = vec![chosen];
            }
            if out.options.is_empty() && !out.auto {
                report.dropped(subject, "interval variable without durations");
                return None;
            }
            if bad.is_empty() {
                report.carried(subject, "interval variable");
            } else {
                report.approximate(
                    subject,
                    format!("not durations, left out: {}", bad.join(", ")),
                );
            }
        }
        "constant" => {
            out.kind = VariableKind::Constant;
            out.multi = false;
            out.include_all = false;
            out.all_value = None;
            out.default = vec![
                text(v, "query")
                    .or_else(|| values.first().cloned())
                    .unwrap_or_default(),
            ];
            report.carried(subject, "constant");
        }
        "textbox" => {
            out.kind = VariableKind::Textbox;
            out.multi = false;
            out.include_all = false;
            out.all_value = None;
            out.default = values
                .first()
                .cloned()
                .or_else(|| text(v, "query"))
                .into_iter()
                .collect();
            report.carried(subject, "textbox");
        }
        other => {
            return fallback(
                v,
                out,
                values,
                report,
                subject,
                &format!("is of type {other:?}"),
            );
        }
    }
    Some(out)
}

/// A variable whose values cannot be asked for: its saved options as a custom variable,
/// else a textbox with its saved value, so that queries using it keep working.
fn fallback(
    v: &Value,
    mut out: Variable,
    values: Vec<String>,
    report: &mut Report,
    subject: &str,
    why: &str,
) -> Option<Variable> {
    out.options = saved_options(v);
    if out.options.is_empty() {
        out.kind = VariableKind::Textbox;
        out.multi = false;
        out.include_all = false;
        out.all_value = None;
        out.default = values.into_iter().take(1).collect();
        report.approximate(
            subject,
            format!("{why}; became a textbox with its saved value"),
        );
    } else {
        out.kind = VariableKind::Custom;
        out.default = if out.multi {
            values
        } else {
            values.into_iter().take(1).collect()
        };
        report.approximate(
            subject,
            format!("{why}; became a custom variable of its saved values"),
        );
    }
    Some(out)
}

/// Selectors and queries inside variable queries must be PromQL; those that are not
/// are replaced by the fallback.
fn check_queries(out: &mut Converted, report: &mut Report) {
    let checker = Checker::new(&out.variables);
    for variable in &mut out.variables {
        let Some(query) = &variable.query else {
            continue;
        };
        let inner = match parse_variable_query(query) {
            Some(VariableQuery::LabelValues { selector, .. }) => selector,
            Some(VariableQuery::LabelNames { selector }) => selector,
            Some(VariableQuery::QueryResult { expr }) => Some(expr),
            _ => None,
        };
        if let Some(expr) = inner
            && let Err(message) = checker.check(&expr)
        {
            report.approximate(
                &format!("variable ${}", variable.name),
                format!("its query is not PromQL ({message}); became a textbox"),
            );
            variable.kind = VariableKind::Textbox;
            variable.query = None;
            variable.regex = None;
            variable.sort = None;
            variable.multi = false;
            variable.include_all = false;
            variable.all_value = None;
            variable.default.truncate(1);
        }
    }
}
