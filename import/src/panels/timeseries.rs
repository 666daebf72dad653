//! The `timeseries` panel (Grafana 7.4+): stacking, fill, log scale, min/max,
//! thresholds when drawn, series overrides.

use super::{Outcome, set_queries};
use crate::fieldconfig::{decimals, defaults, mappings, overrides, unit};
use crate::json::{array, number, path, text};
use crate::targets::{self, Ctx};
use crate::thresholds;
use serde_json::Value;
use vantage_api::dashboard::{Panel, PanelKind, ThresholdStyle};

/// Fills `panel` from a timeseries panel; `true`: it runs queries.
pub fn convert(p: &Value, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    panel.kind = PanelKind::Timeseries;
    let d = defaults(p);
    let custom = d.get("custom").unwrap_or(&Value::Null);
    panel.unit = unit(text(d, "unit"), &mut out.approximate);
    panel.decimals = decimals(d);
    panel.min = number(d, "min");
    panel.max = number(d, "max");
    if let (Some(min), Some(max)) = (panel.min, panel.max)
        && min >= max
    {
        panel.max = None;
    }
    match path(custom, &["stacking", "mode"]).and_then(Value::as_str) {
        Some("normal") => panel.stack = true,
        Some("percent") => {
            panel.stack = true;
            out.approximate
                .push("stacked to 100 % in Grafana; stacked as values".to_owned());
        }
        _ => {}
    }
    panel.fill_opacity = number(custom, "fillOpacity")
        .filter(|f| *f > 0.0)
        .map(|f| f.min(100.0) as u8);
    if path(custom, &["scaleDistribution", "type"]).and_then(Value::as_str) == Some("log") {
        let base = path(custom, &["scaleDistribution", "log"])
            .and_then(crate::json::as_number)
            .unwrap_or(2.0) as u32;
        if base == 2 || base == 10 {
            panel.log_base = Some(base);
        } else {
            out.approximate
                .push(format!("log scale of base {base} not kept"));
        }
    }
    match text(custom, "drawStyle").as_deref() {
        Some("bars") => out.approximate.push("bars drawn as lines".to_owned()),
        Some("points") => out.approximate.push("points drawn as lines".to_owned()),
        _ => {}
    }
    let style = path(custom, &["thresholdsStyle", "mode"])
        .and_then(Value::as_str)
        .unwrap_or("off");
    if style != "off" {
        let converted = thresholds::from_field_config(d.get("thresholds").unwrap_or(&Value::Null));
        panel.thresholds = converted.thresholds;
        panel.direction = converted.direction;
        panel.threshold_mode = converted.mode;
        panel.threshold_style = if style.contains("area") {
            ThresholdStyle::Band
        } else {
            ThresholdStyle::Line
        };
        out.approximate.extend(converted.approximate);
    }
    panel.mappings = mappings(array(d, "mappings"), &mut out.approximate);
    panel.overrides = overrides(p, &mut out.approximate);
    let converted = targets::convert(p, ctx, false);
    out.dropped_parts.extend(converted.dropped);
    let keep_refs = panel.overrides.iter().any(|o| o.ref_id.is_some());
    set_queries(panel, converted.queries, keep_refs);
    true
}
