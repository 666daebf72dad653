//! Chart colours read from the design tokens in `styles/` (CSS custom properties), so
//! canvas drawings follow the light or dark theme like the rest of the page.

use crate::palette::{FALLBACK, SERIES_COLOURS};
use plotters::style::RGBColor;

/// The colours a chart draws with.
#[derive(Debug, Clone)]
pub struct ChartTheme {
    pub background: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    pub text: RGBColor,
    pub ok: RGBColor,
    pub warning: RGBColor,
    pub critical: RGBColor,
    pub series: [RGBColor; SERIES_COLOURS],
}

impl Default for ChartTheme {
    fn default() -> Self {
        ChartTheme {
            background: RGBColor(255, 255, 255),
            grid: RGBColor(226, 232, 240),
            axis: RGBColor(148, 163, 184),
            text: RGBColor(71, 85, 105),
            ok: RGBColor(47, 133, 90),
            warning: RGBColor(183, 121, 31),
            critical: RGBColor(197, 48, 48),
            series: FALLBACK.map(|(r, g, b)| RGBColor(r, g, b)),
        }
    }
}

impl ChartTheme {
    /// Reads the tokens as computed on `element` (so a themed subtree works too).
    pub fn from_element(element: &web_sys::Element) -> ChartTheme {
        let mut theme = ChartTheme::default();
        let Some(style) =
            web_sys::window().and_then(|w| w.get_computed_style(element).ok().flatten())
        else {
            return theme;
        };
        let read = |name: &str| {
            style
                .get_property_value(name)
                .ok()
                .and_then(|v| parse_colour(&v))
        };
        if let Some(c) = read("--chart-bg") {
            theme.background = c;
        }
        if let Some(c) = read("--chart-grid") {
            theme.grid = c;
        }
        if let Some(c) = read("--chart-axis") {
            theme.axis = c;
        }
        if let Some(c) = read("--chart-text") {
            theme.text = c;
        }
        if let Some(c) = read("--ok") {
            theme.ok = c;
        }
        if let Some(c) = read("--warning") {
            theme.warning = c;
        }
        if let Some(c) = read("--critical") {
            theme.critical = c;
        }
        for (i, slot) in theme.series.iter_mut().enumerate() {
            if let Some(c) = read(&format!("--series-{i}")) {
                *slot = c;
            }
        }
        theme
    }
}

impl ChartTheme {
    /// The colour of a threshold or state level.
    pub fn level(&self, level: vantage_api::dashboard::Level) -> RGBColor {
        match level {
            vantage_api::dashboard::Level::Ok => self.ok,
            vantage_api::dashboard::Level::Warning => self.warning,
            vantage_api::dashboard::Level::Critical => self.critical,
        }
    }
}

/// Parses `#rrggbb` or `#rgb` as the tokens are written.
pub fn parse_colour(text: &str) -> Option<RGBColor> {
    let hex = text.trim().strip_prefix('#')?;
    let channel = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        6 => Some(RGBColor(
            channel(&hex[0..2])?,
            channel(&hex[2..4])?,
            channel(&hex[4..6])?,
        )),
        3 => {
            let d = |i: usize| channel(&hex[i..=i].repeat(2));
            Some(RGBColor(d(0)?, d(1)?, d(2)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_tokens() {
        assert_eq!(parse_colour(" #1a2b3c"), Some(RGBColor(0x1a, 0x2b, 0x3c)));
        assert_eq!(parse_colour("#fff"), Some(RGBColor(255, 255, 255)));
        assert_eq!(parse_colour("red"), None);
    }
}

/// Provided by the app as context and bumped when the theme changes, so that canvas
/// drawings (which do not follow CSS by themselves) redraw with the new tokens.
#[derive(Debug, Clone, Copy)]
pub struct ThemeEpoch(pub leptos::prelude::RwSignal<u32>);
