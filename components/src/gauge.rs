//! A gauge: the value as an arc between `min` and `max` in SVG, coloured by the level
//! it reaches (or a value mapping's colour), with the thresholds as a thin outer band.

use crate::stat_value::level_of;
use crate::value_text::value_text;
use leptos::prelude::*;
use vantage_api::dashboard::{Direction, Level, Threshold, ValueMapping};
use vantage_api::unit::Unit;

/// Where the arc starts and how far it sweeps, in degrees clockwise from 3 o'clock.
const START: f64 = 150.0;
const SWEEP: f64 = 240.0;
const CENTRE: (f64, f64) = (100.0, 100.0);

/// The gauge's scale: `min`/`max` when given, else from zero (or the value, when
/// negative) up to the value or the highest threshold, whichever is larger; a unit of
/// percent goes to 100 (1 for a ratio).
pub fn bounds(
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    thresholds: &[Threshold],
    unit: &Unit,
) -> (f64, f64) {
    let v = value.filter(|v| v.is_finite()).unwrap_or(0.0);
    let lo = min.unwrap_or_else(|| v.min(0.0));
    let hi = max.unwrap_or_else(|| match unit {
        Unit::Percent => 100.0_f64.max(v),
        Unit::PercentUnit => 1.0_f64.max(v),
        _ => thresholds.iter().map(|t| t.value).fold(v, f64::max),
    });
    if hi > lo { (lo, hi) } else { (lo, lo + 1.0) }
}

fn point(angle: f64, radius: f64) -> (f64, f64) {
    let rad = angle.to_radians();
    (CENTRE.0 + radius * rad.cos(), CENTRE.1 + radius * rad.sin())
}

/// An SVG arc path from fraction `a` to `b` of the sweep.
fn arc(a: f64, b: f64, radius: f64) -> String {
    let (a, b) = (a.clamp(0.0, 1.0), b.clamp(0.0, 1.0));
    let (from, to) = (START + SWEEP * a, START + SWEEP * b.max(a + 0.0005));
    let (x0, y0) = point(from, radius);
    let (x1, y1) = point(to, radius);
    let large = i32::from(to - from > 180.0);
    format!("M {x0:.2} {y0:.2} A {radius} {radius} 0 {large} 1 {x1:.2} {y1:.2}")
}

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Ok => "var(--ok)",
        Level::Warning => "var(--warning)",
        Level::Critical => "var(--critical)",
    }
}

/// One value on a dial.
#[component]
pub fn Gauge(
    /// The value; `None` shows a dash.
    #[prop(into)]
    value: Signal<Option<f64>>,
    /// Start of the scale; from the data when absent.
    #[prop(optional)]
    min: Option<f64>,
    /// End of the scale; from the data when absent.
    #[prop(optional)]
    max: Option<f64>,
    /// Absolute thresholds.
    #[prop(optional)]
    thresholds: Vec<Threshold>,
    #[prop(optional)] direction: Direction,
    #[prop(optional)] unit: Unit,
    #[prop(default = None)] decimals: Option<u8>,
    /// Texts for values.
    #[prop(optional)]
    mappings: Vec<ValueMapping>,
    /// The accessible name.
    #[prop(into)]
    label: String,
    /// Height in CSS pixels.
    #[prop(default = 180)]
    height: u32,
) -> impl IntoView {
    let thresholds = StoredValue::new(thresholds);
    let drawing = move || {
        let v = value.get();
        let (lo, hi) = thresholds.with_value(|t| bounds(v, min, max, t, &unit));
        let fraction = |x: f64| (x - lo) / (hi - lo);
        let (text, mapped) = value_text(v, &unit, decimals, &mappings);
        let level = v.map(|x| thresholds.with_value(|t| level_of(x, t, direction)));
        let colour =
            mapped.unwrap_or_else(|| level.map_or("var(--border)", level_colour).to_owned());
        // The band: from each threshold to the next, in the colour of the level above it.
        let mut sorted = thresholds.get_value();
        sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
        let mut edges = vec![(0.0, level_of(lo, &sorted, direction))];
        edges.extend(
            sorted
                .iter()
                .map(|t| (fraction(t.value), level_of(t.value, &sorted, direction))),
        );
        let band: Vec<(String, &'static str)> = edges
            .iter()
            .enumerate()
            .filter(|(_, (at, _))| (0.0..1.0).contains(at))
            .map(|(i, (at, lvl))| {
                let next = edges.get(i + 1).map_or(1.0, |e| e.0);
                (arc(*at, next, 92.0), level_colour(*lvl))
            })
            .collect();
        let filled = v.map(|x| arc(0.0, fraction(x), 78.0));
        let scale = |x: f64| unit.format_decimals(x, decimals);
        let (min_at, max_at) = (point(START, 78.0), point(START + SWEEP, 78.0));
        view! {
            <path class="gauge__track" d=arc(0.0, 1.0, 78.0)></path>
            {(!sorted.is_empty()).then(|| band.into_iter().map(|(d, c)| view! {
                <path class="gauge__band" d=d style=format!("stroke:{c}")></path>
            }).collect_view())}
            {filled.map(|d| view! { <path class="gauge__value" d=d style=format!("stroke:{colour}")></path> })}
            <text class="gauge__text" x="100" y="108" text-anchor="middle" style=format!("fill:{colour}")>{text}</text>
            <text class="gauge__scale" x=format!("{:.1}", min_at.0) y="158" text-anchor="middle">{scale(lo)}</text>
            <text class="gauge__scale" x=format!("{:.1}", max_at.0) y="158" text-anchor="middle">{scale(hi)}</text>
        }
    };
    view! {
        <div class="gauge" style=format!("height:{height}px")>
            <svg viewBox="0 0 200 165" role="img" aria-label=label preserveAspectRatio="xMidYMid meet">{drawing}</svg>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(value: f64) -> Threshold {
        Threshold {
            value,
            level: Level::Warning,
            label: None,
        }
    }

    #[test]
    fn bounds_from_settings_or_data() {
        assert_eq!(
            bounds(Some(5.0), Some(0.0), Some(10.0), &[], &Unit::Short),
            (0.0, 10.0)
        );
        assert_eq!(
            bounds(Some(42.0), None, None, &[], &Unit::Percent),
            (0.0, 100.0)
        );
        assert_eq!(
            bounds(Some(0.4), None, None, &[], &Unit::PercentUnit),
            (0.0, 1.0)
        );
        assert_eq!(
            bounds(Some(5.0), None, None, &[t(80.0)], &Unit::Short),
            (0.0, 80.0)
        );
        assert_eq!(bounds(None, None, None, &[], &Unit::Short), (0.0, 1.0));
    }

    #[test]
    fn arcs_sweep_clockwise() {
        let half = arc(0.0, 0.5, 78.0);
        assert!(half.starts_with("M 32.45 139.00 A 78 78 0 0 1"), "{half}");
        assert!(arc(0.0, 1.0, 78.0).contains(" 0 1 1 "));
    }
}
