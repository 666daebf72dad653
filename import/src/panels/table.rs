//! `table` and the legacy `table-old`: instant (or range) queries in `format: table`.

use super::{Outcome, set_queries};
use crate::fieldconfig::{decimals, defaults, mappings, unit};
use crate::json::{array, text};
use crate::targets::{self, Ctx};
use crate::thresholds;
use serde_json::Value;
use vantage_api::dashboard::{Panel, PanelKind};

/// Fills `panel`; `true`: it runs queries.
pub fn convert(p: &Value, kind: &str, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    panel.kind = PanelKind::Table;
    if kind == "table-old" || p.get("styles").is_some() {
        // The number column's style gives the unit; other styles are lost.
        let styles = array(p, "styles");
        let number_style = styles.iter().find(|s| {
            text(s, "type").as_deref() == Some("number")
                && text(s, "pattern").is_some_and(|pat| pat.starts_with("Value") || pat == "/.*/")
        });
        if let Some(style) = number_style {
            panel.unit = unit(text(style, "unit"), &mut out.approximate);
            panel.decimals = crate::fieldconfig::decimals(style);
        }
        if styles.len() > 1 || number_style.is_none() && !styles.is_empty() {
            out.approximate
                .push("column styles (names, units, hidden columns) not carried over".to_owned());
        }
    } else {
        let d = defaults(p);
        panel.unit = unit(text(d, "unit"), &mut out.approximate);
        panel.decimals = decimals(d);
        panel.mappings = mappings(array(d, "mappings"), &mut out.approximate);
        let converted = thresholds::from_field_config(d.get("thresholds").unwrap_or(&Value::Null));
        if crate::json::path(d, &["custom", "displayMode"])
            .or_else(|| crate::json::path(d, &["custom", "cellOptions", "type"]))
            .and_then(Value::as_str)
            .is_some_and(|m| m.contains("color") || m.contains("gauge"))
        {
            panel.thresholds = converted.thresholds;
            panel.direction = converted.direction;
            panel.threshold_mode = converted.mode;
        }
        if crate::json::path(p, &["fieldConfig", "overrides"])
            .and_then(Value::as_array)
            .is_some_and(|o| !o.is_empty())
        {
            out.approximate
                .push("column overrides (names, units, widths) not carried over".to_owned());
        }
    }
    let converted = targets::convert(p, ctx, true);
    out.dropped_parts.extend(converted.dropped);
    set_queries(panel, converted.queries, false);
    true
}
