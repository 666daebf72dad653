//! The dashboard's own settings: time range, refresh, time zone, links, annotations.

use crate::datasource::Source;
use crate::json::{array, flag, text};
use crate::macros::{rewrite_query, rewrite_text};
use crate::report::Report;
use crate::targets::{Ctx, min_step};
use serde_json::Value;
use vantage_api::dashboard::{Annotation, TimeDefaults};
use vantage_api::duration::parse_prometheus_duration;
use vantage_api::time_range::TimeRange;

/// `time: {from, to}`; Grafana's rounding (`now/d`, `now-1d/d`) is not kept.
pub fn time(d: &Value, report: &mut Report) -> TimeDefaults {
    let Some(time) = d.get("time") else {
        return TimeDefaults::default();
    };
    let mut rounded = false;
    let mut read = |key: &str, default: &str| {
        let raw = text(time, key).unwrap_or_else(|| default.to_owned());
        match raw.split_once('/') {
            Some((base, _)) if raw.starts_with("now") => {
                rounded = true;
                base.to_owned()
            }
            _ => raw,
        }
    };
    let from = read("from", "now-6h");
    let to = read("to", "now");
    if rounded {
        report.approximate(
            "dashboard",
            "time range without its rounding to the day/hour",
        );
    }
    match TimeRange::parse(&from, &to, 1_700_000_000_000) {
        Ok(_) => TimeDefaults { from, to },
        Err(message) => {
            report.approximate(
                "dashboard",
                format!(
                    "time range {from:?} to {to:?} not understood ({message}); the last 6 hours"
                ),
            );
            TimeDefaults::default()
        }
    }
}

/// `refresh`: a duration of at least a second, or none.
pub fn refresh(d: &Value, report: &mut Report) -> Option<String> {
    let value = text(d, "refresh")?;
    match parse_prometheus_duration(&value) {
        Ok(ms) if ms >= 1_000 => Some(value),
        _ => {
            report.approximate(
                "dashboard",
                format!("refresh {value:?} is not a duration of at least 1s; none"),
            );
            None
        }
    }
}

/// `timezone`: none for the browser's (Grafana's default).
pub fn timezone(d: &Value) -> Option<String> {
    text(d, "timezone").filter(|tz| tz != "browser" && !tz.trim().is_empty())
}

/// Prometheus annotation queries; Grafana's built-in one (its own annotations and
/// alerts) is left out.
pub fn annotations(d: &Value, ctx: &Ctx<'_>, report: &mut Report) -> Vec<Annotation> {
    let list = d.get("annotations").map_or(&[][..], |a| array(a, "list"));
    let mut out: Vec<Annotation> = Vec::new();
    for item in list {
        if flag(item, "builtIn") {
            continue;
        }
        let name = text(item, "name").unwrap_or_else(|| format!("annotation {}", out.len() + 1));
        let subject = format!("annotation {name}");
        let source = ctx
            .sources
            .resolve(item.get("datasource"))
            .unwrap_or(Source::Prometheus);
        let expr = text(item, "expr").or_else(|| item.get("target").and_then(|t| text(t, "expr")));
        let expr = match (source, expr) {
            (Source::Prometheus, Some(expr)) => rewrite_query(expr.trim(), ctx.uses),
            (Source::Prometheus, None) => {
                report.dropped(&subject, "no PromQL expression");
                continue;
            }
            (Source::Other(kind), _) => {
                report.dropped(&subject, format!("reads {kind}, not Prometheus"));
                continue;
            }
            (other, _) => {
                report.dropped(&subject, format!("reads {other:?}, not Prometheus"));
                continue;
            }
        };
        if let Some(unknown) = crate::targets::unknown_variable(&expr, ctx.uses) {
            report.dropped(
                &subject,
                format!("uses ${unknown}, which is not a variable of this dashboard"),
            );
            continue;
        }
        if let Err(message) = ctx.checker.check(&expr) {
            report.dropped(&subject, format!("not PromQL Vantage can run: {message}"));
            continue;
        }
        let tags = text(item, "tagKeys")
            .map(|t| {
                t.split(',')
                    .map(|k| k.trim().to_owned())
                    .filter(|k| !k.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push(Annotation {
            name: name.clone(),
            expr,
            disabled: item.get("enable").is_some() && !flag(item, "enable"),
            color: text(item, "iconColor"),
            title: text(item, "titleFormat").map(|t| rewrite_text(&t, ctx.uses)),
            text: text(item, "textFormat").map(|t| rewrite_text(&t, ctx.uses)),
            tags,
            step: min_step(text(item, "step"), ctx.uses),
            value_as_time: flag(item, "useValueForTime"),
        });
        report.carried(&subject, "annotation query");
    }
    out
}
