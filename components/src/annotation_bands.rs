//! Shaded time intervals over a chart's plotting area, such as the firing intervals of
//! alerts: one translucent band per interval, named in the chart's tooltip.

use leptos::prelude::*;
use std::sync::Arc;

/// One interval, in unix seconds, and what it is (an alert's name).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub start: f64,
    pub end: f64,
    pub label: String,
}

/// The labels of the bands covering instant `t`, each once, in order.
pub fn labels_at(bands: &[Band], t: f64) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for band in bands.iter().filter(|b| b.start <= t && t <= b.end) {
        if !out.contains(&band.label) {
            out.push(band.label.clone());
        }
    }
    out
}

/// The part of `band` inside `range`, as `(left, width)` in pixels of a plot that runs
/// from `left` to `right`; `None` when it is outside.
pub fn band_pixels(band: &Band, range: (f64, f64), left: f64, right: f64) -> Option<(f64, f64)> {
    let (t0, t1) = range;
    if t1 <= t0 || band.end < t0 || band.start > t1 {
        return None;
    }
    let x = |t: f64| left + (t.clamp(t0, t1) - t0) / (t1 - t0) * (right - left);
    let (a, b) = (x(band.start), x(band.end));
    // An interval shorter than a pixel still shows.
    Some((a, (b - a).max(2.0)))
}

/// The bands over a plot whose area is `plot` (left, top, right, bottom in CSS pixels)
/// and whose x axis spans `range`. They let the mouse through to the chart.
#[component]
pub fn AnnotationBands(
    /// The intervals to shade.
    #[prop(into)]
    bands: Signal<Arc<Vec<Band>>>,
    /// The chart's x range in unix seconds.
    #[prop(into)]
    range: Signal<(f64, f64)>,
    /// The plotting area in CSS pixels: left, top, right, bottom.
    #[prop(into)]
    plot: Signal<(f64, f64, f64, f64)>,
) -> impl IntoView {
    move || {
        let (left, top, right, bottom) = plot.get();
        let range = range.get();
        bands
            .get()
            .iter()
            .filter_map(|band| {
                let (x, width) = band_pixels(band, range, left, right)?;
                Some(view! {
                    <div
                        class="annotation-band"
                        data-alert=band.label.clone()
                        style=format!("left:{x}px;width:{width}px;top:{top}px;height:{}px", bottom - top)
                    ></div>
                })
            })
            .collect_view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(start: f64, end: f64, label: &str) -> Band {
        Band {
            start,
            end,
            label: label.to_owned(),
        }
    }

    #[test]
    fn places_bands_and_names_them() {
        let b = band(150.0, 250.0, "HighErrorRate");
        assert_eq!(
            band_pixels(&b, (100.0, 300.0), 50.0, 250.0),
            Some((100.0, 100.0))
        );
        assert_eq!(
            band_pixels(&band(0.0, 400.0, "a"), (100.0, 300.0), 50.0, 250.0),
            Some((50.0, 200.0)),
            "clipped to the range"
        );
        assert_eq!(
            band_pixels(&band(0.0, 50.0, "a"), (100.0, 300.0), 50.0, 250.0),
            None
        );
        assert_eq!(
            band_pixels(&band(200.0, 200.0, "a"), (100.0, 300.0), 50.0, 250.0),
            Some((150.0, 2.0))
        );
        let bands = [
            b,
            band(200.0, 260.0, "DiskSpaceLow"),
            band(220.0, 230.0, "HighErrorRate"),
        ];
        assert_eq!(labels_at(&bands, 225.0), ["HighErrorRate", "DiskSpaceLow"]);
        assert!(labels_at(&bands, 10.0).is_empty());
    }
}
