//! Quick time ranges, Grafana-style, from 5 minutes to 30 days.

use leptos::prelude::*;

/// `(from expression, label)` of every quick range.
pub const QUICK_RANGES: [(&str, &str); 12] = [
    ("now-5m", "Last 5 minutes"),
    ("now-15m", "Last 15 minutes"),
    ("now-30m", "Last 30 minutes"),
    ("now-1h", "Last 1 hour"),
    ("now-3h", "Last 3 hours"),
    ("now-6h", "Last 6 hours"),
    ("now-12h", "Last 12 hours"),
    ("now-24h", "Last 24 hours"),
    ("now-2d", "Last 2 days"),
    ("now-7d", "Last 7 days"),
    ("now-14d", "Last 14 days"),
    ("now-30d", "Last 30 days"),
];

/// A select of quick ranges ending now. Shows "Custom" for any other range.
#[component]
pub fn TimeRangePicker(
    /// The current `from` expression (e.g. `now-6h`) when `to` is `now`, else `None`.
    #[prop(into)]
    current: Signal<Option<String>>,
    /// Called with the chosen `from` expression.
    on_change: Callback<String>,
) -> impl IntoView {
    let selected = move || {
        current
            .get()
            .filter(|from| QUICK_RANGES.iter().any(|(f, _)| f == from))
            .unwrap_or_else(|| "custom".to_owned())
    };
    view! {
        <select
            class="time-range-picker"
            aria-label="Time range"
            prop:value=selected
            on:change=move |ev| {
                let value = event_target_value(&ev);
                if value != "custom" {
                    on_change.run(value);
                }
            }
        >
            <option value="custom" disabled=true>"Custom range"</option>
            {QUICK_RANGES
                .iter()
                .map(|(from, label)| view! { <option value=*from>{*label}</option> })
                .collect_view()}
        </select>
    }
}
