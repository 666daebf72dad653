//! What every panel of a dashboard shares: the resolved time range, the grid width, the
//! variable selections, the time zone and the annotation events, as signals provided by
//! the page; and how a panel plans its queries from them.

use super::view_state::Selections;
use leptos::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use vantage_api::dashboard::Panel;
use vantage_api::dashboard::expand::Intervals;
use vantage_api::dashboard::plan::{
    PlanInputs, grid_width_for_viewport, panel_range, panel_width_px, plan_panel_queries,
};
use vantage_api::step::{RangePlan, plan_range, rate_interval};
use vantage_components::annotation_bands::Band;
use vantage_components::annotation_layer::AnnotationMark;

/// Provided as context by the dashboard page (and by an embed).
#[derive(Clone, Copy)]
pub struct DashboardEnv {
    /// `(start_ms, end_ms)`, re-resolved on every refresh.
    pub range_ms: Memo<(i64, i64)>,
    /// Width of the 12-column grid in CSS pixels.
    pub grid_width: RwSignal<u32>,
    /// `None` until every variable's values are known.
    pub selections: Memo<Option<Selections>>,
    pub utc: Signal<bool>,
    pub scrape_interval: f64,
    /// Called with `(from, to)` unix seconds after a drag-zoom.
    pub on_zoom: Callback<(f64, f64)>,
    /// The panel shown alone, if any.
    pub focused: Signal<Option<String>>,
    /// When set (the dashboard's id), panels ask the proxy to expand their queries
    /// (`/api/dashboards/{id}/panels/{panel}/data`) instead of sending PromQL: embeds
    /// work this way, so an embed link can only ever fetch its own panel.
    pub server_side: StoredValue<Option<String>>,
    /// What "All" becomes, for the variables that say (`all_value`).
    pub all_values: StoredValue<BTreeMap<String, String>>,
    /// The dashboard's annotation events, drawn over time-series panels.
    pub annotations: Signal<Arc<Vec<AnnotationMark>>>,
    /// Firing intervals of alerts, shaded on time-series panels (empty when the
    /// dashboard has no `"alerts"` annotation or the viewer turned them off).
    pub alert_bands: Signal<Arc<Vec<Band>>>,
}

pub use vantage_api::dashboard::plan::PlannedQuery;

impl DashboardEnv {
    /// The panel's width in pixels: its share of the grid, or all of it when focused.
    pub fn panel_width(&self, panel: &Panel) -> u32 {
        let share = if self.focused.get().as_deref() == Some(panel.id.as_str()) {
            12
        } else {
            u32::from(panel.width)
        };
        panel_width_px(self.grid_width.get(), share)
    }

    /// The panel's own range (`time_from`, `time_shift`) in milliseconds.
    pub fn panel_range(&self, panel: &Panel, selections: &Selections) -> (i64, i64) {
        panel_range(self.range_ms.get(), panel, selections)
    }

    /// The panel's base plan (its range at its width) and the macros of that plan.
    pub fn plan(&self, panel: &Panel) -> (RangePlan, Intervals) {
        let selections = self.selections.get().unwrap_or_default();
        let (start, end) = self.panel_range(panel, &selections);
        let plan = plan_range(start, end, self.panel_width(panel), self.scrape_interval);
        let intervals = Intervals {
            interval_s: plan.step,
            rate_interval_s: rate_interval(plan.step, self.scrape_interval),
            range_s: ((end - start) as f64 / 1000.0).max(1.0),
        };
        (plan, intervals)
    }

    /// Every query of the panel as it will run with `selections`.
    pub fn planned_queries(&self, panel: &Panel, selections: &Selections) -> Vec<PlannedQuery> {
        let width_px = self.panel_width(panel);
        self.all_values.with_value(|all_values| {
            let inputs = PlanInputs {
                range_ms: self.range_ms.get(),
                width_px,
                scrape_interval: self.scrape_interval,
                selections,
                all_values,
            };
            plan_panel_queries(panel, &inputs)
        })
    }

    /// The x range of one panel (its own range when it sets one), in unix seconds.
    pub fn panel_chart_range(&self, panel: Arc<Panel>) -> Signal<(f64, f64)> {
        let env = *self;
        Signal::derive(move || {
            let selections = env.selections.get().unwrap_or_default();
            let (start, end) = env.panel_range(&panel, &selections);
            (start as f64 / 1000.0, end as f64 / 1000.0)
        })
    }
}

/// The grid width planned from the window's width, following resizes.
pub fn use_viewport_grid_width() -> RwSignal<u32> {
    let width = || {
        let viewport = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(1248.0);
        grid_width_for_viewport(viewport)
    };
    let grid_width = RwSignal::new(width());
    let handle = window_event_listener(leptos::ev::resize, move |_| grid_width.set(width()));
    on_cleanup(move || handle.remove());
    grid_width
}

/// An environment for panels outside a dashboard (explore, circuit breakers): no
/// variables, the window's width as the grid.
pub fn provide_standalone_env(
    range_ms: Memo<(i64, i64)>,
    utc: Signal<bool>,
    on_zoom: Callback<(f64, f64)>,
) {
    provide_env_with(
        range_ms,
        utc,
        on_zoom,
        Memo::new(|_| Some(Selections::new())),
    );
}

/// As [`provide_standalone_env`], with variable selections (Explore editing a
/// dashboard's query).
pub fn provide_env_with(
    range_ms: Memo<(i64, i64)>,
    utc: Signal<bool>,
    on_zoom: Callback<(f64, f64)>,
    selections: Memo<Option<Selections>>,
) {
    let grid_width = use_viewport_grid_width();
    provide_context(DashboardEnv {
        range_ms,
        grid_width,
        selections,
        utc,
        scrape_interval: 5.0,
        on_zoom,
        focused: Signal::derive(|| None),
        server_side: StoredValue::new(None),
        all_values: StoredValue::new(BTreeMap::new()),
        annotations: Signal::stored(Arc::new(Vec::new())),
        alert_bands: Signal::stored(Arc::new(Vec::new())),
    });
}
