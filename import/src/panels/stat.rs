//! One-value panels: `stat` and legacy `singlestat` as stat (or gauge when the
//! singlestat shows one), `gauge` as gauge, `bargauge` as bars; pie charts and value
//! histograms as bars, approximately.

use super::{Outcome, set_queries};
use crate::fieldconfig::{decimals, defaults, mappings, singlestat_mappings, unit};
use crate::json::{array, flag, number, path, text};
use crate::targets::{self, Ctx};
use crate::thresholds;
use serde_json::Value;
use vantage_api::dashboard::{Panel, PanelKind, Reduce};
use vantage_api::unit::Unit;

/// Grafana's reducer ids (and legacy `valueName`s) as a Vantage reduction; `false`
/// when only near.
fn reduce(calc: &str) -> (Reduce, bool) {
    match calc {
        "lastNotNull" | "last" | "current" => (Reduce::Last, true),
        "mean" | "avg" => (Reduce::Mean, true),
        "max" => (Reduce::Max, true),
        "min" => (Reduce::Min, true),
        "sum" | "total" => (Reduce::Sum, true),
        "first" | "firstNotNull" => (Reduce::First, true),
        _ => (Reduce::Last, false),
    }
}

/// Fills `panel`; `true`: it runs queries.
pub fn convert(p: &Value, kind: &str, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    if kind == "singlestat" || kind == "grafana-singlestat-panel" {
        singlestat(p, panel, out);
    } else {
        modern(p, kind, panel, out);
    }
    let instant = panel.kind != PanelKind::Stat || !panel.sparkline;
    let converted = targets::convert(p, ctx, instant);
    out.dropped_parts.extend(converted.dropped);
    if matches!(panel.kind, PanelKind::Stat | PanelKind::Gauge) && converted.queries.len() > 1 {
        out.approximate.push(format!(
            "{} queries: Vantage shows the first query's first series",
            converted.queries.len()
        ));
    }
    set_queries(panel, converted.queries, false);
    true
}

fn modern(p: &Value, kind: &str, panel: &mut Panel, out: &mut Outcome) {
    let d = defaults(p);
    let options = p.get("options").unwrap_or(&Value::Null);
    panel.kind = match kind {
        "gauge" => PanelKind::Gauge,
        "stat" => PanelKind::Stat,
        _ => PanelKind::Bar,
    };
    match kind {
        "piechart" | "grafana-piechart-panel" => {
            out.approximate.push("a pie chart drawn as bars".to_owned())
        }
        "histogram" => out
            .approximate
            .push("a histogram of values drawn as bars of the last values".to_owned()),
        "grafana-polystat-panel" => out
            .approximate
            .push("a polystat panel drawn as bars".to_owned()),
        _ => {}
    }
    panel.unit = unit(
        text(d, "unit").or_else(|| text(p, "format")),
        &mut out.approximate,
    );
    panel.decimals = decimals(d);
    panel.min = number(d, "min");
    panel.max = number(d, "max");
    if let (Some(min), Some(max)) = (panel.min, panel.max)
        && min >= max
    {
        panel.max = None;
    }
    let calc = path(options, &["reduceOptions", "calcs"])
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        .unwrap_or("lastNotNull");
    let (how, exact) = reduce(calc);
    panel.reduce = how;
    if !exact {
        out.approximate
            .push(format!("reduced with {calc:?}: shown as the last value"));
    }
    if panel.kind == PanelKind::Bar {
        panel.limit = path(options, &["reduceOptions", "limit"])
            .and_then(crate::json::as_number)
            .filter(|l| *l >= 1.0)
            .map(|l| l as usize);
    }
    if path(options, &["reduceOptions", "values"]).and_then(Value::as_bool) == Some(true)
        && panel.kind != PanelKind::Bar
    {
        out.approximate
            .push("shows every value in Grafana; one reduced value here".to_owned());
    }
    // Grafana's default graph mode is the area sparkline.
    panel.sparkline =
        panel.kind == PanelKind::Stat && text(options, "graphMode").as_deref() != Some("none");
    let converted = thresholds::from_field_config(d.get("thresholds").unwrap_or(&Value::Null));
    panel.thresholds = converted.thresholds;
    panel.direction = converted.direction;
    panel.threshold_mode = converted.mode;
    out.approximate.extend(converted.approximate);
    panel.mappings = mappings(array(d, "mappings"), &mut out.approximate);
}

fn singlestat(p: &Value, panel: &mut Panel, out: &mut Outcome) {
    let gauge = path(p, &["gauge", "show"]).and_then(Value::as_bool) == Some(true);
    panel.kind = if gauge {
        PanelKind::Gauge
    } else {
        PanelKind::Stat
    };
    let mut u = unit(text(p, "format"), &mut out.approximate);
    let prefix = text(p, "prefix").filter(|s| !s.trim().is_empty());
    let postfix = text(p, "postfix").filter(|s| !s.trim().is_empty());
    if matches!(u, Unit::Short | Unit::Plain) {
        if let Some(post) = &postfix {
            u = Unit::Suffix(post.trim().to_owned());
        } else if let Some(pre) = &prefix {
            u = Unit::Prefix(pre.to_owned());
        }
        if prefix.is_some() && postfix.is_some() {
            out.approximate
                .push("prefix not shown with the postfix".to_owned());
        }
    } else if prefix.is_some() || postfix.is_some() {
        out.approximate
            .push("prefix or postfix not shown with the unit".to_owned());
    }
    panel.unit = u;
    panel.decimals = number(p, "decimals")
        .filter(|d| *d >= 0.0)
        .map(|d| d.min(20.0) as u8);
    let value_name = text(p, "valueName").unwrap_or_else(|| "avg".to_owned());
    let (how, exact) = reduce(&value_name);
    panel.reduce = how;
    if !exact {
        out.approximate
            .push(format!("value {value_name:?} shown as the last value"));
    }
    panel.sparkline =
        !gauge && path(p, &["sparkline", "show"]).and_then(Value::as_bool) == Some(true);
    if gauge {
        panel.min = p.get("gauge").and_then(|g| number(g, "minValue"));
        panel.max = p.get("gauge").and_then(|g| number(g, "maxValue"));
        if let (Some(min), Some(max)) = (panel.min, panel.max)
            && min >= max
        {
            panel.max = None;
        }
    }
    let converted = thresholds::from_singlestat(p);
    panel.thresholds = converted.thresholds;
    panel.direction = converted.direction;
    out.approximate.extend(converted.approximate);
    panel.mappings = singlestat_mappings(p, &mut out.approximate);
    if flag(p, "colorBackground") {
        out.approximate
            .push("background colouring shown as the value's colour".to_owned());
    }
}
