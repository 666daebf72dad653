//! Grafana's coloured threshold steps as Vantage thresholds: a level per colour
//! (green ok, yellow/orange warning, red critical) and the side that is bad.

use crate::json::{as_number, flag, number, text};
use serde_json::Value;
use vantage_api::dashboard::{Direction, Level, Threshold, ThresholdMode, ThresholdStyle};

/// Thresholds as converted, with what could not be kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    pub thresholds: Vec<Threshold>,
    pub direction: Direction,
    pub mode: ThresholdMode,
    pub style: ThresholdStyle,
    /// How the conversion is not exact, if it is not.
    pub approximate: Option<String>,
}

/// The level a Grafana colour means: a named colour, `#rrggbb` or `rgb(a)(...)`.
pub fn level_of_colour(colour: &str) -> Level {
    let c = colour.trim().to_ascii_lowercase();
    if c.contains("red") {
        return Level::Critical;
    }
    if c.contains("orange") || c.contains("yellow") {
        return Level::Warning;
    }
    match hue(&c) {
        Some((h, saturated)) if saturated => {
            if !(20.0..330.0).contains(&h) {
                Level::Critical
            } else if h < 70.0 {
                Level::Warning
            } else {
                Level::Ok
            }
        }
        _ => Level::Ok,
    }
}

/// Hue in degrees, and whether the colour is saturated enough to have one.
fn hue(colour: &str) -> Option<(f64, bool)> {
    let (r, g, b) = if let Some(hex) = colour.strip_prefix('#') {
        let hex = if hex.len() >= 6 { &hex[..6] } else { hex };
        if hex.len() != 6 {
            return None;
        }
        let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        (
            f64::from(part(0)?),
            f64::from(part(2)?),
            f64::from(part(4)?),
        )
    } else {
        let inner = colour.split_once('(')?.1.split(')').next()?;
        let parts: Vec<f64> = inner
            .split(',')
            .take(3)
            .filter_map(|p| p.trim().parse().ok())
            .collect();
        if parts.len() != 3 {
            return None;
        }
        (parts[0], parts[1], parts[2])
    };
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let delta = max - min;
    if delta < 40.0 {
        return Some((0.0, false));
    }
    let h = if max == r {
        60.0 * (((g - b) / delta).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / delta + 2.0)
    } else {
        60.0 * ((r - g) / delta + 4.0)
    };
    Some((h, true))
}

/// Steps `(value, level)` after the base, and the base level, as thresholds.
fn from_steps(base: Level, steps: &[(f64, Level)]) -> Converted {
    let mut out = Converted::default();
    if steps.is_empty() {
        return out;
    }
    let levels: Vec<Level> = std::iter::once(base)
        .chain(steps.iter().map(|(_, l)| *l))
        .collect();
    let rank = |l: &Level| *l as u8;
    let rising = levels.windows(2).all(|w| rank(&w[0]) <= rank(&w[1]));
    let falling = levels.windows(2).all(|w| rank(&w[0]) >= rank(&w[1]));
    if rising || !falling {
        // Worse as values grow: each step's value is where its level starts.
        out.thresholds = steps
            .iter()
            .filter(|(_, level)| *level != Level::Ok)
            .map(|(value, level)| Threshold {
                value: *value,
                level: *level,
                label: None,
            })
            .collect();
        if !rising {
            out.approximate = Some(
                "threshold colours go up and down; drawn as levels rising with the value"
                    .to_owned(),
            );
        }
    } else {
        // Worse as values fall: below a step's value is the level of the step before.
        out.direction = Direction::BelowIsBad;
        out.thresholds = steps
            .iter()
            .zip(&levels)
            .filter(|(_, below)| **below != Level::Ok)
            .map(|((value, _), below)| Threshold {
                value: *value,
                level: *below,
                label: None,
            })
            .collect();
    }
    out
}

/// `fieldConfig.defaults.thresholds`: `{mode, steps: [{color, value}]}`, the first
/// step's `null` value being the base.
pub fn from_field_config(thresholds: &Value) -> Converted {
    let steps = crate::json::array(thresholds, "steps");
    let mut base = Level::Ok;
    let mut rest = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let level = text(step, "color").map_or(Level::Ok, |c| level_of_colour(&c));
        match number(step, "value") {
            Some(value) if i > 0 || !step.get("value").is_some_and(Value::is_null) => {
                rest.push((value, level));
            }
            _ => base = level,
        }
    }
    rest.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = from_steps(base, &rest);
    if text(thresholds, "mode").as_deref() == Some("percentage") {
        out.mode = ThresholdMode::Percentage;
    }
    out
}

/// Legacy singlestat: `thresholds: "80,90"` with `colors: [below, between, above]`,
/// used only when the value or background is coloured, or a gauge shows them.
pub fn from_singlestat(panel: &Value) -> Converted {
    let gauge = panel.get("gauge").is_some_and(|g| flag(g, "show"));
    if !flag(panel, "colorValue") && !flag(panel, "colorBackground") && !gauge {
        return Converted::default();
    }
    let values: Vec<f64> = match panel.get("thresholds") {
        Some(Value::String(s)) => s.split(',').filter_map(|v| v.trim().parse().ok()).collect(),
        Some(Value::Array(items)) => items.iter().filter_map(as_number).collect(),
        _ => Vec::new(),
    };
    let colours: Vec<Level> = crate::json::array(panel, "colors")
        .iter()
        .filter_map(Value::as_str)
        .map(level_of_colour)
        .collect();
    let base = colours.first().copied().unwrap_or(Level::Ok);
    let steps: Vec<(f64, Level)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, colours.get(i + 1).copied().unwrap_or(Level::Critical)))
        .collect();
    from_steps(base, &steps)
}

/// Legacy graph thresholds: `[{value, op: gt|lt, colorMode: ok|warning|critical|custom,
/// fill, line}]`.
pub fn from_graph(panel: &Value) -> Converted {
    let items = crate::json::array(panel, "thresholds");
    let mut out = Converted::default();
    let mut below = 0;
    for item in items {
        let Some(value) = number(item, "value") else {
            continue;
        };
        let level = match text(item, "colorMode").as_deref() {
            Some("ok") => Level::Ok,
            Some("warning") => Level::Warning,
            Some("custom") => text(item, "fillColor")
                .or_else(|| text(item, "lineColor"))
                .map_or(Level::Warning, |c| level_of_colour(&c)),
            _ => Level::Critical,
        };
        if text(item, "op").as_deref() == Some("lt") {
            below += 1;
        }
        if flag(item, "fill") {
            out.style = ThresholdStyle::Band;
        }
        out.thresholds.push(Threshold {
            value,
            level,
            label: None,
        });
    }
    if below > 0 {
        out.direction = Direction::BelowIsBad;
        if below < out.thresholds.len() {
            out.approximate =
                Some("thresholds both above and below; all drawn as below".to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_colours() {
        assert_eq!(level_of_colour("red"), Level::Critical);
        assert_eq!(level_of_colour("dark-orange"), Level::Warning);
        assert_eq!(level_of_colour("#73BF69"), Level::Ok);
        assert_eq!(level_of_colour("#F2495C"), Level::Critical);
        assert_eq!(level_of_colour("rgba(237, 129, 40, 0.89)"), Level::Warning);
        assert_eq!(level_of_colour("rgba(50, 172, 45, 0.97)"), Level::Ok);
        assert_eq!(level_of_colour("blue"), Level::Ok);
        assert_eq!(level_of_colour("text"), Level::Ok);
    }

    #[test]
    fn rising_and_falling_steps() {
        let up = from_field_config(&json!({"mode":"absolute","steps":[
            {"color":"green","value":null},{"color":"#EAB839","value":80},{"color":"red","value":90}]}));
        assert_eq!(up.direction, Direction::AboveIsBad);
        assert_eq!(
            up.thresholds
                .iter()
                .map(|t| (t.value, t.level))
                .collect::<Vec<_>>(),
            [(80.0, Level::Warning), (90.0, Level::Critical)]
        );
        let down = from_field_config(&json!({"mode":"percentage","steps":[
            {"color":"red","value":null},{"color":"orange","value":90},{"color":"green","value":95}]}));
        assert_eq!(down.direction, Direction::BelowIsBad);
        assert_eq!(down.mode, ThresholdMode::Percentage);
        assert_eq!(
            down.thresholds
                .iter()
                .map(|t| (t.value, t.level))
                .collect::<Vec<_>>(),
            [(90.0, Level::Critical), (95.0, Level::Warning)]
        );
    }
}
