//! What every panel of a dashboard shares: the resolved time range, the grid width, the
//! variable selections and the time zone, as signals provided by the page.

use super::view_state::Selections;
use leptos::prelude::*;
use std::sync::Arc;
use vantage_api::dashboard::Panel;
use vantage_api::dashboard::expand::Intervals;
use vantage_api::step::{RangePlan, plan_range, rate_interval};
use vantage_components::annotation_bands::Band;

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
    /// Firing intervals of alerts, shaded on time-series panels (empty when the
    /// dashboard has no `"alerts"` annotation or the viewer turned them off).
    pub alert_bands: Signal<Arc<Vec<Band>>>,
}

impl DashboardEnv {
    /// The panel's width in pixels: its share of the grid, or all of it when focused.
    pub fn panel_width(&self, panel: &Panel) -> u32 {
        let grid = self.grid_width.get().max(320);
        let share = if self.focused.get().as_deref() == Some(panel.id.as_str()) {
            12
        } else {
            u32::from(panel.width)
        };
        (grid * share / 12).saturating_sub(28).max(100)
    }

    /// The query plan and interval macros for a panel.
    pub fn plan(&self, panel: &Panel) -> (RangePlan, Intervals) {
        let (start, end) = self.range_ms.get();
        let plan = plan_range(start, end, self.panel_width(panel), self.scrape_interval);
        let intervals = Intervals {
            interval_s: plan.step,
            rate_interval_s: rate_interval(plan.step, self.scrape_interval),
            range_s: ((end - start) as f64 / 1000.0).max(1.0),
        };
        (plan, intervals)
    }

    /// The chart's x range in unix seconds.
    pub fn chart_range(&self) -> Signal<(f64, f64)> {
        let range = self.range_ms;
        Signal::derive(move || {
            let (start, end) = range.get();
            (start as f64 / 1000.0, end as f64 / 1000.0)
        })
    }
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
    let width = || {
        web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(1200.0)
    };
    let grid_width = RwSignal::new((width() as u32).saturating_sub(48));
    let handle = window_event_listener(leptos::ev::resize, move |_| {
        grid_width.set((width() as u32).saturating_sub(48))
    });
    on_cleanup(move || handle.remove());
    provide_context(DashboardEnv {
        range_ms,
        grid_width,
        selections,
        utc,
        scrape_interval: 5.0,
        on_zoom,
        focused: Signal::derive(|| None),
        server_side: StoredValue::new(None),
        alert_bands: Signal::stored(Arc::new(Vec::new())),
    });
}
