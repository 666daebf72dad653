//! Horizontal bars for a ranking such as the top 10 repositories by cost.

use crate::palette::assign_colours;
use crate::stat_value::level_of;
use leptos::prelude::*;
use vantage_api::dashboard::{Direction, Level, Threshold};
use vantage_api::unit::Unit;

/// Bars sorted by value, longest first, each labelled with its value; a label can be a
/// link (e.g. drilling into that group).
#[component]
pub fn BarList(
    /// `(label, value)` pairs; shown largest first.
    #[prop(into)]
    items: Signal<Vec<(String, f64)>>,
    /// Unit of the values.
    #[prop(optional)]
    unit: Unit,
    /// Accessible name of the list.
    #[prop(into)]
    label: String,
    /// When given, each bar takes the colour of the level its value reaches (as
    /// Grafana's bar gauge does) instead of its series colour.
    #[prop(optional)]
    thresholds: Vec<Threshold>,
    /// Which side of the thresholds is bad.
    #[prop(optional)]
    direction: Direction,
    /// Show only the largest this many.
    #[prop(optional)]
    limit: Option<usize>,
    /// Where a label links to, from the label; plain text when not given.
    #[prop(optional_no_strip)]
    href: Option<Callback<String, String>>,
) -> impl IntoView {
    let rows = move || {
        let mut items = items.get();
        items.sort_by(|a, b| b.1.total_cmp(&a.1));
        if let Some(limit) = limit {
            items.truncate(limit);
        }
        let slots = assign_colours(items.iter().map(|(name, _)| name.as_str()));
        let max = items
            .first()
            .map(|(_, v)| *v)
            .filter(|v| *v > 0.0)
            .unwrap_or(1.0);
        items
            .into_iter()
            .map(|(name, value)| {
                let width = (value / max * 100.0).clamp(0.0, 100.0);
                let colour = if thresholds.is_empty() {
                    format!("var(--series-{})", slots.get(&name).copied().unwrap_or(0))
                } else {
                    match level_of(value, &thresholds, direction) {
                        Level::Ok => "var(--ok)",
                        Level::Warning => "var(--warning)",
                        Level::Critical => "var(--critical)",
                    }
                    .to_owned()
                };
                let text = match href {
                    Some(href) => view! {
                        <a class="bar-list__label" title=name.clone() href=href.run(name.clone())>{name.clone()}</a>
                    }
                    .into_any(),
                    None => view! {
                        <span class="bar-list__label" title=name.clone()>{name.clone()}</span>
                    }
                    .into_any(),
                };
                view! {
                    <li class="bar-list__row">
                        {text}
                        <span class="bar-list__track">
                            <span
                                class="bar-list__bar"
                                style=format!("width:{width:.1}%;background:{colour}")
                            ></span>
                        </span>
                        <span class="bar-list__value">{unit.format(value)}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ol class="bar-list" aria-label=label>{rows}</ol> }
}
