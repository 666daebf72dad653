//! A panel's targets as Vantage queries: Prometheus queries only, hidden ones skipped,
//! variables rewritten, every query checked to be PromQL; the rest dropped with why.

use crate::datasource::{Datasources, Source};
use crate::json::{array, flag, number, text};
use crate::macros::{Uses, rewrite_query, rewrite_text};
use crate::promql_check::Checker;
use serde_json::Value;
use vantage_api::dashboard::template::referenced_names;
use vantage_api::dashboard::{Query, QueryFormat};

/// What the conversion of a panel needs from the dashboard.
pub struct Ctx<'a> {
    pub sources: &'a Datasources,
    pub uses: &'a Uses,
    pub checker: &'a Checker,
}

/// The queries of a panel, and a note for each target not carried over.
#[derive(Debug, Default)]
pub struct Converted {
    pub queries: Vec<Query>,
    pub dropped: Vec<String>,
}

fn name_of(target: &Value, index: usize) -> String {
    text(target, "refId").unwrap_or_else(|| format!("#{}", index + 1))
}

/// A legend template: Grafana's `__auto` and empty mean the default legend.
pub fn legend(target: &Value, uses: &Uses) -> Option<String> {
    text(target, "legendFormat")
        .filter(|l| l != "__auto" && !l.trim().is_empty())
        .map(|l| rewrite_text(&l, uses))
}

/// A step setting: `1m`, `>1m` (Grafana's "at least"), or a variable; the macros that
/// only repeat the default step are dropped.
pub fn min_step(value: Option<String>, uses: &Uses) -> Option<String> {
    let step = value?.trim().trim_start_matches('>').trim().to_owned();
    if step.is_empty() || step.starts_with("$__") || step.starts_with("${__") {
        return None;
    }
    if vantage_api::duration::parse_prometheus_duration(&step).is_ok() {
        return Some(step);
    }
    let renamed = rewrite_text(&step, uses);
    let only_a_variable =
        !referenced_names(&renamed).is_empty() && renamed.starts_with('$') && renamed.len() < 64;
    only_a_variable.then_some(renamed)
}

/// The first variable `expr` uses that the dashboard does not define.
pub fn unknown_variable(expr: &str, uses: &Uses) -> Option<String> {
    referenced_names(expr)
        .into_iter()
        .find(|used| !uses.values().any(|u| u.name == *used))
}

/// Converts the targets of `panel`. `instant_kind`: the Vantage kind queries one
/// instant by default (stat, table, bar...).
pub fn convert(panel: &Value, ctx: &Ctx<'_>, instant_kind: bool) -> Converted {
    let mut out = Converted::default();
    let panel_source = ctx.sources.resolve(panel.get("datasource"));
    for (i, target) in array(panel, "targets").iter().enumerate() {
        let name = name_of(target, i);
        if flag(target, "hide") {
            out.dropped
                .push(format!("query {name} is hidden in Grafana; skipped"));
            continue;
        }
        let source = ctx
            .sources
            .resolve(target.get("datasource"))
            .filter(|s| *s != Source::Mixed)
            .or_else(|| panel_source.clone().filter(|s| *s != Source::Mixed))
            .unwrap_or(Source::Prometheus);
        match source {
            Source::Prometheus => {}
            Source::Other(kind) => {
                out.dropped
                    .push(format!("query {name} reads {kind}, not Prometheus"));
                continue;
            }
            Source::Expression => {
                out.dropped
                    .push(format!("query {name} is a Grafana server-side expression"));
                continue;
            }
            Source::Grafana | Source::Mixed => {
                out.dropped
                    .push(format!("query {name} reads Grafana's built-in source"));
                continue;
            }
        }
        let Some(expr) = text(target, "expr") else {
            if target.get("rawSql").is_some()
                || target.get("target").is_some()
                || target.get("query").is_some()
            {
                out.dropped.push(format!("query {name} is not PromQL"));
            } else {
                out.dropped.push(format!("query {name} has no expression"));
            }
            continue;
        };
        let expr = rewrite_query(expr.trim(), ctx.uses);
        if let Some(unknown) = unknown_variable(&expr, ctx.uses) {
            out.dropped.push(format!(
                "query {name} uses ${unknown}, which is not a variable of this dashboard"
            ));
            continue;
        }
        if let Err(message) = ctx.checker.check(&expr) {
            out.dropped.push(format!(
                "query {name} is not PromQL Vantage can run: {message}"
            ));
            continue;
        }
        let instant = flag(target, "instant");
        let range = target
            .get("range")
            .map_or(!instant, |_| flag(target, "range"));
        let format = match text(target, "format").as_deref() {
            Some("table") => QueryFormat::Table,
            Some("heatmap") => QueryFormat::Heatmap,
            _ => QueryFormat::TimeSeries,
        };
        out.queries.push(Query {
            expr,
            legend: legend(target, ctx.uses),
            instant: match (instant_kind, instant, range) {
                (true, false, true) => Some(false),
                (false, true, false) => Some(true),
                _ => None,
            },
            min_step: min_step(text(target, "interval"), ctx.uses),
            interval_factor: number(target, "intervalFactor")
                .filter(|f| *f > 1.0)
                .map(|f| f.min(1_000.0) as u32),
            format,
            ref_id: text(target, "refId"),
        });
    }
    out
}
