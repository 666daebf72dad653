//! The legacy `graph` panel: left axis unit, log base, min/max and decimals from
//! `yaxes`, stacking and fill, legacy thresholds, series overrides and alias colours.

use super::{Outcome, set_queries};
use crate::fieldconfig::unit;
use crate::json::{array, as_number, flag, number, path, text};
use crate::targets::{self, Ctx};
use crate::thresholds;
use serde_json::Value;
use std::collections::BTreeSet;
use vantage_api::dashboard::{Panel, PanelKind, Reduce, SeriesOverride};
use vantage_api::unit::Unit;

/// Fills `panel` from a graph panel; `true`: it runs queries.
pub fn convert(p: &Value, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    panel.kind = PanelKind::Timeseries;
    let axes = array(p, "yaxes");
    let left = axes.first().unwrap_or(&Value::Null);
    let right = axes.get(1).unwrap_or(&Value::Null);
    let formats = array(p, "y_formats");
    let left_format = text(left, "format")
        .or_else(|| formats.first().and_then(|f| f.as_str().map(str::to_owned)));
    let right_format = text(right, "format")
        .or_else(|| formats.get(1).and_then(|f| f.as_str().map(str::to_owned)));
    panel.unit = unit(left_format, &mut out.approximate);
    let right_unit = right_format.map(|f| crate::units::grafana_unit(&f).0);
    panel.decimals = number(p, "decimals")
        .or_else(|| number(left, "decimals"))
        .filter(|d| *d >= 0.0)
        .map(|d| d.min(20.0) as u8);
    panel.min = number(left, "min");
    panel.max = number(left, "max");
    if let (Some(min), Some(max)) = (panel.min, panel.max)
        && min >= max
    {
        panel.max = None;
    }
    match number(left, "logBase").map(|b| b as u32) {
        Some(2) => panel.log_base = Some(2),
        Some(10) => panel.log_base = Some(10),
        Some(1) | None => {}
        Some(other) => out
            .approximate
            .push(format!("log scale of base {other} not kept")),
    }
    panel.stack = flag(p, "stack");
    if flag(p, "percentage") && panel.stack {
        out.approximate
            .push("stacked to 100 % in Grafana; stacked as values".to_owned());
    }
    let lines = p.get("lines").is_none_or(|_| flag(p, "lines"));
    if let Some(fill) = number(p, "fill").filter(|f| *f > 0.0 && lines) {
        panel.fill_opacity = Some((fill * 10.0).min(100.0) as u8);
    }
    if flag(p, "bars") && !lines {
        out.approximate.push("bars drawn as lines".to_owned());
    } else if flag(p, "points") && !lines {
        out.approximate.push("points drawn as lines".to_owned());
    }
    let converted = thresholds::from_graph(p);
    panel.thresholds = converted.thresholds;
    panel.direction = converted.direction;
    panel.threshold_style = converted.style;
    out.approximate.extend(converted.approximate);
    panel.overrides = series_overrides(p, right_unit.as_ref(), &panel.unit, out);
    match path(p, &["xaxis", "mode"]).and_then(Value::as_str) {
        Some("series") => {
            panel.kind = PanelKind::Bar;
            let value = path(p, &["xaxis", "values"])
                .and_then(Value::as_array)
                .and_then(|v| v.first())
                .and_then(Value::as_str)
                .unwrap_or("current");
            panel.reduce = match value {
                "avg" => Reduce::Mean,
                "max" => Reduce::Max,
                "min" => Reduce::Min,
                "total" => Reduce::Sum,
                _ => Reduce::Last,
            };
            panel.fill_opacity = None;
            panel.stack = false;
        }
        Some("histogram") => {
            out.approximate
                .push("a histogram of values drawn as a time series".to_owned());
        }
        _ => {}
    }
    let instant = panel.kind == PanelKind::Bar;
    let converted = targets::convert(p, ctx, instant);
    out.dropped_parts.extend(converted.dropped);
    set_queries(panel, converted.queries, false);
    true
}

/// A legacy alias: `name`, or `/regex/`.
fn alias_override(alias: &str) -> SeriesOverride {
    if alias.len() > 1 && alias.starts_with('/') && alias[1..].contains('/') {
        SeriesOverride {
            regex: Some(crate::json_regex(alias)),
            ..SeriesOverride::default()
        }
    } else {
        SeriesOverride {
            name: Some(alias.to_owned()),
            ..SeriesOverride::default()
        }
    }
}

fn series_overrides(
    p: &Value,
    right_unit: Option<&Unit>,
    left_unit: &Unit,
    out: &mut Outcome,
) -> Vec<SeriesOverride> {
    let mut result: Vec<SeriesOverride> = Vec::new();
    let mut lost = BTreeSet::new();
    for item in array(p, "seriesOverrides") {
        let Some(alias) = text(item, "alias") else {
            continue;
        };
        let mut o = alias_override(&alias);
        let mut changed = false;
        if let Some(obj) = item.as_object() {
            for (key, value) in obj {
                match key.as_str() {
                    "alias" | "$$hashKey" => {}
                    "color" => {
                        o.color = value.as_str().map(str::to_owned);
                        changed |= o.color.is_some();
                    }
                    "transform" => {
                        o.negative_y = value.as_str() == Some("negative-Y");
                        changed |= o.negative_y;
                    }
                    "yaxis" => {
                        if as_number(value) == Some(2.0)
                            && let Some(unit) = right_unit.filter(|u| *u != left_unit)
                        {
                            o.unit = Some(unit.clone());
                            changed = true;
                            lost.insert("right axis (drawn on the left with its unit)".to_owned());
                        }
                    }
                    "hiddenSeries" if value.as_bool() == Some(true) => {
                        o.hidden = true;
                        changed = true;
                    }
                    "legend" | "hideTooltip" | "zindex" | "linewidth" | "dashes" | "dashLength"
                    | "spaceLength" => {}
                    other => {
                        lost.insert(other.to_owned());
                    }
                }
            }
        }
        if changed {
            result.push(o);
        }
    }
    if let Some(colours) = p.get("aliasColors").and_then(Value::as_object) {
        for (name, colour) in colours {
            if let Some(colour) = colour.as_str()
                && !result
                    .iter()
                    .any(|o| o.name.as_deref() == Some(name.as_str()))
            {
                result.push(SeriesOverride {
                    name: Some(name.clone()),
                    color: Some(colour.to_owned()),
                    ..SeriesOverride::default()
                });
            }
        }
    }
    if !lost.is_empty() {
        out.approximate.push(format!(
            "series settings not carried over: {}",
            lost.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    result
}
