//! `state-timeline`, `status-history` and the discrete/statusmap plugins: a state grid
//! whose states come from the value mappings; without numeric mappings, a time series.

use super::{Outcome, set_queries};
use crate::fieldconfig::{defaults, mappings, singlestat_mappings, unit};
use crate::json::array;
use crate::targets::{self, Ctx};
use crate::thresholds::level_of_colour;
use serde_json::Value;
use vantage_api::dashboard::{Level, Panel, PanelKind, State};

/// Fills `panel`; `true`: it runs queries.
pub fn convert(p: &Value, kind: &str, ctx: &Ctx<'_>, panel: &mut Panel, out: &mut Outcome) -> bool {
    let d = defaults(p);
    let found = if kind.starts_with("natel") || kind.starts_with("flant") {
        out.approximate
            .push(format!("the {kind} plugin drawn as a state grid"));
        singlestat_mappings(p, &mut out.approximate)
    } else {
        mappings(array(d, "mappings"), &mut out.approximate)
    };
    panel.unit = unit(crate::json::text(d, "unit"), &mut out.approximate);
    let mut states: Vec<State> = found
        .iter()
        .filter_map(|m| {
            let value = m.value.or(m.from)?;
            Some(State {
                value,
                name: m.text.clone(),
                level: m.color.as_deref().map_or(Level::Ok, level_of_colour),
            })
        })
        .collect();
    if found.iter().any(|m| m.value.is_none() && m.from.is_some()) {
        out.approximate
            .push("range mappings named by their start value".to_owned());
    }
    states.sort_by(|a, b| a.value.total_cmp(&b.value));
    states.dedup_by(|a, b| a.value == b.value);
    if states.is_empty() {
        panel.kind = PanelKind::Timeseries;
        out.approximate
            .push("no value mappings name the states; drawn as a time series".to_owned());
    } else {
        panel.kind = PanelKind::StateGrid;
        panel.states = states;
    }
    let converted = targets::convert(p, ctx, false);
    out.dropped_parts.extend(converted.dropped);
    set_queries(panel, converted.queries, false);
    true
}
