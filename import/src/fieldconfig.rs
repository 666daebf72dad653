//! Grafana's `fieldConfig` (7.0+): unit, decimals, min/max, thresholds, value mappings and
//! per-series overrides; also the legacy value maps.

use crate::json::{array, as_number, flag, number, path, text};
use crate::units::grafana_unit;
use serde_json::Value;
use std::collections::BTreeSet;
use vantage_api::dashboard::{SeriesOverride, ValueMapping};
use vantage_api::unit::Unit;

/// `fieldConfig.defaults`, or nothing.
pub fn defaults(panel: &Value) -> &Value {
    path(panel, &["fieldConfig", "defaults"]).unwrap_or(&Value::Null)
}

/// A unit id as a unit, noting when it is shown as a suffix.
pub fn unit(id: Option<String>, approx: &mut Vec<String>) -> Unit {
    let Some(id) = id else {
        return Unit::Short;
    };
    let (unit, exact) = grafana_unit(&id);
    if !exact {
        approx.push(format!("unit {id:?} shown as {}", unit.name()));
    }
    unit
}

/// Decimals, if set and sane.
pub fn decimals(value: &Value) -> Option<u8> {
    number(value, "decimals")
        .filter(|d| *d >= 0.0)
        .map(|d| d.min(20.0) as u8)
}

/// A colour setting (`{mode: "fixed", fixedColor}` or a plain string).
fn colour(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(_) => text(value, "fixedColor"),
        _ => None,
    }
}

fn mapping_result(result: &Value) -> (Option<String>, Option<String>) {
    (text(result, "text"), text(result, "color"))
}

/// Value mappings, modern (`type: value|range|special`) and legacy (`type: 1|2`).
pub fn mappings(items: &[Value], approx: &mut Vec<String>) -> Vec<ValueMapping> {
    let mut out = Vec::new();
    let mut skipped = BTreeSet::new();
    for item in items {
        let options = item.get("options").unwrap_or(&Value::Null);
        match item.get("type") {
            Some(Value::String(kind)) if kind == "value" => {
                if let Some(map) = options.as_object() {
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_by_key(|(_, r)| number(r, "index").map(|i| i as i64));
                    for (key, result) in entries {
                        let (shown, color) = mapping_result(result);
                        match key.trim().parse::<f64>() {
                            Ok(value) if value.is_finite() => out.push(ValueMapping {
                                value: Some(value),
                                text: shown.unwrap_or_else(|| key.clone()),
                                color,
                                ..ValueMapping::default()
                            }),
                            _ => {
                                skipped.insert(format!("text value {key:?}"));
                            }
                        }
                    }
                }
            }
            Some(Value::String(kind)) if kind == "range" => {
                let (shown, color) = mapping_result(options.get("result").unwrap_or(&Value::Null));
                let from = number(options, "from");
                let to = number(options, "to");
                if from.is_some() || to.is_some() {
                    out.push(ValueMapping {
                        from,
                        to,
                        text: shown.unwrap_or_default(),
                        color,
                        ..ValueMapping::default()
                    });
                }
            }
            Some(Value::String(kind)) if kind == "special" => {
                let (shown, color) = mapping_result(options.get("result").unwrap_or(&Value::Null));
                match text(options, "match").as_deref() {
                    Some("null" | "nan" | "null+nan") => out.push(ValueMapping {
                        null: true,
                        text: shown.unwrap_or_default(),
                        color,
                        ..ValueMapping::default()
                    }),
                    other => {
                        skipped.insert(format!("special {}", other.unwrap_or("?")));
                    }
                }
            }
            Some(Value::String(kind)) => {
                skipped.insert(format!("{kind} mapping"));
            }
            legacy => {
                // Grafana 7: type 1 (value) or 2 (range), fields at the top.
                let kind = legacy.and_then(as_number).map(|k| k as i64).unwrap_or(1);
                let shown = text(item, "text").unwrap_or_default();
                if kind == 2 {
                    let (from, to) = (number(item, "from"), number(item, "to"));
                    if from.is_some() || to.is_some() {
                        out.push(ValueMapping {
                            from,
                            to,
                            text: shown,
                            ..ValueMapping::default()
                        });
                    }
                } else {
                    match text(item, "value") {
                        Some(v) if v == "null" => out.push(ValueMapping {
                            null: true,
                            text: shown,
                            ..ValueMapping::default()
                        }),
                        Some(v) => match v.trim().parse::<f64>() {
                            Ok(value) if value.is_finite() => out.push(ValueMapping {
                                value: Some(value),
                                text: shown,
                                ..ValueMapping::default()
                            }),
                            _ => {
                                skipped.insert(format!("text value {v:?}"));
                            }
                        },
                        None => {}
                    }
                }
            }
        }
    }
    out.retain(|m| !m.text.is_empty() || m.color.is_some());
    for m in &mut out {
        if m.text.is_empty() {
            m.text = m.value.map(|v| v.to_string()).unwrap_or_default();
        }
    }
    out.retain(|m| !m.text.is_empty());
    if !skipped.is_empty() {
        approx.push(format!(
            "value mappings not carried over: {}",
            skipped.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

/// Legacy singlestat `valueMaps` and `rangeMaps`.
pub fn singlestat_mappings(panel: &Value, approx: &mut Vec<String>) -> Vec<ValueMapping> {
    let mut items: Vec<Value> = array(panel, "valueMaps").to_vec();
    for range in array(panel, "rangeMaps") {
        let mut r = range.clone();
        if let Some(obj) = r.as_object_mut() {
            obj.insert("type".to_owned(), Value::from(2));
        }
        items.push(r);
    }
    for item in &mut items {
        if let Some(obj) = item.as_object_mut()
            && !obj.contains_key("type")
        {
            obj.insert("type".to_owned(), Value::from(1));
        }
    }
    mappings(&items, approx)
}

/// `fieldConfig.overrides` as series overrides; properties Vantage has no place for
/// are named in `approx`.
pub fn overrides(panel: &Value, approx: &mut Vec<String>) -> Vec<SeriesOverride> {
    let mut out = Vec::new();
    let mut lost = BTreeSet::new();
    let items = path(panel, &["fieldConfig", "overrides"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for item in items {
        let matcher = item.get("matcher").unwrap_or(&Value::Null);
        let id = text(matcher, "id").unwrap_or_default();
        let option = matcher.get("options");
        let mut targets: Vec<SeriesOverride> = match id.as_str() {
            "byName" | "byDisplayName" => option
                .and_then(Value::as_str)
                .map(|n| SeriesOverride {
                    name: Some(n.to_owned()),
                    ..SeriesOverride::default()
                })
                .into_iter()
                .collect(),
            "byRegexp" => option
                .and_then(Value::as_str)
                .map(|r| SeriesOverride {
                    regex: Some(crate::json_regex(r)),
                    ..SeriesOverride::default()
                })
                .into_iter()
                .collect(),
            "byFrameRefID" => option
                .and_then(Value::as_str)
                .map(|r| SeriesOverride {
                    ref_id: Some(r.to_owned()),
                    ..SeriesOverride::default()
                })
                .into_iter()
                .collect(),
            "byNames" => option
                .map(|o| array(o, "names"))
                .unwrap_or(&[])
                .iter()
                .filter_map(Value::as_str)
                .map(|n| SeriesOverride {
                    name: Some(n.to_owned()),
                    ..SeriesOverride::default()
                })
                .collect(),
            other => {
                lost.insert(format!("overrides matching {other}"));
                Vec::new()
            }
        };
        if targets.is_empty() {
            continue;
        }
        let mut changed = false;
        for property in array(item, "properties") {
            let pid = text(property, "id").unwrap_or_default();
            let value = property.get("value").unwrap_or(&Value::Null);
            for t in &mut targets {
                match pid.as_str() {
                    "color" => {
                        t.color = colour(value);
                        changed |= t.color.is_some();
                    }
                    "unit" => {
                        t.unit = value.as_str().map(|u| grafana_unit(u).0);
                        changed |= t.unit.is_some();
                    }
                    "displayName" | "displayNameFromDS" => {
                        t.display_name = value.as_str().map(str::to_owned);
                        changed |= t.display_name.is_some();
                    }
                    "custom.transform" => {
                        t.negative_y = value.as_str() == Some("negative-Y");
                        changed |= t.negative_y;
                    }
                    "custom.hideFrom" => {
                        t.hidden = flag(value, "viz");
                        changed |= t.hidden;
                    }
                    "custom.axisPlacement"
                    | "custom.axisLabel"
                    | "links"
                    | "custom.width"
                    | "custom.align"
                    | "custom.displayMode"
                    | "custom.cellOptions" => {}
                    other => {
                        lost.insert(other.to_owned());
                    }
                }
            }
        }
        if changed {
            out.extend(targets);
        }
    }
    if !lost.is_empty() {
        approx.push(format!(
            "series settings not carried over: {}",
            lost.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    out
}
