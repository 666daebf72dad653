//! One big number with its unit, coloured by thresholds.

use crate::value_text::value_text;
use leptos::prelude::*;
use vantage_api::dashboard::{Direction, Level, Threshold, ValueMapping};
use vantage_api::unit::Unit;

/// The level a value reaches: the worst threshold it crosses in the bad direction.
pub fn level_of(value: f64, thresholds: &[Threshold], direction: Direction) -> Level {
    let crossed = thresholds.iter().filter(|t| match direction {
        Direction::AboveIsBad => value >= t.value,
        Direction::BelowIsBad => value < t.value,
    });
    crossed
        .map(|t| t.level)
        .max_by_key(|l| *l as u8)
        .unwrap_or(Level::Ok)
}

/// A single value, e.g. total cost. `None` shows a dash (no data).
#[component]
pub fn StatValue(
    /// The value to show.
    #[prop(into)]
    value: Signal<Option<f64>>,
    /// Unit of the value.
    #[prop(optional)]
    unit: Unit,
    /// Thresholds that colour the value.
    #[prop(optional)]
    thresholds: Vec<Threshold>,
    /// Which side of the thresholds is bad.
    #[prop(optional)]
    direction: Direction,
    /// Decimals shown; from the magnitude when absent.
    #[prop(default = None)]
    decimals: Option<u8>,
    /// Texts (and colours) for values.
    #[prop(optional)]
    mappings: Vec<ValueMapping>,
) -> impl IntoView {
    let mappings = StoredValue::new(mappings);
    let shown =
        Memo::new(move |_| mappings.with_value(|m| value_text(value.get(), &unit, decimals, m)));
    let level = Memo::new(move |_| match value.get() {
        Some(v) => match level_of(v, &thresholds, direction) {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Critical => "critical",
        },
        None => "none",
    });
    view! {
        <div class="stat-value" data-level=level
            style=move || shown.with(|(_, colour)| colour.as_ref().map(|c| format!("color:{c}")))>
            {move || shown.with(|(text, _)| text.clone())}
            // The colour says the level; so does the text, for those who do not see it.
            {move || matches!(level.get(), "warning" | "critical").then(|| view! {
                <span class="visually-hidden">{format!(" ({})", level.get())}</span>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(value: f64, level: Level) -> Threshold {
        Threshold {
            value,
            level,
            label: None,
        }
    }

    #[test]
    fn worst_crossed_threshold_wins() {
        let ts = [t(80.0, Level::Warning), t(95.0, Level::Critical)];
        assert_eq!(level_of(50.0, &ts, Direction::AboveIsBad), Level::Ok);
        assert_eq!(level_of(90.0, &ts, Direction::AboveIsBad), Level::Warning);
        assert_eq!(level_of(99.0, &ts, Direction::AboveIsBad), Level::Critical);
        let success = [t(95.0, Level::Critical)];
        assert_eq!(level_of(97.0, &success, Direction::BelowIsBad), Level::Ok);
        assert_eq!(
            level_of(90.0, &success, Direction::BelowIsBad),
            Level::Critical
        );
    }
}
