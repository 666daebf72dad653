//! Events drawn over a time chart: a region as a shaded band, a moment as a line, each
//! with a marker under the plot that names it on hover. A layer of its own, positioned
//! over any chart's plotting area, so that other kinds of events (alerts) can be drawn
//! the same way.

use crate::time_axis::format_instant;
use leptos::prelude::*;
use std::sync::Arc;

/// One event to draw: `start == end` for a moment; times in unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationMark {
    pub start: f64,
    pub end: f64,
    pub title: String,
    pub text: String,
    /// A CSS colour (already checked, see [`crate::colour::css_colour`]).
    pub colour: String,
}

/// The plotting area in CSS pixels: left, top, right, bottom.
pub type Area = (f64, f64, f64, f64);

/// `marks` over the plotting `area` of a chart showing `range`.
#[component]
pub fn AnnotationLayer(
    #[prop(into)] marks: Signal<Arc<Vec<AnnotationMark>>>,
    /// The chart's x range in unix seconds.
    #[prop(into)]
    range: Signal<(f64, f64)>,
    #[prop(into)] area: Signal<Area>,
    #[prop(optional, into)] utc: Signal<bool>,
) -> impl IntoView {
    let shown = move || {
        let (t0, t1) = range.get();
        let (left, top, right, bottom) = area.get();
        let span = (t1 - t0).max(1e-9);
        let x = move |t: f64| left + (t.clamp(t0, t1) - t0) / span * (right - left);
        marks
            .get()
            .iter()
            .filter(|m| m.end >= t0 && m.start <= t1)
            .map(|m| {
                let (a, b) = (x(m.start), x(m.end));
                let width = (b - a).max(1.0);
                let when = if m.end > m.start {
                    format!(
                        "{} – {}",
                        format_instant(m.start, utc.get_untracked()),
                        format_instant(m.end, utc.get_untracked())
                    )
                } else {
                    format_instant(m.start, utc.get_untracked())
                };
                let tip = [m.title.as_str(), m.text.as_str(), when.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                let band = if m.end > m.start {
                    format!(
                        "left:{a:.1}px;width:{width:.1}px;top:{top:.1}px;height:{:.1}px;background:color-mix(in srgb, {c} 14%, transparent);border-left:1px solid {c};border-right:1px solid {c}",
                        bottom - top,
                        c = m.colour
                    )
                } else {
                    format!(
                        "left:{a:.1}px;width:0;top:{top:.1}px;height:{:.1}px;border-left:1px dashed {}",
                        bottom - top,
                        m.colour
                    )
                };
                let marker = format!(
                    "left:{:.1}px;top:{:.1}px;border-bottom-color:{}",
                    a - 4.0,
                    bottom - 6.0,
                    m.colour
                );
                view! {
                    <div class="annotation__band" style=band></div>
                    <div class="annotation__marker" style=marker title=tip.clone() role="img" aria-label=tip></div>
                }
            })
            .collect_view()
    };
    view! { <div class="annotation-layer">{shown}</div> }
}
