//! How a panel's queries run: its width in pixels from the grid, and each query with
//! variables and macros substituted and its range, step and instant time planned. The
//! console plans with it, and the proxy plans a dashboard's first view the same way so
//! that the requests it announces are the console's own, byte for byte.

use crate::dashboard::expand::{Selection, panel_queries, substitute_with_all_values};
use crate::dashboard::timing::{
    intervals, is_instant, panel_range_ms, query_plan, resolve_duration_ms,
};
use crate::dashboard::{Panel, Query};
use crate::query_url;
use crate::step::{RangePlan, plan_range};
use std::collections::BTreeMap;

/// The grid's side padding in CSS pixels (`styles/layout.css`, `.grid`).
const GRID_PADDING_PX: f64 = 48.0;

/// The grid width a window `viewport_px` wide plans with: what the grid gets of the
/// window, whatever a scroll bar takes (a few pixels barely move a step).
pub fn grid_width_for_viewport(viewport_px: f64) -> u32 {
    (viewport_px - GRID_PADDING_PX).max(320.0) as u32
}

/// A panel's width in pixels: its `share` of the 12 columns of a `grid_px` grid, less
/// its padding.
pub fn panel_width_px(grid_px: u32, share: u32) -> u32 {
    (grid_px.max(320) * share / 12).saturating_sub(28).max(100)
}

/// One query of a panel as it will run.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedQuery {
    /// The PromQL, variables and macros substituted.
    pub expr: String,
    pub legend: Option<String>,
    pub plan: RangePlan,
    pub instant: bool,
}

impl PlannedQuery {
    /// The request that runs it: `/api/v1/query` at the plan's end, or `/api/v1/query_range`.
    pub fn url(&self) -> String {
        if self.instant {
            query_url::instant(&self.expr, self.plan.end)
        } else {
            query_url::range(&self.expr, &self.plan)
        }
    }
}

/// What planning a panel needs besides the panel.
pub struct PlanInputs<'a> {
    /// The dashboard's resolved range.
    pub range_ms: (i64, i64),
    pub width_px: u32,
    pub scrape_interval: f64,
    pub selections: &'a BTreeMap<String, Selection>,
    /// What "All" becomes, for the variables that say (`all_value`).
    pub all_values: &'a BTreeMap<String, String>,
}

/// The panel's own range (`time_from`, `time_shift`) in milliseconds.
pub fn panel_range(
    range_ms: (i64, i64),
    panel: &Panel,
    selections: &BTreeMap<String, Selection>,
) -> (i64, i64) {
    let resolve = |text: &str| resolve_duration_ms(text, selections);
    panel_range_ms(range_ms, panel, &resolve)
}

/// Every query of the panel as it will run.
pub fn plan_panel_queries(panel: &Panel, inputs: &PlanInputs) -> Vec<PlannedQuery> {
    let range = panel_range(inputs.range_ms, panel, inputs.selections);
    let base = plan_range(range.0, range.1, inputs.width_px, inputs.scrape_interval);
    let resolve = |text: &str| resolve_duration_ms(text, inputs.selections);
    panel_queries(panel)
        .into_iter()
        .map(|query: Query| {
            let mut plan = query_plan(range, base.step, panel, &query, &resolve);
            let instant = is_instant(panel, &query);
            if instant {
                // Asked at the range's own end, as Grafana does: the step grid's end can
                // lie up to a step in the future, where a bare selector finds nothing (and
                // a boundary before it, before a young server's first sample).
                plan.end = plan.end.min(range.1 as f64 / 1000.0);
            }
            let macros = intervals(&plan, inputs.scrape_interval);
            PlannedQuery {
                expr: substitute_with_all_values(
                    &query.expr,
                    inputs.selections,
                    macros,
                    inputs.all_values,
                ),
                legend: query.legend.clone(),
                instant,
                plan,
            }
        })
        .collect()
}
