//! One big number with its unit, coloured by thresholds.

use leptos::prelude::*;
use vantage_api::unit::Unit;

/// A single value, e.g. total cost. `None` shows a dash (no data).
#[component]
pub fn StatValue(
    /// The value to show.
    #[prop(into)]
    value: Signal<Option<f64>>,
    /// Unit of the value.
    #[prop(optional)]
    unit: Unit,
    /// Ascending thresholds: at or above the first the value turns warning, above the
    /// second critical.
    #[prop(optional)]
    thresholds: Vec<f64>,
) -> impl IntoView {
    let level = move || match value.get() {
        Some(v) if thresholds.get(1).is_some_and(|t| v >= *t) => "critical",
        Some(v) if thresholds.first().is_some_and(|t| v >= *t) => "warning",
        _ => "ok",
    };
    view! {
        <div class="stat-value" data-level=level>
            {move || value.get().map(|v| unit.format(v)).unwrap_or_else(|| "–".to_owned())}
        </div>
    }
}
